"""Lookahead: k fast steps of an inner optimizer, then one step back (Zhang et al. 2019, Algorithm 1)."""

import numpy as np
import streamlit as st

import optim_core as oc
from ui import notices, widgets
from ui.figures.theme import label
from ui.i18n import t
from ui.pages import lookahead as la_ui
from ui.widgets import Chart, Export, Layout, Picture, StepParts, compute

PAGE, D = "lookahead", la_ui.DEFAULTS
widgets.page_header(PAGE, t("lookahead.title"), la_ui.SCENES)
surface = widgets.surface_picker(PAGE, default=D.surface)
start = widgets.start_picker(PAGE, surface)
steps = widgets.steps_slider(PAGE, default=D.steps, high=200)

knobs = widgets.HeroControls(PAGE)  # beside the picture: on a phone right under it, no sidebar needed
k = knobs.slider("k", t("lookahead.k"), *la_ui.K_RANGE, D.k, help=t("lookahead.k_help"))
alpha = knobs.slider("alpha", t("lookahead.alpha"), *la_ui.ALPHA_RANGE, D.alpha, 0.05, help=t("lookahead.alpha_help"))
inner = knobs.radio("inner", t("lookahead.inner"), la_ui.INNER_OPTIONS, la_ui.INNER_OPTIONS.index(D.inner),
                    format_func=label, horizontal=True, help=t("lookahead.inner_help"))
lr = knobs.select_slider("lr", t("lookahead.lr"), la_ui.LR_OPTIONS[inner], D.lr[inner], scope=(inner,),
                         help=t("lookahead.lr_help"))
inner_spec = compute.spec(inner, lr=lr)
la_spec = compute.spec("lookahead", inner=inner_spec, k=k, alpha=alpha)
options = widgets.run_options(PAGE, steps, schedule=False)  # the tables write the inner step size as one number
alone = compute.run(inner_spec, surface.name, start, steps, tol=options.tol)
la = compute.run(la_spec, surface.name, start, steps, tol=options.tol)


def picture(built_at: int) -> Picture:
    """The paths at a step, with the fast and slow weights and the pull-back."""
    fig = la_ui.path_figure(surface, start, inner, alone.params, la, at_step=built_at, height=widgets.hero_height())
    return widgets.tappable(PAGE, surface, Chart(fig, "lookahead_paths", t("lookahead.paths_alt")))


def at_step(n: int, own) -> StepParts:
    """Algorithm 1's numbers at step n."""
    return StepParts(
        # on the projector the step's table writes the same two lines with numbers
        under=[] if widgets.presenting() else [("latex", la_ui.KEY_RULE)],
        numbers=[("latex", la_ui.step_table(la, inner, lr, k, alpha, n)), ("caption", la_ui.step_caption(la, k, n))],
        export=Export({la_ui.alone_label(inner): alone, label("lookahead"): la}, fields=("slow", "fast")))


widgets.step_view(PAGE, steps, at_step, picture=picture, controls=knobs,  # a narrow table beside, presenting
                  layout=Layout(present_side=0.28))
both = {name: run for name, run, *_ in la_ui.compared(inner, alone, la)}
badges, notes = notices.run_report(both, surface)
st.markdown(badges)
for note in notes:
    st.warning(note)
st.caption(la_ui.summary_caption(inner, alone, la, k, alpha))
if nearest := la_ui.nearest_minimum_text(surface, list(both.items())):  # several minima: which one, how near
    st.caption(nearest)
st.markdown(t("lookahead.two_copies"))

st.subheader(t("lookahead.grid_heading"))
g_left, g_right = st.columns([3, 2], gap="medium")
grid = compute.lookahead_grid(inner_spec, surface.name, start, steps, la_ui.GRID_ALPHAS, la_ui.GRID_KS)
widgets.chart(g_left, la_ui.grid_figure(grid, (alpha, k)), key="lookahead_grid",
               alt=t("lookahead.grid_alt"))
g_right.markdown(la_ui.paper_table())
g_right.markdown(la_ui.grid_text(grid, inner, steps, alpha))


@widgets.fragment
def noisy_runs(surface, start, inner: str, inner_spec, la_spec, steps: int) -> None:
    """Many noisy runs with and without Lookahead: the noise and seed sliders rerun only this part."""
    st.subheader(t("lookahead.noisy_heading"))
    n1, n2 = st.columns(2)
    sigma = widgets.slider(n1, PAGE, "noise", t("lookahead.noise"), 0.0, 5.0, D.noise, 0.25,
                           help=t("lookahead.noise_help"))
    seeds = widgets.slider(n2, PAGE, "seeds", t("lookahead.seeds"), 2, 100, D.seeds,
                           help=t("lookahead.seeds_help"))
    starts = [tuple(start)] * seeds  # one start per seed: a batch, each run with its own noise
    noisy_alone = compute.run(inner_spec, surface.name, starts, steps, noise=sigma, seed=0, record=False)
    noisy_la = compute.run(la_spec, surface.name, starts, steps, noise=sigma, seed=0, record=False)
    noisy = la_ui.compared(inner, noisy_alone, noisy_la)
    v_left, v_right = st.columns(2, gap="medium")
    widgets.chart(v_left, la_ui.cloud_figure(surface, [(n, r.params[-1], c, s) for n, r, c, s in noisy]),
                   key="lookahead_cloud", alt=t("lookahead.cloud_alt"))
    widgets.chart(v_right, la_ui.spread_figure([(n, r.loss, c) for n, r, c, _ in noisy]),
                   key="lookahead_spread", alt=t("lookahead.spread_alt"))
    for name, run, *_ in noisy:  # a noisy run that escapes the map is not a step size too large
        at = np.where(oc.status(run, surface) == "diverged", run.diverged_at, -1)
        if note := notices.divergence(name, at, t("notices.step_size")):
            st.warning(note)
    st.markdown(la_ui.spread_table([(n, r) for n, r, *_ in noisy], sigma))
    st.markdown(t("lookahead.average"))

noisy_runs(surface, start, inner, inner_spec, la_spec, steps)
