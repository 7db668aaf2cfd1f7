"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

from ui import compute, controls, notices
from ui import home as uh
from ui.controls import page_header, start_picker, surface_picker
from ui.i18n import t
from ui.theme import label

page_header("home", t("home.title"), uh.SCENES)
surface = surface_picker("home", default="rosenbrock")
start = start_picker("home", surface)

left, right = st.columns([3, 2], gap="medium")
with right:
    st.markdown(uh.intro())
    st.latex(uh.ARGMIN)
    st.markdown(uh.optimizer_text())
    st.markdown(uh.arrow_text())
    st.latex(uh.GD_RULE)

with left:  # the step size sits on top of the chart: on a phone it is reachable without the sidebar
    lr = controls.select_slider(st, "lr", t("home.lr"), uh.LR_OPTIONS, uh.LR, key="home_lr",
                                help=t("home.lr_help"))
    run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
    status = str(notices.run_status(run, surface))
    figure = uh.figure(surface, run.params, start, uh.PRESENTER_HEIGHT if controls.presenting() else uh.HEIGHT)
    controls.chart(st, figure, key="home_chart", alt=t("home.chart_alt"))
    st.markdown(notices.status_badge(label("sgd"), status))
    if status == "diverged" and (note := notices.divergence(label("sgd"), run.diverged_at, t("notices.step_size"))):
        st.warning(note)
    st.caption(uh.loss_caption(run.loss, run.diverged_at, status))
    controls.export_buttons("home", {label("sgd"): run}, figure)  # the run's name in the CSV
