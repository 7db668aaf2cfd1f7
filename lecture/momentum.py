"""Momentum: gradient descent zig-zags across a narrow valley; a velocity that remembers rolls along it."""

import streamlit as st

from ui import compute, notices
from ui.controls import start_picker, steps_slider, surface_picker
from ui.momentum import DEFAULTS, METHODS, arrow_scale, hyper, loss_figure, trajectory_figure
from ui.theme import label

st.title("Momentum: keep rolling")
surface = surface_picker("momentum", DEFAULTS["surface"], DEFAULTS["surfaces"])
start = start_picker("momentum", surface)
steps = steps_slider(f"momentum_{surface.name}", DEFAULTS["steps"][surface.name], DEFAULTS["steps_high"])

mu_col, lr_col, rule_col = st.columns([1, 1, 1.3], gap="medium", vertical_alignment="center")
mu = mu_col.slider("Momentum μ", 0.0, 0.99, DEFAULTS["mu"], 0.01, key="momentum_mu",
                   help="The share of the last move kept at every step. 0 = plain gradient descent; "
                        "close to 1 = a heavy ball that hardly slows down. Momentum and Nesterov use the same μ.")
lr = lr_col.select_slider("Step size t", options=DEFAULTS["lr_options"], value=DEFAULTS["lr"][surface.name],
                          key=f"momentum_lr_{surface.name}",
                          help="t_c, the same for all three methods: how hard each gradient pushes. "
                               "Too large and the path blows up.")
rule_col.latex(r"\begin{aligned} v_c &= \mu\, v_{c-1} - t_c \nabla L(W_c) \\ W_{c+1} &= W_c + v_c \end{aligned}")

try:
    runs = {m: compute.run(m, hyper(m, lr, mu), surface.name, start, steps) for m in METHODS}
except ValueError as err:
    st.error(str(err))
    st.stop()

velocity = runs["momentum"]["records"]["velocity"]
st.plotly_chart(trajectory_figure(surface, {m: r["params"] for m, r in runs.items()}, velocity, start=start),
                theme=None, key="momentum_paths",
                alt="Gradient descent, momentum and Nesterov paths on the loss surface, with the velocity arrow")
scale = arrow_scale(velocity, surface)
st.caption("Press ▶: the orange arrow is momentum's velocity v, the step that just brought it here "
           + ("(true length)." if scale == 1 else f"(drawn {scale:g}× longer than it is, to be visible)."))
for m, r in runs.items():
    note = notices.divergence(label(m), r["diverged_at"], what="step size t")
    if note:
        st.warning(note)

text, chart = st.columns([2, 3], gap="medium")
with text:
    st.markdown(
        "**Why it helps.** Gradient descent has no memory: each step looks only at the slope where it stands. "
        "In a long, narrow valley that slope points mostly *across* the valley, so the black path bounces from "
        "wall to wall and only creeps along the floor.\n\n"
        "Momentum carries a velocity **v** (the arrow on the orange marker): each step keeps the share μ of the "
        "previous move and adds the new push −t∇L. Pushes across the valley change sign from step to step and "
        "cancel; pushes along the floor agree and pile up, to as much as 1/(1−μ) plain steps "
        f"(**{1 / (1 - mu):.3g}×** at μ = {mu:g}). Set μ = 0 and it *is* gradient descent.")
with chart:
    st.plotly_chart(loss_figure({m: r["loss"] for m, r in runs.items()}), theme=None, key="momentum_loss",
                    alt="Loss against step for gradient descent, momentum and Nesterov, log scale")
    st.caption(f"Loss after {steps} steps: " + " · ".join(f"{label(m)} {r['loss'][-1]:.3g}" for m, r in runs.items()))

st.subheader("Nesterov: look before you push")
left, right = st.columns(2, gap="medium")
with left:
    st.latex(r"\begin{aligned} v_c &= \mu\, v_{c-1} - t_c \nabla L\big(W_c + \mu\, v_{c-1}\big) \\ "
             r"W_{c+1} &= W_c + v_c \end{aligned}")
    st.markdown(
        "The velocity is about to carry the point to $W_c + \\mu v_{c-1}$ anyway, so Nesterov measures the slope "
        "*there*. When coasting would overshoot the valley floor, the slope at that look-ahead point already "
        "points back, and the correction arrives one step early: a built-in brake.")
with right:
    st.latex(r"\begin{aligned} \tilde W_c &= W_c + \mu\, v_{c-1} \\ "
             r"\tilde W_{c+1} &= \tilde W_c + \mu\, v_c - t_c \nabla L(\tilde W_c) \end{aligned}")
    st.markdown(
        "The same method, written for the look-ahead point $\\tilde W_c$. Like PyTorch and optax, the app's "
        "engine stores $\\tilde W_c$ as Nesterov's parameters, so the purple path is the sequence of "
        "look-ahead points, the places where its gradients were taken.")
