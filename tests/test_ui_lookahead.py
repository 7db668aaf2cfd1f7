"""Lookahead page builders, called directly: every number checked against optim_core or by hand."""

import numpy as np
import pytest

import optim_core as oc
from ui import export
from ui.figures.algorithm import tex_number
from ui.figures.theme import OPTIMIZER_COLORS, color
from ui.pages import lookahead as L
from ui.registry import scene_state, widget_key
from ui.specs import LookaheadGrid
from ui.widgets import compute

QUAD = oc.get_surface("elongated_quadratic")  # L = ½(x² + 25 y²): SGD multiplies x by (1 − t), y by (1 − 25 t)
CURV = np.array([1.0, 25.0])


def _la_run(k, alpha, lr=0.078, steps=20, start=QUAD.start, surface=QUAD, inner="sgd") -> oc.Trajectory:
    opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer(inner, lr=lr), k=k, alpha=alpha)
    return oc.run(opt, surface, start, steps)


def _algorithm_1(phi0, lr, k, alpha, steps):
    """Zhang et al., Algorithm 1 with plain gradient descent as A, written as the paper's two loops.

    Returns φ_0, φ_1, … and, per outer iteration t, the fast points θ_{t,1..k} (the last
    iteration cut short when ``steps`` is not a multiple of k).
    """
    phis, fast = [np.asarray(phi0, dtype=float)], []
    while sum(map(len, fast)) < steps:
        theta = phis[-1].copy()  # θ_{t,0} = φ_{t−1}
        inner = []
        for _ in range(min(k, steps - sum(map(len, fast)))):
            theta = theta - lr * QUAD.grad(theta)  # θ_{t,i} = θ_{t,i−1} + A(L, θ_{t,i−1})
            inner.append(theta)
        fast.append(inner)
        if len(inner) == k:
            phis.append(phis[-1] + alpha * (theta - phis[-1]))  # φ_t = φ_{t−1} + α(θ_{t,k} − φ_{t−1})
    return phis, fast


def _data(fig, name):
    for i, t in enumerate(fig.data):
        if t.name == name:
            return i, t
    raise KeyError(name)


def _frame_xy(fig, step, name):
    """x, y of the moving trace ``name`` in the frame of ``step``."""
    index, _ = _data(fig, name)
    frame = next(f for f in fig.frames if f.name == str(step))
    pos = list(frame.traces).index(index)
    return np.column_stack([np.asarray(frame.data[pos].x, float), np.asarray(frame.data[pos].y, float)])


