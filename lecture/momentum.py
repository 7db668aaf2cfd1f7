"""Momentum: gradient descent zig-zags across a narrow valley; a velocity that remembers rolls along it."""

import streamlit as st

from ui import compute, notices
from ui import momentum as um
from ui.controls import chosen_scene, scene_buttons, start_picker, steps_slider, surface_picker
from ui.theme import label

D = um.DEFAULTS
st.title("Momentum: keep rolling")
scene_buttons(um.SCENES)
if scene := chosen_scene("momentum", um.SCENES):
    st.caption(scene.caption)
surface = surface_picker("momentum", D.surface, D.surfaces)
start = start_picker("momentum", surface)
steps = steps_slider(f"momentum_{surface.name}", D.steps[surface.name], D.steps_high)

mu_col, lr_col, rule_col = st.columns([1, 1, 1.3], gap="medium", vertical_alignment="center")
mu = mu_col.slider("Momentum μ", 0.0, 0.99, D.mu, 0.01, key="momentum_mu",
                   help="The share of the last move kept at every step. 0 = plain gradient descent; "
                        "close to 1 = a heavy ball that hardly slows down. Momentum and Nesterov use the same μ.")
lr = lr_col.select_slider("Step size t", options=D.lr_options, value=D.lr[surface.name],
                          key=f"momentum_lr_{surface.name}",
                          help="t_c, the same for all three methods: how hard each gradient pushes. "
                               "Too large and the path blows up.")
rule_col.latex(um.RULE)

runs = {m: compute.run(compute.spec(m, **um.hyper(m, lr, mu)), surface.name, start, steps) for m in um.METHODS}
paths = um.trajectory_figure(surface, runs, start=start)
st.plotly_chart(paths.figure, theme=None, key="momentum_paths",
                alt="Gradient descent, momentum and Nesterov paths on the loss surface, with the velocity arrow")
st.caption(um.arrow_caption(paths.scale))
badges, notes = notices.run_report({label(m): r for m, r in runs.items()}, surface, "step size t")
st.markdown(badges)
for note in notes:
    st.warning(note)

text, chart = st.columns([2, 3], gap="medium")
text.markdown(um.why_text(mu))
losses = {m: r.loss for m, r in runs.items()}
chart.plotly_chart(um.loss_figure(losses), theme=None, key="momentum_loss",
                   alt="Loss against step for gradient descent, momentum and Nesterov, log scale")
chart.caption(um.loss_caption(losses))

st.subheader("Nesterov: look before you push")
left, right = st.columns(2, gap="medium")
left.latex(um.NESTEROV_RULE)
left.markdown(um.NESTEROV_TEXT)
left.markdown(um.NESTEROV_LIMIT_TEXT)
right.latex(um.LOOKAHEAD_RULE)
right.markdown(um.LOOKAHEAD_TEXT)
