"""The Momentum page through AppTest: its charts hold optim_core's numbers."""

import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, click, key, latex_text, open_page, trace, xy
from ui import registry
from ui.figures.algorithm import tex_number
from ui.pages import momentum as um

LABELS = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov"}
# the page's opening settings, per surface: step size t and steps (μ = 0.1 on every surface)
OPENING = {"elongated_quadratic": (0.07, 50), "rosenbrock": (2e-3, 500), "beale": (1e-3, 300),
           "himmelblau": (0.01, 100), "least_squares": (0.1, 100)}
LR_RANGE = (1e-4, 0.5)  # the step-size slider's ends
BOWL = "elongated_quadratic"
MU, STEP, METHOD, SURFACE, BEST = (key("momentum", name) for name in ("mu", "step", "method", "surface", "best"))


def _per_surface(name: str, surface: str = BOWL) -> str:
    """The key of a widget kept per surface: the step size, the steps, the start point."""
    return key("momentum", name, surface)


def _expected(surface="elongated_quadratic", lr=None, mu=0.1, steps=None, start=None):
    """The three runs, built straight from optim_core."""
    s = oc.get_surface(surface)
    lr = OPENING[surface][0] if lr is None else lr
    steps = OPENING[surface][1] if steps is None else steps
    start = s.start if start is None else start
    opts = {"sgd": oc.make_optimizer("sgd", lr=lr), "momentum": oc.make_optimizer("momentum", lr=lr, momentum=mu),
            "nesterov": oc.make_optimizer("nesterov", lr=lr, momentum=mu)}
    return {m: oc.run(opt, s, start, steps) for m, opt in opts.items()}


def _arrow_index(fig: dict, name: str = "this step's move") -> int:
    return next(i for i, t in enumerate(fig["data"]) if str(t.get("name", "")).startswith(name))


def _arrow(fig: dict, step: int, name: str = "this step's move") -> np.ndarray:
    """The arrow ``name``'s two points in the animation frame of ``step``."""
    index = _arrow_index(fig, name)
    frame = next(f for f in fig["frames"] if f["name"] == str(step))
    return xy(frame["data"][list(frame["traces"]).index(index)])


@pytest.fixture(scope="module")
def page():
    return open_page("momentum")


def test_defaults_draw_optim_core_paths_and_losses(page):
    assert_clean(page)
    assert not page.warning
    paths, losses, _ = charts(page)  # and ‖∇L‖ beside the loss: tests/test_grad_norm.py
    want = _expected()
    for m, name in LABELS.items():
        np.testing.assert_allclose(xy(trace(paths, name)), want[m].params, rtol=1e-12)
        np.testing.assert_allclose(trace(losses, name)["y"], want[m].loss, rtol=1e-12)
    assert losses["layout"]["yaxis"]["type"] == "log"
    assert len(paths["frames"]) == 51  # 50 steps + the start: one frame per step
    # the deck's claim, in numbers: after 50 steps momentum is below gradient descent
    assert want["momentum"].loss[-1] < 0.5 * want["sgd"].loss[-1]
    assert "Loss after 50 steps: " + " · ".join(f"{LABELS[m]} {want[m].loss[-1]:.3g}" for m in LABELS) in [
        c.value for c in page.caption]
    assert any(r"\mu\, v_{c-1} - t_c \nabla L(W_c)" in x.value for x in page.latex)
    assert any(r"W_c + \mu\, v_{c-1}" in x.value for x in page.latex)  # Nesterov's look-ahead
    assert any("look-ahead point" in m.value for m in page.markdown)
    assert any("(**1.11×** at μ = 0.1)" in m.value for m in page.markdown)  # 1/(1 − 0.1)
    # a badge per run, no blanket warning: all three are still on their way at step 50
    assert any(m.value.count(":blue-badge[still converging]") == 3 for m in page.markdown)


def _bounces(y: np.ndarray, steps: int = 20, visible: float = 0.15) -> tuple[int, int]:
    """(sign changes of y in the first ``steps`` steps, those where |y| on either side is over ``visible``:
    5 % of the bowl's height 6, a bounce you can see on the plot)."""
    y = np.asarray(y[: steps + 1])
    flips = y[1:] * y[:-1] < 0
    seen = flips & (np.maximum(np.abs(y[1:]), np.abs(y[:-1])) > visible)
    return int(flips.sum()), int(seen.sum())


