"""The page's frame on every screen: the picture first on a phone, less padding everywhere.

Streamlit stacks columns in the order they were written, and a page writes its title, its scenes and
its sliders before the picture they shape. On a narrow screen the main column's blocks are put in the
order a student needs them instead: the title, the picture with its step row ("hero"), then the scenes
and everything else. Each is a keyed container (``st-key-…``); CSS orders the main column's child that
holds it (Streamlit wraps a block in a layout wrapper, and a fragment in one more).
"""

from __future__ import annotations

import streamlit as st

FRAME_CSS = """<style>
[data-testid="stMainBlockContainer"] { padding-top: 1.4rem; padding-left: 2rem; padding-right: 2rem; }
[data-testid="stMain"] h1 { padding-top: 0.2rem; padding-bottom: 0.1rem; font-size: 1.8rem; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 0.8rem; padding-right: 0.8rem; padding-top: 3.2rem; }
  [data-testid="stMain"] h1 { font-size: 1.6rem; }
  .stMainBlockContainer > [data-testid="stVerticalBlock"] > div:has(.st-key-page_title) { order: -3; }
  .stMainBlockContainer > [data-testid="stVerticalBlock"] > div:has(.st-key-hero) { order: -2; }
  .stMainBlockContainer > [data-testid="stVerticalBlock"] > div:has(.st-key-page_scenes) { order: -1; }
}
</style>"""


def frame_style() -> None:
    st.html(FRAME_CSS)
