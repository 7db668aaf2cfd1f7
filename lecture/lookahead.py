"""Lookahead: k fast steps of an inner optimizer, then one step back (Zhang et al. 2019, Algorithm 1)."""

import numpy as np
import streamlit as st

from ui import compute, notices
from ui import lookahead as la_ui
from ui.controls import start_picker, steps_slider, surface_picker
from ui.theme import color, label

D = la_ui.DEFAULTS
st.title("Lookahead: k steps forward, 1 step back")
surface = surface_picker("lookahead", default=D["surface"])
start = start_picker("lookahead", surface)
steps = steps_slider("lookahead", default=D["steps"], high=200)

c1, c2, c3, c4 = st.columns([1, 1, 1.1, 1.3], gap="medium")
k = c1.slider("k: fast steps", *la_ui.K_RANGE, D["k"], key="lookahead_k",
              help="How many steps the inner optimizer takes before the slow weights catch up.")
alpha = c2.slider("α: step back", *la_ui.ALPHA_RANGE, D["alpha"], step=0.05, key="lookahead_alpha",
                  help="How far the slow weights move towards the fast ones at a sync (1 = all the way).")
inner = c3.radio("Inner optimizer A", la_ui.INNER_OPTIONS, format_func=label, key="lookahead_inner",
                 index=la_ui.INNER_OPTIONS.index(D["inner"]), help="The optimizer that takes the k fast steps.")
lr = c4.select_slider("Inner step size t", la_ui.LR_OPTIONS[inner], value=D["lr"][inner],
                      key=f"lookahead_lr_{inner}",
                      help="The inner optimizer's learning rate. On the elongated bowl plain gradient descent "
                           "zig-zags for t near 2/25 = 0.08 and blows up above it.")
try:
    alone = compute.run(inner, {"lr": lr}, surface.name, start, steps)
    la = compute.run("lookahead", {"k": k, "alpha": alpha}, surface.name, start, steps, inner=inner,
                     inner_hyper={"lr": lr})
except ValueError as err:
    st.error(str(err))
    st.stop()

fig = la_ui.path_figure(surface, start, inner, alone["params"], la, alpha)
st.plotly_chart(fig, theme=None, key="lookahead_paths",
                alt="Inner optimizer alone and Lookahead's fast path, slow weights and pull-back segment")
for name, run in ((la_ui.alone_label(inner), alone), ("Lookahead", la)):
    note = notices.divergence(name, run["diverged_at"])
    if note:
        st.warning(note)
st.caption(f"After {steps} steps: {la_ui.alone_label(inner)} loss {alone['loss'][-1]:.3g} · Lookahead "
           f"(k={k}, α={alpha:g}) loss {la['loss'][-1]:.3g}, {int(la['records']['synced'].sum())} syncs. "
           "The paper's settings: α=0.8, k=5 (ResNet-18, CIFAR-10) and α=0.5, k=10 (Transformer, WMT'14).")
a_left, a_right = st.columns([5, 4], gap="medium")
a_left.latex(r"""\begin{aligned}
&\theta_{t,0} \leftarrow \phi_{t-1} \\
&\theta_{t,i} \leftarrow \theta_{t,i-1} + A(L, \theta_{t,i-1}, d),\; i = 1..k \\
&\phi_t \leftarrow \phi_{t-1} + \alpha\,(\theta_{t,k} - \phi_{t-1})
\end{aligned}""")
a_right.markdown(
    "Two copies of the weights. The **fast** ones θ explore: the inner optimizer moves them k times. "
    "The **slow** ones φ move only at a sync, a fraction α of the way towards where the fast weights got to "
    "(the dotted segment); then the fast weights restart from the new φ. When the fast weights bounce across "
    r"a valley, the old φ and $\theta_{t,k}$ sit on opposite sides, so the partial step lands nearer the "
    "valley floor.")

st.subheader("Does the choice of α and k matter?")
g_left, g_right = st.columns([3, 2], gap="medium")
grid = la_ui.cached_grid(surface.name, tuple(map(float, start)), inner, float(lr), int(steps))
with g_left:
    st.plotly_chart(la_ui.grid_figure(grid, (alpha, k)), theme=None, key="lookahead_grid",
                    alt="Heatmap of Lookahead's final loss over a grid of alpha and k")
