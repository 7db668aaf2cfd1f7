"""Adam: Algorithm 1 with this run's numbers, bias correction on and off, loss rescaling, AdaMax."""

import streamlit as st

import optim_core as oc
from ui import notices, schedules, widgets
from ui.catalog import BETA1_OPTIONS, BETA2_OPTIONS, option_label
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import adam as ua
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D, sb = "adam", ua.DEFAULTS, st.sidebar
widgets.page_header(PAGE, t("adam.title"), ua.SCENES)
surface = widgets.surface_picker(PAGE, default=D.surface)
start = widgets.start_picker(PAGE, surface)
knobs = widgets.HeroControls(PAGE)  # the page's two main knobs, beside the picture
lr = knobs.select_slider("lr", t("adam.lr"), ua.LR_OPTIONS, D.lr, format_func=option_label, help=t("adam.lr_help"))
beta1 = knobs.select_slider("beta1", t("adam.beta1"), BETA1_OPTIONS, D.beta1, format_func=option_label,
                            help=t("adam.beta1_help"))
beta2 = widgets.select_slider(sb, PAGE, "beta2", t("adam.beta2"), BETA2_OPTIONS, D.beta2, format_func=option_label,
                              help=t("adam.beta2_help"))
eps = widgets.select_slider(sb, PAGE, "eps", "ε", ua.EPS_OPTIONS, D.eps, format_func=option_label,
                            help=t("adam.eps_help"))
steps = widgets.steps_slider(PAGE, default=D.steps, high=1000)
sigma = widgets.select_slider(sb, PAGE, "noise", t("adam.noise"), ua.NOISE_OPTIONS, D.noise, format_func=option_label,
                              help=t("adam.noise_help"))
seed = widgets.slider(sb, PAGE, "seed", t("adam.seed"), 0, ua.SEED_HIGH, D.seed, help=t("adam.seed_help"))
hyper = {"lr": lr, "beta1": beta1, "beta2": beta2, "eps": eps}

options = widgets.run_options(PAGE, steps)  # α_t: the schedule scales α, the same for the three
alphas = schedules.step_sizes(options.schedule, lr, steps)  # α_t of update t (t = 1, 2, …) is alphas[t − 1]
variants = {"adam": compute.spec("adam", **hyper), "adam_nobc": compute.spec("adam", bias_correction=False, **hyper),
            "adamax": compute.spec("adamax", **hyper)}
runs = {v: compute.run(options.apply(opt), surface.name, start, steps, noise=sigma, seed=seed,  # f_t: L plus the
                       tol=options.tol) for v, opt in variants.items()}  # same noise draws
variant = knobs.radio("variant", t("adam.inspect"), list(runs), list(runs).index(D.inspect),
                      format_func=ua.variant_label, horizontal=True, help=t("adam.inspect_help"))


def picture(built_at: int) -> Picture:
    """The map at a step: the three runs, the inspected one's ring and arrows."""
    drawn = ua.family_figure(surface, runs, start, variant, built_at, height=widgets.hero_height())
    return widgets.tappable(PAGE, surface, Chart(drawn.figure, "adam_paths", t("adam.alt.paths")),
                   under=lambda step: [("caption", ua.step_caption(variant, runs[variant], step, drawn.scale))])


