"""Stochastic gradients: the loss is an average, so a few examples give a cheap, noisy gradient."""

import streamlit as st

from ui import compute, notices
from ui import stochastic as ui
from ui.controls import chosen_scene, scene_buttons, start_picker, steps_slider

D = ui.DEFAULTS
st.title("Stochastic gradients: all, one, or a few")
scene_buttons(ui.SCENES)
if scene := chosen_scene("stochastic", ui.SCENES):
    st.caption(scene.caption)
surface = ui.surface()
m = surface.n_examples
start = start_picker("stochastic", surface)
side = st.sidebar
steps = steps_slider("stochastic", default=D.steps, high=ui.STEPS_HIGH)
seed = side.slider("Random seed", 0, ui.SEED_HIGH, D.seed, key="stochastic_seed",
                   help="Fixes which examples are drawn at each step. Same seed, same path; the full-batch "
                        "path does not depend on it.")
n_seeds = side.slider("Number of seeds (spread)", 1, ui.SEEDS_HIGH, D.n_seeds, key="stochastic_n_seeds",
                      help="How many independent one-example and mini-batch runs the lower chart draws at once.")

left, right = st.columns([3, 2], gap="medium")
with left:  # what the page is about, above its chart: reachable on a phone without the sidebar
    knob_lr, knob_batch = st.columns(2)
    lr = knob_lr.select_slider(
        "Step size $t_c$", options=ui.LR_OPTIONS, value=D.lr, key="stochastic_lr",
        help="How far each update moves along the estimated negative gradient. Above about 0.15 single examples "
             "overshoot (2/(1 + xᵢ²) for the largest input xᵢ); above 2/λ_max ≈ 0.28 even the full-batch run "
             "diverges.")
    batch = knob_batch.slider("Mini-batch size $|I_c|$", 1, m, D.batch, key="stochastic_batch",
                              help=f"How many of the {m} examples the 'partial' run averages each step. "
                                   f"1 is plain SGD; {m} is the full gradient.")

sgd, sizes = compute.spec("sgd", lr=lr), ui.batch_sizes(batch)  # all: the full gradient, one: 1, partial: |I_c|
runs = {k: compute.run(sgd, ui.SURFACE, start, steps, batch_size=b, seed=seed, record=False) for k, b in sizes.items()}
many = ui.seed_starts(start, n_seeds)
spread = {k: compute.run(sgd, ui.SURFACE, many, steps, batch_size=sizes[k], seed=seed, record=False)
          for k in ("one", "partial")}
paths = {k: r.params for k, r in runs.items()}
clouds = {k: r.params for k, r in spread.items()}

with left:
    st.plotly_chart(ui.paths_figure(surface, paths, start, batch), theme=None, key="stochastic_paths",
                    alt="Full-batch, one-example and mini-batch gradient descent paths with per-example arrows")
    names = ui.labels(batch, "tex")
    st.markdown(notices.status_badges({names[k]: notices.run_status(r, surface) for k, r in runs.items()}))
    note = ui.divergence_note({k: r.diverged_at for k, r in runs.items()},
                              {k: r.diverged_at for k, r in spread.items()}, batch)
    if note:
        st.warning(note)
    st.caption(ui.arrows_caption(surface, start))
with right:
    st.markdown(ui.model_text(m))
    st.latex(ui.LOSS_LATEX)
    st.markdown(ui.UPDATE_TEXT)
    st.latex(ui.UPDATE_LATEX)
    st.markdown(ui.WAYS_TEXT)
    st.latex(ui.GRADIENT_LATEX)
    st.markdown(ui.NOISE_TEXT)
    st.plotly_chart(ui.data_figure(surface, start), theme=None, key="stochastic_data",
                    alt="The 20 data points, the line at the current point and the best-fit line")
    st.caption(ui.DATA_CAPTION)

st.subheader(f"{n_seeds} seeds at once: how far the noise scatters the runs")
low_left, low_right = st.columns([3, 2], gap="medium")
with low_left:
    st.plotly_chart(ui.spread_figure(surface, paths["all"], clouds["one"], clouds["partial"], batch, start),
                    theme=None, key="stochastic_spread",
                    alt="Clouds of one-example and mini-batch runs from the same start, over many seeds")
with low_right:
    st.table(ui.spread_table(surface, paths["all"], clouds, batch), hide_index=True)
    st.markdown(ui.spread_text(m))
    st.plotly_chart(ui.loss_figure({k: r.loss for k, r in runs.items()}, batch),
                    theme=None, key="stochastic_loss", alt="Loss against step for the three seeded runs")
