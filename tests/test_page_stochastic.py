"""The Stochastic page under AppTest: its charts carry optim_core's numbers, every widget's extremes run."""

import re
from itertools import combinations

import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, key, latex_text, open_link, open_page, trace, xy
from ui.figures.algorithm import tex_number

SURF = oc.get_surface("least_squares")
LR, STEPS, BATCH, SEED, N_SEEDS = 0.15, 400, 5, 0, 20  # the sidebar's defaults
LR_OPTIONS = ("0.01", "0.02", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3")
ONE_COLOR = "#A63D00"
K = {name: key("stochastic", name) for name in ("lr", "steps", "batch", "seed", "seeds", "x", "y", "step")}
FRAMES = 40  # this page's animations keep at most 40 frames
PATHS, DATA, SPREAD, LOSS = range(4)  # chart order on the page
# the step view's arrows: every −∇Lⁱ in two traces (drawn into I_c / not drawn), the mini-batch mean, the full mean
DRAWN, LEFT = "−∇Lⁱ, i ∈ I<sub>c</sub>", "−∇Lⁱ, i ∉ I<sub>c</sub>"
MINI, FULL = "−g<sub>c</sub> over I<sub>c</sub>", "−∇L over all"


@pytest.fixture(scope="module")
def page():
    """The page as it opens; every test that only reads it shares it."""
    return open_page("stochastic")


def core(batch_size, *, lr=LR, steps=STEPS, seed=SEED, start=SURF.start):
    return oc.run(oc.make_optimizer("sgd", lr=lr), SURF, start, steps, batch_size=batch_size, seed=seed,
                  record=False)


def path(at, which: str, batch: int = BATCH) -> np.ndarray:
    names = {"all": "all", "one": "one", "partial": f"partial (|I<sub>c</sub>| = {batch})"}
    return xy(trace(charts(at)[PATHS], names[which]))


def spread(at) -> np.ndarray:
    """The table's spread column, as numbers (it shows them with three decimals)."""
    return at.table[0].value["spread"].astype(float).to_numpy()


def arrows_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("Arrows point along"))


def badges(at) -> str:
    return " ".join(m.value for m in at.main.markdown if "-badge[" in m.value)


def test_defaults_run_and_show_four_charts_a_table_and_the_formulas(page):
    assert_clean(page)
    assert not page.warning
    assert len(charts(page)) == 4
    latex = " ".join(el.value for el in page.get("latex"))
    assert r"\nabla L^{i_c}(W_c)" in latex and r"\sum_{i\in I_c}" in latex and "W_{c+1}" in latex
    for s in page.slider:
        assert s.key.startswith("stochastic_") and s.help
    lr = page.select_slider(key=K["lr"])
    assert lr.value == LR and list(lr.options) == list(LR_OPTIONS)
    assert [page.slider(key=K[k]).value for k in ("steps", "batch", "seed", "seeds")] == \
        [STEPS, BATCH, SEED, N_SEEDS]
    text = " ".join(m.value for m in page.markdown)
    assert "over m = 20 data points" in text and "with $|I_c|$ = 20 it is zero" in text


def test_the_three_paths_equal_optim_core(page):
    np.testing.assert_array_equal(path(page, "all"), core(None).params)
    np.testing.assert_array_equal(path(page, "one"), core(1).params)
    np.testing.assert_array_equal(path(page, "partial"), core(BATCH).params)


def test_each_one_example_step_uses_one_per_example_gradient(page):
    p = path(page, "one")
    used = (p[:-1] - p[1:]) / LR  # W_{c+1} = W_c − t ∇L^{i_c}(W_c)
    traj = core(1)
    np.testing.assert_allclose(used, traj.grads, atol=1e-9)
    for c in range(STEPS):
        candidates = SURF.example_grads(traj.params[c])  # (20, 2)
        assert np.abs(candidates - traj.grads[c]).max(axis=1).min() < 1e-12
    # and it is not the full gradient: single examples disagree with their mean
    assert np.abs(traj.grads[0] - SURF.grad(SURF.start)).max() > 0.1


def test_mini_batch_steps_average_some_five_examples(page):
    p = path(page, "partial")
    used = (p[:-1] - p[1:]) / LR
    rows = list(combinations(range(SURF.n_examples), BATCH))
    subsets = np.zeros((len(rows), SURF.n_examples))
    for k, r in enumerate(rows):
        subsets[k, list(r)] = 1.0 / BATCH
    for c in range(5):
        means = subsets @ SURF.example_grads(p[c])  # the mean over every possible I_c of 5 examples
        assert np.abs(means - used[c]).max(axis=1).min() < 1e-9


