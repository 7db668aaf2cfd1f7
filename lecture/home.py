"""Home: what an optimizer is for. A surface, where we are, where we want to be."""

import streamlit as st

import optim_core as oc
from ui import notices, widgets
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import home as uh
from ui.widgets import compute

PAGE = "home"
widgets.page_header(PAGE, t("home.title"), uh.SCENES)
surface = widgets.surface_picker(PAGE, default="rosenbrock")
start = widgets.start_picker(PAGE, surface)

left, right = st.columns([3, 2], gap="medium")
with right:
    st.markdown(uh.intro())
    st.latex(uh.ARGMIN)
    st.markdown(uh.optimizer_text())
    st.markdown(uh.arrow_text())
    st.latex(uh.GD_RULE)

with left:  # the step size sits on top of the chart: on a phone it is reachable without the sidebar
    lr = widgets.select_slider(st, PAGE, "lr", t("home.lr"), uh.LR_OPTIONS, uh.LR, help=t("home.lr_help"))
    run = compute.run(compute.spec("sgd", lr=lr), surface.name, start, uh.STEPS)
    status = str(oc.status(run, surface))
    figure = uh.figure(surface, run.params, start, widgets.hero_height(uh.HEIGHT, uh.PRESENTER_HEIGHT))
    widgets.chart(st, figure, key="home_chart", alt=t("home.chart_alt"))
    st.markdown(notices.status_badge(label("sgd"), status))
    if status == "diverged" and (note := notices.divergence(label("sgd"), run.diverged_at, t("notices.step_size"))):
        st.warning(note)
    st.caption(uh.loss_caption(run.loss, run.diverged_at, status))
    widgets.export_buttons(PAGE, {label("sgd"): run}, figure)  # the run's name in the CSV
