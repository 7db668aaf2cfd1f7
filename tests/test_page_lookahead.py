"""The Lookahead page through AppTest: its charts and tables against optim_core and by hand, widget extremes, sizes.

What every page does alike (links, junk links, Next/Previous, reset from a scene, the pseudo-language and Korean
sweeps) is tests/test_pages.py; this file holds the Lookahead page's own numbers.
"""

import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, click, key, latex_text, open_page, trace, xy
from ui.figures.algorithm import tex_number
from ui.figures.theme import color
from ui.pages import lookahead as L

PAGE = "lookahead"
# The page opens on its "Robust to α and k" scene: the paper's CIFAR setting (k = 5, α = 0.8) around gradient
# descent with t = 0.07, which zig-zags across the elongated bowl (y is multiplied by 1 − 25·0.07 = −0.75 each step)
# but is not so near the 2/25 = 0.08 where it blows up that the parity of k dominates the α × k grid.
K, ALPHA, LR, STEPS, NOISE, SEEDS = 5, 0.8, 0.07, 50, 2.0, 40
QUAD = oc.get_surface("elongated_quadratic")
CURV = np.array([1.0, 25.0])
# The α × k grid is one batched run; a cell is compared with a single run. Gradient descent inside Lookahead on the
# bowl multiplies each coordinate by constants, so every rounding stays relative to the coordinate itself: 50 steps
# of a few roundings each (≲ 1e-13), then the chart's log10 and our 10** (≲ 1e-14). 1e-9 holds on any machine.
GRID_RTOL = 1e-9
K_, ALPHA_, INNER_, STEP_ = (key(PAGE, n) for n in ("k", "alpha", "inner", "step"))


def lr_key(inner: str) -> str:
    return key(PAGE, "lr", inner)


@pytest.fixture(scope="module")
def opened():
    """The sessions the read-only checks share: ``opened()`` at the defaults, ``opened(name)`` by a scene's link."""
    return pagetest.sessions(PAGE)


def _scene(name):
    return pagetest.scene(PAGE, name)


def _la(k=K, alpha=ALPHA, lr=LR, start=QUAD.start, steps=STEPS, **kw):
    opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=lr), k=k, alpha=alpha)
    return oc.run(opt, QUAD, start, steps, **kw)


def _alone(lr=LR, start=QUAD.start, **kw):
    return oc.run(oc.make_optimizer("sgd", lr=lr), QUAD, start, STEPS, **kw)


def _frame_xy(fig, step, name):
    index = next(i for i, t in enumerate(fig["data"]) if t.get("name") == name)
    frame = next(f for f in fig["frames"] if f["name"] == str(step))
    return xy(frame["data"][frame["traces"].index(index)])


def _fast_path(at) -> np.ndarray:
    return xy(trace(charts(at)[0], L.fast_name()))


def test_defaults_paths_slow_weights_and_segment(opened):
    at = opened()
    assert_clean(at)
    assert (at.slider(key=K_).value, at.slider(key=ALPHA_).value) == (K, ALPHA)
    assert at.radio(key=INNER_).value == "sgd" and at.select_slider(key=lr_key("sgd")).value == LR
    assert (at.slider(key=key(PAGE, "steps")).value, at.slider(key=key(PAGE, "noise")).value,
            at.slider(key=key(PAGE, "seeds")).value) == (STEPS, NOISE, SEEDS)
    assert at.selectbox(key=key(PAGE, "surface")).value == "elongated_quadratic"
    assert len(at.get("plotly_chart")) == 4
    fig = charts(at)[0]
    la, alone = _la(), _alone()
    np.testing.assert_allclose(xy(trace(fig, L.fast_name())), la.params)
    np.testing.assert_allclose(xy(trace(fig, "Gradient descent alone")), alone.params)
    slow = xy(trace(fig, L.slow_path_name()))
    np.testing.assert_allclose(slow[0], QUAD.start)
    np.testing.assert_allclose(slow[1:], la.records["slow"][la.records["synced"]])
    assert len(slow) == 1 + 10  # 50 steps, a sync every 5
    # the first sync (step k): segment from φ_0 = start to θ_{1,k}, computed by hand for SGD on the bowl
    theta = QUAD.start * (1 - LR * CURV) ** K
    np.testing.assert_allclose(_frame_xy(fig, K, L.segment_name()), [QUAD.start, theta], rtol=1e-11)
    phi1 = QUAD.start + ALPHA * (theta - QUAD.start)
    np.testing.assert_allclose(_frame_xy(fig, K, L.slow_now_name())[0], phi1, rtol=1e-11)
    np.testing.assert_allclose(la.records["slow"][K - 1], phi1, rtol=1e-11)
    caption = " ".join(c.value for c in at.caption)
    assert f"Gradient descent alone loss {alone.loss[-1]:.3g}" in caption
    assert f"loss {la.loss[-1]:.3g}, 10 syncs" in caption