@pytest.mark.parametrize("k, alpha, lr, steps", [(5, 0.8, 0.078, 12), (3, 0.5, 0.06, 11), (1, 0.3, 0.02, 4)])
def test_geometry_is_algorithm_1_written_as_two_loops(k, alpha, lr, steps):
    run = _la_run(k, alpha, lr, steps=steps)
    rec = run.records
    geo = L.lookahead_geometry(QUAD.start, rec["slow"], rec["fast"], rec["synced"])
    phis, fast = _algorithm_1(QUAD.start, lr, k, alpha, steps)
    np.testing.assert_array_equal(geo["syncs"], np.arange(k, steps + 1, k))
    np.testing.assert_allclose(geo["seg_from"][0], QUAD.start)
    np.testing.assert_allclose(geo["seg_to"][0], QUAD.start)
    np.testing.assert_allclose(geo["phi"][0], QUAD.start)
    for t, inner in enumerate(fast, start=1):
        for i, theta in enumerate(inner, start=1):
            s = (t - 1) * k + i
            np.testing.assert_allclose(geo["seg_from"][s], phis[t - 1], rtol=1e-12)  # from φ_{t−1} ...
            np.testing.assert_allclose(geo["seg_to"][s], theta, rtol=1e-12)  # ... to θ_{t,i}, before any pull-back
            np.testing.assert_allclose(geo["phi"][s], phis[t] if i == k else phis[t - 1], rtol=1e-12)
    assert len(geo["before"]) == len(geo["theta_k"]) == steps // k
    for j in range(steps // k):  # the (t+1)-th sync: from φ_t towards θ_{t+1,k}
        np.testing.assert_allclose(geo["before"][j], phis[j], rtol=1e-12)
        np.testing.assert_allclose(geo["theta_k"][j], fast[j][-1], rtol=1e-12)
    assert len(geo["phi"]) == len(geo["seg_to"]) == steps + 1


def test_geometry_at_a_sync_is_the_hand_computed_pull_back():
    k, alpha, lr = 5, 0.8, 0.078
    run = _la_run(k, alpha, lr, steps=12)
    geo = L.lookahead_geometry(QUAD.start, run.records["slow"], run.records["fast"], run.records["synced"])
    # first cycle by hand: SGD on the bowl scales x by (1 − t) and y by (1 − 25t) per step
    phi0 = QUAD.start
    theta = phi0 * (1 - lr * CURV) ** 5
    phi1 = phi0 + alpha * (theta - phi0)
    np.testing.assert_allclose(geo["seg_to"][5], theta, rtol=1e-12)
    np.testing.assert_allclose(geo["phi"][5], phi1, rtol=1e-12)
    theta2 = phi1 * (1 - lr * CURV) ** 5
    np.testing.assert_allclose(geo["seg_to"][10], theta2, rtol=1e-11)
    np.testing.assert_allclose(geo["seg_to"][7], phi1 * (1 - lr * CURV) ** 2, rtol=1e-12)


def test_with_adam_inside_every_sync_cuts_the_segment_at_the_fraction_alpha():
    alpha = 0.35
    run = _la_run(4, alpha, lr=0.3, steps=30, inner="adam")
    geo = L.lookahead_geometry(QUAD.start, run.records["slow"], run.records["fast"], run.records["synced"])
    np.testing.assert_array_equal(geo["syncs"], [4, 8, 12, 16, 20, 24, 28])
    cut = geo["before"] + alpha * (geo["theta_k"] - geo["before"])
    np.testing.assert_allclose(geo["phi"][geo["syncs"]], cut, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(run.params[geo["syncs"]], cut, rtol=1e-12, atol=1e-14)  # the fast weights restart there
    off_sync = np.setdiff1d(np.arange(1, 31), geo["syncs"])
    np.testing.assert_allclose(geo["seg_to"][off_sync], run.params[off_sync])  # between syncs θ is the drawn point
    assert not np.allclose(geo["theta_k"], run.params[geo["syncs"]])  # at a sync it is not: the pull-back moved it


def test_path_figure_traces_equal_the_run():
    k, alpha = 5, 0.8
    run = _la_run(k, alpha, steps=20)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 20).params
    fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run)
    _, fast = _data(fig, L.fast_name())
    np.testing.assert_allclose(np.column_stack([fast.x, fast.y]), run.params)
    _, inner = _data(fig, "Gradient descent alone")
    np.testing.assert_allclose(np.column_stack([inner.x, inner.y]), alone)
    _, slow = _data(fig, L.slow_path_name())
    slow_xy = np.column_stack([slow.x, slow.y])
    phis, thetas = _algorithm_1(QUAD.start, 0.078, k, alpha, 20)
    np.testing.assert_allclose(slow_xy, np.array(phis), rtol=1e-12)  # φ_0 = start, then one ◆ per sync
    # 21 points → one frame per step; at the sync step 10 the segment is (φ_1, θ_{2,5}), φ now is φ_2
    assert [f.name for f in fig.frames] == [str(s) for s in range(21)]
    np.testing.assert_allclose(_frame_xy(fig, 10, L.segment_name()), [phis[1], thetas[1][-1]], rtol=1e-11)
    np.testing.assert_allclose(_frame_xy(fig, 10, L.slow_now_name())[0], phis[2], rtol=1e-11)
    np.testing.assert_allclose(_frame_xy(fig, 7, L.segment_name()), [phis[1], thetas[1][1]], rtol=1e-11)
    # the bold slow path grows: start + the syncs reached so far
    assert len(_frame_xy(fig, 4, L.slow_so_far_name())) == 1
    np.testing.assert_allclose(_frame_xy(fig, 12, L.slow_so_far_name()), slow_xy[:3])
    names = {t.name: t.showlegend for t in fig.data if t.name in ("minimum", "start")}
    assert names == {"minimum": None, "start": None}  # this picture keeps its landmarks in the legend


def test_k1_alpha1_fast_path_is_the_inner_path():
    run = _la_run(1, 1.0, steps=40)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 40).params
    np.testing.assert_allclose(run.params, alone, rtol=1e-13)
    fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run)
    _, fast = _data(fig, L.fast_name())
    np.testing.assert_allclose(np.column_stack([fast.x, fast.y]), alone, rtol=1e-13)
    _, slow = _data(fig, L.slow_path_name())
    np.testing.assert_allclose(np.column_stack([slow.x, slow.y]), alone, rtol=1e-13)  # a sync every step


def _grid(lr, steps, start=(-5.0, 1.5)):
    return compute.lookahead_grid(compute.spec("sgd", lr=lr), "elongated_quadratic", start, steps,
                                  L.GRID_ALPHAS, L.GRID_KS)


def _cell(grid, alpha, k):
    """Row and column of the cell (α, k), found from the grid's own axes."""
    return int(np.flatnonzero(np.isclose(grid.alphas, alpha))[0]), int(np.flatnonzero(grid.ks == k)[0])


