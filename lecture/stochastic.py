"""Stochastic gradients: the loss is an average, so a few examples give a cheap, noisy gradient."""

import numpy as np
import pandas as pd
import streamlit as st

import optim_core as oc
from ui import compute
from ui import stochastic as ui
from ui.charts import Series, line_chart
from ui.controls import start_picker, steps_slider

D = ui.DEFAULTS
st.title("Stochastic gradients: all, one, or a few")
surface = oc.get_surface(ui.SURFACE)
m = surface.n_examples
start = start_picker("stochastic", surface)
side = st.sidebar
lr = side.select_slider("Step size t_c", options=ui.LR_OPTIONS, value=D["lr"], key="stochastic_lr",
                        help="How far each update moves along the estimated negative gradient. Above about 0.15 "
                             "single examples overshoot (2/‖xᵢ‖² for the largest tᵢ); above 2/λ_max ≈ 0.28 even "
                             "the full-batch run diverges.")
steps = steps_slider("stochastic", default=D["steps"], high=ui.STEPS_HIGH)
batch = side.slider("Mini-batch size |I_c|", 1, m, D["batch"], key="stochastic_batch",
                    help=f"How many of the {m} examples the 'partial' run averages each step. "
                         f"1 is plain SGD; {m} is the full gradient.")
seed = side.slider("Random seed", 0, ui.SEED_HIGH, D["seed"], key="stochastic_seed",
                   help="Fixes which examples are drawn at each step. Same seed, same path; the full-batch "
                        "path does not depend on it.")
n_seeds = side.slider("Number of seeds (spread)", 1, ui.SEEDS_HIGH, D["n_seeds"], key="stochastic_n_seeds",
                      help="How many independent one-example and mini-batch runs the lower chart draws at once.")

hyper = {"lr": lr}
try:
    runs = {k: compute.run("sgd", hyper, ui.SURFACE, start, steps, batch_size=b, seed=seed, record=False)
            for k, b in (("all", None), ("one", 1), ("partial", batch))}
    many = np.tile(start, (n_seeds, 1))
    spread = {k: compute.run("sgd", hyper, ui.SURFACE, many, steps, batch_size=b, seed=seed, record=False)
              for k, b in (("one", 1), ("partial", batch))}
except ValueError as err:
    st.error(str(err))
    st.stop()
names = ui.labels(batch)

left, right = st.columns([3, 2], gap="medium")
with left:
    st.plotly_chart(ui.paths_figure(surface, {k: r["params"] for k, r in runs.items()}, start, batch),
                    theme=None, key="stochastic_paths",
                    alt="Full-batch, one-example and mini-batch gradient descent paths with per-example arrows")
    bad = {k: (int((np.asarray(r["diverged_at"]) >= 0).sum()), n_seeds) for k, r in spread.items()}
    if note := ui.divergence_note({k: r["diverged_at"] for k, r in runs.items()}, bad, batch):
        st.warning(note)
    norms = np.linalg.norm(surface.example_grads(start), axis=1)
    st.caption(f"Arrows point along −∇ (the way a step goes) from the black full-batch marker. In every frame "
               f"they share one scale, chosen so the longest fits the view (×{ui.arrow_scale(surface, start):.3f} "
               f"at the start). At the start W_c, ‖∇L‖ = {np.linalg.norm(surface.grad(start)):.3f}, while single "
               f"examples give ‖∇Lⁱ‖ from {norms.min():.2f} to {norms.max():.2f}.")
with right:
    st.markdown(f"Here the model is a line y = w₁ + w₂t and the loss averages its squared misses over "
                f"m = {m} data points. Each example i has its own loss Lⁱ and its own gradient.")
    st.latex(ui.LOSS_LATEX)
    st.markdown("Every step moves against an estimate g_c of the gradient at the current point W_c,")
    st.latex(ui.UPDATE_LATEX)
    st.markdown("and there are three ways to get it: batch, stochastic and mini-batch gradient descent.")
    st.latex(ui.GRADIENT_LATEX)
    st.markdown(
        "Here i_c is one example and I_c a set of examples, both drawn afresh at every step. Averaged over "
        "the draw, either one equals the full gradient: the bold arrow is the mean of the thin ones. "
        "A single example costs 1/m of the work but may point almost anywhere; averaging |I_c| of them "
        "cancels much of that noise. Press ▶ and watch the arrows near the minimum: the bold one shrinks "
        "to nothing, the thin ones stay long, so with a fixed t_c the noisy runs never settle.")
    st.plotly_chart(ui.data_figure(surface, start), theme=None, key="stochastic_data",
                    alt="The 20 data points, the line at the current point and the best-fit line")
    st.caption("Each orange bar is the miss rᵢ = w₁ + w₂tᵢ − yᵢ of the line at W_c, and example i pulls with "
               "∇Lⁱ = rᵢ·(1, tᵢ): a long bar far to the right gives one of the longest arrows.")

st.subheader(f"{n_seeds} seeds at once: how far the noise scatters the runs")
low_left, low_right = st.columns([3, 2], gap="medium")
with low_left:
    fig = ui.spread_figure(surface, runs["all"]["params"], spread["one"]["params"],
                           spread["partial"]["params"], batch, start)
    st.plotly_chart(fig, theme=None, key="stochastic_spread",
                    alt="Clouds of one-example and mini-batch runs from the same start, over many seeds")
with low_right:
    ends = {names["all"]: runs["all"]["params"][-1], names["one"]: spread["one"]["params"][-1],
            names["partial"]: spread["partial"]["params"][-1]}
    st.table(pd.DataFrame(ui.spread_rows(surface, ends)).set_index("estimate")
             .style.format({"final loss": "{:.4f}", "spread": "{:.3f}"}))
    st.markdown(f"Final loss is the mean over the runs; spread is the typical distance of their end points "
                "from their centre. "
                f"A larger batch shrinks it; with |I_c| = {m} it is zero, because every step then uses "
                "the full gradient.")
    st.plotly_chart(line_chart([Series(names[k], r["loss"], ui.COLORS[k]) for k, r in runs.items()],
                               x_title="step c", y_title="L(W_c)", log_y=True, height=320),
                    theme=None, key="stochastic_loss", alt="Loss against step for the three seeded runs")