def test_heatmap_cells_equal_single_runs(opened):
    at = opened()
    heat = charts(at)[1]["data"][0]
    assert heat["x"] == ["1", "2", "3", "5", "8", "10", "15", "20"]
    assert heat["y"] == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]
    z = np.asarray(heat["z"], dtype=float).reshape(10, 8)
    for alpha, k in [(0.5, 10), (0.8, 5), (0.2, 15)]:
        r, c = heat["y"].index(f"{alpha:g}"), heat["x"].index(str(k))
        np.testing.assert_allclose(10 ** z[r, c], _la(k=k, alpha=alpha).loss[-1], rtol=GRID_RTOL)
    np.testing.assert_allclose(10 ** z[9, 0], _alone().loss[-1], rtol=GRID_RTOL)  # α = 1, k = 1: gradient descent
    frame = charts(at)[1]["layout"]["shapes"][0]  # the framed cell is the page's α = 0.8, k = 5
    assert (frame["x0"] + 0.5, frame["y0"] + 0.5) == (heat["x"].index("5"), heat["y"].index("0.8"))


def test_paper_table_numbers(opened):
    at = opened()
    text = " ".join(m.value for m in at.markdown)
    for number in ("78.24 ± .02", "78.19 ± .22", "78.27 ± .04", "77.94 ± .22"):
        assert number in text


def test_seed_spread_numbers_match_a_direct_run(opened):
    at = opened()
    starts = np.tile(QUAD.start, (SEEDS, 1))
    alone = _alone(start=starts, noise=NOISE, seed=0)
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
    mean = trace(charts(at)[3], "Lookahead: mean ± std")
    np.testing.assert_allclose(np.asarray(mean["y"], float), la.loss.mean(axis=1))


def test_json_budget_at_the_defaults(opened):
    at = opened()
    sizes = pagetest.chart_bytes(at)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes


def test_the_default_page_has_badges_no_warning_and_its_settings_in_the_main_column(opened):
    at = opened()
    assert not at.warning
    main = {w.key for w in list(at.main.slider) + list(at.main.select_slider)}
    assert {K_, ALPHA_, lr_key("sgd")} <= main  # no sidebar needed on a phone
    words = {"converged": "converged", "converging": "still converging", "oscillating": "oscillating"}
    text = "\n".join(m.value for m in at.markdown)
    for name, run in (("Gradient descent alone", _alone()), ("Lookahead", _la())):
        status = str(oc.status(run, QUAD))
        assert f"**{name}** :" in text and f"-badge[{words[status]}]" in text, (name, status)
    assert "CIFAR-100" in text  # the note under the deck's "ResNet-18, CIFAR-10" label
    assert "Why stripes" not in text
    # k hardly matters along the framed row: every k ends within a factor of 2 at α = 0.8 (computed by the engine)
    row = [_la(k=k).loss[-1] for k in L.GRID_KS]
    assert max(row) / min(row) < 2 and f"by a factor of {max(row) / min(row):.2g} at most" in text


