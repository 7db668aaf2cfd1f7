"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

from ui import compute, notices
from ui import home as uh
from ui.controls import start_picker, surface_picker

st.title("How optimizers find the bottom")
surface = surface_picker("home", default="rosenbrock")
start = start_picker("home", surface)
lr = st.sidebar.select_slider("Step size t", options=uh.LR_OPTIONS, value=uh.LR, key="home_lr",
                              help="How far gradient descent moves along −∇L each step.")

left, right = st.columns([3, 2], gap="medium")
with right:
    st.markdown(uh.INTRO)
    st.latex(uh.ARGMIN)
    st.markdown(uh.OPTIMIZER_TEXT)
    st.markdown(uh.ARROW_TEXT)
    st.latex(uh.GD_RULE)

run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
with left:
    st.plotly_chart(uh.figure(surface, run.params, start), theme=None, key="home_chart",
                    alt="Gradient descent on the chosen loss surface")
    if note := notices.divergence("Gradient descent", run.diverged_at):
        st.warning(note)
    st.caption(uh.loss_caption(run.loss))
