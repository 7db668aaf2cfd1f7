"""The Lookahead page through AppTest: its charts and tables against optim_core, widget extremes, sizes."""

import numpy as np
import pytest
from i18ntest import hangul_share, open_page_in, untranslated

import optim_core as oc
from pagetest import (
    apply_scene,
    assert_clean,
    chart_bytes,
    chart_json,
    charts,
    latex_text,
    link_of,
    open_link,
    open_page,
    trace,
    xy,
)
from ui import lookahead as L
from ui.figures.algorithm import tex_number
from ui.figures.theme import color

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
    np.testing.assert_allclose(xy(trace(fig, L.fast_name())), xy(trace(fig, "Gradient descent alone")), rtol=1e-12)
    assert len(xy(trace(fig, L.slow_path_name()))) == STEPS + 1


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
            assert not np.allclose(xy(trace(after[0], L.fast_name())), xy(trace(before[0], L.fast_name())))
        if key == "lookahead_seeds":
            assert len(xy(trace(after[2], "Lookahead"))) == value
        if key == "lookahead_noise" and value == 0.0:  # no noise: every seed lands on the same point
            assert np.ptp(xy(trace(after[2], "Lookahead")), axis=0).max() < 1e-12
        before = after
    # the last settings (k = 20, α = 1, σ = 5, 100 seeds) match optim_core too
    la = _la(k=20, alpha=1.0)
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.fast_name())), la.params)


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
            np.testing.assert_allclose(xy(trace(charts(at)[0], L.fast_name())), la.params)
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
    np.testing.assert_allclose(xy(trace(fig, L.fast_name())), la.params)
    (x0, x1), (y0, y1) = s.bounds
    at.slider(key=f"lookahead_start_x_{surface}").set_value(x0).run()
    at.slider(key=f"lookahead_start_y_{surface}").set_value(y1).run()
    assert_clean(at)
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.fast_name()))[0], [x0, y1])
    at.slider(key=f"lookahead_start_x_{surface}").set_value(x1).run()
    at.slider(key=f"lookahead_start_y_{surface}").set_value(y0).run()
    at.slider(key="lookahead_steps").set_value(10).run()
    assert_clean(at)
    assert len(xy(trace(charts(at)[0], L.fast_name()))) == 11


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
    np.testing.assert_allclose(xy(trace(charts(at)[0], L.fast_name())), la.params)
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


def _at_step(fig: dict, name: str) -> np.ndarray:
    """The points of trace ``name`` as the figure opens (at the page's step)."""
    return xy(trace(fig, name))


def test_a_link_rebuilds_the_scene_widgets_and_chart_data():
    at = open_page("lookahead")
    at.radio(key="lookahead_inner").set_value("adam").run()
    at.select_slider(key="lookahead_lr_adam").set_value(0.1).run()
    at.slider(key="lookahead_k").set_value(3).run()
    at.slider(key="lookahead_noise").set_value(1.0).run()
    for _ in range(4):
        at.button(key="_lookahead_next").click().run()
    assert_clean(at)
    link = link_of(at)
    assert {n: link[n] for n in ("inner", "lr", "k", "alpha", "step", "noise", "seeds", "surface")} == {
        "inner": "adam", "lr": "0.1", "k": "3", "alpha": "0.8", "step": "4", "noise": "1", "seeds": "40",
        "surface": "elongated_quadratic"}
    fresh = open_link("lookahead", link)
    assert_clean(fresh)
    assert not fresh.info  # nothing in the link was ignored
    for key in ("lookahead_inner", "lookahead_lr_adam", "lookahead_k", "lookahead_alpha", "lookahead_step",
                "lookahead_noise", "lookahead_seeds", "lookahead_steps"):
        assert fresh.session_state[key] == at.session_state[key], key
    assert chart_json(fresh) == chart_json(at)
    assert latex_text(fresh) == latex_text(at)
    assert "fast step } i = 1 \\text{ of } 3" in latex_text(fresh)  # step 4 is the first of cycle 2 when k = 3
    assert "\\theta_{2,1} \\leftarrow \\theta_{2,0} + A" in latex_text(fresh)


@pytest.mark.parametrize("junk", [
    {"lr": "abc"}, {"k": "x" * 20_000}, {"surface": "../../x"}, {"alpha": "nan"}, {"k": "inf"},
    {"steps": "-30"}, {"step": "-3"}, {"inner": "newton"}, {"seeds": "1e9"}, {"noise": "-1"}, {"alpha": "0"}])
def test_junk_in_a_link_is_named_once_and_the_page_opens_at_its_defaults(junk, at):
    fresh = open_link("lookahead", junk)
    assert_clean(fresh)
    (name, value), = junk.items()
    notice = [i.value for i in fresh.info]
    assert len(notice) == 1 and f"`{name}=" in notice[0], notice
    assert chart_json(fresh) == chart_json(at)


def test_next_three_then_previous_is_next_twice():
    a, b = open_page("lookahead"), open_page("lookahead")
    for _ in range(3):
        a.button(key="_lookahead_next").click().run()
    a.button(key="_lookahead_prev").click().run()
    for _ in range(2):
        b.button(key="_lookahead_next").click().run()
    assert a.session_state["lookahead_step"] == b.session_state["lookahead_step"] == 2
    assert chart_json(a) == chart_json(b) and latex_text(a) == latex_text(b)
    a.button(key="_lookahead_first").click().run()
    assert a.session_state["lookahead_step"] == 0
    a.button(key="_lookahead_prev").click().run()  # never below 0
    assert a.session_state["lookahead_step"] == 0
    a.slider(key="lookahead_step").set_value(STEPS).run()
    a.button(key="_lookahead_next").click().run()  # never past the last step
    assert a.session_state["lookahead_step"] == STEPS