def test_grid_text_quotes_the_best_and_worst_cell_of_a_real_grid():
    grid = _grid(0.078, 50)
    assert grid.loss.shape == (10, 8) and not grid.diverged.any()
    single = {(a, k): _la_run(k, a, 0.078, 50).loss[-1] for a in L.GRID_ALPHAS for k in L.GRID_KS}
    (a_best, k_best), (a_worst, k_worst) = min(single, key=single.get), max(single, key=single.get)
    best, worst = L.grid_extremes(grid)
    assert best[1:] == (a_best, k_best, False) and best[0] == pytest.approx(single[(a_best, k_best)], rel=1e-10)
    assert worst[1:] == (a_worst, k_worst, False) and worst[0] == pytest.approx(single[(a_worst, k_worst)], rel=1e-10)
    text = L.grid_text(grid, "sgd", 50)
    assert "all 80 stepped together" in text and "same 50 gradient steps" in text
    assert f"the best cell reaches {single[(a_best, k_best)]:.3g} (α = {a_best:g}, k = {k_best})" in text
    assert f"the worst ends at {single[(a_worst, k_worst)]:.3g} (α = {a_worst:g}, k = {k_worst})" in text
    assert "Column k = 1 is Gradient descent with its step shrunk to αt" in text


def test_grid_corner_is_the_inner_optimizer_and_divergence_is_flagged():
    grid = _grid(0.09, 60)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.09), QUAD, QUAD.start, 60)
    assert alone.diverged  # |1 − 25·0.09| = 1.25 > 1
    r, c = _cell(grid, 1.0, 1)
    assert grid.diverged[r, c]
    np.testing.assert_allclose(grid.loss[r, c], alone.loss[-1])
    # k = 5, α = 0.5 survives the same step size: per cycle y shrinks by |0.5 + 0.5 (1 − 25·0.09)^5| < 1
    assert not grid.diverged[_cell(grid, 0.5, 5)]
    fig = L.grid_figure(grid)
    assert fig.data[0].text[r][c] == "div."
    worst = L.grid_extremes(grid)[1]
    assert worst[3] and "the worst diverges" in L.grid_text(grid, "sgd", 60)


def test_grid_figure_numbers():
    loss = np.array([[1.0, 1e-3], [0.17, 250.0]])
    grid = compute.LookaheadGrid(np.array([0.5, 1.0]), np.array([1, 5]), loss,
                                 np.array([[False, False], [False, True]]))
    fig = L.grid_figure(grid, current=(1.0, 5))
    np.testing.assert_allclose(np.asarray(fig.data[0].z, float), [[0.0, -3.0], [-0.769551, 2.39794]], rtol=1e-6)
    assert [list(r) for r in fig.data[0].text] == [["1.0", "1e-3"], ["0.17", "div."]]
    assert list(fig.data[0].x) == ["1", "5"] and list(fig.data[0].y) == ["0.5", "1"]
    rect = fig.layout.shapes[0]
    assert (rect.x0, rect.x1, rect.y0, rect.y1) == (0.5, 1.5, 0.5, 1.5)
    assert not L.grid_figure(grid, current=(0.55, 5)).layout.shapes  # not a grid cell: no frame
    best, worst = L.grid_extremes(grid)
    assert best == (1e-3, 0.5, 5, False) and worst == (250.0, 1.0, 5, True)
    assert fig.layout.xaxis.type == "category" and fig.layout.xaxis.title.text == "k (fast steps per sync)"


@pytest.mark.parametrize("value, text", [(0.0, "0"), (3.2e-5, "3e-5"), (0.017, ".017"), (0.17, "0.17"),
                                         (4.46, "4.5"), (23.4, "23"), (4.17e4, "4e4"), (np.inf, "inf")])
def test_short_number(value, text):
    assert L.short_number(value) == text


def test_spread_stats_by_hand():
    s = L.spread_stats([[0.0, 1.0], [2.0, 1.0], [1.0, 4.0], [1.0, -2.0]], [1.0, 3.0, 1.0, 3.0])
    assert s["std_x"] == pytest.approx(np.sqrt(0.5))  # deviations −1, 1, 0, 0
    assert s["std_y"] == pytest.approx(np.sqrt(4.5))  # deviations 0, 0, 3, −3
    assert s["radius"] == pytest.approx(np.sqrt(5.0))
    assert s["loss_mean"] == 2.0 and s["loss_std"] == 1.0


def test_cloud_figure_points_means_and_square_zoom():
    a = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    b = np.array([[0.2, 0.2], [0.4, 0.4]])
    fig = L.cloud_figure(QUAD, [("A", a, "#000000", "circle"), ("B", b, "#D55E00", "diamond")])
    _, ta = _data(fig, "A")
    np.testing.assert_allclose(np.column_stack([ta.x, ta.y]), a)
    _, mb = _data(fig, "B: mean")
    np.testing.assert_allclose([mb.x[0], mb.y[0]], [0.3, 0.3])
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    assert x1 - x0 == pytest.approx(y1 - y0)
    pts = np.vstack([a, b])
    assert x0 < pts[:, 0].min() and pts[:, 0].max() < x1 and y0 < pts[:, 1].min() and pts[:, 1].max() < y1
    assert fig.layout.yaxis.scaleanchor == "x"
    # all seeds at one point (σ = 0): a small but non-empty window
    one = L.cloud_figure(QUAD, [("A", np.zeros((3, 2)), "#000000", "circle")])
    assert one.layout.xaxis.range[1] - one.layout.xaxis.range[0] == pytest.approx(2 * 0.05 * 3.0)