def test_slider_extremes_k1_alpha1_the_largest_settings_and_reset(opened):
    """One session: each slider to its ends; k = 1, α = 1 is the inner optimizer itself; the JSON budget at
    200 steps × 100 seeds; and Reset brings back the opening picture, numbers included."""
    at = opened()
    moved = open_page(PAGE)
    before = charts(moved)
    extremes = [(K_, 1), (ALPHA_, 1.0), (ALPHA_, 0.05), (K_, 20), (ALPHA_, 1.0), (key(PAGE, "noise"), 0.0),
                (key(PAGE, "noise"), 5.0), (key(PAGE, "seeds"), 2), (key(PAGE, "seeds"), 100)]
    for name, value in extremes:
        moved.slider(key=name).set_value(value).run()
        assert_clean(moved)
        after = charts(moved)
        if name in (K_, ALPHA_):
            assert not np.allclose(xy(trace(after[0], L.fast_name())), xy(trace(before[0], L.fast_name())))
        if name == key(PAGE, "seeds"):
            assert len(xy(trace(after[2], "Lookahead"))) == value
        if name == key(PAGE, "noise") and value == 0.0:  # no noise: every seed lands on the same point
            cloud = xy(trace(after[2], "Lookahead"))  # one batched run, the same operations on equal inputs
            assert np.ptp(cloud, axis=0).max() <= 1e-13 * np.abs(cloud).max()
        if (moved.session_state[K_], moved.session_state[ALPHA_]) == (1, 1.0) and name == ALPHA_:
            # φ + 1·(θ − φ) every step: the inner optimizer's own path, to the rounding of that sum (50 steps)
            fig = after[0]
            np.testing.assert_allclose(xy(trace(fig, L.fast_name())), xy(trace(fig, "Gradient descent alone")),
                                       rtol=1e-12)
            assert len(xy(trace(fig, L.slow_path_name()))) == STEPS + 1
        before = after
    # the last settings (k = 20, α = 1, σ = 5, 100 seeds) match optim_core too
    np.testing.assert_allclose(_fast_path(moved), _la(k=20, alpha=1.0).params)
    moved.slider(key=key(PAGE, "steps")).set_value(200).run()  # the largest run: 200 steps × 100 seeds
    assert_clean(moved)
    sizes = pagetest.chart_bytes(moved)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    assert len(charts(moved)[0]["frames"]) <= 60
    click(moved, f"_{PAGE}_next")
    click(moved, f"_reset_{PAGE}")
    assert_clean(moved)
    assert (moved.session_state[K_], moved.session_state[ALPHA_], moved.session_state[STEP_]) == (K, ALPHA, 0)
    assert pagetest.widgets(moved) == pagetest.widgets(at)
    assert pagetest.chart_json(moved) == pagetest.chart_json(at) and latex_text(moved) == latex_text(at)


def test_inner_optimizer_and_step_size_extremes():
    at = open_page(PAGE)
    for inner, lrs in (("sgd", (0.0005, 0.1)), ("adam", (0.001, 1.0))):  # each step-size slider's two ends
        at.radio(key=INNER_).set_value(inner).run()
        assert_clean(at)
        assert at.select_slider(key=lr_key(inner)).value == {"sgd": 0.07, "adam": 0.3}[inner]
        for lr in lrs:
            at.select_slider(key=lr_key(inner)).set_value(lr).run()
            assert_clean(at)
            la = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer(inner, lr=lr), k=K, alpha=ALPHA),
                        QUAD, QUAD.start, STEPS)
            np.testing.assert_allclose(_fast_path(at), la.params)
    # Adam's path is drawn in Adam's colour and called Adam
    assert trace(charts(at)[0], "Adam alone")["line"]["color"] == color("adam")


def test_big_sgd_step_warns_for_the_inner_optimizer_but_lookahead_survives():
    at = open_page(PAGE)
    at.select_slider(key=lr_key("sgd")).set_value(0.085).run()
    at.slider(key=ALPHA_).set_value(0.5).run()
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("Gradient descent alone diverged at step") for w in warnings), warnings
    assert not any(w.startswith("Lookahead diverged") for w in warnings), warnings
    assert not _la(alpha=0.5, lr=0.085).diverged
    # the noisy runs: every gradient-descent seed blows up (|1 − 25·0.085| > 1), Lookahead's do not
    starts = np.tile(QUAD.start, (SEEDS, 1))
    noisy = _alone(lr=0.085, start=starts, noise=NOISE, seed=0)
    first = int(noisy.diverged_at.min())
    assert (noisy.diverged_at >= 0).all() and first > 0
    assert any(w.startswith(f"{SEEDS} of {SEEDS} Gradient descent alone runs diverged, the first at step {first}:")
               for w in warnings), warnings
    assert not any("Lookahead runs diverged" in w for w in warnings), warnings
    assert not _la(alpha=0.5, lr=0.085, start=starts, noise=NOISE, seed=0).diverged.any()


