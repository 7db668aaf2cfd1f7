"""The browser's window size, reported by a tiny component, so a chart's height can follow the screen.

A Plotly chart in Streamlit has a height in pixels, chosen on the server. The component reports
``innerWidth × innerHeight`` (rounded to 20 px, and again only when the window really changes), so
the first run of a session draws at a default size and the next at the screen's own. Without a
browser (AppTest) the default stands.
"""

from __future__ import annotations

import streamlit as st

from ui.widgets.presenter import presenting

VIEWPORT_KEY = "_viewport"  # the reporter's own widget key
SIZE_KEY = "_viewport_size"  # the last size it reported, kept for the runs it does not report in
PHONE_MAX_WIDTH = 640  # Streamlit stacks columns below this width

_REPORT_JS = """
export default function ({ setStateValue }) {
  const round = v => Math.round(v / 20) * 20;
  let last = "";
  const report = () => {
    const size = [round(window.innerWidth), round(window.innerHeight)];
    if (size.join() !== last) { last = size.join(); setStateValue("size", size); }
  };
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 250); };
  report();
  window.addEventListener("resize", later);
  return () => window.removeEventListener("resize", later);
}
"""

_reporter = st.components.v2.component("optim_viewport", js=_REPORT_JS)


def watch() -> None:
    """Mount the reporter (app.py, once per run); the size it last reported is kept under SIZE_KEY."""
    with st.sidebar:  # no room taken in the main column; mounted even while the sidebar is hidden
        result = _reporter(key=VIEWPORT_KEY, on_size_change=lambda: None)
    st.session_state[SIZE_KEY] = getattr(result, "size", None) or st.session_state.get(SIZE_KEY)


def size() -> tuple[int, int] | None:
    """``(width, height)`` of the window in CSS pixels, or None before the browser has reported it."""
    value = st.session_state.get(SIZE_KEY)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        return int(value[0]), int(value[1])
    return None


def is_phone() -> bool:
    """Whether the window is narrow enough that Streamlit stacks columns (False until it has reported)."""
    return (reported := size()) is not None and reported[0] <= PHONE_MAX_WIDTH


def hero_height(desktop: int = 580, presenter: int = 600, *, above: int = 128, present_above: int = 104,
                low: int = 340, high: int = 1200) -> int:
    """The main chart's height: the screen's height less what stands above it (the title line and the
    scenes' pills: the controls sit beside the chart), within [low, high]; on a phone about as tall as it
    is wide. Until the browser has reported its size, the heights for 1280×720."""
    if (reported := size()) is None:
        return presenter if presenting() else desktop
    width, height = reported
    if width <= PHONE_MAX_WIDTH:
        return int(max(low, min(width * 1.6, height * 0.72)))
    above = present_above if presenting() else above  # presenter mode: the title line above
    return int(max(low, min(high, height - above)))