def test_spread_figure_mean_and_band():
    loss = np.array([[1.0, 3.0], [2.0, 2.0], [0.0, 4.0]])  # 3 steps × 2 seeds
    fig = L.spread_figure([("A", loss, "#000000")])
    upper, lower, mean = fig.data
    np.testing.assert_allclose(mean.y, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(upper.y, [3.0, 2.0, 4.0])
    np.testing.assert_allclose(lower.y, [1.0, 2.0, 0.0])
    np.testing.assert_array_equal(mean.x, [0, 1, 2])  # one point per step, from step 0
    assert lower.fill == "tonexty" and lower.fillcolor == "rgba(0, 0, 0, 0.2)" and mean.name == "A: mean ± std"
    assert fig.layout.xaxis.title.text == "step" and fig.layout.yaxis.title.text == "loss over seeds"
    long = L.spread_figure([("A", np.ones((1001, 2)), "#000000")], max_points=300)
    assert len(long.data[2].x) <= 300 and long.data[2].x[0] == 0 and long.data[2].x[-1] == 1000


def test_spread_table_and_caption_quote_real_runs():
    starts = np.tile(QUAD.start, (6, 1))
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, starts, 30, noise=2.0, seed=0)
    la = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=0.078), k=5, alpha=0.8),
                QUAD, starts, 30, noise=2.0, seed=0)
    pairs = L.compared("sgd", alone, la)
    assert [(n, c, m) for n, _, c, m in pairs] == [("Gradient descent alone", color("sgd"), "circle"),
                                                   ("Lookahead", color("lookahead"), "diamond")]
    table = L.spread_table([(n, r) for n, r, *_ in pairs], 2.0)
    assert table.startswith("Spread of the 6 runs after 30 steps (σ = 2):")
    for name, run in (("Gradient descent alone", alone), ("Lookahead", la)):
        sx, sy = run.params[-1].std(axis=0)
        loss = run.loss[-1]
        assert f"| {name} | {sx:.3f} | {sy:.3f} | {loss.mean():.3g} ± {loss.std():.2g} |" in table
    one = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=0.078), k=5, alpha=0.8),
                 QUAD, QUAD.start, 30)
    gd = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 30)
    caption = L.summary_caption("sgd", gd, one, 5, 0.8)
    assert caption.startswith(f"After 30 steps: Gradient descent alone loss {gd.loss[-1]:.3g} · Lookahead "
                              f"(k=5, α=0.8) loss {one.loss[-1]:.3g}, 6 syncs.")


def test_paper_table_is_the_deck_s_numbers():
    table = L.paper_table()
    assert "| α = 0.5 | 78.24 ± .02 | 78.19 ± .22 |" in table
    assert "| α = 0.8 | 78.27 ± .04 | 77.94 ± .22 |" in table
    assert "| | k = 5 | k = 10 |" in table


def test_rgba():
    assert L.rgba("#D55E00", 0.5) == "rgba(213, 94, 0, 0.5)"


def test_defaults_are_valid_widget_values_and_read_only():
    D = L.DEFAULTS
    assert L.K_RANGE[0] <= D.k <= L.K_RANGE[1] and L.ALPHA_RANGE[0] <= D.alpha <= L.ALPHA_RANGE[1]
    for inner in L.INNER_OPTIONS:
        assert D.lr[inner] in L.LR_OPTIONS[inner]
    assert D.surface in oc.SURFACE_NAMES and D.inner in L.INNER_OPTIONS
    with pytest.raises(AttributeError):
        D.k = 7
    with pytest.raises(TypeError):
        D.lr["sgd"] = 0.1


