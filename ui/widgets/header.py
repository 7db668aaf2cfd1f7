"""The top of every page: its title, its tools (Reset, Link, Present) and its scenes."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.registry import scene_key
from ui.widgets.linking import apply_linked_scene, apply_scene, link_box
from ui.widgets.presenter import present_switch, presenting


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
                   on_click=apply_scene, args=(scene,), width="stretch")


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
    the sidebar; the scene buttons are hidden then too (a lecturer brings scenes as links).
    """
    apply_linked_scene(scenes)
    heading, tools = st.columns([1.55, 1], vertical_alignment="center", gap="small")
    heading.title(title)
    row = tools.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center", gap="small")
    reset_button(page, row)
    link_box(scenes, row)
    present_switch(row, t("controls.present"), t("controls.present_help"))
    if not presenting():
        scene_buttons(scenes)
    if scene := chosen_scene(page, scenes):
        st.caption(f"**{scene.title}.** {scene.caption}")
