"""Lookahead page builders, called directly: every number checked against optim_core or by hand."""

import numpy as np
import pytest

import optim_core as oc
from ui import lookahead as L

QUAD = oc.get_surface("elongated_quadratic")  # L = ½(x² + 25 y²): SGD multiplies x by (1 − t), y by (1 − 25 t)
CURV = np.array([1.0, 25.0])


def _la_run(k, alpha, lr=0.078, steps=20, start=QUAD.start, surface=QUAD):
    opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=lr), k=k, alpha=alpha)
    traj = oc.run(opt, surface, start, steps)
    return {"params": traj.params, "records": traj.records, "loss": traj.loss}


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


def test_geometry_at_a_sync_is_the_hand_computed_pull_back():
    k, alpha, lr = 5, 0.8, 0.078
    run = _la_run(k, alpha, lr, steps=12)
    geo = L.lookahead_geometry(QUAD.start, run["params"], run["records"]["slow"], run["records"]["synced"], alpha)
    np.testing.assert_array_equal(geo["syncs"], [5, 10])
    # first cycle by hand: θ_{1,5} = φ_0 (1 − t c)^5, φ_1 = φ_0 + α (θ_{1,5} − φ_0)
    phi0 = QUAD.start
    theta = phi0 * (1 - lr * CURV) ** 5
    phi1 = phi0 + alpha * (theta - phi0)
    np.testing.assert_allclose(geo["seg_from"][5], phi0)
    np.testing.assert_allclose(geo["seg_to"][5], theta, rtol=1e-12)
    np.testing.assert_allclose(geo["phi"][5], phi1, rtol=1e-12)
    np.testing.assert_allclose(geo["phi"][5], geo["before"][0] + alpha * (geo["theta_k"][0] - geo["before"][0]))
    # second cycle: restart from φ_1, five more SGD steps
    theta2 = phi1 * (1 - lr * CURV) ** 5
    np.testing.assert_allclose(geo["seg_from"][10], phi1, rtol=1e-12)
    np.testing.assert_allclose(geo["seg_to"][10], theta2, rtol=1e-11)
    np.testing.assert_allclose(geo["phi"][10], phi1 + alpha * (theta2 - phi1), rtol=1e-11)
    # between syncs: from the current φ to the current fast point θ_{t,i}
    np.testing.assert_allclose(geo["seg_from"][7], phi1, rtol=1e-12)
    np.testing.assert_allclose(geo["seg_to"][7], phi1 * (1 - lr * CURV) ** 2, rtol=1e-12)
    np.testing.assert_allclose(geo["phi"][3], phi0)
    np.testing.assert_allclose(geo["seg_to"][0], phi0)


def test_path_figure_traces_equal_the_run():
    k, alpha = 5, 0.8
    run = _la_run(k, alpha, steps=20)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 20).params
    fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run, alpha)
    _, fast = _data(fig, L.FAST_NAME)
    np.testing.assert_allclose(np.column_stack([fast.x, fast.y]), run["params"])
    _, inner = _data(fig, "Gradient descent alone")
    np.testing.assert_allclose(np.column_stack([inner.x, inner.y]), alone)
    _, slow = _data(fig, L.SLOW_PATH_NAME)
    slow_xy = np.column_stack([slow.x, slow.y])
    np.testing.assert_allclose(slow_xy[0], QUAD.start)
    np.testing.assert_allclose(slow_xy[1:], run["records"]["slow"][run["records"]["synced"]])
    assert len(slow_xy) == 1 + 20 // k
    # 21 points → one frame per step; at the sync step 10 the segment is (φ_1, θ_{2,5}), φ now is φ_2
    assert [f.name for f in fig.frames] == [str(s) for s in range(21)]
    phi = np.vstack([QUAD.start, run["records"]["slow"]])
    theta = phi[5] * (1 - 0.078 * CURV) ** 5
    np.testing.assert_allclose(_frame_xy(fig, 10, L.SEGMENT_NAME), [phi[5], theta], rtol=1e-11)
    np.testing.assert_allclose(_frame_xy(fig, 10, L.SLOW_NOW_NAME)[0], phi[5] + alpha * (theta - phi[5]),
                               rtol=1e-11)
    # the bold slow path grows: start + the syncs reached so far
    assert len(_frame_xy(fig, 4, L.SLOW_SO_FAR_NAME)) == 1
    np.testing.assert_allclose(_frame_xy(fig, 12, L.SLOW_SO_FAR_NAME), slow_xy[:3])


