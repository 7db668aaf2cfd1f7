"""Adaptive step sizes: every parameter gets its own step size, set by the gradients it has seen."""

import streamlit as st

from ui import adaptive as ua
from ui import compute, notices
from ui.controls import start_picker, steps_slider, surface_picker
from ui.theme import label

D = ua.DEFAULTS
st.title("Adaptive step sizes: one per parameter")
surface = surface_picker("adaptive", D["surface"], D["surfaces"])
start = start_picker("adaptive", surface)
steps = steps_slider(f"adaptive_{surface.name}", D["steps"][surface.name], D["steps_high"])
st.sidebar.markdown("**The three optimizers**")
lr = st.sidebar.select_slider("Step size t (all three)", D["lr_options"], D["lr"][surface.name],
                              key=f"adaptive_lr_{surface.name}",
                              help="The global t that each method divides by its own per-parameter root.")
rho = st.sidebar.select_slider("RMSProp decay ρ", D["rho_options"], D["rho"], key="adaptive_rho",
                               help="How much of the old average of g² RMSProp keeps each step. "
                                    "It remembers about the last 1/(1−ρ) steps.")
beta1 = st.sidebar.select_slider("Adam β₁ (momentum)", D["beta1_options"], D["beta1"], key="adaptive_beta1",
                                 help="Decay of Adam's average of the gradients, m. 0 = no momentum.")
beta2 = st.sidebar.select_slider("Adam β₂ (squared gradients)", D["beta2_options"], D["beta2"],
                                 key="adaptive_beta2",
                                 help="Decay of Adam's average of g², v: the same role as RMSProp's ρ.")

try:
    runs = {m: compute.run(m, ua.hyper(m, lr, rho, beta1, beta2), surface.name, start, steps) for m in ua.METHODS}
except ValueError as err:
    st.error(str(err))
    st.stop()

st.plotly_chart(ua.combined_figure(surface, {m: r["params"] for m, r in runs.items()},
                                   {m: r["records"]["step_size"] for m, r in runs.items()}, start=start),
                theme=None, key="adaptive_paths",
                alt="AdaGrad, RMSProp and Adam paths on the loss surface, and each parameter's step size per step")
for m, r in runs.items():
    note = notices.divergence(label(m), r["diverged_at"], what="step size t")
    if note:
        st.warning(note)

st.markdown(
    "One shared step size moves every coordinate by *t × its own gradient*, so a steep direction takes big "
    "jumps and a flat one barely moves. These methods give each parameter k its own step size $\\tilde t_k$: "
    "t divided by the root of that parameter's recent squared gradients. **Large gradients → small steps, "
    "small gradients → large steps.** On the elongated bowl W₂ (steep, orange lines on the right) gets a much "
    "smaller step size than W₁ (flat, blue).")
RULES = (  # (update rule, what it does) per method
    (r"\begin{aligned} \frac{1}{\tilde t_{k,c}} &\propto \sum_{q \le c} \big(\nabla_k L(W_q)\big)^2 \\ "
     r"s_{k,c} &= s_{k,c-1} + \big(\nabla_k L(W_c)\big)^2 \\ "
     r"\tilde t_{k,c} &= \frac{t}{\sqrt{s_{k,c}} + \epsilon} \end{aligned}",
     "**AdaGrad** adds up every squared gradient it has ever seen; the step size divides t by the square "
     "root of that sum. The sum can only grow, so the step size can only shrink, towards zero: on a long road it runs "
     "out of steam before it arrives."),
    (r"\begin{aligned} s_{k,c} &= \rho\, s_{k,c-1} + (1-\rho)\,\big(\nabla_k L(W_c)\big)^2 \\ "
     r"\tilde t_{k,c} &= \frac{t}{\sqrt{s_{k,c}} + \epsilon} \end{aligned}",
     "**RMSProp** lets old gradients fade: a decaying average of g² replaces the sum, remembering roughly the "
     "last 1/(1−ρ) steps. When the gradients get small the average follows them down, and the step size "
     "grows back."),
    (r"\begin{aligned} v_c &= \beta_2 v_{c-1} + (1-\beta_2)\, g_c^2, \quad \hat v_c = \frac{v_c}{1-\beta_2^{\,c}} "
     r"\\ \tilde t_c &= \frac{t}{\sqrt{\hat v_c} + \epsilon} \end{aligned}",
     "**Adam** keeps the same decaying average, corrected for starting at zero ($\\hat v$), and applies t̃ to "
     "a decaying average of the gradients ($\\hat m$) instead of to g itself."),
)
for rule, words in RULES:
    maths, text = st.columns([1.15, 1], gap="medium", vertical_alignment="center")
    maths.latex(rule)
    text.markdown(words)

st.subheader("The deck's example, live: AdaGrad with t = 1")
edit, words = st.columns([1, 1.6], gap="medium")
with edit:
    edited = st.data_editor(ua.gradients_frame(), key="adaptive_grads", num_rows="dynamic", hide_index=True,
                            column_config={c: st.column_config.NumberColumn(
                                c, help=f"This step's gradient for W{c[1]}: edit it.") for c in ua.GRAD_COLUMNS},
                            width="stretch")
with words:
    st.markdown("Each row is one step's gradient (g₁, g₂). Edit a number, add a row (up to "
                f"{D['max_rows']}) or delete one: the table below is recomputed by the app's own AdaGrad "
                "(t = 1, ε = 0), stepping through your gradients.")
    st.latex(r"\tilde t_{k,c} = \frac{1}{\sqrt{\sum_{q \le c} g_{k,q}^2}}")
try:
    grads = ua.parse_gradients(edited)
    st.session_state["adaptive_last_good_grads"] = grads.tolist()
except ValueError as err:
    st.error(f"{err} Showing the last valid table.")
    grads = st.session_state.get("adaptive_last_good_grads", D["grads"])
frame = ua.adagrad_table(grads)
st.dataframe(frame, hide_index=True, width="stretch",
             column_config={"c": st.column_config.NumberColumn("c", help="Step number", format="%d"),
                            "t̃₁": st.column_config.NumberColumn("t̃₁", format="%.4f", help="1/√(Σ g₁²)"),
                            "t̃₂": st.column_config.NumberColumn("t̃₂", format="%.4f", help="1/√(Σ g₂²)")})
last = frame.iloc[-1]
st.markdown(
    f"After step {len(frame)}: W₁ moves with **{ua.exact_step_size(last['Σ g₁²'])}** ≈ {last['t̃₁']:.3f}, "
    f"W₂ with **{ua.exact_step_size(last['Σ g₂²'])}** ≈ {last['t̃₂']:.3f}. The parameter whose gradients were "
    "larger is given the smaller step; the one with small, steady gradients keeps a larger one.")
