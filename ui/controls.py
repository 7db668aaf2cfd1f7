"""Streamlit widgets: surface and start point in the sidebar, and the Compare page's per-optimizer knobs.

Keys are page-prefixed; the start-point sliders are also keyed by surface, so
switching surface brings that surface's own demo start, and switching back
finds the point the student had chosen there.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import optim_core as oc

from . import compare as cmp
from .specs import OptimizerSpec
from .theme import label

SURFACE_HELP = {
    "rosenbrock": "A curved, narrow valley: easy to find, slow to follow to the minimum at (1, 1).",
    "elongated_quadratic": "A bowl 25 times steeper across than along: plain gradient descent zig-zags.",
    "saddle": "x² − y²: a minimum along x, a maximum along y, and no minimum at all.",
    "beale": "Flat plateaus and sharp ridges, one minimum at (3, 0.5).",
    "himmelblau": "Four minima of equal depth: where you start decides where you end.",
    "least_squares": "Fitting a line to 20 points: a true average of per-example losses.",
}


def surface_title(name: str) -> str:
    return oc.get_surface(name).title


def surface_picker(page: str, default: str = "rosenbrock", options=oc.SURFACE_NAMES) -> oc.Surface:
    """A sidebar select box of surfaces; returns the chosen ``Surface``."""
    options = list(options)
    name = st.sidebar.selectbox(
        "Loss surface", options, index=options.index(default), key=f"{page}_surface",
        format_func=surface_title,
        help="The function being minimised. " + " ".join(
            f"{surface_title(n)}: {SURFACE_HELP[n]}" for n in options))
    return oc.get_surface(name)


def start_picker(page: str, surface: oc.Surface) -> np.ndarray:
    """Two sidebar sliders for the start point, limited to the plotted region."""
    (x0, x1), (y0, y1) = surface.bounds
    st.sidebar.markdown("**Start point**")
    # Streamlit forgets a widget's value while it is not drawn, so the chosen point
    # is also kept under a plain key and used as the default when the surface returns.
    memory = f"{page}_start_memory_{surface.name}"
    x_default, y_default = st.session_state.get(memory, (float(surface.start[0]), float(surface.start[1])))
    x = st.sidebar.slider("start x", float(x0), float(x1), x_default,
                          step=_step(x0, x1), key=f"{page}_start_x_{surface.name}",
                          help="Where the optimizer begins (first coordinate, W₁).")
    y = st.sidebar.slider("start y", float(y0), float(y1), y_default,
                          step=_step(y0, y1), key=f"{page}_start_y_{surface.name}",
                          help="Where the optimizer begins (second coordinate, W₂).")
    st.session_state[memory] = (x, y)
    return np.array([x, y])


def steps_slider(page: str, default: int = 200, high: int = 2000, container=None) -> int:
    where = container or st.sidebar
    return where.slider("Steps", 10, high, default, step=10, key=f"{page}_steps",
                        help="How many updates to run. Long runs are shown with at most 60 animation frames.")


def optimizer_controls(name: str, surface: str) -> OptimizerSpec:
    """The Compare page's widgets of one optimizer (call inside an expander); returns its setting.

    The step size is keyed by surface (and by inner optimizer for Lookahead), so each
    surface starts from its own demo value and remembers what the student picked there.
    """
    values: dict = {}
    saved = st.session_state.setdefault("compare_saved_lr", {})
    if name == "lookahead":
        values["inner"] = st.selectbox(
            "inner optimizer A", cmp.INNER_OPTIONS, index=cmp.INNER_OPTIONS.index(cmp.DEFAULTS["inner"]),
            format_func=label, key="compare_lookahead_inner", help="The optimizer that takes the k fast steps.")
    for knob in cmp.KNOBS[name]:
        key, value = f"compare_{name}_{knob.name}", knob.default
        if knob.name == "lr":  # Streamlit forgets a widget's value while it is not drawn: keep our own copy
            key += f"_{values['inner']}_{surface}" if name == "lookahead" else f"_{surface}"
            value = saved.get(key, cmp.default_lr(name, surface, values.get("inner")))
        if knob.options:
            values[knob.name] = st.select_slider(knob.label, options=knob.options, value=value, key=key,
                                                 help=knob.help)
        else:
            kind = int if isinstance(knob.step, int) else float
            values[knob.name] = st.slider(knob.label, kind(knob.low), kind(knob.high), kind(value),
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
    where.caption("Scenes: one click sets up a picture that makes one point.")
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