def test_default_scene_shows_gradient_descent_zig_zagging_and_momentum_calming_it(page):
    paths = charts(page)[0]
    gd_y = xy(trace(paths, "Gradient descent"))[:, 1]
    mom_y = xy(trace(paths, "Momentum"))[:, 1]
    # GD on curvature 25 with t = 0.07: y_c = 1.5·(1 − 25·0.07)^c = 1.5·(−0.75)^c, by hand
    np.testing.assert_allclose(gd_y, 1.5 * (-0.75) ** np.arange(51), rtol=1e-12)
    # 1.5·0.75^c > 0.15 while c ≤ 8: nine visible bounces (the ninth from c = 8 to 9); it flips every step
    assert _bounces(gd_y) == (20, 9)
    # momentum's y obeys y_{c+1} = (1 + μ − 25t) y_c − μ y_{c−1} = −0.65 y_c − 0.1 y_{c−1}: roots −0.4, −0.25
    flips, seen = _bounces(mom_y)
    assert seen <= 4 < 9
    np.testing.assert_allclose(mom_y[1], -0.75 * 1.5, rtol=1e-12)  # v₀ = 0: the first step is GD's
    np.testing.assert_allclose(mom_y[2:], -0.65 * mom_y[1:-1] - 0.1 * mom_y[:-2], rtol=1e-9, atol=1e-12)
    assert abs(mom_y[10]) < 0.01 < abs(gd_y[10])
    # and it gets further along the floor: |x| after 50 steps
    assert abs(xy(trace(paths, "Momentum"))[-1, 0]) < 0.7 * abs(xy(trace(paths, "Gradient descent"))[-1, 0])


