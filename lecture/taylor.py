"""1 · Gradient & Taylor: what we know at W_c, the deck's bowl whose bottom is the GD step, and Newton's step.

W_c walks: step n builds the models at θ_n, the n-th gradient-descent iterate from the start.
"""

import streamlit as st

from ui import compute, controls
from ui import taylor as tv
from ui.controls import page_header, start_picker, surface_picker
from ui.i18n import t as tr
from ui.theme import label

D = tv.DEFAULTS
page_header("taylor", tv.title(), tv.SCENES)
surface = surface_picker("taylor", default=D.surface, options=D.surfaces)
start = start_picker("taylor", surface)
st.sidebar.caption(tv.sidebar_note())
options = D.t_options[surface.name]
# the step size sits above both charts: on a phone it is reachable without the sidebar. In presenter
# mode the rule gives way (the step's table below writes the same update with its numbers), so the
# charts fit the projector's screen.
t_col, rule_col = st.columns([1, 1.3], gap="medium", vertical_alignment="center")
if not controls.presenting():
    rule_col.latex(tv.KEY_RULE)
t = controls.select_slider(
    t_col if not controls.presenting() else st, "t", tr("taylor.t_label"), options, D.t[surface.name],
    key=f"taylor_t_{surface.name}", format_func=lambda v: f"{v:g}",
    help=tr("taylor.t_help"))
# one update more than the slider's last step: at step n the table shows θ_{n+1}, the engine's next point
run = compute.run(compute.spec("sgd", lr=t), surface.name, start, D.steps + 1)


@st.fragment
def step_view(surface, run, t: float, options) -> None:
    """The local models at W_c = θ_n and that step's numbers: a step reruns only this part."""
    last = tv.last_step(run)
    # the slider needs two ends: a run that leaves at once still gets 0 … 1, both showing step 0
    # presenter mode: the numbers sit beside the step controls, so controls, numbers and charts fit 720 px
    controls_col, table_col = st.columns([1, 1.15], gap="medium") if controls.presenting() else (st, None)
    n = min(controls.step_controls("taylor", max(last, 1), container=controls_col), last)
    local = tv.local_model(surface, run.params[n])
    height = D.present_height if controls.presenting() else D.height
    plane = tv.plane_figure(surface, local, t, options, path=run.params[: n + 1], height=height)
    left, right = st.columns([1.5, 1], gap="small")
    controls.chart(left, tv.slice_figure(surface, local, t, options, height=height), key="taylor_slice",
                   alt=tr("taylor.alt_slice"))
    controls.chart(right, plane, key="taylor_plane",
                   alt=tr("taylor.alt_plane"))
    # otherwise the numbers under the charts: the charts stay above the fold on a projector
    if table_col is None:
        table_col, steps_col = st.columns([1.5, 1], gap="medium", vertical_alignment="center")
    else:
        steps_col = st
    table_col.latex(tv.step_table(run, t, n))
    steps_col.caption(tv.step_caption(n, last, tv.gradient_scale(surface, local, options), local))
    notes = tv.notes(local)
    if note := tv.run_note(run, surface, t):
        notes.append(note)
    for note in notes:
        {"warning": st.warning, "info": st.info, "caption": st.caption}[note.level](note.text)
    st.caption(tv.facts(surface, local, t))
    controls.export_buttons("taylor", {label("sgd"): run}, plane, ())

    text, maths = st.columns([1, 1], gap="medium")
    text.markdown(tv.bowl_text())
    text.markdown(tv.newton_text())
    for line in (*tv.models_latex(), *tv.numbers_latex(local, t)):
        maths.latex(line)
    controls.publish_link()


step_view(surface, run, t, options)
