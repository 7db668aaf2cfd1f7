"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

from ui import compute, controls, notices
from ui import home as uh
from ui.controls import page_header, start_picker, surface_picker

page_header("home", "How optimizers find the bottom", uh.SCENES)
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
    lr = controls.select_slider(st, "lr", "Step size t", uh.LR_OPTIONS, uh.LR, key="home_lr",
                                help="How far gradient descent moves along −∇L each step.")
    run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
    status = str(notices.run_status(run, surface))
    figure = uh.figure(surface, run.params, start, uh.PRESENTER_HEIGHT if controls.presenting() else uh.HEIGHT)
    controls.chart(st, figure, key="home_chart", alt="Gradient descent on the chosen loss surface")
    st.markdown(notices.status_badge("Gradient descent", status))
    if status == "diverged" and (note := notices.divergence("Gradient descent", run.diverged_at, "step size")):
        st.warning(note)
    st.caption(uh.loss_caption(run.loss, run.diverged_at, status))
    controls.export_buttons("home", {uh.RUN_LABEL: run}, figure)
