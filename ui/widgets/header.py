"""The top of every page: its title, its tools (Reset, Link, Present) and its scenes."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.registry import scene_key
from ui.widgets import classroom
from ui.widgets.linking import apply_linked_scene, apply_scene, link_box
from ui.widgets.presenter import present_switch


def scene_pills(page: str, scenes, container=None) -> None:
    """The page's scenes as one row of pills; a tap sets the scene's widgets and reruns.

    The values are written in the pills' callback, before the page runs again, which is the moment
    Streamlit allows a widget's state to be set from code. The pill is released at once, so the same
    scene can be set again after a change; the caption under the title names the scene on screen.
    """
    if not scenes:
        return
    where = container or st
    by_name = {s.name: s for s in scenes}
    where.pills(t("controls.scenes_caption"), list(by_name), selection_mode="single", default=None,
                format_func=lambda name: by_name[name].title, key=scene_pills_key(page), on_change=_pick_scene,
                args=(page, by_name), label_visibility="collapsed", width="stretch")


def scene_pills_key(page: str) -> str:
    return f"_{page}_scenes"


def _pick_scene(page: str, by_name: dict) -> None:
    name = st.session_state.get(scene_pills_key(page))
    if name in by_name:
        apply_scene(by_name[name])
    st.session_state[scene_pills_key(page)] = None


def chosen_scene(page: str, scenes):
    """The scene last applied on ``page`` (its caption is worth showing), or None."""
    name = st.session_state.get(scene_key(page))
    return next((s for s in scenes if s.name == name), None)


def reset_button(page: str, container=None) -> None:
    """One button that returns the page to its default scene (every ``{page}_…`` value forgotten)."""
    where = container or st
    where.button(t("controls.reset"), key=f"_reset_{page}", icon=":material/restart_alt:", on_click=_reset,
                 args=(page,), help=t("controls.reset_help"))


def _reset(page: str) -> None:
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{page}_")]:
        del st.session_state[key]


def page_header(page: str, title: str, scenes=()) -> None:
    """Title and page tools (Reset, Link to this scene, Presenter mode) in one row, then the scenes.

    Presenter mode lives here, in the page and not the sidebar, because presenter mode hides
    the sidebar; the scenes stay, one row of pills under the title.
    """
    classroom.sync(page)  # a class's open question sets its scene now, before the page's widgets exist
    apply_linked_scene(scenes)
    heading, tools = st.container(key="page_title").columns([1.55, 1], vertical_alignment="center", gap="small")
    heading.title(title)
    row = tools.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small")
    reset_button(page, row)
    link_box(scenes, row)
    present_switch(row, t("controls.present"), t("controls.present_help"))
    classroom.start_button(row)
    classroom.class_bar(page)
    below = st.container(key="page_scenes")  # on a phone this goes under the picture (ui.widgets.layout)
    if not classroom.question_live(page):  # while the class answers, the scene is the question's
        scene_pills(page, scenes, below)
    if scene := chosen_scene(page, scenes):
        below.caption(f"**{scene.title}.** {scene.caption}")
