"""The shared pickers: surface and start point in the sidebar, steps, and one optimizer's knobs.

The start-point sliders are kept per surface, so switching surface brings that
surface's own demo start, and switching back finds the point the student had
chosen there.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import optim_core as oc
from ui import catalog
from ui.catalog import surface_key, surface_title
from ui.figures.tap import tapped_point
from ui.figures.theme import label
from ui.i18n import t
from ui.registry import widget_key
from ui.specs import OptimizerSpec
from ui.widgets.custom_surface import CUSTOM, custom_surface
from ui.widgets.linking import select_slider, selectbox, slider

KAPPAS = (1, 2, 5, 10, 25, 50, 100, 200, 500, 1000)  # the bowl's condition numbers on offer


def surface_picker(page: str, default: str = "rosenbrock", options=oc.SURFACE_NAMES) -> oc.Surface:
    """A sidebar select box of surfaces, the last choice "Your own f"; returns the chosen ``Surface``."""
    options = [*options, CUSTOM]
    name = selectbox(
        st.sidebar, page, "surface", t("controls.surface"), options, index=options.index(default),
        format_func=_picker_title,
        help=t("surface_help.intro") + " " + " ".join(
            f"{surface_title(n)}: {t(f'surface_help.{n}')}" for n in options))
    if name == CUSTOM:
        return custom_surface(page)
    if name == "elongated_quadratic":  # its condition number: λ₁ = 1, λₙ = κ (κ = 25 is the lecture's bowl)
        kappa = select_slider(st.sidebar, page, "kappa", t("kappa.label"), KAPPAS, 25,
                              format_func=lambda k: f"{k:g}", help=t("kappa.help"))
        return oc.get_surface(oc.surface_name(name, kappa=kappa))
    return oc.get_surface(name)


def _picker_title(name: str) -> str:
    """A choice of the surface picker: the bowl without its κ, which the slider under it says."""
    return t("kappa.picker") if name == "elongated_quadratic" else surface_title(name)


def start_picker(page: str, surface: oc.Surface, *, per_surface: bool = True) -> np.ndarray:
    """Two sidebar sliders for the start point, limited to the plotted region."""
    (x0, x1), (y0, y1) = surface.bounds
    scope = (surface_key(surface),) if per_surface else ()
    st.sidebar.markdown(t("controls.start_point"))
    # Streamlit forgets a widget's value while it is not drawn, so the chosen point
    # is also kept under a plain key and used as the default when the surface returns.
    memory = widget_key(page, "start", *scope)
    x_default, y_default = st.session_state.get(memory, (float(surface.start[0]), float(surface.start[1])))
    x = slider(st.sidebar, page, "x", t("controls.start_x"), float(x0), float(x1), x_default,
               step=_step(x0, x1), scope=scope, help=t("controls.start_x_help"))
    y = slider(st.sidebar, page, "y", t("controls.start_y"), float(y0), float(y1), y_default,
               step=_step(y0, y1), scope=scope, help=t("controls.start_y_help"))
    st.session_state[memory] = (x, y)
    return np.array([x, y])


def start_from_tap(page: str, surface: oc.Surface, selection, *, per_surface: bool = True) -> None:
    """A tap on the picture (``ui.figures.tap``) moves the start there: the start sliders (and the link) follow."""
    point = tapped_point(selection, surface)
    if point is None:
        return
    scope = (surface_key(surface),) if per_surface else ()
    for name, value, (lo, hi) in zip(("x", "y"), point, surface.bounds, strict=True):
        step = _step(lo, hi)
        snapped = lo + round((value - lo) / step) * step  # on the slider's own grid
        st.session_state[widget_key(page, name, *scope)] = float(min(max(snapped, lo), hi))


def steps_slider(page: str, default: int = 200, high: int = 2000, container=None, *, scope=()) -> int:
    where = container or st.sidebar
    return slider(where, page, "steps", t("controls.steps"), 10, high, default, step=10, scope=scope,
                  help=t("controls.steps_help"))


def optimizer_controls(page: str, name: str, surface: str) -> OptimizerSpec:
    """The widgets of one optimizer's knobs (call inside an expander); returns its setting.

    Each widget is linked as ``<optimizer>.<knob>`` (``adam.lr``, ``lookahead.inner``). The step
    size is kept per surface (and per inner optimizer for Lookahead), so each surface starts from
    its own demo value and remembers what the student picked there; ``adam.lr`` is the step size
    of the surface on screen.
    """
    values: dict = {}
    saved = st.session_state.setdefault(widget_key(page, "saved_lr"), {})
    if name == "lookahead":
        values["inner"] = selectbox(
            st, page, "lookahead.inner", t("compare.inner"), catalog.INNER_OPTIONS,
            index=catalog.INNER_OPTIONS.index(catalog.DEFAULT_INNER), format_func=label,
            help=t("compare.inner_help"))
    for knob in catalog.KNOBS[name]:
        link, value, scope = f"{name}.{knob.name}", knob.default, ()
        if knob.name == "lr":  # Streamlit forgets a widget's value while it is not drawn: keep our own copy
            scope = (values["inner"], surface_key(surface)) if name == "lookahead" else (surface_key(surface),)
            value = saved.get(widget_key(page, link, *scope), catalog.default_lr(name, surface, values.get("inner")))
        if knob.options:
            values[knob.name] = select_slider(st, page, link, knob.label, knob.options, value, scope=scope,
                                              help=knob.help)
        else:
            kind = int if isinstance(knob.step, int) else float
            values[knob.name] = slider(st, page, link, knob.label, kind(knob.low), kind(knob.high), kind(value),
                                       step=kind(knob.step), scope=scope, help=knob.help)
        if knob.name == "lr":
            saved[widget_key(page, link, *scope)] = values["lr"]
    return catalog.to_spec(name, values)


def _step(lo: float, hi: float) -> float:
    return round((hi - lo) / 200, 4)