def _hand_grid(lr, steps=50, alphas=L.GRID_ALPHAS, ks=L.GRID_KS):
    """The α × k grid by hand: on ½(x² + 25y²) each gradient step multiplies x by 1 − t and y by 1 − 25t, so a
    whole Lookahead cycle multiplies each coordinate by 1 − α + α rᵏ; a last, unfinished cycle by rʲ."""
    r = np.array([1 - lr, 1 - 25 * lr])
    loss = np.empty((len(alphas), len(ks)))
    for i, a in enumerate(alphas):
        for j, k in enumerate(ks):
            p = QUAD.start * (1 - a + a * r ** k) ** (steps // k) * r ** (steps % k)
            loss[i, j] = 0.5 * (p[0] ** 2 + 25 * p[1] ** 2)
    return LookaheadGrid(np.array(alphas), np.array(ks), loss, np.zeros_like(loss, bool))


def test_the_hand_grid_is_the_engines():
    np.testing.assert_allclose(_hand_grid(0.078).loss, _grid(0.078, 50).loss, rtol=1e-9)


def test_at_the_default_step_size_k_hardly_matters_and_the_grid_is_not_striped():
    grid = _hand_grid(L.DEFAULTS.lr["sgd"])
    row = grid.loss[list(L.GRID_ALPHAS).index(0.8)]
    assert row.max() / row.min() < 2  # along the paper's α = 0.8 every k ends within a factor of 2
    assert L.row_spread(grid, 0.8) == pytest.approx(row.max() / row.min())
    assert abs(L.parity_gap(grid)) < 0.2
    text = L.grid_text(grid, "sgd", 50, 0.8)
    assert f"k changes the final loss by a factor of {row.max() / row.min():.2g} at most" in text
    assert "Why stripes" not in text


def test_near_the_stability_limit_the_parity_of_k_stripes_the_grid_and_the_text_says_why():
    # t = 0.078: r_y = 1 − 1.95 = −0.95. Per cycle φ_y is multiplied by 1 − α − α·0.95ᵏ for odd k (k = 5, α = 0.8:
    # −0.42, towards the floor) but by 1 − α + α·0.95ᵏ for even k (k = 2: +0.92, hardly any progress)
    assert 1 - 0.8 - 0.8 * 0.95 ** 5 == pytest.approx(-0.4190, abs=1e-4)
    assert 1 - 0.8 + 0.8 * 0.95 ** 2 == pytest.approx(0.922)
    grid = _hand_grid(0.078)
    even = grid.loss[:-1, [1, 4, 5, 7]]  # k = 2, 8, 10, 20
    odd = grid.loss[:-1, [0, 2, 3, 6]]  # k = 1, 3, 5, 15
    gap = np.mean(np.log10(even).mean(axis=1) - np.log10(odd).mean(axis=1))
    assert L.parity_gap(grid) == pytest.approx(gap) and gap > 0.5
    text = L.grid_text(grid, "sgd", 50, 0.8)
    assert "**Why stripes?**" in text and "parity of k decides which wall" in text
    assert L.row_spread(grid, 0.8) > 20
    assert "Why stripes" not in L.grid_text(grid, "adam", 50, 0.8)  # the explanation is about gradient descent


def test_parity_gap_counts_a_diverged_cell_as_the_worst():
    grid = LookaheadGrid(np.array([0.5, 1.0]), np.array([1, 2]), np.array([[1e-4, np.inf], [1.0, 1.0]]),
                         np.array([[False, True], [False, False]]))
    assert L.parity_gap(grid) == pytest.approx(np.log10(1.0) - np.log10(1e-4))  # the worst finite cell is 1
    assert L.row_spread(grid, 0.5) is None and L.row_spread(grid, 0.3) is None


def test_slow_weights_have_their_own_colour_and_a_solid_line():
    run = _la_run(5, 0.8, steps=20)
    fig = L.path_figure(QUAD, QUAD.start, "sgd", oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start,
                                                          20).params, run)
    _, slow = _data(fig, L.slow_path_name())
    _, fast = _data(fig, L.fast_name())
    assert slow.line.color == slow.marker.color == L.SLOW_COLOR != fast.line.color
    assert L.SLOW_COLOR not in OPTIMIZER_COLORS.values() and slow.line.width >= 3 and slow.opacity in (None, 1)
    assert slow.marker.symbol == "diamond"
    _, now = _data(fig, L.slow_now_name())
    assert now.marker.color == L.SLOW_COLOR


def test_the_paper_table_notes_the_data_set():
    table = L.paper_table()
    assert "ResNet-18, CIFAR-10" in table and "CIFAR-100" in table.splitlines()[-1]


def test_scenes_set_every_widget_of_the_page():
    keys = {"surface", "x", "y", "steps", "k", "alpha", "inner", "lr", "noise", "seeds"}
    assert [s.title for s in L.SCENES] == ["Robust to α and k", "Near the stability limit: parity of k",
                                          "Four minima, a step too large for gradient descent", "Noisy gradients"]
    for scene in L.SCENES:
        s = scene.settings
        surface = "himmelblau" if scene.name == "large_step" else "elongated_quadratic"
        assert set(s) == keys and (s["surface"], s["inner"]) == (surface, "sgd"), scene.name
        assert s["lr"] in L.LR_OPTIONS["sgd"] and 10 <= s["steps"] <= 200 and s["steps"] % 10 == 0
        state = scene_state(scene)  # the step size is kept per inner optimizer, the start per surface
        assert state[widget_key("lookahead", "lr", "sgd")] == s["lr"]
        assert state[widget_key("lookahead", "start", surface)] == (s["x"], s["y"])
        (x0, x1), (y0, y1) = oc.get_surface(surface).bounds
        assert x0 <= s["x"] <= x1 and y0 <= s["y"] <= y1
    (x0, x1), _ = HIMMELBLAU.bounds  # the Himmelblau scene's start is on the start sliders' grid (steps of 0.05)
    large = next(s for s in L.SCENES if s.name == "large_step").settings
    for value in (large["x"], large["y"]):
        assert (value - x0) / ((x1 - x0) / 200) == pytest.approx(round((value - x0) / ((x1 - x0) / 200)), abs=1e-9)
    robust = L.SCENES[0].settings  # the page opens on this scene
    assert (robust["lr"], robust["k"], robust["alpha"]) == (
        L.DEFAULTS.lr["sgd"], L.DEFAULTS.k, L.DEFAULTS.alpha)