def test_every_surface_and_start_extremes():
    """One session through every surface: the path from its demo start, then from two opposite corners."""
    at = open_page(PAGE)
    for surface in oc.SURFACE_NAMES:
        at.selectbox(key=key(PAGE, "surface")).set_value(surface).run()
        assert_clean(at)
        s, steps = oc.get_surface(surface), at.session_state[key(PAGE, "steps")]
        la = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=LR), k=K, alpha=ALPHA),
                    s, s.start, steps)
        np.testing.assert_allclose(_fast_path(at), la.params, err_msg=surface)
        (x0, x1), (y0, y1) = s.bounds
        at.slider(key=key(PAGE, "x", surface)).set_value(x0).run()
        at.slider(key=key(PAGE, "y", surface)).set_value(y1).run()
        assert_clean(at)
        np.testing.assert_allclose(_fast_path(at)[0], [x0, y1], err_msg=surface)
        at.slider(key=key(PAGE, "x", surface)).set_value(x1).run()
        at.slider(key=key(PAGE, "y", surface)).set_value(y0).run()
        at.slider(key=key(PAGE, "steps")).set_value(10).run()
        assert_clean(at)
        assert len(_fast_path(at)) == 11, surface


@pytest.mark.parametrize("name", [s.name for s in L.SCENES])
def test_every_scene_draws_the_engines_path_and_its_caption(opened, name):
    at, settings = opened(name), _scene(name).settings
    assert_clean(at)
    assert not at.warning
    opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=settings["lr"]), k=settings["k"],
                            alpha=settings["alpha"])
    la = oc.run(opt, oc.get_surface(settings["surface"]), (settings["x"], settings["y"]), settings["steps"])
    np.testing.assert_allclose(_fast_path(at), la.params)
    assert any(_scene(name).caption in c.value for c in at.caption)


def test_the_parity_scene_shows_the_stripes_and_explains_them(opened):
    at = opened("parity")
    heat = charts(at)[1]["data"][0]
    z = np.asarray(heat["z"], dtype=float).reshape(10, 8)
    row = heat["y"].index("0.8")
    loss = {int(k): 10 ** z[row, c] for c, k in enumerate(heat["x"])}
    # t = 0.078: each step multiplies y by −0.95; a cycle of odd k lands φ across the valley floor
    for even, odd in ((2, 3), (8, 5), (10, 15), (20, 15)):
        assert loss[even] > 10 * loss[odd], (even, odd)
    np.testing.assert_allclose(loss[5], _la(k=5, lr=0.078).loss[-1], rtol=GRID_RTOL)
    text = "\n".join(m.value for m in at.markdown)
    assert "**Why stripes?**" in text and "parity of k decides which wall the fast weights end on" in text


def test_the_noisy_scene_halves_the_spread_across_the_valley(opened):
    at, settings = opened("noisy"), _scene("noisy").settings
    seeds, sigma = settings["seeds"], settings["noise"]
    starts = np.tile(QUAD.start, (seeds, 1))
    alone = _alone(lr=0.078, start=starts, noise=sigma, seed=0)
    la = _la(lr=0.078, start=starts, noise=sigma, seed=0)
    assert la.params[-1].std(axis=0)[1] < 0.6 * alone.params[-1].std(axis=0)[1]  # "about half", as the caption says
    np.testing.assert_allclose(xy(trace(charts(at)[2], "Lookahead")), la.params[-1])


HIMMELBLAU = oc.get_surface("himmelblau")


