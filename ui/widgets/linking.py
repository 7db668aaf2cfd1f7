"""Scenes by link: every linked widget reads the link a session opened with, and writes the address bar.

A session reads its URL once, on its first run: each linked widget takes its
parameter (if it parses) as it is created. After every run and every fragment
run the address bar is rewritten with every linked widget's current value, so it
is always a link to what is on screen. The bookkeeping lives in
``st.session_state``: each browser session has its own.

Every linked widget is named by its page and its link name (``"lr"``, ``"x"``);
its key is ``ui.registry.widget_key(page, name, *scope)``, never written by hand.
"""

from __future__ import annotations

from types import MappingProxyType

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import links
from ui.i18n import t
from ui.registry import scene_state, widget_key

LINKS = "_links"
# linked settings left out of the link at these values: off, and the same on every page
QUIET_DEFAULTS = MappingProxyType({"present": "0", "schedule": "constant", "tol": "0", "view": "contour"})


def _links() -> dict:
    state = st.session_state.get(LINKS)
    if state is None:
        state = {"pending": dict(st.query_params.to_dict()), "params": {}, "ignored": [], "notice": None,
                 "first": True}
        st.session_state[LINKS] = state
    return state


def pending(name: str) -> str | None:
    """The first run's URL value of ``name``, if any, without taking it."""
    return _links()["pending"].get(name)


def take(name: str) -> str | None:
    """The first run's URL value of ``name``, taken: a parameter read by hand (``room``, ``key``) is no leftover."""
    return _links()["pending"].pop(name, None)


def keep_in_link(name: str, value: str | None) -> None:
    """Write ``name`` into the address bar with the widgets' settings (None: leave it out): the class's room."""
    extra = _links().setdefault("extra", {})
    if value is None:
        extra.pop(name, None)
    else:
        extra[name] = value


def begin_links() -> None:
    """Called by app.py before every full run: this run's pages register their parameters afresh."""
    _links()["params"] = {}


def registered() -> dict[str, str]:
    """Every link name on screen in this run, with its widget's key."""
    return dict(_links()["params"])


def seed(name: str, key: str, parse) -> bool:
    """Give widget ``key`` its URL value (first run only) and register it under ``name``.

    Returns whether session_state already holds the widget's value: the wrappers then pass
    no default of their own (Streamlit warns when a widget gets both).
    """
    state = _links()
    raw = state["pending"].pop(name, None)
    if raw is not None:
        try:
            st.session_state[key] = parse(raw)
        except links.Rejected as why:
            state["ignored"].append((name, raw, str(why)))
    state["params"][name] = key
    return key in st.session_state


def finish_links(slot) -> None:
    """Called by app.py after the page: name what the link asked for and could not get, then publish."""
    state = _links()
    if state["first"]:
        state["first"] = False
        leftovers = [(name, raw, t("links.no_such_setting")) for name, raw in state["pending"].items()]
        state["pending"] = {}
        state["notice"] = links.ignored_notice(state["ignored"] + leftovers)
        state["ignored"] = []
        state["notice_page"] = _page_name()
    if state["notice"] and state.get("notice_page") == _page_name():
        slot.info(state["notice"], icon=":material/link_off:")
    publish_link()


def _page_name() -> str:
    ctx = get_script_run_ctx()
    return getattr(ctx, "page_script_hash", "") if ctx else ""


def link_params() -> dict[str, str]:
    """Every linked setting on screen, as URL text (presenter mode only when it is on)."""
    params = {}
    for name, key in _links()["params"].items():
        if key in st.session_state and st.session_state[key] is not None:
            params[name] = links.format_value(st.session_state[key])
    params.update(_links().get("extra", {}))
    for name, default in QUIET_DEFAULTS.items():  # settings nobody changed stay out of a link: it stays short
        if params.get(name) == default:
            del params[name]
    return params


def publish_link() -> None:
    """Write the scene into the address bar (only when it changed: each write is a message to the browser)."""
    params = link_params()
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


# --- Linked widgets: ``where.<widget>`` bound to the URL parameter ``name`` -------------------------
# ``page`` is None for the app's own settings (``present``, ``lang``): their key is the name itself.

def _key(page: str | None, name: str, scope) -> str:
    return name if page is None else widget_key(page, name, *scope)


def _held(key: str, default, allowed=None):
    """The widget's value for its ``value``/``index``/``default`` argument: the session's when it holds one.

    The session's value goes into the widget's default too (not None), so the browser always has it: a first
    run cut short by another rerun (a phone's width arriving, the player mounting) can drop the one message that
    carries a value set through session state, and the field then showed "" while the link said otherwise."""
    if key not in st.session_state:
        return default
    held = st.session_state[key]
    return held if allowed is None or allowed(held) else None


