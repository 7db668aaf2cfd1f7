"""Adam: Algorithm 1 with this run's numbers, bias correction on and off, loss rescaling, AdaMax."""

import streamlit as st

from ui import adam as ua
from ui import compute, controls, notices
from ui.controls import page_header, start_picker, steps_slider, surface_picker
from ui.options import BETA1_OPTIONS, BETA2_OPTIONS, option_label
from ui.theme import label

D, sb = ua.DEFAULTS, st.sidebar
page_header("adam", "Adam: Algorithm 1, live", ua.SCENES)
surface = surface_picker("adam", default=D.surface)
start = start_picker("adam", surface)
lr_col, beta1_col = st.columns(2, gap="medium")  # the page's two main knobs, in reach on a phone
lr = controls.select_slider(lr_col, "lr", "Step size α", ua.LR_OPTIONS, D.lr, key="adam_lr",
                            format_func=option_label,
                            help="α in Algorithm 1: roughly the largest distance one coordinate moves per step. "
                                 "The paper's default is 0.001; 0.05 makes the path visible on this plot.")
beta1 = controls.select_slider(beta1_col, "beta1", "β₁ (average of g)", BETA1_OPTIONS, D.beta1, key="adam_beta1",
                               format_func=option_label, help="Decay of m_t, the running mean of the gradient "
                                                               "(the momentum part). Paper default 0.9.")
beta2 = controls.select_slider(sb, "beta2", "β₂ (average of g²)", BETA2_OPTIONS, D.beta2, key="adam_beta2",
                               format_func=option_label,
                               help="Decay of v_t, the running mean of the squared gradient (the per-parameter "
                                    "scale). Paper default 0.999.")
eps = controls.select_slider(sb, "eps", "ε", ua.EPS_OPTIONS, D.eps, key="adam_eps", format_func=option_label,
                             help="Added to √v̂ so a zero gradient never divides by zero. Paper default 1e-8.")
steps = steps_slider("adam", default=D.steps, high=1000)
hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}

variants = {"adam": compute.spec("adam", **hyper), "adam_nobc": compute.spec("adam", bias_correction=False, **hyper),
            "adamax": compute.spec("adamax", **hyper)}
runs = {v: compute.run(opt, surface.name, start, steps) for v, opt in variants.items()}


@st.fragment
def algorithm_at_step(surface, start, runs: dict, hyper: dict, steps: int) -> None:
    """The map and Algorithm 1 at one step, one state: a step reruns only this part."""
    status = {v: str(notices.run_status(r, surface)) for v, r in runs.items()}
    # A new step count makes a new step slider (its range is part of its identity), which would forget the
    # step: hand it the step so far. Above both columns: buttons and slider in one row, for map and numbers alike.
    if "adam_step" in st.session_state:
        st.session_state["adam_step"] = st.session_state["adam_step"]
    t = controls.step_controls("adam", steps, default=D.step)
    left, right = st.columns([4, 5], gap="small")
    with right:
        variant = controls.radio(st, "variant", "Numbers of", list(runs), list(runs).index(D.inspect),
                                 key="adam_inspect", format_func=ua.VARIANT_LABELS.get, horizontal=True,
                                 help="Which run's step to write out line by line and draw as arrows.")
        # one narrow table per parameter, one under the other: no sideways scrolling on a phone; on the
        # projector one wide table (its header names the run and step), so chart, steps and numbers fit 720 px
        wide = controls.presenting()
        if not wide:
            st.markdown(f"**{ua.VARIANT_LABELS[variant]}**, step t = {t}")
        for k in (None,) if wide else (0, 1):
            st.latex(ua.algorithm_latex(variant, ua.step_numbers(runs[variant], t), t, hyper, k))
        stuck = int(runs[variant].diverged_at)
        if 0 <= stuck <= t:
            st.caption(ua.blew_up_text(stuck, status[variant]))
    with left:
        picture = ua.family_figure(surface, runs, start, variant, t, height=440 if controls.presenting() else 540)
        controls.chart(st, picture.figure, key="adam_paths",
                       alt="Adam, Adam without bias correction and AdaMax on the chosen surface, "
                           "with the current step's update drawn as arrows")
        st.caption(ua.step_caption(variant, runs[variant], t, picture.scale))
        st.markdown(notices.status_badges({ua.VARIANT_LABELS[v]: s for v, s in status.items()}))
        what = ua.divergence_remedy(hyper["eps"])
        for v, r in runs.items():  # one line for a real blow-up only; an escape is not a failure
            if status[v] == "diverged" and (note := notices.divergence(ua.VARIANT_LABELS[v], r.diverged_at, what)):
                st.warning(note)
    controls.export_buttons("adam", {ua.VARIANT_LABELS[v]: r for v, r in runs.items()}, picture.figure,
                            ("m", "v", "m_hat", "v_hat", "u"), container=right)
    controls.publish_link()


algorithm_at_step(surface, start, runs, hyper, steps)

st.latex(ua.ALGORITHM_1)
st.markdown(ua.ADAM_TEXT)

st.subheader("Bias correction: why divide by 1 − βᵗ?")
text, chart = st.columns([1, 1], gap="medium")
first = ua.first_steps_figure(runs["adam"].params, runs["adam_nobc"].params, lr, D.first_steps)
controls.chart(chart, first, key="adam_first_steps",
               alt="Size of the first steps in units of alpha, with and without bias correction")
text.markdown(ua.bias_text(beta1, beta2))


@st.fragment
def loss_scale_section(surface, start, adam, steps: int) -> None:
    """Loss × c against gradient descent: its two sliders rerun only this section."""
    st.subheader("Multiply the loss by c: Adam does not notice")
    text, chart = st.columns([2, 3], gap="medium")
    scale = controls.select_slider(text, "c", "Loss × c", ua.SCALE_OPTIONS, D.loss_scale, key="adam_loss_scale",
                                   format_func=option_label,
                                   help="Both optimizers run on c·L instead of L: the same valley, the same minimum, "
                                        "gradients c times larger.")
    gd_lr = controls.select_slider(text, "gd_lr", "Gradient descent step size t", ua.GD_LR_OPTIONS, D.gd_lr,
                                   key="adam_gd_lr", format_func=option_label,
                                   help="Plain gradient descent, W ← W − t∇L, for comparison.")
    scaled = {(name, c): compute.run(opt, surface.name, start, steps, loss_scale=c)
              for name, opt in (("sgd", compute.spec("sgd", lr=gd_lr)), ("adam", adam))
              for c in dict.fromkeys((1.0, scale))}
    paths = {k: r.params for k, r in scaled.items()}
    controls.chart(chart, ua.scale_figure(surface, paths, start), key="adam_scale",
                   alt="Gradient descent and Adam on the loss and on the loss times c")
    status = {(name, c): str(notices.run_status(r, surface.scaled(c))) for (name, c), r in scaled.items()}
    chart.markdown(notices.status_badges({f"{label(n)} ×{c:g}": s for (n, c), s in status.items()}))
    for (name, c), r in scaled.items():
        if status[name, c] == "diverged" and (
                note := notices.divergence(f"{label(name)} (loss × {c:g})", r.diverged_at, "step size")):
            chart.warning(note)
    gap = ua.path_gaps(paths, scale)
    text.latex(ua.SCALE_RULE)
    text.markdown(ua.scale_text(scale, gap["adam"], gap["sgd"]))
    controls.publish_link()


loss_scale_section(surface, start, variants["adam"], steps)

st.subheader("AdaMax: the largest gradient instead of the average square")
st.latex(ua.ADAMAX)
st.markdown(ua.ADAMAX_TEXT)