# --- the step view: one step of Algorithm 1, drawn and written -------------------------------


@pytest.mark.parametrize("k, alpha, lr, steps", [(5, 0.8, 0.078, 12), (3, 0.5, 0.06, 11), (1, 0.3, 0.02, 4)])
def test_step_parts_are_algorithm_1_written_as_two_loops(k, alpha, lr, steps):
    run = _la_run(k, alpha, lr, steps=steps)
    phis, fast = _algorithm_1(QUAD.start, lr, k, alpha, steps)
    assert L.step_parts(run, k, 0) is None
    for t, inner in enumerate(fast, start=1):
        for i, theta in enumerate(inner, start=1):
            n = (t - 1) * k + i
            p = L.step_parts(run, k, n)
            assert (p["t"], p["i"], p["synced"]) == (t, i, i == k)
            before = phis[t - 1] if i == 1 else inner[i - 2]  # θ_{t,i−1}: θ_{t,0} = φ_{t−1}
            np.testing.assert_allclose(p["phi_before"], phis[t - 1], rtol=1e-12)
            np.testing.assert_allclose(p["at"], before, rtol=1e-12)
            np.testing.assert_allclose(p["grad"], CURV * before, rtol=1e-12)  # ∇½(x² + 25y²) = (x, 25y)
            np.testing.assert_allclose(p["inner_step"], -lr * CURV * before, rtol=1e-10, atol=1e-15)
            np.testing.assert_allclose(p["theta"], theta, rtol=1e-12)
            np.testing.assert_allclose(p["phi"], phis[t] if i == k else phis[t - 1], rtol=1e-12)
            np.testing.assert_allclose(p["next"], phis[t] if i == k else theta, rtol=1e-12)


def _marked(table: str) -> str:
    return next(line for line in table.splitlines() if line.startswith(r"\blacktriangleright"))


def test_step_table_marks_the_inner_update_on_a_fast_step_and_the_slow_update_on_a_sync():
    k, alpha, lr = 5, 0.8, 0.078
    run = _la_run(k, alpha, lr, steps=12)
    phis, fast = _algorithm_1(QUAD.start, lr, k, alpha, 12)
    start = L.step_table(run, "sgd", lr, k, alpha, 0)
    assert r"\phi_0 = \text{start}" in _marked(start) and "& -5 & 1.5" in _marked(start)
    # step 7 = fast step 2 of cycle 2: θ_{2,2} ← θ_{2,1} + A(L, θ_{2,1}, d), with A = −0.078 ∇L
    seven = L.step_table(run, "sgd", lr, k, alpha, 7)
    assert r"& \text{fast step } i = 2 \text{ of } 5 & W_1 & W_2" in seven
    assert r"\theta_{2,2} \leftarrow \theta_{2,1} + A" in _marked(seven)
    assert _marked(seven).endswith(f"& {tex_number(fast[1][1][0])} & {tex_number(fast[1][1][1])} \\\\")
    assert r"A = -0.078\,\nabla L(\theta_{2,1})" in seven
    assert r"\phi_{2} \leftarrow \phi_{1} + 0.8(\theta_{2,5} - \phi_{1}) &  &  \\" in seven  # no numbers yet
    assert len(seven.splitlines()) == 1 + 6
    # step 10 = the second sync: φ_2 ← φ_1 + 0.8(θ_{2,5} − φ_1), then θ_{3,0} ← φ_2
    ten = L.step_table(run, "sgd", lr, k, alpha, 10)
    assert r"\phi_{2} \leftarrow \phi_{1} + 0.8(\theta_{2,5} - \phi_{1})" in _marked(ten)
    assert _marked(ten).endswith(f"& {tex_number(phis[2][0])} & {tex_number(phis[2][1])} \\\\")
    assert rf"\theta_{{3,0}} \leftarrow \phi_{{2}} & {tex_number(phis[2][0])}" in ten
    assert "fast step } i = 5 \\text{ of } 5" in ten and len(ten.splitlines()) == 1 + 7