def test_arrows_at_w_c_are_the_per_example_gradients_and_average_to_the_full_one(page):
    fig = charts(page)[PATHS]  # step 0: nothing drawn yet, every example's arrow faint at the start
    arrows = trace(fig, LEFT)
    scale = arrows["meta"]["scale"]
    # the longest per-example arrow spans 70 % of the view's half-height (1.5)
    assert scale == pytest.approx(1.05 / np.linalg.norm(SURF.example_grads(SURF.start), axis=1).max(), rel=1e-12)
    pts = xy(arrows)
    tails, tips = pts[0::3], pts[1::3]
    np.testing.assert_array_equal(tails, np.tile(SURF.start, (SURF.n_examples, 1)))
    vectors = (tips - tails) / -scale  # the arrows point along −∇Lⁱ
    np.testing.assert_allclose(vectors, SURF.example_grads(SURF.start), rtol=0, atol=1e-12)
    np.testing.assert_allclose(vectors.mean(axis=0), SURF.grad(SURF.start), rtol=0, atol=1e-12)
    mean = xy(trace(fig, FULL))
    np.testing.assert_allclose((mean[1] - mean[0]) / -scale, SURF.grad(SURF.start), rtol=0, atol=1e-12)
    assert np.isnan(xy(trace(fig, DRAWN))).all() and np.isnan(xy(trace(fig, MINI))).all()
    caption = arrows_caption(page)
    assert "(×0.161 at the start)" in caption and "‖∇L‖ = 1.460" in caption and "from 0.22 to 6.52" in caption


def test_table_numbers_come_from_the_runs(page):
    table = page.table[0].value
    many = np.tile(SURF.start, (N_SEEDS, 1))
    one_end = core(1, start=many).params[-1]
    full_end = core(None).params[-1]
    assert list(table.columns) == ["estimate", "runs", "final loss", "spread"]
    assert list(table["estimate"]) == ["all", "one", "partial (5 examples)"]
    assert list(table["runs"]) == [1, N_SEEDS, N_SEEDS]
    # four decimals for the loss, three for the spread
    assert table["final loss"].iloc[0] == f"{float(SURF.value(full_end)):.4f}" == "0.0378"
    assert table["final loss"].iloc[1] == f"{float(SURF.value(one_end).mean()):.4f}"
    one_spread = np.sqrt(((one_end - one_end.mean(axis=0)) ** 2).sum(axis=1).mean())
    assert table["spread"].iloc[1] == f"{one_spread:.3f}"
    # averaging five examples per step scatters the runs less than one example does
    s = spread(page)
    assert table["spread"].iloc[0] == "0.000" and 0.0 < s[2] < s[1]


def test_batch_size_extremes():
    at = open_page("stochastic")
    at.slider(key=K["batch"]).set_value(SURF.n_examples).run()
    assert_clean(at)
    full = path(at, "all", SURF.n_examples)
    np.testing.assert_array_equal(path(at, "partial", SURF.n_examples), full)  # |I_c| = m is the full gradient
    assert at.table[0].value["spread"].iloc[2] == "0.000"  # every seed: the same path
    at.slider(key=K["batch"]).set_value(1).run()
    assert_clean(at)
    np.testing.assert_array_equal(path(at, "partial", 1), path(at, "one", 1))  # same seed, same draws
    np.testing.assert_array_equal(path(at, "all", 1), full)


def test_seed_changes_the_noisy_paths_but_not_the_full_one():
    at = open_page("stochastic")
    before = {k: path(at, k) for k in ("all", "one", "partial")}
    high = at.slider(key=K["seed"]).max
    assert high == 99
    for seed in (high, 0):
        at.slider(key=K["seed"]).set_value(seed).run()
        assert_clean(at)
        np.testing.assert_array_equal(path(at, "all"), before["all"])
        np.testing.assert_array_equal(path(at, "one"), core(1, seed=seed).params)
        np.testing.assert_array_equal(path(at, "partial"), core(BATCH, seed=seed).params)
        changed = not np.array_equal(path(at, "one"), before["one"])
        assert changed == (seed != SEED)
        assert np.array_equal(path(at, "partial"), before["partial"]) == (seed == SEED)