with g_right:
    table = la_ui.PAPER_TABLE
    st.markdown("The paper's robustness check (ResNet-18, CIFAR-10, test accuracy %):\n\n"
                "| | k = 5 | k = 10 |\n|---|---|---|\n"
                + "".join(f"| α = {a} | {row[5]} | {row[10]} |\n" for a, row in table.items()))
    best, worst = la_ui.grid_extremes(grid)
    worst_text = "diverges" if worst[3] else f"ends at {worst[0]:.3g}"
    st.markdown(
        f"Each cell is one Lookahead run, all {grid['loss'].size} stepped together as one batch, each with the "
        f"same {steps} gradient steps; the framed cell is your setting. Column k = 1 is {label(inner)} with its "
        f"step shrunk to αt (α = 1: {label(inner)} alone). "
        f"Here the best cell reaches {best[0]:.3g} (α = {best[1]:g}, k = {best[2]}); the worst "
        f"{worst_text} (α = {worst[1]:g}, k = {worst[2]}). On real networks the paper's accuracy moved by a "
        "fraction of a percent; a two-parameter toy exaggerates the differences, yet broad patches of the grid "
        "do about equally well.")

st.subheader("Noisy gradients: less spread between runs")
n1, n2 = st.columns(2)
sigma = n1.slider("Gradient noise σ", 0.0, 5.0, D["noise"], step=0.25, key="lookahead_noise",
                  help="Standard deviation of the Gaussian noise added to every gradient (a model of mini-batches).")
seeds = n2.slider("Number of runs (seeds)", 2, 100, D["seeds"], key="lookahead_seeds",
                  help="How many noisy runs from the same start; each run draws its own noise.")
starts = np.tile(start, (seeds, 1))
noisy_alone = compute.run(inner, {"lr": lr}, surface.name, starts, steps, noise=sigma, seed=0, record=False)
noisy_la = compute.run("lookahead", {"k": k, "alpha": alpha}, surface.name, starts, steps, inner=inner,
                       inner_hyper={"lr": lr}, noise=sigma, seed=0, record=False)
v_left, v_right = st.columns(2, gap="medium")
with v_left:
    clouds = [(la_ui.alone_label(inner), noisy_alone["params"][-1], color(inner), "circle"),
              ("Lookahead", noisy_la["params"][-1], color("lookahead"), "diamond")]
    st.plotly_chart(la_ui.cloud_figure(surface, clouds), theme=None, key="lookahead_cloud",
                    alt="Final points of every noisy run, with and without Lookahead")
with v_right:
    bands = [(la_ui.alone_label(inner), noisy_alone["loss"], color(inner)),
             ("Lookahead", noisy_la["loss"], color("lookahead"))]
    st.plotly_chart(la_ui.spread_figure(np.arange(steps + 1), bands), theme=None, key="lookahead_spread",
                    alt="Mean loss over seeds with a one-standard-deviation band")
rows = []
for name, run in ((la_ui.alone_label(inner), noisy_alone), ("Lookahead", noisy_la)):
    s = la_ui.spread_stats(run["params"][-1], run["loss"][-1])
    rows.append(f"| {name} | {s['std_x']:.3f} | {s['std_y']:.3f} | {s['loss_mean']:.3g} ± {s['loss_std']:.2g} |")
    bad = np.asarray(run["diverged_at"]) >= 0
    if bad.any():
        st.warning(notices.divergence(f"{int(bad.sum())} of {seeds} {name} runs", int(run["diverged_at"][bad].min())))
st.markdown(f"Spread of the {seeds} runs after {steps} steps (σ = {sigma:g}):\n\n"
            "| | std of final x | std of final y | final loss, mean ± std |\n|---|---|---|---|\n"
            + "\n".join(rows))
st.markdown(r"Rewritten, the sync step is $\phi_t = (1-\alpha)\,\phi_{t-1} + \alpha\,\theta_{t,k}$: "
            "the slow weights keep a running average of where the fast runs ended, so part of the noise in each "
            "end point averages away. Both methods see the same noise draws (same seed), so the difference comes "
            "from the method alone.")
