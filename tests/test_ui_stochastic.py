"""Figure, table and text builders of the Stochastic page, called directly: numbers in the figure dicts."""

import dataclasses
import re

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode, trace, xy
from ui import i18n
from ui.figures.algorithm import tex_number
from ui.figures.theme import relative_luminance, tint
from ui.pages import stochastic as ui
from ui.registry import scene_state, widget_key

SURF = oc.get_surface("least_squares")
START = SURF.start
W = np.array([0.3, -0.2])
ONE_COLOR, PARTIAL_COLOR, ALL_COLOR = "#A63D00", "#00509E", "#000000"  # dark vermilion, dark blue; black
HALF_HEIGHT = 1.5  # the view is 3 high: (cy − 1.5, cy + 1.5)
LONGEST_ARROW = 0.7 * HALF_HEIGHT  # the longest per-example arrow spans 70 % of the half-height
FRAMES = 40  # this page's animations keep at most 40 frames


def _arrows(d: dict) -> tuple[np.ndarray, np.ndarray]:
    """(tails, tips) of an arrow trace with gaps: points 0, 3, 6, … and 1, 4, 7, …"""
    pts = xy(d)
    return pts[0::3], pts[1::3]


def _runs(steps=120, lr=0.1, batch=5, seed=0):
    opt = oc.make_optimizer("sgd", lr=lr)
    return {k: oc.run(opt, SURF, START, steps, batch_size=b, seed=seed, record=False).params
            for k, b in (("all", None), ("one", 1), ("partial", batch))}


def _scale(w) -> float:
    """The common arrow factor, worked out from its definition: longest arrow = LONGEST_ARROW."""
    return LONGEST_ARROW / np.linalg.norm(SURF.example_grads(w), axis=1).max()


@pytest.fixture(scope="module")
def paths_fig():
    runs = _runs()
    return runs, decode(ui.paths_figure(SURF, runs, START, 5).to_dict())


def test_defaults_are_inside_the_widgets_ranges_and_read_only():
    d = ui.DEFAULTS
    assert d.lr in ui.LR_OPTIONS and 10 <= d.steps <= ui.STEPS_HIGH
    assert 1 <= d.batch <= SURF.n_examples and 0 <= d.seed <= ui.SEED_HIGH and 1 <= d.n_seeds <= ui.SEEDS_HIGH
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.lr = 1.0


def test_the_page_surface_is_the_twenty_point_least_squares_fit():
    s = ui.surface()
    assert s.name == "least_squares" and s.n_examples == 20
    assert s.half_width[1] == HALF_HEIGHT
    assert ui.batch_sizes(7) == {"all": None, "one": 1, "partial": 7}
    np.testing.assert_array_equal(ui.seed_starts([0.5, -1.0], 3), [[0.5, -1.0]] * 3)


def test_arrow_scale_makes_the_longest_arrow_a_fixed_length():
    s = ui.arrow_scale(SURF, START)
    longest = np.linalg.norm(SURF.example_grads(START), axis=1).max()
    assert s * longest == pytest.approx(LONGEST_ARROW)
    # at the start the longest per-example gradient is the last point's (t = 3.45): ‖∇Lⁱ‖ ≈ 6.52
    assert longest == pytest.approx(6.52, abs=0.01)
    assert s == pytest.approx(1.05 / 6.52, abs=5e-4)


def test_arrows_caption_quotes_the_scale_and_the_gradient_lengths_at_the_start():
    caption = ui.arrows_caption(SURF, START)
    # ‖∇L(W₀)‖ and the shortest/longest ‖∇Lⁱ(W₀)‖, from the data: 1.460, 0.22 and 6.52
    assert "(×0.161 at the start)" in caption and "‖∇L‖ = 1.460" in caption and "from 0.22 to 6.52." in caption
    assert np.linalg.norm(SURF.grad(START)) == pytest.approx(1.460, abs=5e-4)


def test_example_arrows_are_minus_scaled_per_example_gradients_and_average_to_the_gradient():
    s = 0.37
    d = ui.example_arrows(SURF, W, s)
    assert len(d["x"]) == 3 * SURF.n_examples
    assert d["x"][2::3] == [None] * SURF.n_examples and d["y"][2::3] == [None] * SURF.n_examples
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
    np.testing.assert_allclose(xy(m), [W, W - 0.5 * SURF.grad(W)], atol=1e-15)


