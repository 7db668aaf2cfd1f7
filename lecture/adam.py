"""Adam: Algorithm 1 with this run's numbers, bias correction on and off, loss rescaling, AdaMax."""

import streamlit as st

from ui import adam as ua
from ui import compute, notices
from ui.controls import chosen_scene, scene_buttons, start_picker, steps_slider, surface_picker
from ui.options import BETA1_OPTIONS, BETA2_OPTIONS, option_label
from ui.theme import label

D, sb = ua.DEFAULTS, st.sidebar
st.title("Adam: Algorithm 1, live")
scene_buttons(ua.SCENES)
if scene := chosen_scene("adam", ua.SCENES):
    st.caption(scene.caption)
surface = surface_picker("adam", default=D.surface)
start = start_picker("adam", surface)
lr_col, beta1_col = st.columns(2, gap="medium")  # the page's two main knobs, in reach on a phone
lr = lr_col.select_slider("Step size α", ua.LR_OPTIONS, value=D.lr, key="adam_lr", format_func=option_label,
                          help="α in Algorithm 1: roughly the largest distance one coordinate moves per step. "
                               "The paper's default is 0.001; 0.05 makes the path visible on this plot.")
beta1 = beta1_col.select_slider("β₁ (average of g)", BETA1_OPTIONS, value=D.beta1, key="adam_beta1",
                                format_func=option_label, help="Decay of m_t, the running mean of the gradient "
                                                                "(the momentum part). Paper default 0.9.")
beta2 = sb.select_slider("β₂ (average of g²)", BETA2_OPTIONS, value=D.beta2, key="adam_beta2",
                         format_func=option_label, help="Decay of v_t, the running mean of the squared "
                                                         "gradient (the per-parameter scale). Paper default 0.999.")
eps = sb.select_slider("ε", ua.EPS_OPTIONS, value=D.eps, key="adam_eps", format_func=option_label,
                       help="Added to √v̂ so a zero gradient never divides by zero. Paper default 1e-8.")
steps = steps_slider("adam", default=D.steps, high=1000)
hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}

variants = {"adam": compute.spec("adam", **hyper), "adam_nobc": compute.spec("adam", bias_correction=False, **hyper),
            "adamax": compute.spec("adamax", **hyper)}
runs = {v: compute.run(opt, surface.name, start, steps) for v, opt in variants.items()}


@st.fragment
def algorithm_at_step(surface, start, runs: dict, hyper: dict, steps: int) -> None:
    """The map and Algorithm 1 at one step: choosing the step reruns only this part."""
    status = {v: str(notices.run_status(r, surface)) for v, r in runs.items()}
    left, right = st.columns([4, 5], gap="small")
    with right:
        variant = st.radio("Numbers of", list(runs), format_func=ua.VARIANT_LABELS.get, horizontal=True,
                           key="adam_inspect", help="Which run's step to write out line by line.")
        t = st.slider("Step t", 1, steps, min(st.session_state.get("adam_step", D.step), steps), key="adam_step",
                      help="The step whose numbers fill Algorithm 1 below (and the ◇ on the map).")
        st.markdown(f"**{ua.VARIANT_LABELS[variant]}**, step t = {t}")
        for k in (0, 1):  # one narrow table per parameter, one under the other: no sideways scrolling
            st.latex(ua.algorithm_latex(variant, ua.step_numbers(runs[variant], t), t, hyper, k))
        stuck = int(runs[variant].diverged_at)
        if 0 <= stuck <= t:
            st.caption(ua.blew_up_text(stuck, status[variant]))
    with left:
        figure = ua.family_figure(surface, {v: r.params for v, r in runs.items()}, start, (variant, t))
        st.plotly_chart(figure, theme=None, key="adam_paths",
                        alt="Adam, Adam without bias correction and AdaMax on the chosen surface")
        st.markdown(notices.status_badges({ua.VARIANT_LABELS[v]: s for v, s in status.items()}))
        what = ua.divergence_remedy(hyper["eps"])
        for v, r in runs.items():  # one line for a real blow-up only; an escape is not a failure
            if status[v] == "diverged" and (note := notices.divergence(ua.VARIANT_LABELS[v], r.diverged_at, what)):
                st.warning(note)


algorithm_at_step(surface, start, runs, hyper, steps)

st.latex(ua.ALGORITHM_1)
st.markdown(ua.ADAM_TEXT)

st.subheader("Bias correction: why divide by 1 − βᵗ?")
text, chart = st.columns([1, 1], gap="medium")
first = ua.first_steps_figure(runs["adam"].params, runs["adam_nobc"].params, lr, D.first_steps)
chart.plotly_chart(first, theme=None, key="adam_first_steps",
                   alt="Size of the first steps in units of alpha, with and without bias correction")
text.markdown(ua.bias_text(beta1, beta2))


@st.fragment
def loss_scale_section(surface, start, adam, steps: int) -> None:
    """Loss × c against gradient descent: its two sliders rerun only this section."""
    st.subheader("Multiply the loss by c: Adam does not notice")
    text, chart = st.columns([2, 3], gap="medium")
    scale = text.select_slider("Loss × c", ua.SCALE_OPTIONS, value=D.loss_scale, key="adam_loss_scale",
                               format_func=option_label, help="Both optimizers run on c·L instead of L: the same "
                                                              "valley, the same minimum, gradients c times larger.")
    gd_lr = text.select_slider("Gradient descent step size t", ua.GD_LR_OPTIONS, value=D.gd_lr, key="adam_gd_lr",
                               format_func=option_label, help="Plain gradient descent, W ← W − t∇L, for comparison.")
    scaled = {(name, c): compute.run(opt, surface.name, start, steps, loss_scale=c)
              for name, opt in (("sgd", compute.spec("sgd", lr=gd_lr)), ("adam", adam))
              for c in dict.fromkeys((1.0, scale))}
    paths = {k: r.params for k, r in scaled.items()}
    chart.plotly_chart(ua.scale_figure(surface, paths, start), theme=None, key="adam_scale",
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


loss_scale_section(surface, start, variants["adam"], steps)

st.subheader("AdaMax: the largest gradient instead of the average square")
st.latex(ua.ADAMAX)
st.markdown(ua.ADAMAX_TEXT)
