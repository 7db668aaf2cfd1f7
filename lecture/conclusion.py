"""Conclusion: the ideas in the order they came, what each fixed and kept, and where to read more."""

import streamlit as st

from ui import notices, widgets
from ui.i18n import t
from ui.pages import conclusion as cc
from ui.widgets import compute

PAGE, D = "conclusion", cc.DEFAULTS
widgets.page_header(PAGE, t("conclusion.title"), cc.SCENES)  # the scenes set up the last race below
# the timeline is the picture: first, as tall as the screen allows; then the one rule every idea fills in
timeline = st.container(key="hero")
widgets.chart(timeline, cc.timeline_figure(height=widgets.hero_height()), key="conclusion_timeline",
              config={"displayModeBar": False}, alt=t("conclusion.timeline_alt"))
timeline.caption(t("conclusion.timeline_caption"))  # names the ▶ Play button: [figure] play
st.markdown(t("conclusion.schema_intro"))
st.latex(cc.schema())

st.subheader(t("conclusion.ideas_heading"))
st.markdown(cc.ideas_markdown(stacked=widgets.is_phone()))

st.subheader(t("conclusion.remember_heading"))
st.markdown(t("conclusion.remember"))

st.sidebar.markdown(t("conclusion.race_sidebar"))
surface = widgets.surface_picker(PAGE, default=D["race_surface"])
st.subheader(cc.race_title(surface))
race_steps = widgets.steps_slider(PAGE, default=D["race_steps"], high=cc.RACE_MAX, container=st)  # main column
# one full-length race per surface, cut to the slider: moving it recomputes nothing
runs = {opt: compute.run(opt, surface.name, surface.start, cc.RACE_MAX, record=False).head(race_steps)
        for opt in cc.race_specs(surface)}
paths, statuses, notes = cc.race_paths(runs, surface)
race = cc.race_figure(surface, paths, D["presenter_race_height"] if widgets.presenting() else D["race_height"])
widgets.chart(st, race, key="conclusion_race", config={"displayModeBar": False},
              alt=t("conclusion.race_alt", surface=widgets.surface_title(surface.name)))
st.markdown(notices.status_badges(statuses))
for note in notes:
    st.warning(note)
st.caption(cc.race_caption(race_steps))
widgets.export_buttons(PAGE, cc.export_runs(runs), race)

st.subheader(t("conclusion.references_heading"))
st.markdown(cc.references_markdown())
st.caption(t("conclusion.references_caption"))