def test_paths_figure_draws_the_three_runs_exactly(paths_fig):
    runs, fig = paths_fig
    for key, name in (("all", "all"), ("one", "one"), ("partial", "partial (|I<sub>c</sub>| = 5)")):
        np.testing.assert_array_equal(xy(trace(fig, name)), runs[key])
    assert trace(fig, "partial (|I<sub>c</sub>| = 5)")["line"]["color"] == PARTIAL_COLOR
    assert trace(fig, "one")["line"]["color"] == ONE_COLOR and trace(fig, "all")["line"]["color"] == ALL_COLOR


def test_paths_figure_arrows_start_at_w_c_and_ride_on_the_full_batch_run(paths_fig):
    runs, fig = paths_fig
    per_example, mean = trace(fig, "−∇Lⁱ, each example"), trace(fig, "−∇L, their mean")
    scale = per_example["meta"]["scale"]
    assert scale == pytest.approx(_scale(START), rel=1e-12)
    tails, tips = _arrows(per_example)
    np.testing.assert_array_equal(tails[0], START)
    vectors = (tips - tails) / -scale
    np.testing.assert_allclose(vectors, SURF.example_grads(START), atol=1e-12)
    np.testing.assert_allclose(vectors.mean(axis=0), SURF.grad(START), atol=1e-12)
    np.testing.assert_allclose((xy(mean)[1] - xy(mean)[0]) / -scale, SURF.grad(START), atol=1e-12)
    assert per_example["marker"]["symbol"][:3] == ["circle", "arrow", "circle"]
    assert per_example["marker"]["size"][:3] == [0, 11, 0]
    # 2 px, opaque, in a lighter tint of the examples' colour (issue 16: seen on a projector; was 1.6 px at 75 %)
    assert per_example["line"] == {"color": tint(ONE_COLOR, 0.3), "width": 2.0} == {"color": "#C1774C", "width": 2.0}
    assert per_example["opacity"] == 1.0
    assert mean["marker"]["symbol"] == ["circle", "arrow"] and mean["marker"]["size"] == [0, 20]
    assert per_example["marker"]["angleref"] == "previous"
    # frames: the arrows sit at the full-batch point of that step, with that step's own scale
    assert len(fig["frames"]) == FRAMES
    moving = list(fig["frames"][0]["traces"])
    arrow_slot = moving.index(next(i for i, t in enumerate(fig["data"]) if t.get("name") == per_example["name"]))
    j = 25
    w = runs["all"][int(fig["frames"][j]["name"])]  # a frame is named after its step
    frame_arrows = fig["frames"][j]["data"][arrow_slot]
    tails, tips = _arrows(frame_arrows)
    np.testing.assert_array_equal(tails, np.tile(w, (SURF.n_examples, 1)))
    np.testing.assert_allclose((tips - tails) / -_scale(w), SURF.example_grads(w), atol=1e-12)
    longest = np.linalg.norm(tips - tails, axis=1).max()
    assert longest == pytest.approx(LONGEST_ARROW)  # the same length in every frame
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
    keep = np.unique(np.linspace(0, 300, 120).round().astype(int))  # each faint path keeps 120 evenly spread points
    pts = xy(faint).reshape(7, len(keep) + 1, 2)
    assert np.isnan(pts[:, -1]).all()
    np.testing.assert_array_equal(pts[4, :-1], ones[keep, 4])
    np.testing.assert_array_equal(xy(trace(fig, "all")), full)
    assert len(fig["frames"]) == FRAMES
    step = int(fig["frames"][17]["name"])
    assert 0 < step < 300
    cloud = fig["frames"][17]["data"][-1]
    np.testing.assert_array_equal(xy(cloud), np.concatenate([ones[step], parts[step]]))
    style = trace(fig, "runs")
    assert style["marker"]["color"] == [ONE_COLOR] * 7 + [PARTIAL_COLOR] * 7
    legend = [t["name"] for t in fig["data"] if t.get("showlegend") is not False]
    assert legend == ["all", "one × 7 seeds", "partial (|I<sub>c</sub>| = 4) × 7 seeds"]


