"""Entry point: `streamlit run app.py`. Navigation and the shared frame, no logic.

The page scripts live in lecture/, not pages/: with a pages/ folder present,
Streamlit serves a first request for a deep link (/adam) in its legacy
file-based mode, skipping this script's navigation, layout and error guard.
The list of pages is ui.registry.PAGES, written once.
"""

# Everything the pages use is imported here, once, before any page runs. A page that
# imports a heavy module lazily races on a cold start: while one session is still
# importing pandas (Streamlit's tables use it), Plotly on another session's thread
# finds the half-built module in sys.modules and fails. A class arriving together on
# a freshly woken server is exactly that case.
import pandas  # noqa: F401  (imported for its side effect: fully loaded before any session needs it)
import plotly.graph_objects  # noqa: F401
import plotly.io  # noqa: F401
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import ui.widgets.compute  # noqa: F401
from ui import registry, widgets
from ui.i18n import t
from ui.widgets import classroom, frame, language, layout, linking, presenter, viewport

st.set_page_config(page_icon="🧭", layout="wide", initial_sidebar_state="auto")
frame.begin_run()
linking.begin_links()
language.language_picker()  # first: every title below is in the chosen language
viewport.watch()  # the window's size, for the charts' heights
st.set_page_config(page_title=t("app.page_title"))  # the browser tab, in that language

# A flat list, not {"Section": [...]}: Streamlit renders section headers inside the <ul>,
# which screen readers (and axe-core) reject as an invalid list.
PAGES = [st.Page(p.script, title=p.title, icon=p.icon, url_path=p.url_path, default=p.default)
         for p in registry.PAGES]


def land_unknown_paths_on_home() -> str | None:
    """Send a first request for an unknown path (``/home``, a typo, ``/etc/passwd``) to Home, quietly.

    Left alone, Streamlit answers with a "Page not found" dialog over Home. Here the
    request's page name is cleared before navigation resolves it, so Home opens as
    at ``/``, and the page shows one line saying what happened. Returns that line.
    """
    ctx = get_script_run_ctx()
    manager = getattr(ctx, "pages_manager", None)
    wanted = getattr(manager, "intended_page_name", None)
    if not wanted or getattr(manager, "intended_page_script_hash", None):
        return None
    if wanted in {p.url_path for p in PAGES}:
        return None
    manager.set_script_intent("", "")
    if wanted == "home":
        return None
    shown = wanted if len(wanted) <= 40 and wanted.isprintable() else ascii(wanted[:40])[1:-1] + "…"
    return t("app.unknown_page", name=shown)


unknown = land_unknown_paths_on_home()
page = st.navigation(PAGES)
if unknown:  # kept while the student stays on the page: the window's size arrives in a rerun of its own
    st.session_state["_unknown_page"] = (unknown, page.url_path)
elif (kept := st.session_state.get("_unknown_page")) and kept[1] != page.url_path:
    del st.session_state["_unknown_page"]
if kept := st.session_state.get("_unknown_page"):
    st.info(kept[0], icon=":material/explore:")
link_notice = st.empty()  # filled after the page: only then is it known which link settings it used
with widgets.guard():  # the last line of defence: a class must never see a traceback
    try:
        page.run()
    except classroom.PageStopped:  # a class's question on screen: the rest of the page would give it away
        pass
linking.finish_links(link_notice)
layout.frame_style()
presenter.presenter_style()
