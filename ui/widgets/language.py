"""English / 한국어: the sidebar's language picker, in the link as ``lang``."""

from __future__ import annotations

import streamlit as st

from ui import i18n, links
from ui.i18n import t
from ui.widgets.frame import LANGUAGE_KEY, begin_run
from ui.widgets.linking import pending, seed

HANGUL_CSS = """<style>
html, body, [data-testid="stApp"], [data-testid="stSidebar"], button, input, textarea {
  font-family: "Source Sans", "Source Sans Pro", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo",
               "Malgun Gothic", "Nanum Gothic", sans-serif; }
/* Korean wraps between words, not inside one (English is unaffected) */
h1, h2, h3, p, li, label, button { word-break: keep-all !important; overflow-wrap: break-word; }
</style>"""


def language_picker() -> str:
    """The session's language, set for this run; the first time, the link or else the browser decides.

    The pseudo-language ``xx`` (English in ⟦…⟧, a translator's check for text that bypasses the
    catalogs) is offered only to a session whose link asks for it: ``?lang=xx``.
    """
    codes = list(i18n.LANGUAGES)
    if pending(LANGUAGE_KEY) == i18n.PSEUDO or st.session_state.get(LANGUAGE_KEY) == i18n.PSEUDO:
        codes.append(i18n.PSEUDO)
    first = i18n.from_locale(getattr(st.context, "locale", None))
    held = seed(LANGUAGE_KEY, LANGUAGE_KEY, lambda text: links.parse_choice(text, codes))
    begin_run()  # before the picker's own label and help: they are in the chosen language too
    code = st.sidebar.selectbox(t("app.language"), codes, index=0 if held else codes.index(first), key=LANGUAGE_KEY,
                                format_func=_language_name, help=t("app.language_help"))
    begin_run()
    st.html(HANGUL_CSS)
    return code


def _language_name(code: str) -> str:
    return i18n.OPEN + code + i18n.CLOSE if code == i18n.PSEUDO else t(f"language.{code}")