def test_spread_rows_hand_computed():
    ends = {"a": np.array([[0.0, 0.0], [2.0, 0.0]]), "b": np.array([1.0, 1.0])}
    rows = ui.spread_rows(SURF, ends)
    assert [r["estimate"] for r in rows] == ["a", "b"] and [r["runs"] for r in rows] == [2, 1]
    assert rows[0]["spread"] == pytest.approx(1.0) and rows[1]["spread"] == 0.0
    # L(0, 0) = mean of ½yᵢ², L(2, 0) = mean of ½(2 − yᵢ)²
    t, y = SURF.features[:, 1], SURF.targets
    assert rows[0]["final loss"] == pytest.approx(float(np.mean(0.25 * y ** 2 + 0.25 * (2 - y) ** 2)), rel=1e-12)
    # L(1, 1) = mean of ½(1 + tᵢ − yᵢ)²
    assert rows[1]["final loss"] == pytest.approx(float(np.mean(0.5 * (1 + t - y) ** 2)), rel=1e-12)


def test_spread_table_columns_and_number_formats():
    full = np.array([[9.0, 9.0], [1.0, 1.0]])  # only the last row (the end point) counts
    spread = {"one": np.array([[[5.0, 5.0]] * 2, [[0.0, 0.0], [2.0, 0.0]]]),
              "partial": np.array([[[5.0, 5.0]] * 2, [[1.0, 1.0], [1.0, 1.0]]])}
    table = ui.spread_table(SURF, full, spread, 3)
    t, y = SURF.features[:, 1], SURF.targets
    at_11 = float(np.mean(0.5 * (1 + t - y) ** 2))
    at_ends = float(np.mean(0.25 * y ** 2 + 0.25 * (2 - y) ** 2))
    assert table == {"estimate": ["all", "one", "partial (3 examples)"], "runs": [1, 2, 2],
                     "final loss": [f"{at_11:.4f}", f"{at_ends:.4f}", f"{at_11:.4f}"],
                     "spread": ["0.000", "1.000", "0.000"]}
    assert all(len(v.split(".")[1]) == 4 for v in table["final loss"])


def test_loss_figure_plots_each_runs_loss_on_a_log_axis():
    losses = {"all": np.array([4.0, 2.0, 1.0]), "one": np.array([4.0, 3.0, 0.0]), "partial": np.array([4.0, 1.0, 0.5])}
    fig = decode(ui.loss_figure(losses, 5).to_dict())
    assert [t["name"] for t in fig["data"]] == ["all", "one", "partial (|I<sub>c</sub>| = 5)"]
    assert [t["line"]["color"] for t in fig["data"]] == [ALL_COLOR, ONE_COLOR, PARTIAL_COLOR]
    np.testing.assert_array_equal(fig["data"][0]["y"], [4, 2, 1])
    np.testing.assert_array_equal(fig["data"][1]["y"][:2], [4, 3])
    assert np.isnan(fig["data"][1]["y"][2])  # a log axis cannot show 0: a gap
    assert fig["layout"]["yaxis"]["type"] == "log" and fig["layout"]["xaxis"]["title"]["text"] == "step c"


def test_data_figure_residuals_are_the_per_example_gradients_first_component():
    fig = decode(ui.data_figure(SURF, W).to_dict())
    pts = xy(trace(fig, "data (xᵢ, yᵢ)"))
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
    line = xy(trace(fig, "line at W<sub>c</sub>"))
    np.testing.assert_allclose(line[:, 1], W[0] + W[1] * line[:, 0], atol=1e-12)
    layout = fig["layout"]
    assert layout["xaxis"]["title"]["text"] == "x" and layout["yaxis"]["range"] == [-0.5, 4.5]
    assert layout["yaxis"]["gridcolor"] == "#D0D7DE" and layout["xaxis"]["ticks"] == "outside"


