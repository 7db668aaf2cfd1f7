"""Streamlit widgets: surface and start point in the sidebar, and the Compare page's per-optimizer knobs.

Keys are page-prefixed; the start-point sliders are also keyed by surface, so
switching surface brings that surface's own demo start, and switching back
finds the point the student had chosen there.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import optim_core as oc

from . import compare as cmp
from . import export, i18n, links, theme
from .i18n import t
from .specs import OptimizerSpec
from .theme import label


def surface_title(name: str) -> str:
    return t(f"surface.{name}")


def surface_picker(page: str, default: str = "rosenbrock", options=oc.SURFACE_NAMES) -> oc.Surface:
    """A sidebar select box of surfaces; returns the chosen ``Surface``."""
    options = list(options)
    name = selectbox(
        st.sidebar, "surface", t("controls.surface"), options, index=options.index(default), key=f"{page}_surface",
        format_func=surface_title,
        help=t("surface_help.intro") + " " + " ".join(
            f"{surface_title(n)}: {t(f'surface_help.{n}')}" for n in options))
    return oc.get_surface(name)


def start_picker(page: str, surface: oc.Surface) -> np.ndarray:
    """Two sidebar sliders for the start point, limited to the plotted region."""
    (x0, x1), (y0, y1) = surface.bounds
    st.sidebar.markdown(t("controls.start_point"))
    # Streamlit forgets a widget's value while it is not drawn, so the chosen point
    # is also kept under a plain key and used as the default when the surface returns.
    memory = f"{page}_start_memory_{surface.name}"
    x_default, y_default = st.session_state.get(memory, (float(surface.start[0]), float(surface.start[1])))
    x = slider(st.sidebar, "x", t("controls.start_x"), float(x0), float(x1), x_default,
                          step=_step(x0, x1), key=f"{page}_start_x_{surface.name}",
                          help=t("controls.start_x_help"))
    y = slider(st.sidebar, "y", t("controls.start_y"), float(y0), float(y1), y_default,
                          step=_step(y0, y1), key=f"{page}_start_y_{surface.name}",
                          help=t("controls.start_y_help"))
    st.session_state[memory] = (x, y)
    return np.array([x, y])


def steps_slider(page: str, default: int = 200, high: int = 2000, container=None) -> int:
    where = container or st.sidebar
    return slider(where, "steps", t("controls.steps"), 10, high, default, step=10, key=f"{page}_steps",
                  help=t("controls.steps_help"))


def optimizer_controls(name: str, surface: str) -> OptimizerSpec:
    """The Compare page's widgets of one optimizer (call inside an expander); returns its setting.

    Each widget is linked as ``<optimizer>.<knob>`` (``adam.lr``, ``lookahead.inner``). The step
    size is keyed by surface (and by inner optimizer for Lookahead), so each surface starts from
    its own demo value and remembers what the student picked there; ``adam.lr`` is the step size
    of the surface on screen.
    """
    values: dict = {}
    saved = st.session_state.setdefault("compare_saved_lr", {})
    if name == "lookahead":
        values["inner"] = selectbox(
            st, "lookahead.inner", t("compare.inner"), cmp.INNER_OPTIONS,
            index=cmp.INNER_OPTIONS.index(cmp.DEFAULTS["inner"]), format_func=label, key="compare_lookahead_inner",
            help=t("compare.inner_help"))
    for knob in cmp.KNOBS[name]:
        key, value, link = f"compare_{name}_{knob.name}", knob.default, f"{name}.{knob.name}"
        if knob.name == "lr":  # Streamlit forgets a widget's value while it is not drawn: keep our own copy
            key += f"_{values['inner']}_{surface}" if name == "lookahead" else f"_{surface}"
            value = saved.get(key, cmp.default_lr(name, surface, values.get("inner")))
        if knob.options:
            values[knob.name] = select_slider(st, link, knob.label, knob.options, value, key=key, help=knob.help)
        else:
            kind = int if isinstance(knob.step, int) else float
            values[knob.name] = slider(st, link, knob.label, kind(knob.low), kind(knob.high), kind(value),
                                       step=kind(knob.step), key=key, help=knob.help)
        if knob.name == "lr":
            saved[key] = values["lr"]
    return cmp.to_spec(name, values)


def _step(lo: float, hi: float) -> float:
    return round((hi - lo) / 200, 4)


def scene_buttons(scenes, container=None) -> None:
    """One button per scene, in a row in the main column; a click sets the scene's widgets and reruns.

    The values are written in the button's callback, before the page runs again, which is
    the moment Streamlit allows a widget's state to be set from code.
    """
    if not scenes:
        return
    where = container or st
    where.caption(t("controls.scenes_caption"))
    for col, scene in zip(where.columns(len(scenes)), scenes):
        col.button(scene.title, key=f"{scene.page}_scene_{scene.name}", help=scene.caption,
                   on_click=_apply_scene, args=(scene,), width="stretch")


def _apply_scene(scene) -> None:
    for key, value in scene.settings.items():
        st.session_state[key] = value
    st.session_state[f"{scene.page}_scene"] = scene.name


def chosen_scene(page: str, scenes):
    """The scene last applied on ``page`` (its caption is worth showing), or None."""
    name = st.session_state.get(f"{page}_scene")
    return next((s for s in scenes if s.name == name), None)


# --- Scenes by link ---------------------------------------------------------------------------
# A session reads the URL it was opened with once, on its first run: each linked widget takes
# its parameter (if it parses) as it is created. After every run, and every fragment run, the
# address bar is rewritten with every linked widget's current value, so it is always a link to
# what is on screen. The registry lives in session_state: each browser session has its own.

LINKS = "_links"


def _links() -> dict:
    state = st.session_state.get(LINKS)
    if state is None:
        state = {"pending": dict(st.query_params.to_dict()), "params": {}, "ignored": [], "notice": None,
                 "first": True}
        st.session_state[LINKS] = state
    return state


def begin_links() -> None:
    """Called by app.py before every full run: this run's pages register their parameters afresh."""
    state = _links()
    state["params"] = {}


