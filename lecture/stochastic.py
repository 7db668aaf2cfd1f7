"""Stochastic gradients: the loss is an average, so a few examples give a cheap, noisy gradient."""

import streamlit as st

from ui import compute, controls, notices
from ui import stochastic as ui
from ui.controls import page_header, start_picker, steps_slider
from ui.i18n import t

D = ui.DEFAULTS
page_header("stochastic", t("stochastic.title"), ui.SCENES)
surface = ui.surface()
m = surface.n_examples
start = start_picker("stochastic", surface)
side = st.sidebar
steps = steps_slider("stochastic", default=D.steps, high=ui.STEPS_HIGH)
seed = controls.slider(side, "seed", t("stochastic.seed"), 0, ui.SEED_HIGH, D.seed, key="stochastic_seed",
                       help=t("stochastic.seed_help"))
n_seeds = controls.slider(side, "seeds", t("stochastic.n_seeds"), 1, ui.SEEDS_HIGH, D.n_seeds,
                          key="stochastic_n_seeds", help=t("stochastic.n_seeds_help"))

knob_lr, knob_batch = st.columns(2)  # what the page is about, above its chart: reachable on a phone
lr = controls.select_slider(
    knob_lr, "lr", t("stochastic.lr"), ui.LR_OPTIONS, D.lr, key="stochastic_lr", help=t("stochastic.lr_help"))
batch = controls.slider(knob_batch, "batch", t("stochastic.batch"), 1, m, D.batch, key="stochastic_batch",
                        help=t("stochastic.batch_help", m=m))

sgd, sizes = compute.spec("sgd", lr=lr), ui.batch_sizes(batch)  # all: the full gradient, one: 1, partial: |I_c|
runs = {k: compute.run(sgd, ui.SURFACE, start, steps, batch_size=b, seed=seed,  # partial: which examples it drew
                       record=("batch",) if k == "partial" else False) for k, b in sizes.items()}
many = ui.seed_starts(start, n_seeds)
spread = {k: compute.run(sgd, ui.SURFACE, many, steps, batch_size=sizes[k], seed=seed, record=False)
          for k in ("one", "partial")}
paths = {k: r.params for k, r in runs.items()}
clouds = {k: r.params for k, r in spread.items()}


@st.fragment
def step_view(surface, start, runs: dict, lr: float, batch: int, steps: int) -> None:
    """The paths at one step, with that step's draw I_c and its numbers: a step reruns only this part."""
    chart_col, numbers_col = st.columns([1, 1], gap="medium")
    with numbers_col:
        n = controls.step_controls("stochastic", steps)
        size = r"\small" if controls.presenting() else r"\footnotesize"  # no sidebar in presenter mode: more room
        st.latex(ui.step_table(surface, runs["partial"], lr, batch, n, size))
        st.caption(ui.step_caption(surface, runs["partial"], batch, n))
    figure = ui.paths_figure(surface, {k: r.params for k, r in runs.items()}, start, batch,
                             height=440 if controls.presenting() else 580, at_step=n, minibatch=runs["partial"])
    controls.chart(chart_col, figure, key="stochastic_paths",
                   alt=t("stochastic.alt_paths"))
    parts = ui.step_parts(surface, runs["partial"], n)
    controls.chart(numbers_col, ui.data_figure(surface, ui.step_point(runs["partial"], n),
                                               drawn=None if parts is None else parts["drawn"]),
                   key="stochastic_data", alt=t("stochastic.alt_data"))
    numbers_col.caption(ui.data_caption())
    controls.export_buttons("stochastic", {ui.labels(batch, "plain")[k]: r for k, r in runs.items()}, figure, (),
                            container=numbers_col)
    controls.publish_link()


step_view(surface, start, runs, lr, batch, steps)
names = ui.labels(batch, "tex")
st.markdown(notices.status_badges({names[k]: notices.run_status(r, surface) for k, r in runs.items()}))
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
controls.chart(low_left, ui.spread_figure(surface, paths["all"], clouds["one"], clouds["partial"], batch, start),
               key="stochastic_spread",
               alt=t("stochastic.alt_spread"))
with low_right:
    st.table(ui.spread_table(surface, paths["all"], clouds, batch), hide_index=True)
    st.markdown(ui.spread_text(m))
controls.chart(low_right, ui.loss_figure({k: r.loss for k, r in runs.items()}, batch),
               key="stochastic_loss", alt=t("stochastic.alt_loss"))