def test_step_arrows_are_the_recorded_velocity_and_its_two_parts(page):
    fig = charts(page)[0]
    run = oc.run(oc.make_optimizer("momentum", lr=0.07, momentum=0.1), oc.get_surface("elongated_quadratic"),
                 np.array([-5.0, 1.5]), 50)
    velocity = run.records["velocity"]
    # |v₁| = 0.07·|∇L(−5, 1.5)| = 0.07·|(−5, 37.5)| ≈ 2.65, more than a quarter of the half-height 3: true length
    assert np.linalg.norm(velocity[0]) == pytest.approx(0.07 * np.hypot(5.0, 37.5))
    assert fig["data"][_arrow_index(fig)]["name"] == "this step's move"
    for k in (1, 2, 10, 33, 50):  # the move of update k starts at W_{k−1} and is v_{k−1}
        arrow, carry, push = (_arrow(fig, k, name) for name in ("this step's move", "carried", "push"))
        np.testing.assert_allclose(arrow[0], run.params[k - 1], rtol=1e-12)
        np.testing.assert_allclose(arrow[1] - arrow[0], velocity[k - 1], rtol=1e-9, atol=1e-15)
        carried = 0.1 * velocity[k - 2] if k > 1 else np.zeros(2)
        np.testing.assert_allclose(carry[1] - carry[0], carried, rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(push[1] - push[0], -0.07 * run.grads[k - 1], rtol=1e-9, atol=1e-15)
    # by hand: v₁ = −0.07·(−5, 37.5) = (0.35, −2.625) from W₀ = (−5, 1.5)
    np.testing.assert_allclose(_arrow(fig, 1), [[-5.0, 1.5], [-4.65, -1.125]], rtol=1e-13)
    assert np.isnan(_arrow(fig, 0)).all()  # step 0: no update yet
    assert any(c.value.startswith("Step 0: the start.") for c in page.caption)


def test_short_vectors_are_magnified_by_a_nice_factor_and_the_caption_says_so():
    at = open_page("momentum")
    at.selectbox(key=SURFACE).set_value("rosenbrock").run()
    at.select_slider(key=_per_surface("lr", "rosenbrock")).set_value(1e-4).run()
    at.slider(key=STEP).set_value(7).run()
    assert_clean(at)
    fig = charts(at)[0]
    run = oc.run(oc.make_optimizer("momentum", lr=1e-4, momentum=0.1), oc.get_surface("rosenbrock"),
                 np.array([-1.2, 1.0]), 500)
    velocity = run.records["velocity"]
    steps = [int(f["name"]) for f in fig["frames"]]  # 500 steps: the first 30 one by one, 30 more spread out
    assert len(steps) == 60 and steps[:30] == list(range(30)) and steps[-1] == 500
    for k in (steps[1], steps[30], 500):
        arrow = _arrow(fig, k)
        drawn = arrow[1] - arrow[0]
        np.testing.assert_allclose(arrow[0], run.params[k - 1], rtol=1e-12)
        factor = float(np.linalg.norm(drawn) / np.linalg.norm(velocity[k - 1]))
        np.testing.assert_allclose(drawn, factor * velocity[k - 1], rtol=1e-9)
        assert factor == pytest.approx(20.0)
    # the largest of 1, 2, 5, 10, 20, 50, … that keeps the longest arrow within 0.25 × half-width 2 = 0.5
    longest = np.linalg.norm(velocity, axis=-1).max()
    assert 20 * longest <= 0.5 < 50 * longest  # |v| ≤ 0.0233 at μ = 0.1
    assert fig["data"][_arrow_index(fig)]["name"] == "this step's move (×20)"
    assert any(c.value.endswith("(all drawn 20× longer than they are).") for c in at.caption)


def test_mu_zero_is_gradient_descent_and_mu_changes_the_path():
    at = open_page("momentum")
    at.slider(key=MU).set_value(0.0).run()
    assert_clean(at)
    paths, losses, _ = charts(at)
    np.testing.assert_array_equal(xy(trace(paths, "Momentum")), xy(trace(paths, "Gradient descent")))
    np.testing.assert_array_equal(trace(losses, "Momentum")["y"], trace(losses, "Gradient descent")["y"])
    at.slider(key=MU).set_value(0.99).run()
    assert_clean(at)
    paths = charts(at)[0]
    want = _expected(mu=0.99)
    np.testing.assert_allclose(xy(trace(paths, "Momentum")), want["momentum"].params, rtol=1e-12)
    np.testing.assert_allclose(xy(trace(paths, "Nesterov")), want["nesterov"].params, rtol=1e-12)
    assert not np.allclose(xy(trace(paths, "Momentum")), xy(trace(paths, "Gradient descent")))
    assert any("(**100×** at μ = 0.99)" in m.value for m in at.markdown)


def test_large_step_size_diverges_with_a_warning_and_a_finite_path():
    at = open_page("momentum")
    at.select_slider(key=_per_surface("lr")).set_value(0.5).run()
    assert_clean(at)
    want = _expected(lr=0.5)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 3
    for m, name in LABELS.items():  # t = 0.5 on curvature 25: all three blow up
        assert bool(want[m].diverged)
        assert f"{name} diverged at step {int(want[m].diverged_at)}: try a smaller step size t. " \
               "The chart shows the path up to the last finite point." in warnings
    paths = charts(at)[0]
    for m, name in LABELS.items():
        path = xy(trace(paths, name))
        assert np.isfinite(path).all()
        np.testing.assert_allclose(path, want[m].params, rtol=1e-12)
    at.select_slider(key=_per_surface("lr")).set_value(1e-4).run()
    assert_clean(at)
    assert not at.warning
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Momentum")), _expected(lr=1e-4)["momentum"].params)


def test_steps_start_and_surfaces_at_their_extremes():
    at = open_page("momentum")
    for steps in (10, 1000):
        at.slider(key=_per_surface("steps")).set_value(steps).run()
        assert_clean(at)
        paths = charts(at)[0]
        assert len(xy(trace(paths, "Nesterov"))) == steps + 1
        assert len(paths["frames"]) == min(steps + 1, 60)  # step 0 is shown: already a frame
    at.slider(key=_per_surface("steps")).set_value(50).run()
    for name, value in (("x", 6.0), ("y", -3.0)):
        at.slider(key=_per_surface(name)).set_value(value).run()
        assert_clean(at)
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Momentum")),
                               _expected(start=np.array([6.0, -3.0]))["momentum"].params, rtol=1e-12)
    for name in ("rosenbrock", "beale", "himmelblau", "least_squares"):  # each opens at its own demo start
        at.selectbox(key=SURFACE).set_value(name).run()
        assert_clean(at)
        paths = charts(at)[0]
        assert paths["layout"]["xaxis"]["range"] == list(oc.get_surface(name).bounds[0])
        np.testing.assert_allclose(xy(trace(paths, "Momentum")), _expected(name)["momentum"].params, rtol=1e-12)
        for lr in LR_RANGE:
            at.select_slider(key=_per_surface("lr", name)).set_value(lr).run()
            assert_clean(at)
            np.testing.assert_allclose(xy(trace(charts(at)[0], "Gradient descent")),
                                       _expected(name, lr=lr)["sgd"].params, rtol=1e-12)