def test_adam_inside_writes_its_own_move():
    run = _la_run(4, 0.5, lr=0.3, steps=8, inner="adam")
    table = L.step_table(run, "adam", 0.3, 4, 0.5, 3)
    assert r"A = -0.3\,\hat m / (\sqrt{\hat v} + \epsilon)" in table
    rec = run.records  # the move is Adam's −t·m̂/(√v̂ + ε), eps = 1e-8 by default
    move = -0.3 * rec["m_hat"][2] / (np.sqrt(rec["v_hat"][2]) + 1e-8)
    np.testing.assert_allclose(L.step_parts(run, 4, 3)["inner_step"], move, rtol=1e-12)
    assert f"& {tex_number(move[0])} & {tex_number(move[1])}" in table


def test_path_figure_at_a_step_marks_theta_phi_and_the_pull_back():
    k, alpha, lr = 5, 0.8, 0.078
    run = _la_run(k, alpha, lr, steps=20)
    alone = oc.run(oc.make_optimizer("sgd", lr=lr), QUAD, QUAD.start, 20).params
    phis, fast = _algorithm_1(QUAD.start, lr, k, alpha, 20)
    for n, theta, phi, pull in ((0, QUAD.start, QUAD.start, False), (7, fast[1][1], phis[1], False),
                                (10, fast[1][-1], phis[2], True)):
        fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run, at_step=n)
        assert not fig.layout.sliders  # the page's step slider is the scrubber
        assert [f.name for f in fig.frames] == [str(s) for s in range(21)]
        assert not fig.layout.updatemenus  # the page's step row plays it on from the step
        for name, point in ((L.fast_now_name(), theta), (L.slow_now_name(), phi)):
            _, tr = _data(fig, name)
            np.testing.assert_allclose([tr.x[0], tr.y[0]], point, rtol=1e-12)
        _, arrow = _data(fig, L.pull_name())
        if pull:  # from θ_{2,5} back to φ_2 = φ_1 + 0.8(θ_{2,5} − φ_1): 1 − α of the segment
            np.testing.assert_allclose(np.column_stack([arrow.x, arrow.y]), [fast[1][-1], phis[2]], rtol=1e-12)
            np.testing.assert_allclose(phis[2] - fast[1][-1], (1 - alpha) * (phis[1] - fast[1][-1]), rtol=1e-12)
        else:
            assert list(arrow.x) == [None] and list(arrow.y) == [None]
    # in the frames too: a pull-back at each sync (5, 10, 15, 20) and none elsewhere
    fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run, at_step=3)
    drawn = [s for s in range(21) if _frame_xy(fig, s, L.pull_name())[0, 0] == _frame_xy(fig, s, L.pull_name())[0, 0]]
    assert drawn == [5, 10, 15, 20]
    np.testing.assert_allclose(_frame_xy(fig, 15, L.fast_now_name())[0], fast[2][-1], rtol=1e-11)


def test_step_captions_say_which_fast_step_and_where_the_sync_is():
    run = _la_run(5, 0.8, steps=12)
    assert L.step_caption(run, 5, 0).startswith("Step 0: the start")
    assert L.step_caption(run, 5, 3).startswith("Step 3: fast step 3 of 5.")
    assert "wait for the sync at step 5" in L.step_caption(run, 5, 3)
    assert "wait for a sync after the last step" in L.step_caption(run, 5, 12)  # 12 steps: no third sync
    ten = L.step_caption(run, 5, 10)
    assert ten.startswith("Step 10: fast step 5 of 5, a sync.")
    assert r"$\phi_{2} = \phi_{1} + \alpha\,(\theta_{2,5} - \phi_{1})$" in ten


def test_the_export_of_the_page_s_runs_carries_slow_and_fast():
    run = _la_run(5, 0.8, steps=12)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 12)
    table = export.read_csv(export.trajectories_csv({"Gradient descent alone": alone, "Lookahead": run},
                                                    ("slow", "fast")))
    la = table["Lookahead"]
    np.testing.assert_array_equal(np.column_stack([la["x"], la["y"]]), run.params)
    np.testing.assert_array_equal(np.column_stack([la["slow_x"], la["slow_y"]])[1:], run.records["slow"])
    np.testing.assert_array_equal(np.column_stack([la["fast_x"], la["fast_y"]])[1:], run.records["fast"])
    assert np.isnan(table["Gradient descent alone"]["slow_x"]).all()  # the inner optimizer alone has no φ


# --- Himmelblau: a step too large for gradient descent, not for Lookahead -----------------------

HIMMELBLAU = oc.get_surface("himmelblau")