def test_the_large_step_scene_gradient_descent_bounces_and_lookahead_settles_on_a_minimum():
    """Tap the Himmelblau scene: t = 0.026 is above 2/λ_max at all four minima, so gradient descent alone ends in
    a 2-cycle around (3, 2) (losses 6.56 and 10.74), badged "oscillating"; Lookahead (k = 5, α = 0.5) ends on
    (3, 2), badged "converged". Then the neighbours the caption names: k = 3 and α = 0.45 settle too, t = 0.024
    lets gradient descent settle alone, and k = 4 (even) makes Lookahead bounce as well."""
    at = open_page(PAGE)
    pagetest.pick_scene(at, PAGE, "large_step")
    assert_clean(at)
    assert not at.warning
    surface = key(PAGE, "surface")
    assert (at.selectbox(key=surface).value, at.slider(key=key(PAGE, "x", "himmelblau")).value,
            at.slider(key=key(PAGE, "y", "himmelblau")).value, at.slider(key=key(PAGE, "steps")).value,
            at.select_slider(key=lr_key("sgd")).value, at.slider(key=K_).value, at.slider(key=ALPHA_).value) == (
        "himmelblau", 0.0, 0.0, 150, 0.026, 5, 0.5)
    sgd = oc.make_optimizer("sgd", lr=0.026)
    alone = oc.run(sgd, HIMMELBLAU, np.zeros(2), 150)
    la = oc.run(oc.make_optimizer("lookahead", inner=sgd, k=5, alpha=0.5), HIMMELBLAU, np.zeros(2), 150)
    fig = charts(at)[0]
    np.testing.assert_allclose(xy(trace(fig, "Gradient descent alone")), alone.params)
    np.testing.assert_allclose(_fast_path(at), la.params)
    gaps = np.linalg.norm(alone.params[-1] - HIMMELBLAU.minima, axis=-1)
    assert gaps.min() == pytest.approx(0.3853, abs=1e-4) and gaps.argmin() == 0  # bouncing around (3, 2) ...
    assert alone.loss[-1] == pytest.approx(6.564, abs=1e-3) and alone.loss[-2] == pytest.approx(10.745, abs=1e-3)
    assert alone.loss[-50:].min() > 6.5  # ... for good: a 2-cycle, not a slow approach
    assert np.linalg.norm(la.params[-1] - [3.0, 2.0]) < 1e-10 and la.loss[-1] < 1e-20
    # what the caption concedes: the grid's column k = 1 is gradient descent at αt = 0.013, which settles as well
    heat = charts(at)[1]["data"][0]
    z = np.asarray(heat["z"], dtype=float).reshape(10, 8)
    small_step = oc.run(oc.make_optimizer("sgd", lr=0.5 * 0.026), HIMMELBLAU, np.zeros(2), 150)
    assert small_step.loss[-1] < 1e-20 and str(oc.status(small_step, HIMMELBLAU)) == "converged"
    assert 10 ** z[heat["y"].index("0.5"), heat["x"].index("1")] == pytest.approx(L.LOSS_FLOOR)  # at the floor
    text = "\n".join(m.value for m in at.markdown)
    assert ("**Gradient descent alone** :orange-badge[oscillating] · **Lookahead** :green-badge[converged]"
            in text)
    captions = " ".join(c.value for c in at.caption)
    assert f"Gradient descent alone loss {alone.loss[-1]:.3g}" in captions and "loss 4.65e-21, 30 syncs" in captions
    assert ("Distance from the nearest minimum after 150 steps: Gradient descent alone 0.385 from (3, 2) · "
            f"Lookahead {np.linalg.norm(la.params[-1] - [3, 2]):.3g} from (3, 2).") in captions

    def badges():
        return next(m.value for m in at.markdown if m.value.startswith("**Gradient descent alone** :"))

    at.slider(key=K_).set_value(3).run()
    at.slider(key=ALPHA_).set_value(0.45).run()
    assert_clean(at)
    assert badges().endswith("**Lookahead** :green-badge[converged]")
    at.slider(key=K_).set_value(4).run()  # even k: θ_{t,k} on φ's side of the bounce, the pull-back gains nothing
    assert badges() == ("**Gradient descent alone** :orange-badge[oscillating] · "
                        "**Lookahead** :orange-badge[oscillating]")
    at.select_slider(key=lr_key("sgd")).set_value(0.024).run()  # below 2/λ_max = 0.0243 at (3, 2)
    assert badges().startswith("**Gradient descent alone** :blue-badge[still converging]")
    assert np.linalg.norm(xy(trace(charts(at)[0], "Gradient descent alone"))[-1] - [3, 2]) < 3e-3


# --- Classroom mode: links, steps, numbers ----------------------------------------------------

def _gd_by_hand(point, steps, lr=LR):
    """``steps`` plain gradient-descent steps on ½(x² + 25y²), whose gradient is (x, 25y): a loop, not the app."""
    theta = np.array(point, dtype=float)
    for _ in range(steps):
        theta = theta - lr * np.array([theta[0], 25.0 * theta[1]])
    return theta


def _shown(text: str, values) -> bool:
    """Every value of ``values`` is a cell of the algorithm table (``& number``)."""
    return all(f"& {tex_number(v)}" in text for v in np.ravel(values))


