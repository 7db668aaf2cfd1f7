"""The Lookahead page through AppTest: its charts and tables against optim_core, widget extremes, sizes."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import apply_scene, assert_clean, chart_bytes, charts, open_page, trace, xy
from ui import lookahead as L
from ui.theme import color

# The page opens on its "Robust to α and k" scene: the paper's CIFAR setting (k = 5, α = 0.8) around gradient
# descent with t = 0.07, which zig-zags across the elongated bowl (y is multiplied by 1 − 25·0.07 = −0.75 each step)
# but is not so near the 2/25 = 0.08 where it blows up that the parity of k dominates the α × k grid.
K, ALPHA, LR, STEPS, NOISE, SEEDS = 5, 0.8, 0.07, 50, 2.0, 40
QUAD = oc.get_surface("elongated_quadratic")
CURV = np.array([1.0, 25.0])


@pytest.fixture(scope="module")
def at():
    return open_page("lookahead")


def _la(k=K, alpha=ALPHA, lr=LR, start=QUAD.start, steps=STEPS, **kw):
    opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=lr), k=k, alpha=alpha)
    return oc.run(opt, QUAD, start, steps, **kw)


def _frame_xy(fig, step, name):
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name") == name)
    frame = next(f for f in fig["frames"] if f["name"] == str(step))
    return xy(frame["data"][frame["traces"].index(index)])


def test_defaults_paths_slow_weights_and_segment(at):
    assert_clean(at)
    assert (at.slider(key="lookahead_k").value, at.slider(key="lookahead_alpha").value) == (K, ALPHA)
    assert at.radio(key="lookahead_inner").value == "sgd" and at.select_slider(key="lookahead_lr_sgd").value == LR
    assert (at.slider(key="lookahead_steps").value, at.slider(key="lookahead_noise").value,
            at.slider(key="lookahead_seeds").value) == (STEPS, NOISE, SEEDS)
    assert at.selectbox(key="lookahead_surface").value == "elongated_quadratic"
    assert len(at.get("plotly_chart")) == 4
    fig = charts(at)[0]
    la = _la()
    alone = oc.run(oc.make_optimizer("sgd", lr=LR), QUAD, QUAD.start, STEPS)
    np.testing.assert_allclose(xy(trace(fig, L.FAST_NAME)), la.params)
    np.testing.assert_allclose(xy(trace(fig, "Gradient descent alone")), alone.params)
    slow = xy(trace(fig, L.SLOW_PATH_NAME))
    np.testing.assert_allclose(slow[0], QUAD.start)
    np.testing.assert_allclose(slow[1:], la.records["slow"][la.records["synced"]])
    assert len(slow) == 1 + 10  # 50 steps, a sync every 5
    # the first sync (step k): segment from φ_0 = start to θ_{1,k}, computed by hand for SGD on the bowl
    theta = QUAD.start * (1 - LR * CURV) ** K
    np.testing.assert_allclose(_frame_xy(fig, K, L.SEGMENT_NAME), [QUAD.start, theta], rtol=1e-11)
    phi1 = QUAD.start + ALPHA * (theta - QUAD.start)
    np.testing.assert_allclose(_frame_xy(fig, K, L.SLOW_NOW_NAME)[0], phi1, rtol=1e-11)
    np.testing.assert_allclose(la.records["slow"][K - 1], phi1, rtol=1e-11)
    caption = " ".join(c.value for c in at.caption)
    assert f"Gradient descent alone loss {alone.loss[-1]:.3g}" in caption
    assert f"loss {la.loss[-1]:.3g}, 10 syncs" in caption


def test_heatmap_cells_equal_single_runs(at):
    assert_clean(at)
    heat = charts(at)[1]["data"][0]
    assert heat["x"] == ["1", "2", "3", "5", "8", "10", "15", "20"]
    assert heat["y"] == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    z = np.asarray(heat["z"], dtype=float).reshape(10, 8)
    for alpha, k in [(0.5, 10), (0.8, 5), (0.2, 15)]:
        r, c = heat["y"].index(f"{alpha:g}"), heat["x"].index(str(k))
        np.testing.assert_allclose(10 ** z[r, c], _la(k=k, alpha=alpha).loss[-1], rtol=1e-9)
    alone = oc.run(oc.make_optimizer("sgd", lr=LR), QUAD, QUAD.start, STEPS)
    np.testing.assert_allclose(10 ** z[9, 0], alone.loss[-1], rtol=1e-9)  # α = 1, k = 1: gradient descent itself
    frame = charts(at)[1]["layout"]["shapes"][0]  # the framed cell is the page's α = 0.8, k = 5
    assert (frame["x0"] + 0.5, frame["y0"] + 0.5) == (heat["x"].index("5"), heat["y"].index("0.8"))


def test_paper_table_numbers(at):
    text = " ".join(m.value for m in at.markdown)
    for number in ("78.24 ± .02", "78.19 ± .22", "78.27 ± .04", "77.94 ± .22"):
        assert number in text


def test_seed_spread_numbers_match_a_direct_run(at):
    assert_clean(at)
    starts = np.tile(QUAD.start, (SEEDS, 1))
    alone = oc.run(oc.make_optimizer("sgd", lr=LR), QUAD, starts, STEPS, noise=NOISE, seed=0)
    la = _la(start=starts, noise=NOISE, seed=0)
    text = " ".join(m.value for m in at.markdown)
    for name, run in (("Gradient descent alone", alone), ("Lookahead", la)):
        sx, sy = run.params[-1].std(axis=0)
        loss = run.loss[-1]
        assert f"| {name} | {sx:.3f} | {sy:.3f} | {loss.mean():.3g} ± {loss.std():.2g} |" in text
    # Lookahead's cloud is tighter at the defaults (measured: std y 0.135 against 0.172; the noisy scene shows more)
    assert la.params[-1].std(axis=0)[1] < 0.8 * alone.params[-1].std(axis=0)[1]
    cloud = charts(at)[2]
    np.testing.assert_allclose(xy(trace(cloud, "Lookahead")), la.params[-1])
    np.testing.assert_allclose(xy(trace(cloud, "Gradient descent alone")), alone.params[-1])
    spread = charts(at)[3]
    mean = trace(spread, "Lookahead: mean ± std")
    np.testing.assert_allclose(np.asarray(mean["y"], float), la.loss.mean(axis=1))


def test_k1_alpha1_is_the_inner_optimizer():
    at = open_page("lookahead")
    at.slider(key="lookahead_k").set_value(1).run()
    at.slider(key="lookahead_alpha").set_value(1.0).run()
    assert_clean(at)
    fig = charts(at)[0]
    np.testing.assert_allclose(xy(trace(fig, L.FAST_NAME)), xy(trace(fig, "Gradient descent alone")), rtol=1e-12)
    assert len(xy(trace(fig, L.SLOW_PATH_NAME))) == STEPS + 1


def test_json_budgets_at_defaults_and_at_the_largest_settings(at):
    sizes = chart_bytes(at)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    big = open_page("lookahead")
    big.slider(key="lookahead_steps").set_value(200).run()
    big.slider(key="lookahead_seeds").set_value(100).run()
    assert_clean(big)
    sizes = chart_bytes(big)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    assert len(charts(big)[0]["frames"]) <= 60


SLIDER_EXTREMES = [("lookahead_k", 1), ("lookahead_k", 20), ("lookahead_alpha", 0.05), ("lookahead_alpha", 1.0),
                   ("lookahead_noise", 0.0), ("lookahead_noise", 5.0), ("lookahead_seeds", 2),
                   ("lookahead_seeds", 100)]


def test_slider_extremes_run_and_change_the_charts():
    at = open_page("lookahead")
    before = charts(at)
    for key, value in SLIDER_EXTREMES:
        at.slider(key=key).set_value(value).run()
        assert_clean(at)
        after = charts(at)
        if key in ("lookahead_k", "lookahead_alpha"):
            assert not np.allclose(xy(trace(after[0], L.FAST_NAME)), xy(trace(before[0], L.FAST_NAME)))
        if key == "lookahead_seeds":
            assert len(xy(trace(after[2], "Lookahead"))) == value
        if key == "lookahead_noise" and value == 0.0:  # no noise: every seed lands on the same point
            assert np.ptp(xy(trace(after[2], "Lookahead")), axis=0).max() < 1e-12
        before = after
    # the last settings (k = 20, α = 1, σ = 5, 100 seeds) match optim_core too
    la = _la(k=20, alpha=1.0)
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.FAST_NAME)), la.params)


def test_inner_optimizer_and_step_size_extremes():
    at = open_page("lookahead")
    for inner, lrs in (("sgd", (0.0005, 0.1)), ("adam", (0.001, 1.0))):  # each step-size slider's two ends
        at.radio(key="lookahead_inner").set_value(inner).run()
        assert_clean(at)
        assert at.select_slider(key=f"lookahead_lr_{inner}").value == {"sgd": 0.07, "adam": 0.3}[inner]
        for lr in lrs:
            at.select_slider(key=f"lookahead_lr_{inner}").set_value(lr).run()
            assert_clean(at)
            inner_opt = oc.make_optimizer(inner, lr=lr)
            la = oc.run(oc.make_optimizer("lookahead", inner=inner_opt, k=K, alpha=ALPHA),
                        QUAD, QUAD.start, STEPS)
            np.testing.assert_allclose(xy(trace(charts(at)[0], L.FAST_NAME)), la.params)
    # Adam's path is drawn in Adam's colour and called Adam
    assert trace(charts(at)[0], "Adam alone")["line"]["color"] == color("adam")


def test_big_sgd_step_warns_for_the_inner_optimizer_but_lookahead_survives():
    at = open_page("lookahead")
    at.select_slider(key="lookahead_lr_sgd").set_value(0.085).run()
    at.slider(key="lookahead_alpha").set_value(0.5).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Gradient descent alone diverged at step") for w in warnings), warnings
    assert not any(w.startswith("Lookahead diverged") for w in warnings), warnings
    assert not _la(alpha=0.5, lr=0.085).diverged
    # the noisy runs: every gradient-descent seed blows up (|1 − 25·0.085| > 1), Lookahead's do not
    starts = np.tile(QUAD.start, (SEEDS, 1))
    noisy = oc.run(oc.make_optimizer("sgd", lr=0.085), QUAD, starts, STEPS, noise=NOISE, seed=0)
    first = int(noisy.diverged_at.min())
    assert (noisy.diverged_at >= 0).all() and first > 0
    assert any(w.startswith(f"{SEEDS} of {SEEDS} Gradient descent alone runs diverged, the first at step {first}:")
               for w in warnings), warnings
    assert not any("Lookahead runs diverged" in w for w in warnings), warnings
    assert not _la(alpha=0.5, lr=0.085, start=starts, noise=NOISE, seed=0).diverged.any()


@pytest.mark.parametrize("surface", oc.SURFACE_NAMES)
def test_every_surface_and_start_extremes(surface):
    at = open_page("lookahead")
    at.selectbox(key="lookahead_surface").set_value(surface).run()
    assert_clean(at)
    s = oc.get_surface(surface)
    fig = charts(at)[0]
    la = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=LR), k=K,
                                  alpha=ALPHA), s, s.start, STEPS)
    np.testing.assert_allclose(xy(trace(fig, L.FAST_NAME)), la.params)
    (x0, x1), (y0, y1) = s.bounds
    at.slider(key=f"lookahead_start_x_{surface}").set_value(x0).run()
    at.slider(key=f"lookahead_start_y_{surface}").set_value(y1).run()
    assert_clean(at)
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.FAST_NAME))[0], [x0, y1])
    at.slider(key=f"lookahead_start_x_{surface}").set_value(x1).run()
    at.slider(key=f"lookahead_start_y_{surface}").set_value(y0).run()
    at.slider(key="lookahead_steps").set_value(10).run()
    assert_clean(at)
    assert len(xy(trace(charts(at)[0], L.FAST_NAME))) == 11


def test_the_default_page_has_badges_no_warning_and_its_settings_in_the_main_column(at):
    assert_clean(at)
    assert not at.warning
    main = {w.key for w in list(at.main.slider) + list(at.main.select_slider)}
    assert {"lookahead_k", "lookahead_alpha", "lookahead_lr_sgd"} <= main  # no sidebar needed on a phone
    alone = oc.run(oc.make_optimizer("sgd", lr=LR), QUAD, QUAD.start, STEPS)
    words = {"converged": "converged", "converging": "still converging", "oscillating": "oscillating"}
    text = "\n".join(m.value for m in at.markdown)
    for name, run in (("Gradient descent alone", alone), ("Lookahead", _la())):
        status = str(oc.status(run, QUAD))
        assert f"**{name}** :" in text and f"-badge[{words[status]}]" in text, (name, status)
    assert "CIFAR-100" in text  # the note under the deck's "ResNet-18, CIFAR-10" label
    assert "Why stripes" not in text
    # k hardly matters along the framed row: every k ends within a factor of 2 at α = 0.8 (computed by the engine)
    row = [_la(k=k).loss[-1] for k in L.GRID_KS]
    assert max(row) / min(row) < 2 and f"by a factor of {max(row) / min(row):.2g} at most" in text


_apply = apply_scene


@pytest.mark.parametrize("name", [s.name for s in L.SCENES])
def test_every_scene_runs_and_draws_what_it_sets(name):
    scene = next(s for s in L.SCENES if s.name == name)
    at = _apply(open_page("lookahead"), scene)
    assert_clean(at)
    assert not at.warning
    st = scene.settings
    assert (at.slider(key="lookahead_k").value, at.slider(key="lookahead_alpha").value,
            at.select_slider(key="lookahead_lr_sgd").value) == (st["lookahead_k"], st["lookahead_alpha"],
                                                                st["lookahead_lr_sgd"])
    la = _la(k=st["lookahead_k"], alpha=st["lookahead_alpha"], lr=st["lookahead_lr_sgd"])
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.FAST_NAME)), la.params)
    assert any(scene.caption in c.value for c in at.caption)


def test_the_parity_scene_shows_the_stripes_and_explains_them():
    at = _apply(open_page("lookahead"), next(s for s in L.SCENES if s.name == "parity"))
    heat = charts(at)[1]["data"][0]
    z = np.asarray(heat["z"], dtype=float).reshape(10, 8)
    row = heat["y"].index("0.8")
    loss = {int(k): 10 ** z[row, c] for c, k in enumerate(heat["x"])}
    # t = 0.078: each step multiplies y by −0.95; a cycle of odd k lands φ across the valley floor
    for even, odd in ((2, 3), (8, 5), (10, 15), (20, 15)):
        assert loss[even] > 10 * loss[odd], (even, odd)
    np.testing.assert_allclose(loss[5], _la(k=5, lr=0.078).loss[-1], rtol=1e-9)
    text = "\n".join(m.value for m in at.markdown)
    assert "**Why stripes?**" in text and "parity of k decides which wall the fast weights end on" in text


def test_the_noisy_scene_halves_the_spread_across_the_valley():
    scene = next(s for s in L.SCENES if s.name == "noisy")
    at = _apply(open_page("lookahead"), scene)
    assert_clean(at)
    seeds, sigma = scene.settings["lookahead_seeds"], scene.settings["lookahead_noise"]
    starts = np.tile(QUAD.start, (seeds, 1))
    alone = oc.run(oc.make_optimizer("sgd", lr=0.078), QUAD, starts, STEPS, noise=sigma, seed=0)
    la = _la(lr=0.078, start=starts, noise=sigma, seed=0)
    assert la.params[-1].std(axis=0)[1] < 0.6 * alone.params[-1].std(axis=0)[1]  # "about half", as the caption says
    np.testing.assert_allclose(xy(trace(charts(at)[2], "Lookahead")), la.params[-1])
