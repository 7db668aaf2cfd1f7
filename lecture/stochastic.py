"""Stochastic gradients: the loss is an average, so a few examples give a cheap, noisy gradient."""

import streamlit as st

import optim_core as oc
from ui import limits, notices, widgets
from ui.i18n import t
from ui.pages import stochastic as ui
from ui.widgets import Chart, Export, Layout, StepParts, compute

PAGE, D = "stochastic", ui.DEFAULTS
widgets.page_header(PAGE, t("stochastic.title"), ui.SCENES)
surface = ui.surface()
m = surface.n_examples
start = widgets.start_picker(PAGE, surface, per_surface=False)
side = st.sidebar
steps = widgets.steps_slider(PAGE, default=D.steps, high=ui.STEPS_HIGH)
seed = widgets.slider(side, PAGE, "seed", t("stochastic.seed"), 0, ui.SEED_HIGH, D.seed,
                       help=t("stochastic.seed_help"))
n_seeds = widgets.slider(side, PAGE, "seeds", t("stochastic.n_seeds"), 1, ui.SEEDS_HIGH, D.n_seeds,
                          help=t("stochastic.n_seeds_help"))

knobs = widgets.HeroControls(PAGE)  # what the page is about, beside its chart: reachable on a phone
lr = knobs.select_slider("lr", t("stochastic.lr"), ui.LR_OPTIONS, D.lr, help=t("stochastic.lr_help"))
batch = knobs.slider("batch", t("stochastic.batch"), 1, m, D.batch, help=t("stochastic.batch_help", m=m))

options = widgets.run_options(PAGE, steps)  # 1/t is the decay under which SGD's noise settles (Robbins–Monro)
sgd, sizes = options.apply(compute.spec("sgd", lr=lr)), ui.batch_sizes(batch)  # all: full gradient, one: 1, partial
runs = {k: compute.run(sgd, ui.SURFACE, start, steps, batch_size=b, seed=seed,  # partial: which examples it drew
                       record=("batch",) if k == "partial" else False, tol=options.tol) for k, b in sizes.items()}
many = ui.seed_starts(start, n_seeds)
spread = {k: compute.run(sgd, ui.SURFACE, many, steps, batch_size=sizes[k], seed=seed, record=False)
          for k in ("one", "partial")}
paths = {k: r.params for k, r in runs.items()}
clouds = {k: r.params for k, r in spread.items()}


def picture(built_at: int) -> widgets.Picture:
    """The paths at a step, with that step's draw I_c."""
    figure = ui.paths_figure(surface, paths, start, batch, height=widgets.hero_height(), at_step=built_at,
                             minibatch=runs["partial"])
    return widgets.tappable(PAGE, surface, Chart(figure, "stochastic_paths", t("stochastic.alt_paths")),
                            per_surface=False)


stability = limits.gd_limits_text(surface, start, lr)  # the full loss's curvature: the batch of all


def at_step(n: int, own) -> StepParts:
    """The paths at step n, with that step's draw I_c and its numbers."""
    size = r"\small" if widgets.presenting() else r"\footnotesize"  # no sidebar in presenter mode: more room
    drawn = ui.step_parts(surface, runs["partial"], n)
    data = ui.data_figure(surface, ui.step_point(runs["partial"], n), drawn=None if drawn is None else drawn["drawn"])
    return StepParts(
        beside=[*([("caption", stability)] if stability else []), *widgets.schedule_blocks(options, lr, steps, n)],
        numbers=[("latex", ui.step_table(surface, runs["partial"], lr, batch, n, size)),
                 ("caption", ui.step_caption(surface, runs["partial"], batch, n)),
                 ("chart", Chart(data, "stochastic_data", t("stochastic.alt_data"))), ("caption", ui.data_caption())],
        export=Export({ui.labels(batch, "plain")[k]: r for k, r in runs.items()}))


widgets.step_view(PAGE, steps, at_step, picture=picture, controls=knobs, layout=Layout(present_side=0.3))
names = ui.labels(batch, "tex")
st.markdown(notices.status_badges({names[k]: oc.status(r, surface) for k, r in runs.items()},
                                  {names[k]: r.converged_at for k, r in runs.items()}))
note = ui.divergence_note({k: r.diverged_at for k, r in runs.items()},
                          {k: r.diverged_at for k, r in spread.items()}, batch)
if note:
    st.warning(note)
st.caption(ui.arrows_caption(surface, start))

model, ways = st.columns(2, gap="medium")
model.markdown(ui.model_text(m))
model.latex(ui.LOSS_LATEX)
model.markdown(ui.update_text())
model.latex(ui.UPDATE_LATEX)
ways.markdown(ui.ways_text())
ways.latex(ui.gradient_latex())
ways.markdown(ui.noise_text())

st.subheader(t("stochastic.spread_heading", n=n_seeds))
low_left, low_right = st.columns([3, 2], gap="medium")
widgets.chart(low_left, ui.spread_figure(surface, paths["all"], clouds["one"], clouds["partial"], batch, start),
               key="stochastic_spread",
               alt=t("stochastic.alt_spread"))
with low_right:
    st.table(ui.spread_table(surface, paths["all"], clouds, batch), hide_index=True)
    st.markdown(ui.spread_text(m))
widgets.chart(low_right, ui.loss_figure({k: r.loss for k, r in runs.items()}, batch),
               key="stochastic_loss", alt=t("stochastic.alt_loss"))