def _now(at, name: str) -> np.ndarray:
    """The points of trace ``name`` of the paths chart as it opens (at the page's step)."""
    return xy(trace(charts(at)[0], name))


def _marked(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("\\blacktriangleright"))


def test_a_link_keeps_the_step_size_of_the_inner_optimizer_it_names():
    """``lr`` in the link is the step size of the inner optimizer the link names (a widget kept per inner)."""
    at = open_page(PAGE)
    at.radio(key=INNER_).set_value("adam").run()
    at.select_slider(key=lr_key("adam")).set_value(0.1).run()
    at.slider(key=K_).set_value(3).run()
    at.slider(key=key(PAGE, "noise")).set_value(1.0).run()
    for _ in range(4):
        click(at, f"_{PAGE}_next")
    assert_clean(at)
    link = pagetest.link_of(at)
    assert {n: link[n] for n in ("inner", "lr", "k", "alpha", "step", "noise", "seeds", "surface")} == {
        "inner": "adam", "lr": "0.1", "k": "3", "alpha": "0.8", "step": "4", "noise": "1", "seeds": "40",
        "surface": "elongated_quadratic"}
    fresh = pagetest.open_link(PAGE, link)
    assert_clean(fresh)
    assert not fresh.info  # nothing in the link was ignored
    assert fresh.session_state[lr_key("adam")] == 0.1
    assert pagetest.widgets(fresh) == pagetest.widgets(at) and latex_text(fresh) == latex_text(at)
    assert "fast step } i = 1 \\text{ of } 3" in latex_text(fresh)  # step 4 is the first of cycle 2 when k = 3
    assert "\\theta_{2,1} \\leftarrow \\theta_{2,0} + A" in latex_text(fresh)


def test_settings_only_this_page_refuses_are_named_and_the_page_opens_at_its_defaults(opened):
    """tests/test_pages.py sends every setting a junk value; these are values that are fine elsewhere: Newton
    (an optimizer, but not one Lookahead wraps here), α = 0 (Lookahead needs α > 0), a negative noise, a step
    before the first."""
    at = opened()
    junk = {"inner": "newton", "alpha": "0", "noise": "-1", "seeds": "1e9", "step": "-3"}
    fresh = pagetest.open_link(PAGE, junk)
    assert_clean(fresh)
    pagetest.assert_link_ignored(fresh, junk)
    assert pagetest.chart_json(fresh) == pagetest.chart_json(at)