def test_number_of_seeds_extremes_and_the_json_budget_at_the_heaviest_settings(page):
    at = open_page("stochastic")
    assert at.slider(key=K["seeds"]).max == 50
    for n in (1, 50):
        at.slider(key=K["seeds"]).set_value(n).run()
        assert_clean(at)
        fig = charts(at)[SPREAD]
        many = np.tile(SURF.start, (n, 1))
        ones, parts = core(1, start=many).params, core(BATCH, start=many).params
        last = fig["frames"][-1]["data"][-1]  # one moving trace: the n one-example points, then the n mini-batch ones
        np.testing.assert_array_equal(xy(last), np.concatenate([ones[-1], parts[-1]]))
        assert list(at.table[0].value["runs"]) == [1, n, n]
        legend = [t for t in fig["data"] if t.get("name") == f"one × {n} seeds" and t["mode"] == "markers"]
        assert legend[0]["marker"]["color"] == ONE_COLOR
        assert at.subheader[0].value == f"{n} seeds at once: how far the noise scatters the runs"
        if n == 1:
            assert at.table[0].value["spread"].iloc[1] == "0.000"
    sizes = pagetest.chart_bytes(page)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000
    at.slider(key=K["steps"]).set_value(1000).run()  # and 50 seeds: the heaviest charts
    assert_clean(at)
    sizes = pagetest.chart_bytes(at)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000


def test_steps_extremes_and_frame_budget():
    at = open_page("stochastic")
    s = at.slider(key=K["steps"])
    assert (s.min, s.max) == (10, 1000)
    for steps in (s.min, s.max):
        at.slider(key=K["steps"]).set_value(steps).run()
        assert_clean(at)
        figs = charts(at)
        assert len(path(at, "one")) == steps + 1
        np.testing.assert_array_equal(path(at, "all"), core(None, steps=steps).params)
        assert len(figs[PATHS]["frames"]) == min(steps + 1, FRAMES)
        assert len(figs[SPREAD]["frames"]) == min(steps + 1, FRAMES)


def test_step_size_extremes_and_divergence_warning():
    at = open_page("stochastic")
    at.select_slider(key=K["lr"]).set_value(0.01).run()
    assert_clean(at)
    assert not at.warning
    np.testing.assert_array_equal(path(at, "all"), core(None, lr=0.01).params)
    at.select_slider(key=K["lr"]).set_value(0.3).run()
    assert_clean(at)
    full = core(None, lr=0.3)
    assert int(full.diverged_at) == 40  # t = 0.3 > 2 / λ_max ≈ 0.28: the full-batch run blows up
    one, part = core(1, lr=0.3), core(BATCH, lr=0.3)
    many = np.tile(SURF.start, (N_SEEDS, 1))
    clouds = [core(b, lr=0.3, start=many).diverged_at for b in (1, BATCH)]
    assert [int((c >= 0).sum()) for c in clouds] == [N_SEEDS, N_SEEDS]
    assert [w.value for w in at.warning] == [  # one note for every run that blew up
        f"Diverged: Batch gradient descent (all) at step 40; Stochastic gradient descent (one) at step "
        f"{int(one.diverged_at)}; Mini-batch gradient descent ($|I_c|$ = 5) at step {int(part.diverged_at)}; "
        "20 of the 20 runs of Stochastic gradient descent (one) (spread chart); 20 of the 20 runs of Mini-batch "
        "gradient descent ($|I_c|$ = 5) (spread chart). Try a smaller step size $t_c$. The charts show each path up to "
        "its last finite point."]
    shown = path(at, "all")
    assert np.isfinite(shown).all()
    np.testing.assert_array_equal(shown, full.params)


def test_start_point_extremes():
    at = open_page("stochastic")
    for name in ("x", "y"):
        slider = at.slider(key=K[name])
        for end in (slider.min, slider.max):
            at.slider(key=K[name]).set_value(end).run()
            assert_clean(at)
            start = np.array([at.slider(key=K[c]).value for c in "xy"])
            assert start["xy".index(name)] == end
            np.testing.assert_array_equal(path(at, "all")[0], start)
            arrows = trace(charts(at)[PATHS], LEFT)  # step 0: all m arrows, at the start
            pts = xy(arrows)
            np.testing.assert_allclose((pts[1::3] - pts[0::3]).mean(axis=0) / -arrows["meta"]["scale"],
                                       SURF.grad(start), atol=1e-12)
            norms = np.linalg.norm(SURF.example_grads(start), axis=1)
            assert f"from {norms.min():.2f} to {norms.max():.2f}." in arrows_caption(at)


