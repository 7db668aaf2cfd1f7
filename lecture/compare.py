"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

import optim_core as oc
from ui import catalog, notices, widgets
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import compare as cmp
from ui.widgets import compute

PAGE, D = "compare", cmp.DEFAULTS
widgets.page_header(PAGE, t("compare.title"), cmp.SCENES)
st.latex(catalog.key_rule())
surface = widgets.surface_picker(PAGE, default=D["surface"])
start = widgets.start_picker(PAGE, surface)
pick, length = st.columns([3, 1], vertical_alignment="bottom")  # main column: a phone's sidebar covers the race
steps = widgets.steps_slider(PAGE, default=D["steps"], high=D["steps_max"], container=length)
shown = widgets.multiselect(pick, PAGE, "show", t("compare.shown"), catalog.OPTIMIZER_NAMES, D["shown"],
                            format_func=label, help=t("compare.shown_help"))
st.sidebar.caption(t("compare.settings_caption"))
settings = []
for name in shown:
    with st.sidebar.expander(label(name)):
        settings.append(widgets.optimizer_controls(PAGE, name, surface.name))


def race(settings, surface, start, steps: int) -> None:
    """The race, the loss, the step-size sweep and the rules of the optimizers on show."""
    runs = {}
    for opt in settings:
        try:
            runs[opt] = compute.run(opt, surface.name, start, steps)
        except ValueError as err:  # name the optimizer whose setting the engine refused; the others still race
            st.error(t("compare.refused", name=catalog.display_name(opt), error=err))
    statuses = {opt: str(oc.status(run, surface)) for opt, run in runs.items()}

    view = cmp.loss_view(surface)
    left, right = st.columns([3, 2], gap="medium")
    figure = cmp.race_figure(surface, runs, start,
                             widgets.hero_height(cmp.RACE_HEIGHT, cmp.PRESENTER_RACE_HEIGHT))
    widgets.chart(left, figure, key="compare_race", alt=t("compare.race_alt"))
    left.markdown(notices.status_badges({catalog.display_name(opt): s for opt, s in statuses.items()}))
    for opt, run in runs.items():
        if statuses[opt] == "diverged":  # a run that escaped downhill is not a step size too large
            left.warning(notices.divergence(catalog.display_name(opt), run.diverged_at, t("notices.step_size")))
    widgets.export_buttons(PAGE, cmp.export_runs(runs), figure, cmp.EXPORT_FIELDS, container=left)
    widgets.chart(right, cmp.loss_figure(runs, view), key="compare_loss", alt=t("compare.loss_alt"))
    right.markdown(cmp.loss_note(view.log_y))

    st.subheader(t("compare.sweep_heading"))
    lrs = cmp.sweep_lrs()
    curves = [cmp.sweep_curve(opt, compute.sweep(opt, surface.name, start, steps, lrs), run, view)
              for opt, run in runs.items()]
    s_left, s_right = st.columns([3, 2], gap="medium")
    widgets.chart(s_left, cmp.sweep_figure(curves, log_y=view.log_y, y_title=view.title), key="compare_sweep",
                   alt=t("compare.sweep_alt"))
    s_right.markdown(cmp.sweep_note(lrs, steps))
    s_right.markdown(cmp.sweep_reading())

    st.subheader(t("compare.rules_heading"))
    for rule in cmp.rules_latex(list(runs)):
        st.latex(rule)
    st.markdown(cmp.rules_text())
    st.markdown(cmp.summary(runs, view, statuses))
    st.caption(cmp.caption(surface, start, steps))


if shown:
    race(settings, surface, start, steps)
else:  # no st.stop(): app.py must still publish the link and name what it ignored
    st.info(cmp.empty_text())
