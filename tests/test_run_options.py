"""Schedules and the stop condition on the pages (issue 19, items 2, 4 and 5): a schedule for t_c and
"stop when ‖∇L‖ < tol" in every stepping page's sidebar and in the link; the schedule's curve beside the path
with the step marked; "converged at step N" in the badge; the bowl's best step and 2/λmax as marked stops of
Home's slider, with a one-click best step; the limits as vertical lines on Compare's sweep.

The runs are checked against gradient descent on the bowl ½(x² + κy²) written out by hand: each update
multiplies x by (1 − t_c) and y by (1 − κ t_c), so W_n is a product of those factors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import optim_core as oc
from pagetest import charts, click, key, link_of, open_link, trace, xy
from ui import i18n, registry, schedules
from ui.limits import sweep_limits
from ui.specs import spec

START = np.array([-5.0, 1.5])  # the bowl's demo start


def bowl_path(t_c, kappa: float = 25.0, start=START) -> np.ndarray:
    """W_0 … W_N of gradient descent on ½(x² + κy²) with step sizes t_0 … t_{N−1}."""
    factors = np.column_stack([1 - np.asarray(t_c), 1 - kappa * np.asarray(t_c)])
    return start * np.vstack([[1.0, 1.0], np.cumprod(factors, axis=0)])


def cosine(base: float, n: int) -> np.ndarray:
    c = np.arange(n)
    return base * (1 + np.cos(np.pi * c / n)) / 2


@pytest.mark.parametrize("n", [50, 300])
def test_each_schedule_is_worth_looking_at_over_the_run(n):
    t = 0.1
    sizes = {name: schedules.step_sizes(schedules.pairs(name, n), t, n) for name in schedules.CHOICES}
    np.testing.assert_array_equal(sizes["constant"], np.full(n, t))
    s = n // 4  # 50 steps: s = 12, so a fifth plateau of two updates at t/16
    assert sizes["step"][s - 1] == t and sizes["step"][s] == t / 2 and sizes["step"][n - 1] == t / 2 ** ((n - 1) // s)
    assert sizes["exponential"][n - 1] == pytest.approx(t * 0.01 ** ((n - 1) / n), rel=1e-12)  # 1 % at c = n
    assert sizes["inverse_time"][n - 1] == pytest.approx(t / (1 + 9 * (n - 1) / n), rel=1e-12)  # a tenth at c = n
    np.testing.assert_allclose(sizes["cosine"], cosine(t, n), rtol=1e-12, atol=1e-15)
    w = n // 10
    np.testing.assert_allclose(sizes["warmup"][:w], t * (1 / w + (1 - 1 / w) * np.arange(w) / w), rtol=1e-12)
    np.testing.assert_allclose(sizes["warmup"][w:], cosine(t, n - w), rtol=1e-12, atol=1e-15)


def test_a_scheduled_spec_runs_gradient_descent_with_t_c():
    surface = oc.get_surface("elongated_quadratic")
    scheduled = spec("sgd", lr=0.07).scheduled(schedules.pairs("cosine", 40))
    run = oc.run(scheduled.build(), surface, START, 40)
    np.testing.assert_allclose(run.params, bowl_path(cosine(0.07, 40)), rtol=1e-12, atol=1e-14)
    assert scheduled.lr == 0.07 and scheduled.without_lr().schedule == scheduled.schedule  # a sweep keeps it
    inner = spec("lookahead", inner="sgd", inner_hyper={"lr": 0.07}, k=5, alpha=0.5).scheduled(
        schedules.pairs("step", 40))
    assert inner.inner.schedule == schedules.pairs("step", 40) and inner.schedule == ()


def test_a_sweep_over_base_steps_with_a_schedule_is_one_batched_run():
    surface = oc.get_surface("elongated_quadratic")
    lrs = np.array([0.01, 0.03, 0.07])
    batched = spec("sgd").scheduled(schedules.pairs("exponential", 30)).with_lr(lrs)
    run = oc.run(batched.build(), surface, START, 30)
    for i, lr in enumerate(lrs):
        np.testing.assert_allclose(run.params[:, i], bowl_path(lr * 0.01 ** (np.arange(30) / 30)), rtol=1e-12,
                                   atol=1e-14)


def test_home_follows_the_schedule_in_the_link_and_draws_its_curve_with_the_step_marked():
    i18n.set_language("en")
    at = open_link("home", {"surface": "elongated_quadratic", "schedule": "cosine", "lr": "0.03", "step": "40"})
    assert not at.exception, [e.value for e in at.exception]
    assert link_of(at)["schedule"] == "cosine" and link_of(at)["lr"] == "0.03"
    hero, *rest = charts(at)
    path = xy(trace(hero, "gradient descent"))
    np.testing.assert_allclose(path, bowl_path(cosine(0.03, 300)), rtol=1e-12, atol=1e-14)
    curve = next(c for c in rest if c["layout"]["yaxis"]["title"]["text"] == "t<sub>c</sub>")
    np.testing.assert_allclose(curve["data"][0]["y"], cosine(0.03, 300), rtol=1e-12, atol=1e-16)
    assert curve["data"][1]["x"] == [39]  # step 40 was made by update c = 39
    assert curve["data"][1]["y"] == [pytest.approx(cosine(0.03, 300)[39], rel=1e-12)]
    said = "from t = 0.03 (T = 300). The ring is update c = 39, which made the step on screen: $t_c$ = 0.0288."
    assert any(said in c.value for c in at.caption)  # 0.03·(1 + cos(39π/300))/2 = 0.02877


def test_the_badge_says_at_which_step_the_run_stopped():
    """t = 0.03 on the κ = 25 bowl: x_c = −5·0.97ᶜ, y_c = 1.5·0.25ᶜ, ∇L = (x, 25y); the first c with
    ‖∇L‖ < 10⁻³ is where the run stops."""
    i18n.set_language("en")
    c = np.arange(301)
    norms = np.hypot(-5 * 0.97 ** c, 25 * 1.5 * 0.25 ** c)
    stop = int(np.argmax(norms < 1e-3))
    assert stop == 280  # by hand: 5·0.97ᶜ < 10⁻³ from c = ln(2·10⁻⁴)/ln 0.97 = 279.6, and 37.5·0.25ᶜ is nothing
    at = open_link("home", {"surface": "elongated_quadratic", "lr": "0.03", "tol": "0.001"})
    assert link_of(at)["lr"] == "0.03" and link_of(at)["tol"] == "0.001"
    assert f":green-badge[converged at step {stop}]" in " ".join(m.value for m in at.markdown)
    path = xy(trace(charts(at)[0], "gradient descent"))
    np.testing.assert_allclose(path[: stop + 1], bowl_path(np.full(stop, 0.03)), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(path[stop:], np.broadcast_to(path[stop], path[stop:].shape))  # it stays put
    untouched = open_link("home", {"surface": "elongated_quadratic", "lr": "0.03"})
    assert "converged at step" not in " ".join(m.value for m in untouched.markdown)


def test_home_marks_the_best_step_and_the_limit_on_its_slider_and_sets_the_best_in_one_click():
    i18n.set_language("en")
    at = open_link("home", {"surface": "elongated_quadratic", "kappa": "100", "lr": "0.01"})
    slider = at.select_slider(key=key("home", "lr"))
    best = 2 / 101  # 2/(λ₁ + λₙ)
    assert slider.options == ["0.0001", "0.0003", "0.001", "0.002", "0.003", "0.01", "0.0198 · best",
                              "0.02 · 2/λmax", "0.03", "0.1", "0.3"]  # 2/(1 + 100) and 2/100 among the stops
    captions = " ".join(c.value for c in at.caption)
    assert "t < 2/λmax = 0.02." in captions and "2/(λ₁ + λₙ) = 0.0198" in captions and "by 0.98 per" in captions
    at = click(at, key("home", "best"))
    assert at.session_state[key("home", "lr")] == pytest.approx(best, rel=1e-15)
    path = xy(trace(charts(at)[0], "gradient descent"))
    np.testing.assert_allclose(path, bowl_path(np.full(300, best), kappa=100), rtol=1e-12, atol=1e-15)
    rosenbrock = open_link("home", {})
    assert not any(b.label == "Best step" for b in rosenbrock.button)  # no best step off a quadratic


def test_a_scene_starts_from_a_constant_step_and_no_stop():
    scene = next(s for s in registry.page("home").scenes if s.name == "too_large")
    state = registry.scene_state(scene)
    assert state[key("home", "schedule")] == "constant" and state[key("home", "tol")] == 0.0


def test_momentums_table_and_adams_algorithm_write_the_step_size_of_that_update():
    i18n.set_language("en")
    at = open_link("momentum", {"schedule": "step", "steps": "50", "step": "20", "method": "sgd"})
    # 50 steps: s = 12, γ = 0.5, so update c = 19 uses 0.07·0.5 = 0.035
    assert r"W_{c+1} = W_c - 0.035\,\nabla L(W_c)" in " ".join(el.value for el in at.latex)
    at = open_link("adam", {"schedule": "warmup", "step": "5"})
    alpha = 0.05 * (1 / 30 + (1 - 1 / 30) * 4 / 30)  # 300 steps: w = 30; update t = 5 is c = 4
    assert rf"\Delta\theta_t = -{alpha:.4g}" in " ".join(el.value for el in at.latex)


@pytest.mark.parametrize(("surface", "lines"), [
    ("elongated_quadratic", [0.08, 3.8 / 25, 1 / 13]),  # 2/λmax, (2 + 2·0.9)/λmax, 2/(λ₁ + λₙ)
    ("rosenbrock", [2 / (765 + math.hypot(565, 480)), 3.8 / (765 + math.hypot(565, 480))]),  # local: H at (−1.2, 1)
])
def test_compares_sweep_draws_the_limits_as_vertical_lines(surface, lines):
    i18n.set_language("en")
    at = open_link("compare", {"surface": surface})
    sweep = next(c for c in charts(at) if c["layout"]["xaxis"].get("type") == "log")
    verticals = [s for s in sweep["layout"]["shapes"] if s["type"] == "line"]
    np.testing.assert_allclose([s["x0"] for s in verticals], lines, rtol=1e-12)
    assert all(s["x0"] == s["x1"] and s["line"]["width"] >= 3 for s in verticals)
    assert len({s["line"]["dash"] for s in verticals}) == len(verticals)  # told apart by dash
    texts = [a["text"] for a in sweep["layout"]["annotations"] if a.get("xref") == "x"]
    assert texts[0].startswith("2/λmax = ") and ("(local" in texts[0]) == (surface == "rosenbrock")
    s = oc.get_surface(surface)
    assert [round(lim.x, 12) for lim in sweep_limits(s, s.start, [spec("momentum", lr=0.01, momentum=0.9)])] == [
        round(x, 12) for x in lines]


def test_the_korean_page_speaks_of_the_schedule_in_korean():
    at = open_link("home", {"surface": "elongated_quadratic", "schedule": "cosine", "lang": "ko", "tol": "0.01",
                            "lr": "0.03"})
    assert not at.exception
    assert any("시작값 t = 0.03 (T = 300)" in c.value for c in at.caption)
    stopped = open_link("home", {"surface": "elongated_quadratic", "lang": "ko", "tol": "0.001", "lr": "0.03"})
    assert ":green-badge[스텝 280에서 수렴]" in " ".join(m.value for m in stopped.markdown)  # as in English above
    i18n.set_language("en")
