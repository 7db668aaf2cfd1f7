"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

from ui import compute, notices
from ui import home as uh
from ui.controls import chosen_scene, scene_buttons, start_picker, surface_picker

st.title("How optimizers find the bottom")
scene_buttons(uh.SCENES)
if scene := chosen_scene("home", uh.SCENES):
    st.caption(scene.caption)
surface = surface_picker("home", default="rosenbrock")
start = start_picker("home", surface)

left, right = st.columns([3, 2], gap="medium")
with right:
    st.markdown(uh.INTRO)
    st.latex(uh.ARGMIN)
    st.markdown(uh.OPTIMIZER_TEXT)
    st.markdown(uh.ARROW_TEXT)
    st.latex(uh.GD_RULE)

with left:  # the step size sits on top of the chart: on a phone it is reachable without the sidebar
    lr = st.select_slider("Step size t", options=uh.LR_OPTIONS, value=uh.LR, key="home_lr",
                          help="How far gradient descent moves along −∇L each step.")
    run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
    status = str(notices.run_status(run, surface))
    st.plotly_chart(uh.figure(surface, run.params, start), theme=None, key="home_chart",
                    alt="Gradient descent on the chosen loss surface")
    st.markdown(notices.status_badge("Gradient descent", status))
    if status == "diverged" and (note := notices.divergence("Gradient descent", run.diverged_at, "step size")):
        st.warning(note)
    st.caption(uh.loss_caption(run.loss, run.diverged_at, status))
