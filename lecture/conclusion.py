"""Conclusion: the ideas in the order they came, what each fixed and kept, and where to read more."""

import streamlit as st

import optim_core as oc
from ui import compare as cmp
from ui import compute, notices
from ui import conclusion as cc
from ui.controls import steps_slider, surface_picker
from ui.paths import Path, animated_paths
from ui.theme import color

D = cc.DEFAULTS
st.title("Conclusion: how we got here")
st.plotly_chart(cc.timeline_figure(), theme=None, key="conclusion_timeline", config={"displayModeBar": False},
                alt="Timeline of optimizer ideas from gradient descent in 1847 to Lookahead and Ranger in 2019")
st.caption("Left panel: the classics; right panel: the deep-learning decade (the two year scales differ). "
           "Each row is what an idea changes. Press ▶ Play to reveal the ideas one by one, "
           "or hover a dot for the problem it solved.")

st.subheader("One line per idea")
st.markdown(cc.ideas_markdown())

st.subheader("What to remember")
st.markdown(
    "- **Every method here still steps along gradients.** What changes is the direction (momentum "
    "remembers it) and the length, per parameter (AdaGrad, RMSProp and Adam remember the gradients' size).\n"
    "- **Each idea contains its parent as a special case.** Momentum with μ = 0 is gradient descent; "
    "Adam with β₁ = 0 is RMSProp with a bias correction; Lookahead with k = 1 and α = 1 is its inner "
    "optimizer.\n"
    "- **The step size matters as much as the method.** Each one has a range that works and a cliff "
    "beyond it; the sweep on the Compare page shows how wide that range is.\n"
    "- **No method wins everywhere.** Newton lands on a bowl's minimum in one step, and just as happily "
    "on a saddle; Adam never explodes but keeps jittering near the end.\n"
    "- **Averaging pays off most with noise.** Real training sees mini-batch gradients; momentum, "
    "Adam's m and Lookahead's slow weights all smooth that noise out.")
st.markdown("Schematically, every first-order update on the timeline fills in two blanks:")
st.latex(r"W_{c+1} = W_c + \underbrace{\mu\, v_{c-1}}_{\text{memory of the direction}}"
         r" - \underbrace{\tilde t_{k,c}}_{\text{step size per parameter}} \odot \nabla L(W_c)")

st.sidebar.markdown("**The last race**")
surface = surface_picker("conclusion", default=D["race_surface"])
race_steps = steps_slider("conclusion", default=D["race_steps"], high=1000)
st.subheader(f"One last race: all nine on the {surface.title}")
paths, notes = [], []
for name in oc.OPTIMIZER_NAMES:
    hyper, inner, inner_hyper = cmp.split(name, cmp.default_hyper(name, surface.name))
    run = compute.run(name, hyper, surface.name, surface.start, race_steps, inner=inner,
                      inner_hyper=inner_hyper, record=False)
    paths.append(Path(cmp.display_name(name), run["params"], color(name), marker_size=12))
    notes.append(notices.divergence(cmp.display_name(name), run["diverged_at"]))
race = animated_paths(surface, paths, start=surface.start, height=D["race_height"], max_frames=D["race_frames"])
cc.solid_legend(race, [(p.label, p.color) for p in paths])
st.plotly_chart(race, theme=None, key="conclusion_race", alt=f"All nine optimizers racing on the {surface.title}")
for note in filter(None, notes):
    st.warning(note)
st.caption(f"{race_steps} steps each, at the step size the Compare page starts with on this surface; "
           "try other surfaces and settings there.")

st.subheader("References")
st.markdown(cc.references_markdown())
st.caption("The lecture deck's own list: Kingma & Ba; Zhang et al.; Bottou, Curtis & Nocedal; Sutskever et al.; "
           "and the Ranger blog post. The others are the original sources of the ideas on the timeline.")
