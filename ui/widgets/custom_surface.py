"""Your own f(x, y): a text field and a box in the sidebar, turned into an ``optim_core`` surface safely.

The text is parsed by ``optim_core.expression`` (an allowlist over Python's ``ast``; nothing the student
types is ever evaluated). A refused text keeps its place in the field, a message names the problem and
where it is, and the page goes on with the last f that worked (the example on a first visit), so a typo
never blanks the picture. Under the field: the gradient the engine will use, in LaTeX.
"""

from __future__ import annotations

import streamlit as st

import optim_core as oc
from ui.catalog import CUSTOM, surface_key
from ui.i18n import language, t
from ui.registry import widget_key
from ui.widgets.linking import select_slider, text_input

EXAMPLE = "sin(3*x)*y + 0.1*(x**2 + y**2)"
BOXES = (1.0, 2.0, 3.0, 5.0, 10.0)  # the plotted box is [−b, b]²
DEFAULT_BOX = 3.0


def is_custom(name: str) -> bool:
    return surface_key(name) == CUSTOM


def custom_surface(page: str) -> oc.Surface:
    """The sidebar's f(x, y) field and box; the surface built from them (or from the last f that worked)."""
    where = st.sidebar
    text = text_input(where, page, "f", t("custom.label"), EXAMPLE, max_chars=oc.expression.MAX_LENGTH,
                      help=t("custom.help"))
    half = select_slider(where, page, "box", t("custom.box"), BOXES, DEFAULT_BOX,
                         format_func=lambda b: f"±{b:g}", help=t("custom.box_help"))
    bounds = ((-half, half), (-half, half))
    memory = widget_key(page, "f_last_good")
    try:
        surface = oc.custom_surface(text or "", bounds)
    except oc.ExpressionError as err:
        where.error(message(err), icon=":material/function:")
        last = st.session_state.get(memory, (EXAMPLE, DEFAULT_BOX))
        surface = oc.custom_surface(last[0], ((-last[1], last[1]), (-last[1], last[1])))
        where.caption(t("custom.using_last", f=surface.title))
    else:
        st.session_state[memory] = (text, half)
    where.caption(t("custom.gradient"))
    where.latex(oc.gradient_latex(surface))
    return surface


def message(err: oc.ExpressionError) -> str:
    """The refusal in the session's language: what is wrong, where (column, from 1), and the text at fault.

    English has the checker's own sentence, which names the piece and its column; other languages the
    catalog's line for its kind (``custom.errors.<code>``), then the column and the text."""
    if language() == "en":
        return err.message[:1].upper() + err.message[1:] + ("" if err.message.endswith(".") else ".")
    where = "" if err.position is None else t("custom.at", column=err.position + 1)
    snippet = "" if not err.snippet else t("custom.snippet", snippet=err.snippet.replace("`", "'"))
    return " ".join(part for part in (t(f"custom.errors.{err.code}"), where, snippet) if part)


__all__ = ["BOXES", "CUSTOM", "EXAMPLE", "custom_surface", "is_custom", "message", "surface_key"]