# each scene's (μ, t, steps) on the bowl from (−5, 1.5), and the words of its caption
SCENES = {"zigzag": ((0.1, 0.07, 50), "bounces wall to wall"),
          "overshoot": ((0.95, 0.02, 100), "swings past the minimum"),
          "plain": ((0.0, 0.07, 50), "lie on top of each other")}


def test_every_scene_runs_and_draws_its_setting():
    at = open_page("momentum")  # one session: each scene sets every widget it is about
    assert [s.name for s in registry.page("momentum").scenes] == [*SCENES, "best"]  # best: its own tests below
    pagetest.pick_scene(at, "momentum", "best")  # each scene switches "each at its best" off again
    for name, ((mu, lr, steps), caption) in SCENES.items():
        pagetest.pick_scene(at, "momentum", name)
        assert_clean(at)
        assert not at.warning
        assert at.toggle(key=BEST).value is False
        assert not any(m.value.startswith("| method |") for m in at.markdown)  # the rate table is off
        assert at.slider(key=MU).value == mu
        assert at.select_slider(key=_per_surface("lr")).value == lr
        assert at.slider(key=_per_surface("steps")).value == steps
        paths = charts(at)[0]
        want = _expected(lr=lr, mu=mu, steps=steps, start=np.array([-5.0, 1.5]))
        for m, label in LABELS.items():
            np.testing.assert_allclose(xy(trace(paths, label)), want[m].params, rtol=1e-12)
        assert any(caption in c.value for c in at.caption), name
        if name == "plain":
            np.testing.assert_array_equal(want["momentum"].params, want["sgd"].params)
            np.testing.assert_array_equal(want["nesterov"].params, want["sgd"].params)
        if name == "overshoot":  # the heavy ball passes x = 0 and goes past 2.5; Nesterov's brake keeps it lower
            x_mom, x_nes = want["momentum"].params[:, 0], want["nesterov"].params[:, 0]
            assert x_mom.max() > 2.5 and x_nes.max() < x_mom.max()
            assert want["nesterov"].loss[-1] < 0.1 * want["momentum"].loss[-1]


# --- Each method at its best (Goh 2017): the scene, the switch, the rate table ----------------------------

BEST_SETTING = {"sgd": {"lr": 1 / 13}, "momentum": {"lr": 1 / 9, "momentum": 4 / 9},
                "nesterov": {"lr": 1 / 19, "momentum": (np.sqrt(76) - 2) / (np.sqrt(76) + 2)}}
# (κ−1)/(κ+1), (√κ−1)/(√κ+1), 1 − 2/√(3κ+1) at κ = 25
THEORY = {"sgd": 12 / 13, "momentum": 2 / 3, "nesterov": 1 - 2 / np.sqrt(76)}


def _rate_rows(at, head: str = "method") -> dict[str, list[str]]:
    """The rate table's cells (t, μ, measured, theory) by the method's name."""
    table, = [m.value for m in at.markdown if m.value.startswith(f"| {head} |")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[0]: row[1:] for row in rows}


def test_the_best_scene_runs_each_method_at_its_own_best_and_prints_the_measured_rates():
    at = open_page("momentum")
    pagetest.pick_scene(at, "momentum", "best")
    assert_clean(at)
    assert not at.warning
    # the sliders hold momentum's exact best: 1/9 is a stop of the bowl's step-size slider, 4/9 sits between μ's
    assert at.select_slider(key=_per_surface("lr")).value == 1 / 9
    assert at.slider(key=MU).value == 4 / 9
    assert at.toggle(key=BEST).value is True  # gradient descent and Nesterov at their own best
    assert at.slider(key=_per_surface("steps")).value == 200
    paths, losses, _ = charts(at)
    bowl = oc.get_surface(BOWL)
    want = {m: oc.run(oc.make_optimizer(m, **h), bowl, np.array([-5.0, 1.5]), 200) for m, h in BEST_SETTING.items()}
    for m, name in LABELS.items():
        np.testing.assert_allclose(xy(trace(paths, name)), want[m].params, rtol=1e-12)
        np.testing.assert_allclose(trace(losses, name)["y"], want[m].loss, rtol=1e-12)
    rows = _rate_rows(at)
    for m, name in LABELS.items():
        step_size, _, measured, theory = rows[name]
        rate = um.measured_rate(np.linalg.norm(want[m].params, axis=-1))  # the distance to the minimum (0, 0)
        assert rate == pytest.approx(THEORY[m], rel=0.05)
        assert measured == f"{rate:.3g}"
        assert theory == f"${um.RATE_LATEX[m]}$ = {THEORY[m]:.3g}"
        assert step_size == f"{BEST_SETTING[m]['lr']:.3g}"
    assert rows["Gradient descent"] == ["0.0769", "—", "0.923", r"$\tfrac{\kappa-1}{\kappa+1}$ = 0.923"]
    assert rows["Momentum"][:3] == ["0.111", "0.444", "0.671"] and rows["Momentum"][3].endswith("= 0.667")
    assert rows["Nesterov"][:3] == ["0.0526", "0.627", "0.776"] and rows["Nesterov"][3].endswith("= 0.771")
    assert any("κ = λₙ/λ₁ = 25 " in c.value for c in at.caption)
    assert any("(κ−1)/(κ+1) = 0.923" in c.value and "(√κ−1)/(√κ+1) = 0.667" in c.value for c in at.caption)
    # the numbers under the picture use each method's own setting: gradient descent's t is 1/13 here
    at.radio(key=METHOD).set_value("sgd").run()
    at.slider(key=STEP).set_value(1).run()
    assert rf"W_{{c+1}} = W_c - {tex_number(1 / 13)}\,\nabla L(W_c)" in latex_text(at)
    for value in want["sgd"].params[1]:
        assert f"& {tex_number(value)}" in latex_text(at)