def test_step_size_and_batch_size_sit_in_the_main_column(page):
    assert [w.key for w in page.main.select_slider] == [K["lr"]]
    assert K["batch"] in [w.key for w in page.main.slider]
    assert K["batch"] not in [w.key for w in page.sidebar.slider]


def test_default_badges_say_the_full_run_converges_and_the_noisy_ones_never_settle(page):
    # with a fixed step the noisy runs keep bouncing: their loss goes up and down near the end
    for b in (1, BATCH):
        tail = np.diff(core(b).loss[-100:])
        assert (tail > 0).sum() > 20 and (tail < 0).sum() > 20
    assert (np.diff(core(None).loss) <= 0).all()  # the full gradient goes downhill every step
    assert badges(page) == ("**all** :blue-badge[still converging] · **one** :orange-badge[oscillating] · "
                            "**partial ($|I_c|$ = 5)** :orange-badge[oscillating]")


@pytest.fixture(scope="module")
def scenes():
    """One session for the scene buttons: each scene sets every widget it needs, so their order does not matter."""
    return open_page("stochastic")


def click(at, name: str):
    pagetest.pick_scene(at, "stochastic", name)
    assert_clean(at)
    return at


def test_scene_one_example_at_a_time_makes_the_mini_batch_run_plain_sgd(scenes):
    at = click(scenes, "one")
    assert at.slider(key=K["batch"]).value == 1
    np.testing.assert_array_equal(path(at, "partial", 1), core(1, lr=0.1).params)
    np.testing.assert_array_equal(path(at, "partial", 1), path(at, "one", 1))
    assert not at.warning and "diverged" not in badges(at)


def test_scene_a_mini_batch_of_five_is_the_default_picture(scenes):
    at = click(scenes, "batch5")
    np.testing.assert_array_equal(path(at, "partial"), core(BATCH).params)
    s = spread(at)
    assert 0.0 < s[2] < s[1]  # the blue cloud is tighter than the orange, as the caption says
    assert not at.warning


def test_scene_too_large_a_step_blows_up_single_examples_only(scenes):
    at = click(scenes, "too_large")
    one, full, part = core(1, lr=0.25), core(None, lr=0.25), core(BATCH, lr=0.25)
    assert int(one.diverged_at) == 252 and not bool(full.diverged) and not bool(part.diverged)
    np.testing.assert_array_equal(path(at, "one"), one.params)
    assert "**one** :red-badge[diverged]" in badges(at) and badges(at).count("diverged") == 1
    many = np.tile(SURF.start, (N_SEEDS, 1))
    blown = int((core(1, lr=0.25, start=many).diverged_at >= 0).sum())
    assert [w.value for w in at.warning] == [
        f"Diverged: Stochastic gradient descent (one) at step 252; {blown} of the 20 runs of Stochastic gradient "
        "descent (one) (spread chart). Try a smaller step size $t_c$. The charts show each path up to its last "
        "finite point."]


# --- Classroom mode: links, steps, the draw I_c and its numbers -------------------------------

def drawn_run(batch=BATCH, *, lr=LR, steps=STEPS, seed=SEED):
    """The page's mini-batch run straight from optim_core, with the examples each step drew (``batch``)."""
    return oc.run(oc.make_optimizer("sgd", lr=lr), SURF, SURF.start, steps, batch_size=batch, seed=seed)


def shown_draw(at) -> np.ndarray:
    """I_c as the step table writes it (examples numbered 1 … m), back as sorted 0-based indices."""
    line = re.search(r"I_c = (.+?) &", latex_text(at)).group(1)
    every = set(range(1, SURF.n_examples + 1))
    if r"\setminus" in line:  # more than half drawn: {1, …, m} minus the few left out
        numbers = every - {int(k) for k in re.findall(r"\d+", line.split(r"\setminus")[1])}
    elif r"\dots" in line:
        numbers = every
    else:
        numbers = {int(k) for k in re.findall(r"\d+", line)}
    return np.array(sorted(numbers)) - 1


def marker(fig: dict, name: str) -> np.ndarray:
    """Where the moving marker of path ``name`` stands in the figure as opened."""
    return xy(next(t for t in fig["data"] if t.get("name") == name and t.get("mode") == "markers"))