def test_the_step_view_by_hand_and_against_the_engines_records():
    """Gradient descent (t = 0.07) inside Lookahead (k = 5, α = 0.8) from (−5, 1.5): the first fast step and the
    first sync written out by hand, then the numbers and picture at fast and sync steps against the engine's
    records, then the last step, which Next never passes."""
    at = open_page(PAGE)
    start = np.array([-5.0, 1.5])
    # step 1, a fast step: ∇L(−5, 1.5) = (−5, 37.5), A = −0.07·∇L = (0.35, −2.625), θ_{1,1} = (−4.65, −1.125)
    click(at, f"_{PAGE}_next")
    text = latex_text(at)
    for cell in ("-5", "37.5", "0.35", "-2.625", "-4.65", "-1.125"):
        assert f"& {cell}" in text, cell
    np.testing.assert_allclose(_now(at, L.fast_now_name())[0], [-4.65, -1.125], rtol=1e-13)
    np.testing.assert_allclose(_now(at, L.slow_now_name())[0], start)  # φ_0 waits at the start
    # step k = 5, the first sync: θ_{1,k} is k plain GD steps from the start, φ_1 = φ_0 + α(θ_{1,k} − φ_0)
    theta = _gd_by_hand(start, K)
    phi1 = start + ALPHA * (theta - start)
    np.testing.assert_allclose(theta, start * (1 - LR * CURV) ** K, rtol=1e-13)  # (1 − t)^5, (1 − 25t)^5 = (−0.75)^5
    for _ in range(K - 1):
        click(at, f"_{PAGE}_next")
    assert at.session_state[STEP_] == K
    text = latex_text(at)
    assert _shown(text, theta) and _shown(text, phi1)
    assert f"& {tex_number(phi1[0])} & {tex_number(phi1[1])}" in _marked(text)
    np.testing.assert_allclose(_now(at, L.fast_now_name())[0], theta, rtol=1e-12)
    np.testing.assert_allclose(_now(at, L.slow_now_name())[0], phi1, rtol=1e-12)
    np.testing.assert_allclose(_now(at, L.pull_name()), [theta, phi1], rtol=1e-12)
    # the second cycle restarts from φ_1: step 7 is two GD steps from it
    at.slider(key=STEP_).set_value(K + 2).run()
    np.testing.assert_allclose(_now(at, L.fast_now_name())[0], _gd_by_hand(phi1, 2), rtol=1e-11)
    assert _shown(latex_text(at), _gd_by_hand(phi1, 2))

    run = _la()
    rec = run.records
    for n in (1, 3, 5, 7, 10, 23, 50):  # fast steps and sync steps (every 5th)
        at.slider(key=STEP_).set_value(n).run()
        assert_clean(at)
        c, synced = n - 1, bool(rec["synced"][n - 1])
        assert synced == (n % K == 0)
        text = latex_text(at)
        phi_before = QUAD.start if c == 0 else rec["slow"][c - 1]
        for values in (phi_before, run.params[c], run.grads[c], rec["fast"][c] - run.params[c], rec["fast"][c]):
            assert _shown(text, values), (n, values)
        assert f"fast step }} i = {c % K + 1} \\text{{ of }} {K} &" in text
        marked = _marked(text)
        np.testing.assert_allclose(_now(at, L.fast_now_name())[0], rec["fast"][c], rtol=1e-12)  # the ring: θ
        np.testing.assert_allclose(_now(at, L.slow_now_name())[0], rec["slow"][c], rtol=1e-12)  # the ◆: φ
        np.testing.assert_allclose(_now(at, L.fast_name())[-1], run.params[-1])  # the full path stays
        pull = _now(at, L.pull_name())
        if synced:
            t = n // K  # φ_t ← φ_{t−1} + α(θ_{t,k} − φ_{t−1})
            assert f"\\phi_{{{t}}} \\leftarrow \\phi_{{{t - 1}}} + 0.8(\\theta_{{{t},{K}}}" in marked
            assert _shown(text, rec["slow"][c]) and _shown(text, run.params[n])
            np.testing.assert_allclose(pull, [rec["fast"][c], rec["slow"][c]], rtol=1e-12)  # θ_{t,k} → φ_t
            np.testing.assert_allclose(run.params[n], rec["slow"][c])  # the fast weights restart at φ_t
        else:
            assert f"\\theta_{{{c // K + 1},{c % K + 1}}} \\leftarrow" in marked  # the inner update
            assert np.isnan(pull).all()  # no pull-back between syncs
            np.testing.assert_allclose(run.params[n], rec["fast"][c])
    click(at, f"_{PAGE}_next")  # never past the last step
    assert at.session_state[STEP_] == STEPS


def test_numbers_at_a_sync_with_adam_inside_are_the_records():
    at = open_page(PAGE)
    at.radio(key=INNER_).set_value("adam").run()
    at.slider(key=STEP_).set_value(10).run()
    assert_clean(at)
    run = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("adam", lr=0.3), k=K, alpha=ALPHA),
                 QUAD, QUAD.start, STEPS)
    rec, c = run.records, 9
    text = latex_text(at)
    # A is Adam's move: −t·m̂/(√v̂ + ε), read from the same records
    np.testing.assert_allclose(rec["fast"][c] - run.params[c], -0.3 * rec["m_hat"][c] / (np.sqrt(rec["v_hat"][c])
                                                                                        + 1e-8), rtol=1e-12)
    for values in (rec["slow"][c - 1], run.params[c], run.grads[c], rec["fast"][c], rec["slow"][c]):
        assert _shown(text, values)
    assert "\\hat m" in text
    np.testing.assert_allclose(_now(at, L.pull_name()), [rec["fast"][c], rec["slow"][c]], rtol=1e-12)


def test_the_parity_scene_at_a_sync_step_has_no_text_outside_the_catalogs():
    """tests/test_pages.py checks the opening page and the last scene at a fast step; the stripes' explanation
    (parity scene only) and a sync step's pull-back line are this page's own text."""
    at = open_page_in(PAGE, "xx", {"scene": "parity", "step": "5"})
    assert_clean(at)
    assert untranslated(at) == []