def test_the_switch_puts_momentum_at_its_best_and_back_and_shows_only_on_quadratic_bowls(page):
    at = open_page("momentum")
    at.toggle(key=BEST).set_value(True).run()
    assert_clean(at)
    assert (at.select_slider(key=_per_surface("lr")).value, at.slider(key=MU).value) == (1 / 9, 4 / 9)
    assert not at.warning
    rows = _rate_rows(at)  # the opening 50 steps: the double roots' k factor reads 2.7 % high
    assert [rows[name][2] for name in LABELS.values()] == ["0.923", "0.684", "0.789"]
    # momentum moved off its best: the theory is its slowest root there (complex roots: √μ)
    at.slider(key=MU).set_value(0.6).run()
    rows = _rate_rows(at)
    run = oc.run(oc.make_optimizer("momentum", lr=1 / 9, momentum=0.6), oc.get_surface(BOWL), np.array([-5.0, 1.5]), 50)
    rate = um.measured_rate(np.linalg.norm(run.params, axis=-1))
    assert rate == pytest.approx(np.sqrt(0.6), rel=0.05)  # 0.782 over steps 25–50, theory 0.775
    assert rows["Momentum"][1:] == ["0.6", f"{rate:.3g}", r"0.775 at this t, μ (at its best: "
                                    r"$\tfrac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}$ = 0.667)"]
    assert rows["Gradient descent"][2] == "0.923"  # the others keep their best
    at.toggle(key=BEST).set_value(False).run()  # off: the opening t and μ, the opening picture, no table
    assert_clean(at)
    assert (at.select_slider(key=_per_surface("lr")).value, at.slider(key=MU).value) == (0.07, 0.1)
    assert pagetest.chart_json(at) == pagetest.chart_json(page)
    assert not any(m.value.startswith("| method |") for m in at.markdown)
    at.selectbox(key=SURFACE).set_value("least_squares").run()  # a quadratic too: κ ≈ 102
    at.toggle(key=BEST).set_value(True).run()
    assert_clean(at)
    assert not at.warning
    rows = _rate_rows(at)
    assert rows["Gradient descent"][2:] == ["0.981", r"$\tfrac{\kappa-1}{\kappa+1}$ = 0.981"]
    at.selectbox(key=SURFACE).set_value("rosenbrock").run()  # not a quadratic: no switch, no table
    assert_clean(at)
    assert BEST not in [toggle.key for toggle in at.toggle]
    assert not any(m.value.startswith("| method |") for m in at.markdown)


def test_a_link_to_the_best_scene_rebuilds_it_exactly():
    at = pagetest.open_link("momentum", {"scene": "best"})
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("best", "lr", "mu", "steps")} == {
        "best": "1", "lr": repr(1 / 9), "mu": repr(4 / 9), "steps": "200"}
    fresh = pagetest.open_link("momentum", link)
    assert_clean(fresh)
    assert not fresh.info
    assert pagetest.widgets(fresh) == pagetest.widgets(at)
    assert pagetest.chart_json(fresh) == pagetest.chart_json(at)
    assert [m.value for m in fresh.markdown] == [m.value for m in at.markdown]