def test_latex_and_text_use_the_decks_symbols():
    assert r"\nabla L^{i_c}(W_c)" in ui.gradient_latex()
    assert r"\frac{1}{|I_c|}\sum_{i\in I_c}\nabla L^i(W_c)" in ui.gradient_latex()
    assert r"\frac{1}{m}\sum_{i=1}^{m} L^i(W)" in ui.LOSS_LATEX
    assert "t_c" in ui.UPDATE_LATEX
    assert "m = 20 data points" in ui.model_text(20)
    assert "with $|I_c|$ = 20 it is zero" in ui.spread_text(20)
    # t is the step size t_c only; the data's input is xᵢ everywhere
    assert r"w_2\,x_i - y_i" in ui.LOSS_LATEX and "t_i" not in ui.LOSS_LATEX
    assert "y = w₁ + w₂x " in ui.model_text(20) and "tᵢ" not in ui.data_caption() and "(1, xᵢ)" in ui.data_caption()
    # no raw underscores in prose: every subscripted symbol sits inside $…$
    for text in (ui.update_text(), ui.noise_text(), ui.data_caption(), ui.spread_text(20),
                 ui.arrows_caption(SURF, START)):
        assert "_" not in re.sub(r"\$[^$]*\$", "", text), text


def test_divergence_note_lists_every_blown_up_run_once():
    calm = {"all": np.array(-1), "one": np.array(-1), "partial": np.array(-1)}
    assert ui.divergence_note(calm, {"one": np.full(20, -1), "partial": np.full(20, -1)}, 5) is None
    seeds = np.full(20, -1)
    seeds[[3, 11]] = [250, 90]
    note = ui.divergence_note({**calm, "one": np.array(127)}, {"one": seeds, "partial": np.full(20, -1)}, 5)
    assert note == ("Diverged: Stochastic gradient descent (one) at step 127; 2 of the 20 runs of Stochastic "
                    "gradient descent (one) (spread chart). Try a smaller step size $t_c$. "
                    "The charts show each path up to its last finite point.")


def test_divergence_note_reads_the_engines_arrays():
    opt = oc.make_optimizer("sgd", lr=0.3)  # above 2/λ_max ≈ 0.28: the full-batch run blows up at step 40
    full = oc.run(opt, SURF, START, 100, record=False)
    many = oc.run(opt, SURF, np.tile(START, (3, 1)), 100, batch_size=SURF.n_examples, record=False)
    note = ui.divergence_note({"all": full.diverged_at}, {"partial": many.diverged_at}, SURF.n_examples)
    assert note.startswith("Diverged: Batch gradient descent (all) at step 40; 3 of the 3 runs of Mini-batch "
                           "gradient descent ($|I_c|$ = 20) (spread chart).")


def test_step_size_limits_quoted_in_the_help_are_the_surfaces():
    eig = np.linalg.eigvalsh(SURF.hessian(START))
    assert 2 / eig.max() == pytest.approx(0.28, abs=0.005)  # full batch: stable below 2/λ_max
    per_example = 2 / (SURF.features ** 2).sum(axis=1).max()  # one example's curvature is ‖xᵢ‖²
    assert per_example == pytest.approx(0.155, abs=0.005)
    assert ui.DEFAULTS.lr < per_example


def test_labels_show_the_subscript_as_html_in_charts_tex_in_markdown_and_words_in_tables():
    assert ui.labels(5)["partial"] == "partial (|I<sub>c</sub>| = 5)"
    assert ui.labels(5, "tex")["partial"] == "partial ($|I_c|$ = 5)"
    assert ui.labels(5, "plain")["partial"] == "partial (5 examples)"
    fig = decode(ui.loss_figure({"all": np.array([1.0, 0.5])}, 5).to_dict())
    assert fig["layout"]["yaxis"]["title"]["text"] == "L(W<sub>c</sub>)"


def test_scenes_set_every_widget_and_their_step_sizes_do_what_the_captions_say():
    keys = {"lr", "batch", "steps", "seed", "seeds", "x", "y"}
    assert [s.title for s in ui.SCENES] == ["One example at a time", "A mini-batch of 5", "Too large a step"]
    for scene in ui.SCENES:
        s = scene.settings
        assert set(s) == keys and s["lr"] in ui.LR_OPTIONS
        assert scene_state(scene)[widget_key("stochastic", "start")] == (s["x"], s["y"])  # one surface: no scope
    one, five, large = (s.settings for s in ui.SCENES)
    assert one["batch"] == 1 and five["batch"] == 5
    # "too large": above one example's limit 2/(1 + xᵢ²) (its curvature is ‖(1, xᵢ)‖²), below the full 2/λ_max
    x = SURF.features[:, 1]
    assert 2 / (1 + x.max() ** 2) < large["lr"] < 2 / np.linalg.eigvalsh(SURF.hessian(START)).max()
    assert "0.155" in ui.SCENES[2].caption and f"{2 / (1 + x.max() ** 2):.3f}" == "0.155"