def rounding(terms: np.ndarray) -> float:
    """How far two summation orders of the mean of ``terms`` (rows) can differ: a few ulps of the largest term."""
    return len(terms) * np.finfo(float).eps * float(np.abs(terms).max())


def check_step(at, run, n: int, batch: int = BATCH, lr: float = LR) -> None:
    """Everything shown at step n (c = n − 1) is update n of ``run``: the table, the arrows, the data picture."""
    c = n - 1
    w = run.params[c]
    drawn = shown_draw(at)
    np.testing.assert_array_equal(drawn, np.sort(run.records["batch"][c]))  # the examples the engine drew
    per_example = SURF.example_grads(w)  # (m, 2)
    g = per_example[drawn].mean(axis=0)  # the mean over the shown I_c, computed here
    # … is the gradient the run stepped with: a mean of |I_c| terms, summed in the engine's order, not ours
    np.testing.assert_allclose(g, run.grads[c], rtol=1e-12, atol=rounding(per_example[drawn]))
    text = latex_text(at)
    assert rf"\text{{step }} {n}\ (c = {c})" in text
    for value in (*w, *g, *SURF.grad(w), *run.params[n]):
        assert f"& {tex_number(value)}" in text, (n, value)
    assert rf"\colorbox{{#FFE08A}}{{$\displaystyle W_{{c+1}} = W_c - {tex_number(lr)}\,g_c$}}" in text
    fig = charts(at)[PATHS]
    np.testing.assert_array_equal(marker(fig, f"partial (|I<sub>c</sub>| = {batch})"), [run.params[n]])
    scale = trace(fig, DRAWN)["meta"]["scale"]
    assert scale == pytest.approx(1.05 / np.linalg.norm(per_example, axis=1).max(), rel=1e-12)
    for name, rows in ((DRAWN, drawn), (LEFT, np.setdiff1d(np.arange(SURF.n_examples), drawn))):
        pts = xy(trace(fig, name))
        tails, tips = pts[0::3], pts[1::3]
        np.testing.assert_array_equal(np.flatnonzero(np.isfinite(tails[:, 0])), rows)  # bold: I_c; faint: the rest
        np.testing.assert_array_equal(tails[rows], np.tile(w, (len(rows), 1)))
        np.testing.assert_allclose((tips[rows] - tails[rows]) / -scale, per_example[rows], rtol=0, atol=1e-12)
    for name, vector in ((MINI, g), (FULL, SURF.grad(w))):
        arrow = xy(trace(fig, name))
        np.testing.assert_array_equal(arrow[0], w)
        np.testing.assert_allclose((arrow[1] - arrow[0]) / -scale, vector, rtol=0, atol=1e-12)
    data = charts(at)[DATA]
    ring = trace(data, "drawn into I<sub>c</sub>")
    np.testing.assert_array_equal(ring["x"], SURF.features[drawn, 1])
    assert list(ring["text"]) == [str(i + 1) for i in drawn]
    line = xy(trace(data, "line at W<sub>c</sub>"))
    np.testing.assert_allclose(line[:, 1], w[0] + w[1] * line[:, 0], rtol=1e-12)


def test_numbers_at_step_n_are_the_engines_run_and_its_draw():
    at = open_page("stochastic")
    run = drawn_run()
    for n in (1, 2, 17, STEPS):
        at.slider(key=K["step"]).set_value(n).run()
        assert_clean(at)
        check_step(at, run, n)
    # by hand, step 1 at the defaults: seed 0 draws examples 3, 5, 7, 14 and 20 (0-based 2, 4, 6, 13, 19);
    # each pulls with rᵢ·(1, xᵢ), rᵢ = w₁ + w₂xᵢ − yᵢ at W₀ = (−1.6, 1.7)
    at.slider(key=K["step"]).set_value(1).run()
    assert r"I_c = \{3,\ 5,\ 7,\ 14,\ 20\}" in latex_text(at)
    x, y = SURF.features[:, 1], SURF.targets
    pick = [2, 4, 6, 13, 19]
    r = -1.6 + 1.7 * x[pick] - y[pick]
    g = np.array([r.mean(), (r * x[pick]).mean()])
    np.testing.assert_allclose(g, [0.373006, 1.385390], atol=5e-7)
    text = latex_text(at)
    for value in ("0.373", "1.385", "-1.656", "1.492"):  # g₀, and W₁ = W₀ − 0.15 g₀ = (−1.65595, 1.49219)
        assert f"& {value}" in text
    assert any(c.value.startswith("Step 1: examples 3, 5, 7, 14, 20 are drawn into $I_c$") for c in at.caption)