def test_the_rate_table_speaks_korean_and_bypasses_no_catalog():
    at = open_page_in("momentum", "ko", {"scene": "best"})
    assert_clean(at)
    rows = _rate_rows(at, "방법")
    assert rows["경사 하강법"][:3] == ["0.0769", "—", "0.923"]
    table, = [m.value for m in at.markdown if m.value.startswith("| 방법 |")]
    assert "측정한 수렴률" in table and "이론값" in table
    assert any("조건수는 κ = λₙ/λ₁ = 25입니다" in c.value for c in at.caption)
    assert any(toggle.label == "각 방법을 최적 설정으로" for toggle in at.toggle)
    pseudo = open_page_in("momentum", "xx", {"scene": "best", "step": "3"})
    assert_clean(pseudo)
    assert untranslated(pseudo) == []


def test_json_budgets(page):
    sizes = pagetest.chart_bytes(page)
    assert len(sizes) == 3  # the paths, the loss and ‖∇L‖
    assert max(sizes) <= 1_000_000
    assert sum(sizes) <= 2_000_000


# --- Classroom mode: links, steps, numbers ----------------------------------------------------
# (the link round trip, junk links, Next/Previous/Start and Reset: tests/test_pages.py, for every page)

def test_the_link_writes_this_pages_settings():
    at = open_page("momentum")
    at.slider(key=MU).set_value(0.5).run()
    at.select_slider(key=_per_surface("lr")).set_value(0.03).run()
    click(at, "_momentum_next")
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("surface", "mu", "lr", "step", "method")} == {
        "surface": BOWL, "mu": "0.5", "lr": "0.03", "step": "1", "method": "momentum"}


def test_near_misses_in_a_link_are_named_and_the_page_opens_at_its_defaults(page):
    # an optimizer this page does not offer, another page's setting, μ = ∞ and a step past the end
    params = {"method": "adam", "k": "5", "mu": "inf", "step": "1e9"}
    at = pagetest.open_link("momentum", params)
    assert pagetest.chart_json(at) == pagetest.chart_json(page)  # the opening picture, untouched
    assert_clean(at)
    pagetest.assert_link_ignored(at, params)


def test_numbers_at_step_n_are_the_engines_records():
    at = open_page("momentum")
    runs = _expected()
    for method, run in runs.items():
        at.radio(key=METHOD).set_value(method).run()
        for n in (1, 2, 17, 50):
            at.slider(key=STEP).set_value(n).run()
            text = latex_text(at)
            c = n - 1
            for value in (*run.params[c], *run.grads[c], *run.params[n]):
                assert f"& {tex_number(value)}" in text, (method, n, value)
            if method != "sgd":
                for value in run.records["velocity"][c]:
                    assert f"& {tex_number(value)}" in text, (method, n, value)
    # by hand, step 1 of momentum: v₀ = −0.07·(−5, 37.5) = (0.35, −2.625), W₁ = (−4.65, −1.125)
    at.radio(key=METHOD).set_value("momentum").run()
    at.slider(key=STEP).set_value(1).run()
    text = latex_text(at)
    for value in ("0.35", "-2.625", "-4.65", "-1.125"):
        assert f"& {value}" in text


def test_the_step_survives_a_new_step_count_and_is_clamped_by_a_shorter_one():
    at = open_page("momentum")
    at.slider(key=STEP).set_value(30).run()
    at.slider(key=_per_surface("steps")).set_value(100).run()
    assert at.session_state[STEP] == 30
    at.slider(key=_per_surface("steps")).set_value(20).run()
    assert_clean(at)
    assert at.session_state[STEP] == 20 and pagetest.link_of(at)["step"] == "20"


# --- Languages --------------------------------------------------------------------------------
# (the opening, the last scene at step 3, and every scene in Korean: tests/test_pages.py)

def test_gradient_descents_own_table_has_no_text_outside_the_catalogs():
    at = open_page_in("momentum", "xx", {"step": "3", "method": "sgd"})  # the table without a velocity
    assert_clean(at)
    assert untranslated(at) == []


def test_the_subheadings_and_the_step_table_speak_korean():
    at = open_page_in("momentum", "ko")
    assert_clean(at)
    assert any("네스테로프" in s.value for s in at.subheader)
    assert any(r"\text{모멘텀, 스텝 }" in x.value for x in at.latex)  # the words inside the step table too