def at_step(step: int, own) -> StepParts:
    """Algorithm 1 at one step, one state."""
    status = {v: str(oc.status(r, surface)) for v, r in runs.items()}
    # one narrow table per parameter, side by side under the picture (one under the other on a phone: no
    # sideways scrolling); in presenter mode one table beside the picture, cut to its lines' names
    nums = ua.step_numbers(runs[variant], step)
    hyper_t = {**hyper, "lr": float(alphas[max(step, 1) - 1])}  # the α this step used
    if widgets.presenting():
        table = [("latex", ua.algorithm_latex(variant, nums, step, hyper_t, noise=sigma))]
    else:
        narrow = [[("latex", ua.algorithm_latex(variant, nums, step, hyper_t, k, noise=sigma))] for k in (0, 1)]
        table = [("markdown", t("adam.numbers_of", variant=ua.variant_label(variant), t=step)),
                 ("columns", ((1, 1), narrow))]
    stuck = int(runs[variant].diverged_at)
    if 0 <= stuck <= step:
        table.append(("caption", ua.blew_up_text(stuck, status[variant])))
    under = [("markdown", notices.status_badges({ua.variant_label(v): s for v, s in status.items()},
                                                {ua.variant_label(v): r.converged_at for v, r in runs.items()})),
             *widgets.schedule_blocks(options, lr, steps, step)]
    if sigma > 0:  # noisy gradients: how long Adam's steps stay, in units of α
        under.append(("markdown", ua.noise_text(runs["adam"], lr, sigma)))
    what = ua.divergence_remedy(hyper["eps"])
    for v, r in runs.items():  # one line for a real blow-up only; an escape is not a failure
        if status[v] == "diverged" and (note := notices.divergence(ua.variant_label(v), r.diverged_at, what)):
            under.append(("warning", note))
    return StepParts(numbers=table, under=under,
                     export=Export({ua.variant_label(v): r for v, r in runs.items()},
                                   fields=("m", "v", "m_hat", "v_hat", "u")))


widgets.step_view(PAGE, steps, at_step, picture=picture, default=D.step, controls=knobs,
                  layout=Layout(numbers_below=True))

st.latex(ua.algorithm_1())
st.markdown(t("adam.adam_text"))

st.subheader(t("adam.bias_heading"))
text, chart = st.columns([1, 1], gap="medium")
first = ua.first_steps_figure(runs["adam"].params, runs["adam_nobc"].params, lr, D.first_steps)
widgets.chart(chart, first, key="adam_first_steps", alt=t("adam.alt.first_steps"))
text.markdown(ua.bias_text(beta1, beta2))


@widgets.fragment
def loss_scale_section(surface, start, adam, steps: int) -> None:
    """Loss × c against gradient descent: its two sliders rerun only this section."""
    st.subheader(t("adam.scale_heading"))
    text, chart = st.columns([2, 3], gap="medium")
    scale = widgets.select_slider(text, PAGE, "c", t("adam.loss_scale"), ua.SCALE_OPTIONS, D.loss_scale,
                                  format_func=option_label, help=t("adam.loss_scale_help"))
    gd_lr = widgets.select_slider(text, PAGE, "gd_lr", t("adam.gd_lr"), ua.GD_LR_OPTIONS, D.gd_lr,
                                  format_func=option_label, help=t("adam.gd_lr_help"))
    scaled = {(name, c): compute.run(opt, surface.name, start, steps, loss_scale=c)
              for name, opt in (("sgd", compute.spec("sgd", lr=gd_lr)), ("adam", adam))
              for c in dict.fromkeys((1.0, scale))}
    paths = {k: r.params for k, r in scaled.items()}
    widgets.chart(chart, ua.scale_figure(surface, paths, start), key="adam_scale", alt=t("adam.alt.scale"))
    status = {(name, c): str(oc.status(r, surface.scaled(c))) for (name, c), r in scaled.items()}
    chart.markdown(notices.status_badges({f"{label(n)} ×{c:g}": s for (n, c), s in status.items()}))
    for (name, c), r in scaled.items():
        if status[name, c] == "diverged" and (
                note := notices.divergence(t("adam.scaled_run", name=label(name), c=f"{c:g}"), r.diverged_at,
                                           t("notices.step_size"))):
            chart.warning(note)
    gap = ua.path_gaps(paths, scale)
    text.latex(ua.scale_rule())
    text.markdown(ua.scale_text(scale, gap["adam"], gap["sgd"]))


loss_scale_section(surface, start, variants["adam"], steps)

st.subheader(t("adam.adamax_heading"))
st.latex(ua.ADAMAX)
st.markdown(t("adam.adamax_text"))