# --- Step view: one update of the mini-batch run, the examples it drew, its numbers ------------

DRAWN, LEFT = "−∇Lⁱ, i ∈ I<sub>c</sub>", "−∇Lⁱ, i ∉ I<sub>c</sub>"
MINI, FULL = "−g<sub>c</sub> over I<sub>c</sub>", "−∇L over all"


@pytest.fixture(scope="module")
def minibatch():
    """Mini-batch SGD (|I_c| = 4, t = 0.1, seed 3) recorded with the examples each step drew."""
    return oc.run(oc.make_optimizer("sgd", lr=0.1), SURF, START, 60, batch_size=4, seed=3)


def _frame(fig: dict, step: int, name: str) -> dict:
    """Trace ``name`` as the animation frame of ``step`` has it."""
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name") == name)
    frame = next(f for f in fig["frames"] if f["name"] == str(step))
    return frame["data"][list(frame["traces"]).index(index)]


def test_step_parts_are_the_runs_draw_gradient_and_next_point(minibatch):
    assert ui.step_parts(SURF, minibatch, 0) is None
    for n in (1, 2, 30, 60):
        c = n - 1
        p = ui.step_parts(SURF, minibatch, n)
        np.testing.assert_array_equal(p["at"], minibatch.params[c])
        np.testing.assert_array_equal(p["drawn"], np.sort(minibatch.records["batch"][c]))
        assert len(set(p["drawn"])) == 4
        np.testing.assert_array_equal(p["minibatch"], minibatch.grads[c])
        # g_c is the mean of the per-example gradients over the drawn examples, and the step is −t g_c
        np.testing.assert_allclose(SURF.example_grads(p["at"])[p["drawn"]].mean(axis=0), p["minibatch"], rtol=1e-12)
        np.testing.assert_allclose(p["full"], SURF.example_grads(p["at"]).mean(axis=0), rtol=1e-12)
        np.testing.assert_allclose(p["next"], p["at"] - 0.1 * p["minibatch"], rtol=1e-12)
    np.testing.assert_array_equal(ui.step_point(minibatch, 0), START)
    np.testing.assert_array_equal(ui.step_point(minibatch, 7), minibatch.params[6])


def test_draw_arrows_bold_the_drawn_examples_faint_the_rest_and_add_both_means(minibatch):
    runs = {"all": minibatch.params, "one": minibatch.params, "partial": minibatch.params}
    fig = decode(ui.paths_figure(SURF, runs, START, 4, at_step=5, minibatch=minibatch).to_dict())
    assert "sliders" not in fig["layout"]  # the page's Step slider is the scrubber
    for n in (1, 5, 19):  # the first 20 steps are frames one by one
        w = minibatch.params[n - 1]
        drawn = np.sort(minibatch.records["batch"][n - 1])
        scale = _scale(w)
        for name, rows in ((DRAWN, drawn), (LEFT, np.setdiff1d(np.arange(20), drawn))):
            tails, tips = _arrows(_frame(fig, n, name))
            assert len(tails) == 20  # every arrow has a slot in both traces; the other trace's are gaps
            np.testing.assert_array_equal(np.flatnonzero(np.isfinite(tails[:, 0])), rows)
            np.testing.assert_array_equal(tails[rows], np.tile(w, (len(rows), 1)))
            np.testing.assert_allclose((tips[rows] - tails[rows]) / -scale, SURF.example_grads(w)[rows], atol=1e-12)
        mini, full = xy(_frame(fig, n, MINI)), xy(_frame(fig, n, FULL))
        np.testing.assert_allclose((mini[1] - mini[0]) / -scale, minibatch.grads[n - 1], atol=1e-12)
        np.testing.assert_allclose((full[1] - full[0]) / -scale, SURF.grad(w), atol=1e-12)
    # the figure opens at step 5: its own data is frame 5's, and meta holds that frame's factor
    np.testing.assert_array_equal(xy(trace(fig, DRAWN)), xy(_frame(fig, 5, DRAWN)))
    assert trace(fig, DRAWN)["meta"]["scale"] == pytest.approx(_scale(minibatch.params[4]), rel=1e-12)
    # step 0: nothing drawn, all twenty faint at the start with the full gradient
    assert np.isnan(xy(_frame(fig, 0, DRAWN))).all() and np.isnan(xy(_frame(fig, 0, MINI))).all()
    tails, _ = _arrows(_frame(fig, 0, LEFT))
    np.testing.assert_array_equal(tails, np.tile(START, (20, 1)))
    styles = {name: trace(fig, name) for name in (DRAWN, LEFT, MINI, FULL)}
    # the examples left out: thinner and lighter, but 2 px and opaque (issue 16; they were 1.2 px at 40 %)
    assert styles[DRAWN]["line"] == {"color": ONE_COLOR, "width": 3.0} and styles[DRAWN]["opacity"] == 1.0
    assert styles[LEFT]["line"] == {"color": tint(ONE_COLOR, 0.5), "width": 2.0} and styles[LEFT]["opacity"] == 1.0
    assert relative_luminance(styles[LEFT]["line"]["color"]) > 2 * relative_luminance(ONE_COLOR)
    assert styles[MINI]["line"] == {"color": PARTIAL_COLOR, "width": 5.0, "dash": "dash"}
    assert styles[FULL]["line"]["color"] == ALL_COLOR
    with pytest.raises(ValueError, match="at_step needs the mini-batch run"):
        ui.paths_figure(SURF, runs, START, 4, at_step=3)