def test_the_large_step_is_beyond_gradient_descent_s_stability_limit_at_every_minimum():
    """2/λ_max of the Hessian at each of Himmelblau's minima, by hand from its second derivatives: the scene's
    t = 0.026 is above all four, so no minimum is a stable fixed point of θ ← θ − t∇L."""
    x, y = HIMMELBLAU.minima.T
    a, b = x * x + y - 11, x + y * y - 7  # both 0 at a minimum of (x² + y − 11)² + (x + y² − 7)²
    hxx, hxy, hyy = 4 * a + 8 * x * x + 2, 4 * (x + y), 2 + 4 * b + 8 * y * y
    lam_max = (hxx + hyy) / 2 + np.sqrt(((hxx - hyy) / 2) ** 2 + hxy ** 2)
    np.testing.assert_allclose(lam_max, np.linalg.eigvalsh(HIMMELBLAU.hessian(HIMMELBLAU.minima))[:, -1], rtol=1e-12)
    np.testing.assert_allclose(2 / lam_max, [0.02431, 0.02483, 0.01495, 0.01897], atol=5e-6)
    assert L.LARGE_STEP["lr"] > (2 / lam_max).max()
    # with k = 5, α = 0.5 a sync multiplies the stiff direction near (3, 2) by 1 − α(1 − r⁵), r = 1 − tλ_max:
    # |·| < 1 while α(1 + |r|⁵) < 2, which t = 0.026 meets and t = 0.028 does not
    for lr, stable in ((0.026, True), (0.028, False)):
        r = 1 - lr * lam_max[0]
        assert r < -1 and (abs(1 - 0.5 * (1 - r ** 5)) < 1) == stable


def _large_step_runs(start, lr, k, alpha, steps):
    """Gradient descent alone and Lookahead around it on Himmelblau from a batch of starts."""
    sgd = oc.make_optimizer("sgd", lr=lr)
    la = oc.make_optimizer("lookahead", inner=sgd, k=k, alpha=alpha)
    return (oc.run(sgd, HIMMELBLAU, start, steps, record=False), oc.run(la, HIMMELBLAU, start, steps, record=False))


def _gap(points) -> np.ndarray:
    """Distance from the nearest of Himmelblau's four minima."""
    return np.linalg.norm(np.asarray(points)[..., None, :] - HIMMELBLAU.minima, axis=-1).min(axis=-1)


@pytest.mark.parametrize("lr, k, alpha", [(0.025, 3, 0.4), (0.025, 5, 0.55), (0.026, 3, 0.55), (0.026, 5, 0.4),
                                          (0.026, 5, 0.45), (0.026, 5, 0.5), (0.026, 5, 0.55)])
def test_the_large_step_scene_is_no_knife_edge(lr, k, alpha):
    """Around the scene's setting (t = 0.026, k = 5, α = 0.5 from (0, 0), 150 steps): every start within ±0.1 of it
    on the start sliders' 0.05 grid, and 150 or 200 steps, end the same way: gradient descent alone oscillating
    ≥ 0.26 from every minimum with its loss ≥ 3, Lookahead converged within 1e-6 of (3, 2)."""
    grid = np.arange(-0.1, 0.1001, 0.05)
    starts = np.array([(x, y) for x in grid for y in grid])
    for steps in (150, 200):
        alone, la = _large_step_runs(starts, lr, k, alpha, steps)
        assert set(oc.status(alone, HIMMELBLAU)) == {"oscillating"}
        assert _gap(alone.params[-1]).min() > 0.26 and alone.loss[-1].min() > 3.0
        assert set(oc.status(la, HIMMELBLAU)) == {"converged"}
        assert np.linalg.norm(la.params[-1] - [3.0, 2.0], axis=-1).max() < 1e-6


@pytest.mark.parametrize("lr, k, alpha", [(0.026, 4, 0.5), (0.026, 6, 0.5), (0.026, 5, 0.8), (0.028, 5, 0.5)])
def test_beyond_the_margin_the_caption_names_lookahead_bounces_too(lr, k, alpha):
    """What the scene's caption says Lookahead does not survive: an even k, α = 0.8, t = 0.028."""
    _, la = _large_step_runs(np.zeros(2), lr, k, alpha, L.LARGE_STEP["steps"])
    assert str(oc.status(la, HIMMELBLAU)) == "oscillating" and _gap(la.params[-1]) > 0.1


def test_nearest_minimum_text_names_the_minimum_and_the_distance():
    alone, la = _large_step_runs(np.zeros(2), 0.026, 5, 0.5, 150)
    text = L.nearest_minimum_text(HIMMELBLAU, [("Gradient descent alone", alone), ("Lookahead", la)])
    gap_alone, gap_la = np.linalg.norm(alone.params[-1] - [3, 2]), np.linalg.norm(la.params[-1] - [3, 2])
    assert gap_alone == pytest.approx(0.3853, abs=1e-4) and gap_la < 1e-10
    assert text == (f"Distance from the nearest minimum after 150 steps: Gradient descent alone {gap_alone:.3g} "
                    f"from (3, 2) · Lookahead {gap_la:.3g} from (3, 2).")
    _, other = _large_step_runs(np.array([-1.5, 1.5]), 0.026, 5, 0.5, 150)  # another basin: the minimum written out
    assert L.nearest_minimum_text(HIMMELBLAU, [("Lookahead", other)]).endswith("from (-2.805, 3.131).")
    assert L.nearest_minimum_text(QUAD, [("Lookahead", la)]) is None  # one minimum: nothing to tell apart
