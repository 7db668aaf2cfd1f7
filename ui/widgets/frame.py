"""The frame around every run and every fragment run: its language, its error guard, its link.

A page's full run goes through ``app.py``; a fragment (a step, a section's own
sliders) reruns on its own, without app.py. ``fragment`` gives such a rerun the
same frame: the session's language is set first, an exception becomes the app's
message (the student's settings stay, since nothing is reset), and the address
bar is rewritten last. Pages never call ``st.fragment`` themselves.
"""

from __future__ import annotations

import contextlib
import functools

import streamlit as st

from ui import i18n
from ui.i18n import t
from ui.widgets.linking import publish_link

LANGUAGE_KEY = "lang"


def session_language() -> str:
    """The language this session chose (its ``lang`` widget), English before it has chosen."""
    code = st.session_state.get(LANGUAGE_KEY)
    return code if i18n.known(code) else i18n.DEFAULT


def begin_run() -> None:
    """First thing in every run and fragment run: ``t()`` speaks this session's language."""
    i18n.set_language(session_language())


@contextlib.contextmanager
def guard():
    """Show what escapes as the app's one-line message instead of a traceback; a class never sees one."""
    try:
        yield
    except Exception as err:  # noqa: BLE001 - the last line of defence (st.stop/st.rerun are BaseExceptions)
        st.error(t("app.page_error", error=f"{type(err).__name__}: {err}"))


def fragment(func=None, **options):
    """``st.fragment`` in the app's frame: language, guard, and the link published after it."""
    if func is None:
        return functools.partial(fragment, **options)

    @functools.wraps(func)
    def framed(*args, **kw):
        begin_run()
        with guard():
            func(*args, **kw)
        publish_link()

    return st.fragment(framed, **options)
