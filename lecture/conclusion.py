"""Conclusion: the ideas in the order they came, what each fixed and kept, and where to read more."""

import streamlit as st

from ui import compute, controls, notices
from ui import conclusion as cc
from ui.controls import page_header, steps_slider, surface_picker

D = cc.DEFAULTS
page_header("conclusion", "Conclusion: how we got here", cc.SCENES)  # the scenes set up the last race below
st.markdown(cc.SCHEMA_INTRO)  # the one rule every idea below fills in: on a projector it sits above the fold
st.latex(cc.SCHEMA)
controls.chart(st, cc.timeline_figure(), key="conclusion_timeline", config={"displayModeBar": False},
               alt="Timeline of optimizer ideas from gradient descent in 1847 to Lookahead and Ranger in 2019")
st.caption(cc.TIMELINE_CAPTION)

st.subheader("One line per idea")
st.markdown(cc.ideas_markdown())

st.subheader("What to remember")
st.markdown(cc.REMEMBER)

st.sidebar.markdown("**The last race**")
surface = surface_picker("conclusion", default=D["race_surface"])
st.subheader(f"One last race: all nine on the {surface.title}")
race_steps = steps_slider("conclusion", default=D["race_steps"], high=cc.RACE_MAX, container=st)  # main column
# one full-length race per surface, cut to the slider: moving it recomputes nothing
runs = {opt: compute.run(opt, surface.name, surface.start, cc.RACE_MAX, record=False).head(race_steps)
        for opt in cc.race_specs(surface)}
paths, statuses, notes = cc.race_paths(runs, surface)
race = cc.race_figure(surface, paths, D["presenter_race_height"] if controls.presenting() else D["race_height"])
controls.chart(st, race, key="conclusion_race", config={"displayModeBar": False},
               alt=f"All nine optimizers racing on the {surface.title}")
st.markdown(notices.status_badges(statuses))
for note in notes:
    st.warning(note)
st.caption(cc.race_caption(race_steps))
controls.export_buttons("conclusion", cc.export_runs(runs), race)

st.subheader("References")
st.markdown(cc.references_markdown())
st.caption(cc.REFERENCES_CAPTION)