def test_k1_alpha1_fast_path_is_the_inner_path():
    run = _la_run(1, 1.0, steps=40)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, QUAD.start, 40).params
    np.testing.assert_allclose(run["params"], alone, rtol=1e-13)
    fig = L.path_figure(QUAD, QUAD.start, "sgd", alone, run, 1.0)
    _, fast = _data(fig, L.FAST_NAME)
    np.testing.assert_allclose(np.column_stack([fast.x, fast.y]), alone, rtol=1e-13)


@pytest.mark.parametrize("cell", [(0.5, 10), (0.8, 5), (0.3, 3)])
def test_grid_cells_equal_single_runs(cell):
    start, steps, lr = (-5.0, 1.5), 50, 0.078
    grid = L.grid_final_loss("elongated_quadratic", start, "sgd", lr, steps)
    assert grid["loss"].shape == (len(L.GRID_ALPHAS), len(L.GRID_KS))
    alpha, k = cell
    r, c = L.GRID_ALPHAS.index(alpha), L.GRID_KS.index(k)
    single = _la_run(k, alpha, lr, steps, start=np.array(start))
    np.testing.assert_allclose(grid["loss"][r, c], single["loss"][-1], rtol=1e-10)
    assert not grid["diverged"].any()


def test_grid_corner_is_the_inner_optimizer_and_divergence_is_flagged():
    grid = L.grid_final_loss("elongated_quadratic", (-5.0, 1.5), "sgd", 0.09, 60)
    alone = oc.run(oc.make_optimizer("sgd", lr=0.09), QUAD, QUAD.start, 60)
    assert alone.diverged_at is not None
    r, c = L.GRID_ALPHAS.index(1.0), L.GRID_KS.index(1)
    assert grid["diverged"][r, c]
    np.testing.assert_allclose(grid["loss"][r, c], alone.loss[-1])
    # k = 5, α = 0.5 survives the same step size: per cycle y shrinks by |0.5 + 0.5 (1 − 25·0.09)^5| < 1
    assert not grid["diverged"][L.GRID_ALPHAS.index(0.5), L.GRID_KS.index(5)]
    fig = L.grid_figure(grid)
    assert fig.data[0].text[r][c] == "div."


def test_grid_figure_numbers():
    loss = np.array([[1.0, 1e-3], [0.17, 250.0]])
    grid = {"alphas": np.array([0.5, 1.0]), "ks": np.array([1, 5]), "loss": loss,
            "diverged": np.array([[False, False], [False, True]])}
    fig = L.grid_figure(grid, current=(1.0, 5))
    np.testing.assert_allclose(np.asarray(fig.data[0].z, float), np.log10(loss))
    assert [list(r) for r in fig.data[0].text] == [["1.0", "1e-3"], ["0.17", "div."]]
    assert list(fig.data[0].x) == ["1", "5"] and list(fig.data[0].y) == ["0.5", "1"]
    rect = fig.layout.shapes[0]
    assert (rect.x0, rect.x1, rect.y0, rect.y1) == (0.5, 1.5, 0.5, 1.5)
    assert not L.grid_figure(grid, current=(0.55, 5)).layout.shapes  # not a grid cell: no frame
    best, worst = L.grid_extremes(grid)
    assert best == (1e-3, 0.5, 5, False) and worst == (250.0, 1.0, 5, True)


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
    fig = L.spread_figure(np.arange(3), [("A", loss, "#000000")])
    upper, lower, mean = fig.data
    np.testing.assert_allclose(mean.y, [2.0, 2.0, 2.0])
    np.testing.assert_allclose(upper.y, [3.0, 2.0, 4.0])
    np.testing.assert_allclose(lower.y, [1.0, 2.0, 0.0])
    assert lower.fill == "tonexty" and mean.name == "A: mean ± std"


def test_rgba():
    assert L.rgba("#D55E00", 0.5) == "rgba(213, 94, 0, 0.5)"


def test_defaults_are_valid_widget_values():
    D = L.DEFAULTS
    assert L.K_RANGE[0] <= D["k"] <= L.K_RANGE[1] and L.ALPHA_RANGE[0] <= D["alpha"] <= L.ALPHA_RANGE[1]
    for inner in L.INNER_OPTIONS:
        assert D["lr"][inner] in L.LR_OPTIONS[inner]
    assert D["surface"] in oc.SURFACE_NAMES
