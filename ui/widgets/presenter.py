"""Presenter mode: the chart and its controls, read from the back of a lecture hall."""

from __future__ import annotations

import streamlit as st

from ui.figures import theme
from ui.widgets.linking import toggle

PRESENT_KEY = "present"
# The switch is drawn by each page, and Streamlit forgets a page's widget when another page runs; presenter
# mode must survive a change of page, so its value is also kept under a plain key.
PRESENT_MEMORY = "_present"

PRESENTER_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stCaptionContainer"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] label, [data-testid="stMain"] label p { font-size: 24px !important; line-height: 1.35; }
[data-testid="stMain"] .katex { font-size: 1.3em; }
[data-testid="stMain"] .st-key-hero .katex { font-size: 1.18em; }  /* a table's \\small in it: 18 px */
[data-testid="stMain"] [data-testid="stSliderThumbValue"], [data-testid="stMain"] [data-testid="stSliderTickBar"] {
  font-size: 20px !important; }
[data-testid="stMain"] h1 { font-size: 1.8rem !important; padding: 0 !important; }
[data-testid="stMain"] .stButton button, [data-testid="stMain"] .stDownloadButton button {
  min-height: 2.8rem; padding: 0.3rem 0.9rem; }
[data-testid="stMain"] .stButton button p { font-size: 22px !important; }
[data-testid="stMain"] .stButton kbd { display: none; }
[data-testid="stMain"] .st-key-page_title .stButton button { min-height: 2.4rem; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] { gap: 0.5rem; }
[data-testid="stMainBlockContainer"] { padding: 0.3rem 1rem 1rem 1rem !important; max-width: 100% !important; }
</style>"""


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT_KEY, st.session_state.get(PRESENT_MEMORY, False)))


def present_switch(where, label: str, help: str) -> None:
    """The Present switch, linked as ``present``, that stays on from page to page."""
    if PRESENT_MEMORY in st.session_state:  # after the first run the memory is the truth (a link's value went in)
        st.session_state[PRESENT_KEY] = st.session_state[PRESENT_MEMORY]
    st.session_state[PRESENT_MEMORY] = toggle(where, None, PRESENT_KEY, label, help=help, on_change=_remember)


def _remember() -> None:
    st.session_state[PRESENT_MEMORY] = bool(st.session_state.get(PRESENT_KEY))


def chart(where, figure, *, key: str, alt: str, **kw) -> None:
    """``where.plotly_chart`` with the app's settings; in presenter mode the figure's type and lines grow. In
    presenter mode and on a phone the toolbar goes (no one zooms from the back row; on a phone it covers the
    legend), leaving its margin to the plot."""
    if presenting():
        figure = theme.presented(figure)
    if presenting() or phone():
        figure = theme.without_toolbar(figure)
        kw.setdefault("config", {"displayModeBar": False})
    where.plotly_chart(figure, theme=None, key=key, alt=alt, **kw)


def phone() -> bool:
    from ui.widgets.viewport import is_phone  # viewport reads presenting(): imported here, not at the top

    return is_phone()


def presenter_style() -> None:
    """Presenter mode: no sidebar, no secondary text, 24 px body type and large step buttons."""
    if presenting():
        st.html(PRESENTER_CSS)