def _seed(name: str, key: str, parse) -> bool:
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
    if params.get("present") == "0":
        del params["present"]
    return params


def publish_link() -> None:
    """Write the scene into the address bar (only when it changed: each write is a message to the browser)."""
    params = link_params()
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)


def slider(where, name: str, label: str, low, high, value, step=None, *, key: str, **kw):
    """``where.slider`` bound to URL parameter ``name``."""
    integer = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, value))
    held = _seed(name, key, lambda text: links.parse_number(text, low, high, integer=integer))
    return where.slider(label, low, high, None if held else value, step=step, key=key, **kw)


def select_slider(where, name: str, label: str, options, value, *, key: str, **kw):
    options = list(options)
    held = _seed(name, key, lambda text: links.parse_choice(text, options))
    return where.select_slider(label, options=options, value=None if held else value, key=key, **kw)


def selectbox(where, name: str, label: str, options, index: int = 0, *, key: str, **kw):
    options = list(options)
    held = _seed(name, key, lambda text: links.parse_choice(text, options))
    return where.selectbox(label, options, index=0 if held else index, key=key, **kw)


def radio(where, name: str, label: str, options, index: int = 0, *, key: str, **kw):
    options = list(options)
    held = _seed(name, key, lambda text: links.parse_choice(text, options))
    return where.radio(label, options, index=0 if held else index, key=key, **kw)


def toggle(where, name: str, label: str, value: bool = False, *, key: str, **kw):
    held = _seed(name, key, links.parse_flag)
    return where.toggle(label, value=False if held else value, key=key, **kw)


def multiselect(where, name: str, label: str, options, default, *, key: str, **kw):
    options = list(options)
    held = _seed(name, key, lambda text: links.parse_choices(text, options))
    return where.multiselect(label, options, default=None if held else default, key=key, **kw)


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


def link_box(page: str, scenes=(), container=None) -> None:
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


def apply_linked_scene(page: str, scenes) -> None:
    """On a session's first run, ``?scene=name`` sets that scene's widgets (explicit parameters still win)."""
    state = _links()
    raw = state["pending"].pop("scene", None)
    if raw is not None:
        scene = next((s for s in scenes if s.name == raw), None)
        if scene is None:
            state["ignored"].append(("scene", raw, t("links.no_such_scene")))
        else:
            _apply_scene(scene)


# --- Reset ------------------------------------------------------------------------------------

def reset_button(page: str, container=None) -> None:
    """One button that returns the page to its default scene (every ``{page}_…`` value forgotten)."""
    where = container or st
    where.button(t("controls.reset"), key=f"_reset_{page}", icon=":material/restart_alt:", on_click=_reset,
                 args=(page,), help=t("controls.reset_help"))


def _reset(page: str) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{page}_")]:
        del st.session_state[key]


# --- Step-through -----------------------------------------------------------------------------

def step_controls(page: str, last: int, *, first: int = 0, default: int | None = None, container=None) -> int:
    """Previous / Next / Start buttons (keys ← → and Home) and a step slider, all one value: ``{page}_step``.

    One row: the buttons, then the slider, which is the scrubber of the page's stepping chart.
    Call inside the page's ``st.fragment`` so that a step reruns only that part.
    """
    where = container or st
    key = f"{page}_step"
    default = first if default is None else min(max(default, first), last)
    if key in st.session_state:
        # Written back every run: a new step count gives the slider a new range, which Streamlit
        # treats as a new widget that forgets its value; and a shorter run must not leave the step
        # past its end.
        st.session_state[key] = min(max(int(st.session_state[key]), first), last)
    row = where.container(horizontal=True, vertical_alignment="bottom", gap="small")
    row.button(t("controls.previous"), key=f"_{page}_prev", icon=":material/chevron_left:", shortcut="Left",
               on_click=_move, args=(key, -1, first, last, default), help=t("controls.previous_help"))
    row.button(t("controls.next"), key=f"_{page}_next", icon=":material/chevron_right:", shortcut="Right",
               type="primary", on_click=_move, args=(key, +1, first, last, default), help=t("controls.next_help"))
    row.button(t("controls.start"), key=f"_{page}_first", icon=":material/first_page:", shortcut="Home",
               on_click=_move, args=(key, None, first, last, default), help=t("controls.start_help", first=first))
    return slider(row, "step", t("controls.step"), first, last, default, key=key, width="stretch",
                  help=t("controls.step_help"))


