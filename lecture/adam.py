"""Adam: Algorithm 1 with this run's numbers, bias correction on and off, loss rescaling, AdaMax."""

import streamlit as st

from ui import adam as ua
from ui import compute, controls, notices
from ui.controls import page_header, start_picker, steps_slider, surface_picker
from ui.i18n import t
from ui.options import BETA1_OPTIONS, BETA2_OPTIONS, option_label
from ui.theme import label

D, sb = ua.DEFAULTS, st.sidebar
page_header("adam", t("adam.title"), ua.SCENES)
surface = surface_picker("adam", default=D.surface)
start = start_picker("adam", surface)
lr_col, beta1_col = st.columns(2, gap="medium")  # the page's two main knobs, in reach on a phone
lr = controls.select_slider(lr_col, "lr", t("adam.lr"), ua.LR_OPTIONS, D.lr, key="adam_lr",
                            format_func=option_label, help=t("adam.lr_help"))
beta1 = controls.select_slider(beta1_col, "beta1", t("adam.beta1"), BETA1_OPTIONS, D.beta1, key="adam_beta1",
                               format_func=option_label, help=t("adam.beta1_help"))
beta2 = controls.select_slider(sb, "beta2", t("adam.beta2"), BETA2_OPTIONS, D.beta2, key="adam_beta2",
                               format_func=option_label, help=t("adam.beta2_help"))
eps = controls.select_slider(sb, "eps", "ε", ua.EPS_OPTIONS, D.eps, key="adam_eps", format_func=option_label,
                             help=t("adam.eps_help"))
steps = steps_slider("adam", default=D.steps, high=1000)
hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}

variants = {"adam": compute.spec("adam", **hyper), "adam_nobc": compute.spec("adam", bias_correction=False, **hyper),
            "adamax": compute.spec("adamax", **hyper)}
runs = {v: compute.run(opt, surface.name, start, steps) for v, opt in variants.items()}


@st.fragment
def algorithm_at_step(surface, start, runs: dict, hyper: dict, steps: int) -> None:
    """The map and Algorithm 1 at one step, one state: a step reruns only this part."""
    status = {v: str(notices.run_status(r, surface)) for v, r in runs.items()}
    # above both columns: buttons and slider in one row, for map and numbers alike (step_controls keeps the
    # step when a new step count gives the slider a new range)
    step = controls.step_controls("adam", steps, default=D.step)
    left, right = st.columns([4, 5], gap="small")
    with right:
        variant = controls.radio(st, "variant", t("adam.inspect"), list(runs), list(runs).index(D.inspect),
                                 key="adam_inspect", format_func=ua.variant_label, horizontal=True,
                                 help=t("adam.inspect_help"))
        # one narrow table per parameter, one under the other: no sideways scrolling on a phone; on the
        # projector one wide table (its header names the run and step), so chart, steps and numbers fit 720 px
        wide = controls.presenting()
        if not wide:
            st.markdown(t("adam.numbers_of", variant=ua.variant_label(variant), t=step))
        for k in (None,) if wide else (0, 1):
            st.latex(ua.algorithm_latex(variant, ua.step_numbers(runs[variant], step), step, hyper, k))
        stuck = int(runs[variant].diverged_at)
        if 0 <= stuck <= step:
            st.caption(ua.blew_up_text(stuck, status[variant]))
    with left:
        picture = ua.family_figure(surface, runs, start, variant, step, height=440 if controls.presenting() else 540)
        controls.chart(st, picture.figure, key="adam_paths",
                       alt=t("adam.alt.paths"))
        st.caption(ua.step_caption(variant, runs[variant], step, picture.scale))
        st.markdown(notices.status_badges({ua.variant_label(v): s for v, s in status.items()}))
        what = ua.divergence_remedy(hyper["eps"])
        for v, r in runs.items():  # one line for a real blow-up only; an escape is not a failure
            if status[v] == "diverged" and (note := notices.divergence(ua.variant_label(v), r.diverged_at, what)):
                st.warning(note)
    controls.export_buttons("adam", {ua.variant_label(v): r for v, r in runs.items()}, picture.figure,
                            ("m", "v", "m_hat", "v_hat", "u"), container=right)
    controls.publish_link()


algorithm_at_step(surface, start, runs, hyper, steps)

st.latex(ua.algorithm_1())
st.markdown(t("adam.adam_text"))

st.subheader(t("adam.bias_heading"))
text, chart = st.columns([1, 1], gap="medium")
first = ua.first_steps_figure(runs["adam"].params, runs["adam_nobc"].params, lr, D.first_steps)
controls.chart(chart, first, key="adam_first_steps",
               alt=t("adam.alt.first_steps"))
text.markdown(ua.bias_text(beta1, beta2))


@st.fragment
def loss_scale_section(surface, start, adam, steps: int) -> None:
    """Loss × c against gradient descent: its two sliders rerun only this section."""
    st.subheader(t("adam.scale_heading"))
    text, chart = st.columns([2, 3], gap="medium")
    scale = controls.select_slider(text, "c", t("adam.loss_scale"), ua.SCALE_OPTIONS, D.loss_scale,
                                   key="adam_loss_scale", format_func=option_label, help=t("adam.loss_scale_help"))
    gd_lr = controls.select_slider(text, "gd_lr", t("adam.gd_lr"), ua.GD_LR_OPTIONS, D.gd_lr,
                                   key="adam_gd_lr", format_func=option_label, help=t("adam.gd_lr_help"))
    scaled = {(name, c): compute.run(opt, surface.name, start, steps, loss_scale=c)
              for name, opt in (("sgd", compute.spec("sgd", lr=gd_lr)), ("adam", adam))
              for c in dict.fromkeys((1.0, scale))}
    paths = {k: r.params for k, r in scaled.items()}
    controls.chart(chart, ua.scale_figure(surface, paths, start), key="adam_scale",
                   alt=t("adam.alt.scale"))
    status = {(name, c): str(notices.run_status(r, surface.scaled(c))) for (name, c), r in scaled.items()}
    chart.markdown(notices.status_badges({f"{label(n)} ×{c:g}": s for (n, c), s in status.items()}))
    for (name, c), r in scaled.items():
        if status[name, c] == "diverged" and (
                note := notices.divergence(t("adam.scaled_run", name=label(name), c=f"{c:g}"), r.diverged_at,
                                           t("notices.step_size"))):
            chart.warning(note)
    gap = ua.path_gaps(paths, scale)
    text.latex(ua.scale_rule())
    text.markdown(ua.scale_text(scale, gap["adam"], gap["sgd"]))
    controls.publish_link()


loss_scale_section(surface, start, variants["adam"], steps)

st.subheader(t("adam.adamax_heading"))
st.latex(ua.ADAMAX)
st.markdown(t("adam.adamax_text"))
