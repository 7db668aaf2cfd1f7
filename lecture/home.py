"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import numpy as np
import streamlit as st

from ui import compute, notices
from ui.controls import start_picker, surface_picker
from ui.paths import Path, animated_paths
from ui.theme import color

st.title("How optimizers find the bottom")
surface = surface_picker("home", default="rosenbrock")
start = start_picker("home", surface)
lr = st.sidebar.select_slider("Step size t", options=[1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3],
                              value=1e-3, key="home_lr",
                              help="How far gradient descent moves along −∇L each step.")

left, right = st.columns([3, 2], gap="medium")
with right:
    st.markdown(
        "Training a model means choosing its parameters **w** so that the loss is as small as possible. "
        "The loss is a landscape: every point is one choice of the two parameters here, and the height "
        "(shade) is how wrong the model is there.")
    st.latex(r"w^\star = \arg\min_{w} L(w)")
    st.markdown(
        "*argmin* names the **place** where the minimum is reached, not the minimum value. "
        "An **optimizer** is the rule that walks us there one step at a time. It only ever knows the "
        "ground under its feet (the loss and its slope at the current point), so at every step it must "
        "answer two questions: **which way**, and **how far**?")
    st.markdown("The arrow shows the steepest way down, −∇L, from the ring (the start). "
                "Press ▶ to watch plain gradient descent follow it; the ★ is the minimum.")
    st.latex(r"W_{c+1} = W_c - t\,\nabla L(W_c)")

run = compute.run("sgd", {"lr": lr}, surface.name, start, 300)
g = surface.grad(start)
scale = 0.18 * float(np.min(surface.half_width)) / (np.linalg.norm(g) + 1e-12)
arrow = {"type": "scatter", "x": [start[0], start[0] - scale * g[0]], "y": [start[1], start[1] - scale * g[1]],
         "mode": "lines+markers", "name": "−∇L (which way)", "line": {"color": "#D55E00", "width": 4},
         "marker": {"symbol": ["circle", "arrow"], "angleref": "previous", "size": [1, 18], "color": "#D55E00"}}
figure = animated_paths(surface, [Path("gradient descent", run["params"], color("sgd"))], start=start,
                        extra_traces=[arrow])
with left:
    st.plotly_chart(figure, theme=None, key="home_chart", alt="Gradient descent on the chosen loss surface")
    note = notices.divergence("Gradient descent", run["diverged_at"])
    if note:
        st.warning(note)
    st.caption(f"Loss at the start: {run['loss'][0]:.4g} · after 300 steps: {run['loss'][-1]:.4g}")