def test_examples_are_written_one_based_or_as_the_complement():
    assert ui.examples_tex([4, 0, 19], 20) == r"\{1,\ 5,\ 20\}"
    assert ui.examples_tex([11, 3, 7, 0, 19], 20) == r"\{1,\ 4,\ 8,\ 12,\ 20\}"  # five: still one line
    assert ui.examples_tex(range(20), 20) == r"\{1,\dots,20\}"
    # more than half drawn: the complement of the few left out, under {1, …, m}
    assert ui.examples_tex([i for i in range(20) if i not in (2, 9)], 20) == \
        r"\begin{array}{l}\{1,\dots,20\}\setminus\\ \{3,\ 10\}\end{array}"
    # half: listed, four to a line
    assert ui.examples_tex(range(10), 20) == \
        r"\begin{array}{l}\{1,\ 2,\ 3,\ 4,\\ \ \ 5,\ 6,\ 7,\ 8,\\ \ \ 9,\ 10\}\end{array}"


def test_step_table_writes_the_draw_and_the_numbers_and_marks_the_update(minibatch):
    start = ui.step_table(SURF, minibatch, 0.1, 4, 0)
    assert r"\colorbox{#FFE08A}{$\displaystyle W_0 = \text{start}$} & -1.6 & 1.7" in start
    n, c = 12, 11
    table = ui.step_table(SURF, minibatch, 0.1, 4, n)
    rows = table.split(r"\\")[1:-1]
    assert rows[1].strip().startswith("& I_c = " + ui.examples_tex(minibatch.records["batch"][c], 20))
    for row, values in zip(rows[:5], (minibatch.params[c], None, minibatch.grads[c],
                                      SURF.grad(minibatch.params[c]), minibatch.params[n])):
        cells = [cell.strip() for cell in row.split("&")[-2:]]
        assert cells == (["", ""] if values is None else [tex_number(v) for v in values])
    assert sum(r"\blacktriangleright" in row for row in rows) == 1
    assert r"\blacktriangleright" in rows[4] and r"W_{c+1} = W_c - 0.1\,g_c" in rows[4]
    assert r"\text{step } 12\ (c = 11)" in table and r"g_c = \tfrac{1}{4}" in table


def test_step_caption_names_the_drawn_examples_and_the_scale(minibatch):
    drawn = np.sort(minibatch.records["batch"][2]) + 1
    caption = ui.step_caption(SURF, minibatch, 4, 3)
    assert caption.startswith(f"Step 3: examples {', '.join(map(str, drawn))} are drawn into $I_c$ (bold), "
                              "the other 16 are faint")
    assert caption.endswith(f"drawn ×{_scale(minibatch.params[2]):.3g}.")
    one = oc.run(oc.make_optimizer("sgd", lr=0.1), SURF, START, 3, batch_size=1, seed=0)
    first = int(one.records["batch"][0, 0]) + 1
    assert ui.step_caption(SURF, one, 1, 1).startswith(f"Step 1: example {first} is $I_c$")
    full = oc.run(oc.make_optimizer("sgd", lr=0.1), SURF, START, 3, batch_size=20, seed=0)
    assert "all 20 examples are in $I_c$" in ui.step_caption(SURF, full, 20, 2)
    assert ui.step_caption(SURF, minibatch, 4, 0).startswith("Step 0: the start $W_0$.")
    for text in (caption, ui.step_caption(SURF, minibatch, 4, 0)):
        assert "_" not in re.sub(r"\$[^$]*\$", "", text), text