def test_the_draw_at_other_batch_sizes():
    at = open_page("stochastic")
    for batch, n in ((1, 5), (14, 9), (20, 3)):
        at.slider(key=K["batch"]).set_value(batch)
        at.slider(key=K["step"]).set_value(n).run()
        assert_clean(at)
        run = drawn_run(batch)
        check_step(at, run, n, batch)
        line = re.search(r"I_c = (.+?) &", latex_text(at)).group(1)
        if batch == 1:
            assert len(shown_draw(at)) == 1 and r"\setminus" not in line
        if batch == 14:  # more than half: written as {1, …, 20} minus the 6 left out
            assert line.startswith(r"\begin{array}{l}\{1,\dots,20\}\setminus\\ \{")
            assert len(re.findall(r"\d+", line.split(r"\setminus")[1])) == 6
        if batch == SURF.n_examples:  # every example, every step: g_c is the full gradient
            assert line == r"\{1,\dots,20\}"
            w = run.params[n - 1]
            np.testing.assert_allclose(run.grads[n - 1], SURF.grad(w), rtol=1e-12,
                                       atol=rounding(SURF.example_grads(w)))


def test_step_zero_draws_nothing_and_writes_the_start(page):
    text = latex_text(page)
    assert r"\text{step } 0" in text and r"W_0 = \text{start}" in text and "I_c =" not in text
    assert "& -1.6 & 1.7" in text
    data = charts(page)[DATA]
    assert "drawn into I<sub>c</sub>" not in [t.get("name") for t in data["data"]]
    assert any(c.value.startswith("Step 0: the start $W_0$.") for c in page.caption)


def test_a_link_carries_the_draw_seed_and_step():
    at = open_page("stochastic")
    at.select_slider(key=K["lr"]).set_value(0.1)
    at.slider(key=K["batch"]).set_value(3)
    at.slider(key=K["seed"]).set_value(7).run()
    for _ in range(4):
        at.button(key="_stochastic_next").click().run()
    assert_clean(at)
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("lr", "batch", "seed", "seeds", "steps", "step")} == {
        "lr": "0.1", "batch": "3", "seed": "7", "seeds": "20", "steps": "400", "step": "4"}
    fresh = open_link("stochastic", link)
    assert_clean(fresh)
    check_step(fresh, drawn_run(3, lr=0.1, seed=7), 4, batch=3, lr=0.1)  # the same draw, seed 7


def test_a_batch_between_whole_numbers_and_no_seeds_are_refused(page):
    at = open_link("stochastic", {"batch": "2.5", "seeds": "0"})
    assert_clean(at)
    notice, = [i.value for i in at.info]
    assert "`batch=2.5`" in notice and "`seeds=0`" in notice
    assert pagetest.chart_json(at) == pagetest.chart_json(page)


def test_fewer_steps_pull_the_step_back_to_the_last_one():
    at = open_page("stochastic")
    at.slider(key=K["step"]).set_value(300).run()
    at.slider(key=K["steps"]).set_value(10).run()
    assert_clean(at)
    assert at.session_state[K["step"]] == 10
    check_step(at, drawn_run(steps=10), 10)


def test_presenter_mode_shows_the_stepping_chart_and_not_the_export(page):
    at = open_link("stochastic", {"present": "1"})
    assert_clean(at)
    assert not at.info
    # 1280×720 until the browser reports its size: the title and the pills above, the controls beside
    assert charts(at)[PATHS]["layout"]["height"] == 600 and charts(page)[PATHS]["layout"]["height"] == 580
    assert "sliders" not in charts(page)[PATHS]["layout"]  # the Step slider is the scrubber
    assert not at.get("download_button")  # presenter mode: the picture and what drives it, nothing else
    assert [b.proto.label for b in page.get("download_button")] == ["CSV of these runs", "Animated figure (HTML)"]


# --- Languages: the opening, the last scene at step 3 and every scene in Korean are tests/test_pages.py's ---


def test_one_example_at_a_time_in_the_step_view_comes_from_the_catalogs():
    at = open_page_in("stochastic", "xx", {"scene": "one", "step": "3"})
    assert_clean(at)
    assert untranslated(at) == []