def _move(key: str, by: int | None, first: int, last: int, default: int) -> None:
    current = int(st.session_state.get(key, default))
    st.session_state[key] = first if by is None else min(max(current + by, first), last)


# --- Charts and presenter mode ----------------------------------------------------------------

def presenting() -> bool:
    return bool(st.session_state.get("present", False))


def chart(where, figure, *, key: str, alt: str, **kw) -> None:
    """``where.plotly_chart`` with the app's settings; in presenter mode the figure's type and lines grow."""
    if presenting():
        figure = theme.presented(figure)
    where.plotly_chart(figure, theme=None, key=key, alt=alt, **kw)


# --- Export -----------------------------------------------------------------------------------

def export_buttons(page: str, runs, figure=None, fields=(), container=None) -> None:
    """CSV of the runs on screen and a standalone HTML of the animated figure, made when clicked."""
    where = container or st
    row = where.container(horizontal=True, gap="small")
    row.download_button(t("controls.csv"), data=lambda: export.trajectories_csv(runs, fields),
                        file_name=f"{page}-runs.csv", mime="text/csv", icon=":material/table:",
                        key=f"_{page}_csv", on_click="ignore",
                        help=t("controls.csv_help"))
    if figure is not None:
        row.download_button(t("controls.html"), data=lambda: export.figure_html(figure, page),
                            file_name=f"{page}-figure.html", mime="text/html", icon=":material/movie:",
                            key=f"_{page}_html", on_click="ignore",
                            help=t("controls.html_help"))


PRESENTER_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stCaptionContainer"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li,
[data-testid="stMain"] label, [data-testid="stMain"] label p { font-size: 24px !important; line-height: 1.35; }
[data-testid="stMain"] .katex { font-size: 1.3em; }
[data-testid="stMain"] h1 { font-size: 2.1rem !important; padding-top: 0.2rem !important; }
[data-testid="stMain"] .stButton button, [data-testid="stMain"] .stDownloadButton button {
  min-height: 3.2rem; padding: 0.5rem 1.4rem; }
[data-testid="stMain"] .stButton button p { font-size: 24px !important; }
[data-testid="stMainBlockContainer"] { padding-top: 0.6rem !important; max-width: 100% !important; }
</style>"""


def presenter_style() -> None:
    """Presenter mode: no sidebar, no secondary text, 24 px body type and large step buttons."""
    if presenting():
        st.html(PRESENTER_CSS)


def page_header(page: str, title: str, scenes=()) -> None:
    """Title and page tools (Reset, Link to this scene, Presenter mode) in one row, then the scenes.

    Presenter mode lives here, in the page and not the sidebar, because presenter mode hides
    the sidebar; the scene buttons are hidden then too (a lecturer brings scenes as links).
    """
    apply_linked_scene(page, scenes)
    heading, tools = st.columns([1.55, 1], vertical_alignment="center", gap="small")
    heading.title(title)
    row = tools.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small")
    reset_button(page, row)
    link_box(page, scenes, row)
    toggle(row, "present", t("controls.present"), key="present", help=t("controls.present_help"))
    if not presenting():
        scene_buttons(scenes)
    if scene := chosen_scene(page, scenes):
        st.caption(f"**{scene.title}.** {scene.caption}")


# --- Language ---------------------------------------------------------------------------------

HANGUL_CSS = """<style>
html, body, [data-testid="stApp"], [data-testid="stSidebar"], button, input, textarea {
  font-family: "Source Sans", "Source Sans Pro", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo",
               "Malgun Gothic", "Nanum Gothic", sans-serif; }
/* Korean wraps between words, not inside one (English is unaffected) */
h1, h2, h3, p, li, label, button { word-break: keep-all !important; overflow-wrap: break-word; }
</style>"""


def language_picker() -> str:
    """English / 한국어 in the sidebar, in the link as ``lang``; first time, the browser's language decides."""
    codes = list(i18n.LANGUAGES)
    first = i18n.from_locale(getattr(st.context, "locale", None))
    # the label names itself in both languages: whoever cannot read the page can still find the switch
    held = _seed("lang", "lang", lambda text: links.parse_choice(text, codes))  # first, so the help is in it
    code = st.sidebar.selectbox(t("app.language"), codes, index=0 if held else codes.index(first), key="lang",
                                format_func=lambda c: t(f"language.{c}"), help=t("app.language_help"))
    st.html(HANGUL_CSS)
    return code