def slider(where, page, name: str, label: str, low, high, value, step=None, *, scope=(), **kw):
    key = _key(page, name, scope)
    integer = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, value))
    seed(name, key, lambda text: links.parse_number(text, low, high, integer=integer))
    return where.slider(label, low, high, _held(key, value, lambda v: low <= v <= high), step=step, key=key, **kw)


def select_slider(where, page, name: str, label: str, options, value, *, scope=(), **kw):
    key, options = _key(page, name, scope), list(options)
    seed(name, key, lambda text: links.parse_choice(text, options))
    return where.select_slider(label, options=options, value=_held(key, value, lambda v: v in options), key=key,
                               **kw)


def text_input(where, page, name: str, label: str, value: str, *, max_chars: int, scope=(), **kw):
    """A text field bound to ``name``: a link's text is taken as typed (at most ``max_chars``), to be checked
    by whoever reads it, like anything the student types."""
    key = _key(page, name, scope)

    def take(text: str) -> str:
        if len(text) > max_chars:
            raise links.Rejected(t("links.too_long", count=len(text)))
        return text

    seed(name, key, take)
    return where.text_input(label, _held(key, value, lambda v: isinstance(v, str)), max_chars=max_chars, key=key,
                            **kw)


def _index(key: str, options: list, index: int) -> int:
    held = _held(key, options[index] if options else None, lambda v: v in options)
    return options.index(held) if held in options else 0


def selectbox(where, page, name: str, label: str, options, index: int = 0, *, scope=(), **kw):
    key, options = _key(page, name, scope), list(options)
    seed(name, key, lambda text: links.parse_choice(text, options))
    return where.selectbox(label, options, index=_index(key, options, index), key=key, **kw)


def radio(where, page, name: str, label: str, options, index: int = 0, *, scope=(), **kw):
    key, options = _key(page, name, scope), list(options)
    seed(name, key, lambda text: links.parse_choice(text, options))
    return where.radio(label, options, index=_index(key, options, index), key=key, **kw)


def toggle(where, page, name: str, label: str, value: bool = False, *, scope=(), **kw):
    key = _key(page, name, scope)
    seed(name, key, links.parse_flag)
    return where.toggle(label, value=bool(_held(key, value)), key=key, **kw)


def multiselect(where, page, name: str, label: str, options, default, *, scope=(), **kw):
    key, options = _key(page, name, scope), list(options)
    seed(name, key, lambda text: links.parse_choices(text, options))
    held = _held(key, default, lambda v: isinstance(v, (list, tuple)))
    return where.multiselect(label, options, default=[v for v in held or () if v in options], key=key, **kw)


# --- Scenes -------------------------------------------------------------------------------------

def apply_scene(scene) -> None:
    """Set every widget the scene names (a button's callback, or a ``?scene=`` link's first run)."""
    for key, value in scene_state(scene).items():
        st.session_state[key] = value


def apply_linked_scene(scenes) -> None:
    """On a session's first run, ``?scene=name`` sets that scene's widgets (explicit parameters still win)."""
    state = _links()
    raw = state["pending"].pop("scene", None)
    if raw is not None:
        scene = next((s for s in scenes if s.name == raw), None)
        if scene is None:
            state["ignored"].append(("scene", raw, t("links.no_such_scene")))
        else:
            apply_scene(scene)


# The address bar is the link: publish_link rewrites it after every run and every fragment run, so
# the box shows the browser's own address, read when it opens, and copies it with one click.
LINK_FIELD_HTML = """<div class="scene-link">
<input id="scene-link-url" type="text" readonly aria-label="{label}"
 style="width:100%;font:15px monospace;padding:6px;border:1px solid #8a96a3;border-radius:6px;">
<button id="scene-link-copy" type="button" style="margin-top:6px;padding:4px 12px;">{copy}</button>
</div>
<script>
(() => {{
  const field = document.getElementById("scene-link-url");
  const copy = document.getElementById("scene-link-copy");
  const show = () => {{ if (field && document.activeElement !== field) field.value = window.location.href; }};
  show();
  const timer = setInterval(() => {{ if (!document.body.contains(field)) clearInterval(timer); else show(); }}, 400);
  copy.addEventListener("click", () => {{
    show(); field.select();
    if (navigator.clipboard) navigator.clipboard.writeText(field.value); else document.execCommand("copy");
  }});
}})();
</script>"""


def link_box(scenes=(), container=None) -> None:
    """"Link to this scene": the address to copy, and one link per named scene."""
    where = container or st
    base = st.context.url or ""
    with where.popover(t("controls.link"), icon=":material/link:", help=t("controls.link_help")):
        st.caption(t("controls.link_caption"))
        st.html(LINK_FIELD_HTML.format(label=t("controls.link_help"), copy=t("controls.copy")),
                unsafe_allow_javascript=True)
        if scenes:
            st.caption(t("controls.link_scenes"))
            lines = [f"- {s.title}: `{links.scene_url(base, {'scene': s.name})}`" for s in scenes]
            st.markdown("\n".join(lines))