def test_data_figure_marks_the_drawn_examples():
    fig = decode(ui.data_figure(SURF, W, drawn=[19, 2, 7]).to_dict())
    bars = xy(trace(fig, "rᵢ, i ∈ I<sub>c</sub>"))
    np.testing.assert_array_equal(bars[0::3, 0], SURF.features[[2, 7, 19], 1])
    np.testing.assert_allclose(bars[1::3, 1] - bars[0::3, 1], SURF.example_grads(W)[[2, 7, 19], 0], atol=1e-12)
    assert trace(fig, "rᵢ, i ∈ I<sub>c</sub>")["line"]["width"] > trace(fig, "rᵢ")["line"]["width"]
    # the others lighter, not fainter: 2 px, opaque, half-way to white (issue 16; they were at 35 %)
    others = trace(fig, "rᵢ")
    assert others["line"] == {"color": tint(ONE_COLOR, 0.5), "width": 2.0} and "opacity" not in others
    ring = trace(fig, "drawn into I<sub>c</sub>")
    np.testing.assert_array_equal(xy(ring), np.column_stack([SURF.features[[2, 7, 19], 1], SURF.targets[[2, 7, 19]]]))
    assert list(ring["text"]) == ["3", "8", "20"]  # numbered 1 … m, left to right
    assert list(trace(fig, "data (xᵢ, yᵢ)")["text"]) == [str(i) for i in range(1, 21)]
    assert np.all(np.diff(SURF.features[:, 1]) > 0)  # the data are sorted by x: number i is the i-th from the left
    plain = decode(ui.data_figure(SURF, W).to_dict())
    assert "drawn into I<sub>c</sub>" not in [t["name"] for t in plain["data"]]
    assert trace(plain, "rᵢ")["line"] == {"color": ONE_COLOR, "width": 2.0} and "opacity" not in trace(plain, "rᵢ")


@pytest.fixture
def korean():
    i18n.set_language("ko")
    yield
    i18n.set_language("en")


def test_builders_speak_korean_with_the_same_numbers_and_maths(korean, minibatch):
    assert ui.labels(5) == {"all": "전체", "one": "하나", "partial": "일부 (|I<sub>c</sub>| = 5)"}
    assert ui.labels(5, "plain")["partial"] == "일부 (샘플 5개)"
    assert r"\text{일부:}" in ui.gradient_latex() and r"\frac{1}{|I_c|}\sum_{i\in I_c}" in ui.gradient_latex()
    assert "(시작점에서 ×0.161)" in ui.arrows_caption(SURF, START) and "‖∇L‖ = 1.460" in ui.arrows_caption(SURF, START)
    drawn = ", ".join(str(i) for i in np.sort(minibatch.records["batch"][2]) + 1)
    assert ui.step_caption(SURF, minibatch, 4, 3).startswith(f"스텝 3: 샘플 {drawn}번이 $I_c$에 뽑혔고")
    assert r"\text{스텝 } 3\ (c = 2)" in ui.step_table(SURF, minibatch, 0.1, 4, 3)
    note = ui.divergence_note({"one": np.array(127)}, {"one": np.array([-1, 90])}, 5)
    assert note.startswith("발산: 스텝 127에서 확률적 경사 하강법 (하나); "
                           "퍼짐 차트에서 확률적 경사 하강법 (하나) 실행 2개 중 1개.")
    table = ui.spread_table(SURF, np.zeros((2, 2)), {"one": np.zeros((2, 3, 2))}, 5)
    assert list(table) == ["추정 방법", "실행 수", "최종 손실", "퍼짐"]
    assert [s.title for s in ui.SCENES] == ["샘플 하나씩", "미니배치 5개", "너무 큰 학습률"]
    assert "0.155" in ui.SCENES[2].caption
