"""Figure builders of the Stochastic page, called directly: numbers in the figure dicts."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode, trace, xy
from ui import stochastic as ui
from ui.paths import frame_steps

SURF = oc.get_surface("least_squares")
START = SURF.start
W = np.array([0.3, -0.2])


def _arrows(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """(tails, tips) of a NaN-separated arrow trace: points 0, 3, 6, … and 1, 4, 7, …"""
    pts = xy(d)
    return pts[0::3], pts[1::3]


def _runs(steps=120, lr=0.1, batch=5, seed=0):
    opt = oc.make_optimizer("sgd", lr=lr)
    return {k: oc.run(opt, SURF, START, steps, batch_size=b, seed=seed, record=False).params
            for k, b in (("all", None), ("one", 1), ("partial", batch))}


@pytest.fixture(scope="module")
def paths_fig():
    runs = _runs()
    return runs, decode(ui.paths_figure(SURF, runs, START, 5).to_dict())


def test_defaults_are_inside_the_widgets_ranges():
    d = ui.DEFAULTS
    assert d["lr"] in ui.LR_OPTIONS and 10 <= d["steps"] <= ui.STEPS_HIGH
    assert 1 <= d["batch"] <= SURF.n_examples and 0 <= d["seed"] <= ui.SEED_HIGH and 1 <= d["n_seeds"] <= ui.SEEDS_HIGH


def test_arrow_scale_makes_the_longest_arrow_a_fixed_length():
    s = ui.arrow_scale(SURF, START)
    longest = np.linalg.norm(SURF.example_grads(START), axis=1).max()
    assert s * longest == pytest.approx(ui.ARROW_FRACTION * 1.5)  # half-height of the view: (2 − (−1)) / 2
    # at the start the longest per-example gradient is the last point's (t = 3.45): ‖∇Lⁱ‖ ≈ 6.52
    assert longest == pytest.approx(6.52, abs=0.01)


def test_example_arrows_are_minus_scaled_per_example_gradients_and_average_to_the_gradient():
    s = 0.37
    d = ui.example_arrows(SURF, W, s)
    assert len(d["x"]) == 3 * SURF.n_examples and np.isnan(d["x"][2::3]).all() and np.isnan(d["y"][2::3]).all()
    tails, tips = _arrows(d)
    np.testing.assert_array_equal(tails, np.tile(W, (SURF.n_examples, 1)))
    vectors = (tips - tails) / -s
    np.testing.assert_allclose(vectors, SURF.example_grads(W), rtol=0, atol=1e-12)
    np.testing.assert_allclose(vectors.mean(axis=0), SURF.grad(W), rtol=0, atol=1e-12)
    # hand check of one arrow: ∇Lⁱ = (w₁ + w₂tᵢ − yᵢ)·(1, tᵢ)
    t0, y0 = SURF.features[0, 1], SURF.targets[0]
    r0 = W[0] + W[1] * t0 - y0
    np.testing.assert_allclose(tips[0], W - s * r0 * np.array([1.0, t0]), atol=1e-12)


def test_mean_arrow_is_the_full_gradient():
    m = ui.mean_arrow(SURF, W, 0.5)
    np.testing.assert_allclose(np.column_stack([m["x"], m["y"]]), [W, W - 0.5 * SURF.grad(W)], atol=1e-15)


def test_paths_figure_draws_the_three_runs_exactly(paths_fig):
    runs, fig = paths_fig
    for key, name in ui.labels(5).items():
        np.testing.assert_array_equal(xy(trace(fig, name)), runs[key])
    assert trace(fig, "partial (|I_c| = 5)")["line"]["color"] == ui.COLORS["partial"]


def test_paths_figure_arrows_start_at_w_c_and_ride_on_the_full_batch_run(paths_fig):
    runs, fig = paths_fig
    per_example, mean = trace(fig, "−∇Lⁱ, each example"), trace(fig, "−∇L, their mean")
    scale = per_example["meta"]["scale"]
    assert scale == pytest.approx(ui.arrow_scale(SURF, START), rel=1e-15)
    tails, tips = _arrows(per_example)
    np.testing.assert_array_equal(tails[0], START)
    vectors = (tips - tails) / -scale
    np.testing.assert_allclose(vectors, SURF.example_grads(START), atol=1e-12)
    np.testing.assert_allclose(vectors.mean(axis=0), SURF.grad(START), atol=1e-12)
    np.testing.assert_allclose((xy(mean)[1] - xy(mean)[0]) / -scale, SURF.grad(START), atol=1e-12)
    assert per_example["marker"]["symbol"][:3] == ["circle", "arrow", "circle"]
    assert per_example["marker"]["angleref"] == "previous"
    # frames: the arrows sit at the full-batch point of that step, with that step's own scale
    steps = frame_steps(len(runs["all"]), ui.MAX_FRAMES)
    assert len(fig["frames"]) == len(steps) == ui.MAX_FRAMES
    moving = list(fig["frames"][0]["traces"])
    arrow_slot = moving.index(next(i for i, t in enumerate(fig["data"]) if t.get("name") == per_example["name"]))
    j = 25
    w = runs["all"][steps[j]]
    frame_arrows = fig["frames"][j]["data"][arrow_slot]
    tails, tips = _arrows(frame_arrows)
    np.testing.assert_array_equal(tails, np.tile(w, (SURF.n_examples, 1)))
    np.testing.assert_allclose((tips - tails) / -ui.arrow_scale(SURF, w), SURF.example_grads(w), atol=1e-12)
    longest = np.linalg.norm(tips - tails, axis=1).max()
    assert longest == pytest.approx(ui.ARROW_FRACTION * 1.5)  # the same length in every frame
    frame_mean = fig["frames"][j]["data"][arrow_slot + 1]
    np.testing.assert_allclose(xy(frame_mean)[0], w)


def test_paths_figure_tidies_legend_and_controls(paths_fig):
    _, fig = paths_fig
    assert trace(fig, "start")["showlegend"] is False and trace(fig, "minimum")["showlegend"] is False
    layout = fig["layout"]
    assert layout["xaxis"]["title"]["text"] == "w₁  (intercept)" and layout["xaxis"]["title"]["standoff"] == 2
    assert layout["yaxis"]["title"]["text"] == "w₂  (slope)"


def test_clouds_stack_runs_in_one_trace_in_order():
    a = np.arange(5 * 3 * 2, dtype=float).reshape(5, 3, 2)
    b = -np.arange(5 * 2 * 2, dtype=float).reshape(5, 2, 2)
    style, at = ui.clouds({"A": (a, "#111111", 7), "B": (b, "#222222", 9)})
    assert style["marker"]["color"] == ["#111111"] * 3 + ["#222222"] * 2
    assert style["marker"]["size"] == [7, 7, 7, 9, 9] and style["text"] == ["A"] * 3 + ["B"] * 2
    got = at(2)
    np.testing.assert_array_equal(got["x"], [a[2, 0, 0], a[2, 1, 0], a[2, 2, 0], b[2, 0, 0], b[2, 1, 0]])
    np.testing.assert_array_equal(at(99)["y"], np.concatenate([a[-1, :, 1], b[-1, :, 1]]))  # clamps at the end


def test_spread_figure_faint_paths_and_moving_clouds():
    opt = oc.make_optimizer("sgd", lr=0.1)
    many = np.tile(START, (7, 1))
    ones = oc.run(opt, SURF, many, 300, batch_size=1, seed=3, record=False).params
    parts = oc.run(opt, SURF, many, 300, batch_size=4, seed=3, record=False).params
    full = oc.run(opt, SURF, START, 300, record=False).params
    fig = decode(ui.spread_figure(SURF, full, ones, parts, 4, START).to_dict())
    faint = [t for t in fig["data"] if t.get("name") == "one × 7 seeds" and t["mode"] == "lines"][0]
    keep = np.unique(np.linspace(0, 300, ui.SPREAD_POINTS).round().astype(int))
    pts = xy(faint).reshape(7, len(keep) + 1, 2)
    assert np.isnan(pts[:, -1]).all()
    np.testing.assert_array_equal(pts[4, :-1], ones[keep, 4])
    np.testing.assert_array_equal(xy(trace(fig, "all")), full)
    steps = frame_steps(301, ui.MAX_FRAMES)
    assert len(fig["frames"]) == ui.MAX_FRAMES
    cloud = fig["frames"][17]["data"][-1]
    np.testing.assert_array_equal(xy(cloud), np.concatenate([ones[steps[17]], parts[steps[17]]]))
    style = trace(fig, "runs")
    assert style["marker"]["color"] == [ui.COLORS["one"]] * 7 + [ui.COLORS["partial"]] * 7
    legend = [t["name"] for t in fig["data"] if t.get("showlegend") is not False]
    assert legend == ["all", "one × 7 seeds", "partial (|I_c| = 4) × 7 seeds"]


def test_spread_rows_hand_computed():
    ends = {"a": np.array([[0.0, 0.0], [2.0, 0.0]]), "b": np.array([1.0, 1.0])}
    rows = ui.spread_rows(SURF, ends)
    assert [r["estimate"] for r in rows] == ["a", "b"] and [r["runs"] for r in rows] == [2, 1]
    assert rows[0]["spread"] == pytest.approx(1.0) and rows[1]["spread"] == 0.0
    assert rows[0]["final loss"] == pytest.approx(float(SURF.value(ends["a"]).mean()))
    # L(1, 1) = mean of ½(1 + tᵢ − yᵢ)²
    t, y = SURF.features[:, 1], SURF.targets
    assert rows[1]["final loss"] == pytest.approx(float(np.mean(0.5 * (1 + t - y) ** 2)), rel=1e-12)


def test_data_figure_residuals_are_the_per_example_gradients_first_component():
    fig = decode(ui.data_figure(SURF, W).to_dict())
    pts = xy(trace(fig, "data (tᵢ, yᵢ)"))
    np.testing.assert_array_equal(pts, np.column_stack([SURF.features[:, 1], SURF.targets]))
    seg = xy(trace(fig, "rᵢ"))
    base, end = seg[0::3], seg[1::3]
    np.testing.assert_array_equal(base, pts)
    # the segment's signed length is rᵢ = w₁ + w₂tᵢ − yᵢ, which is ∂Lⁱ/∂w₁
    np.testing.assert_allclose(end[:, 1] - base[:, 1], SURF.example_grads(W)[:, 0], atol=1e-12)
    fit = xy(trace(fig, "best fit"))
    w_star = SURF.minima[0]
    np.testing.assert_allclose(fit[:, 1], w_star[0] + w_star[1] * fit[:, 0], atol=1e-12)
    assert w_star == pytest.approx([0.947, 0.490], abs=1e-3)  # close to the generating line 1 + 0.5 t
    line = xy(trace(fig, "line at W_c"))
    np.testing.assert_allclose(line[:, 1], W[0] + W[1] * line[:, 0], atol=1e-12)


def test_latex_uses_the_decks_symbols():
    assert r"\nabla L^{i_c}(W_c)" in ui.GRADIENT_LATEX
    assert r"\frac{1}{|I_c|}\sum_{i\in I_c}\nabla L^i(W_c)" in ui.GRADIENT_LATEX
    assert r"\frac{1}{m}\sum_{i=1}^{m} L^i(W)" in ui.LOSS_LATEX
    assert "t_c" in ui.UPDATE_LATEX


def test_divergence_note_lists_every_blown_up_run_once():
    assert ui.divergence_note({"all": None, "one": None, "partial": None}, {"one": (0, 20), "partial": (0, 20)}, 5) \
        is None
    note = ui.divergence_note({"all": None, "one": 127, "partial": None}, {"one": (2, 20), "partial": (0, 20)}, 5)
    assert note == ("Diverged: Stochastic gradient descent (one) at step 127; 2 of the 20 runs of Stochastic "
                    "gradient descent (one) (spread chart). Try a smaller step size t_c. "
                    "The charts show each path up to its last finite point.")


def test_step_size_limits_quoted_in_the_help_are_the_surfaces():
    eig = np.linalg.eigvalsh(SURF.hessian(START))
    assert 2 / eig.max() == pytest.approx(0.28, abs=0.005)  # full batch: stable below 2/λ_max
    per_example = 2 / (SURF.features ** 2).sum(axis=1).max()  # one example's curvature is ‖xᵢ‖²
    assert per_example == pytest.approx(0.155, abs=0.005)
    assert ui.DEFAULTS["lr"] < per_example