def test_numbers_and_picture_at_step_n_are_the_engines_records():
    at = open_page("lookahead")
    run = _la()
    rec = run.records
    for n in (1, 3, 5, 7, 10, 23, 50):  # fast steps and sync steps (every 5th)
        at.slider(key="lookahead_step").set_value(n).run()
        assert_clean(at)
        c, synced = n - 1, bool(rec["synced"][n - 1])
        assert synced == (n % K == 0)
        text, fig = latex_text(at), charts(at)[0]
        phi_before = QUAD.start if c == 0 else rec["slow"][c - 1]
        for values in (phi_before, run.params[c], run.grads[c], rec["fast"][c] - run.params[c], rec["fast"][c]):
            assert _shown(text, values), (n, values)
        assert f"fast step }} i = {c % K + 1} \\text{{ of }} {K} &" in text
        marked = next(line for line in text.splitlines() if line.startswith("\\blacktriangleright"))
        np.testing.assert_allclose(_at_step(fig, L.fast_now_name())[0], rec["fast"][c], rtol=1e-12)  # the ring: θ
        np.testing.assert_allclose(_at_step(fig, L.slow_now_name())[0], rec["slow"][c], rtol=1e-12)  # the ◆: φ
        np.testing.assert_allclose(_at_step(fig, L.fast_name())[-1], run.params[-1])  # the full path stays
        pull = _at_step(fig, L.pull_name())
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


def test_the_first_fast_step_and_the_first_sync_by_hand():
    """Gradient descent (t = 0.07) inside Lookahead (k = 5, α = 0.8) from (−5, 1.5), written out by hand."""
    at = open_page("lookahead")
    start = np.array([-5.0, 1.5])
    # step 1, a fast step: ∇L(−5, 1.5) = (−5, 37.5), A = −0.07·∇L = (0.35, −2.625), θ_{1,1} = (−4.65, −1.125)
    at.button(key="_lookahead_next").click().run()
    text = latex_text(at)
    for cell in ("-5", "37.5", "0.35", "-2.625", "-4.65", "-1.125"):
        assert f"& {cell}" in text, cell
    np.testing.assert_allclose(_at_step(charts(at)[0], L.fast_now_name())[0], [-4.65, -1.125], rtol=1e-13)
    np.testing.assert_allclose(_at_step(charts(at)[0], L.slow_now_name())[0], start)  # φ_0 waits at the start
    # step k = 5, the first sync: θ_{1,k} is k plain GD steps from the start, φ_1 = φ_0 + α(θ_{1,k} − φ_0)
    theta = _gd_by_hand(start, K)
    phi1 = start + ALPHA * (theta - start)
    np.testing.assert_allclose(theta, start * (1 - LR * CURV) ** K, rtol=1e-13)  # (1 − t)^5, (1 − 25t)^5 = (−0.75)^5
    for _ in range(K - 1):
        at.button(key="_lookahead_next").click().run()
    assert at.session_state["lookahead_step"] == K
    text, fig = latex_text(at), charts(at)[0]
    assert _shown(text, theta) and _shown(text, phi1)
    assert f"& {tex_number(phi1[0])} & {tex_number(phi1[1])}" in next(
        line for line in text.splitlines() if line.startswith("\\blacktriangleright"))
    np.testing.assert_allclose(_at_step(fig, L.fast_now_name())[0], theta, rtol=1e-12)
    np.testing.assert_allclose(_at_step(fig, L.slow_now_name())[0], phi1, rtol=1e-12)
    np.testing.assert_allclose(_at_step(fig, L.pull_name()), [theta, phi1], rtol=1e-12)
    # the second cycle restarts from φ_1: step 7 is two GD steps from it
    at.slider(key="lookahead_step").set_value(K + 2).run()
    np.testing.assert_allclose(_at_step(charts(at)[0], L.fast_now_name())[0], _gd_by_hand(phi1, 2), rtol=1e-11)
    assert _shown(latex_text(at), _gd_by_hand(phi1, 2))


def test_numbers_at_a_sync_with_adam_inside_are_the_records():
    at = open_page("lookahead")
    at.radio(key="lookahead_inner").set_value("adam").run()
    at.slider(key="lookahead_step").set_value(10).run()
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
    np.testing.assert_allclose(_at_step(charts(at)[0], L.pull_name()), [rec["fast"][c], rec["slow"][c]], rtol=1e-12)


def test_reset_returns_to_the_opening_scene(at):
    moved = open_page("lookahead")
    moved.slider(key="lookahead_k").set_value(8).run()
    moved.slider(key="lookahead_alpha").set_value(0.3).run()
    moved.button(key="_lookahead_next").click().run()
    moved.button(key="_reset_lookahead").click().run()
    assert_clean(moved)
    assert (moved.session_state["lookahead_k"], moved.session_state["lookahead_alpha"],
            moved.session_state["lookahead_step"]) == (K, ALPHA, 0)
    assert chart_json(moved) == chart_json(at)
    assert latex_text(moved) == latex_text(at)


# --- languages: every word from the catalogs, and the whole page in Korean ----------------------


@pytest.mark.parametrize("params", [None, {"step": "3"}, {"step": "5"}] + [{"scene": s.name} for s in L.SCENES])
def test_the_page_has_no_text_outside_the_catalogs(params):
    at = open_page_in("lookahead", "xx", params)
    assert not at.exception
    assert untranslated(at) == []


@pytest.mark.parametrize("name", [s.name for s in L.SCENES])
def test_the_page_and_every_scene_run_in_korean(name):
    at = open_page_in("lookahead", "ko", {"scene": name})
    assert not at.exception and not at.error
    assert hangul_share(at) > 0.5
