"""Compare: every optimizer on any surface, each with its own settings, racing together."""

import streamlit as st

from ui import compare as cmp
from ui import compute, notices
from ui.controls import optimizer_controls, start_picker, steps_slider, surface_picker
from ui.theme import label

D = cmp.DEFAULTS
st.title("Compare them all")
surface = surface_picker("compare", default=D["surface"])
start = start_picker("compare", surface)
steps = steps_slider("compare", default=D["steps"], high=D["steps_max"])
shown = st.sidebar.multiselect(
    "Optimizers", cmp.OPTIMIZER_NAMES, default=D["shown"], format_func=label, key="compare_shown",
    help="Which methods race. Each one has its own settings in the boxes below.")
st.sidebar.caption("Each optimizer's own settings:")
settings = []
for name in shown:
    with st.sidebar.expander(label(name)):
        settings.append(optimizer_controls(name, surface.name))

if not shown:
    st.info(cmp.EMPTY)
    st.stop()

runs, notes = {}, []
for opt in settings:
    try:
        runs[opt] = compute.run(opt, surface.name, start, steps)
    except ValueError as err:  # name the optimizer whose setting the engine refused; the others still race
        st.error(f"{label(opt.name)}: {err}")
        continue
    notes.append(notices.divergence(cmp.display_name(opt), runs[opt].diverged_at))

view = cmp.loss_view(surface)
left, right = st.columns([3, 2], gap="medium")
with left:
    st.plotly_chart(cmp.race_figure(surface, runs, start), theme=None, key="compare_race",
                    alt="All chosen optimizers moving together over the loss surface")
    for note in filter(None, notes):
        st.warning(note)
with right:
    st.plotly_chart(cmp.loss_figure(runs, view), theme=None, key="compare_loss",
                    alt="Loss against step for every optimizer")
    st.markdown(cmp.loss_note(view.log_y))

st.subheader("Which step size works?")
lrs = cmp.sweep_lrs()
curves = [cmp.sweep_curve(opt, compute.sweep(opt, surface.name, start, steps, lrs), run, view)
          for opt, run in runs.items()]
s_left, s_right = st.columns([3, 2], gap="medium")
with s_left:
    st.plotly_chart(cmp.sweep_figure(curves, log_y=view.log_y, y_title=view.title), theme=None,
                    key="compare_sweep", alt="Final loss against step size for every optimizer")
with s_right:
    st.markdown(cmp.sweep_note(lrs, steps))
    st.markdown(cmp.SWEEP_READING)

st.subheader("The rules, side by side")
st.latex(cmp.rules_latex(list(runs)))
st.markdown(cmp.RULES_TEXT)
st.markdown(cmp.summary(runs, view))
st.caption(cmp.caption(surface, start, steps))
