"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

from ui import compare as cmp
from ui import compute, controls, notices
from ui.controls import optimizer_controls, page_header, start_picker, steps_slider, surface_picker
from ui.theme import label

D = cmp.DEFAULTS
page_header("compare", "Compare them all", cmp.SCENES)
st.latex(cmp.KEY_RULE)
surface = surface_picker("compare", default=D["surface"])
start = start_picker("compare", surface)
pick, length = st.columns([3, 1], vertical_alignment="bottom")  # main column: a phone's sidebar covers the race
steps = steps_slider("compare", default=D["steps"], high=D["steps_max"], container=length)
shown = controls.multiselect(
    pick, "show", "Optimizers", cmp.OPTIMIZER_NAMES, D["shown"], format_func=label, key="compare_shown",
    help="Which methods race. Each one has its own settings in the sidebar.")
st.sidebar.caption("Each optimizer's own settings:")
settings = []
for name in shown:
    with st.sidebar.expander(label(name)):
        settings.append(optimizer_controls(name, surface.name))


def race(settings, surface, start, steps: int) -> None:
    """The race, the loss, the step-size sweep and the rules of the optimizers on show."""
    runs = {}
    for opt in settings:
        try:
            runs[opt] = compute.run(opt, surface.name, start, steps)
        except ValueError as err:  # name the optimizer whose setting the engine refused; the others still race
            st.error(f"{label(opt.name)}: {err}")
    statuses = {opt: str(notices.run_status(run, surface)) for opt, run in runs.items()}

    view = cmp.loss_view(surface)
    left, right = st.columns([3, 2], gap="medium")
    figure = cmp.race_figure(surface, runs, start,
                             cmp.PRESENTER_RACE_HEIGHT if controls.presenting() else cmp.RACE_HEIGHT)
    controls.chart(left, figure, key="compare_race", alt="All chosen optimizers moving together over the loss surface")
    left.markdown(notices.status_badges({cmp.display_name(opt): s for opt, s in statuses.items()}))
    for opt, run in runs.items():
        if statuses[opt] == "diverged":  # a run that escaped downhill is not a step size too large
            left.warning(notices.divergence(cmp.display_name(opt), run.diverged_at, "step size"))
    controls.export_buttons("compare", cmp.export_runs(runs), figure, cmp.EXPORT_FIELDS, container=left)
    controls.chart(right, cmp.loss_figure(runs, view), key="compare_loss", alt="Loss against step for every optimizer")
    right.markdown(cmp.loss_note(view.log_y))

    st.subheader("Which step size works?")
    lrs = cmp.sweep_lrs()
    curves = [cmp.sweep_curve(opt, compute.sweep(opt, surface.name, start, steps, lrs), run, view)
              for opt, run in runs.items()]
    s_left, s_right = st.columns([3, 2], gap="medium")
    controls.chart(s_left, cmp.sweep_figure(curves, log_y=view.log_y, y_title=view.title), key="compare_sweep",
                   alt="Final loss against step size for every optimizer")
    s_right.markdown(cmp.sweep_note(lrs, steps))
    s_right.markdown(cmp.SWEEP_READING)

    st.subheader("The rules, side by side")
    for rule in cmp.rules_latex(list(runs)):
        st.latex(rule)
    st.markdown(cmp.RULES_TEXT)
    st.markdown(cmp.summary(runs, view, statuses))
    st.caption(cmp.caption(surface, start, steps))


if shown:
    race(settings, surface, start, steps)
else:  # no st.stop(): app.py must still publish the link and name what it ignored
    st.info(cmp.EMPTY)
