"""The Compare page's helpers and figure builders, called directly (no Streamlit)."""

import numpy as np
import pytest

import optim_core as oc
from ui import compare as cmp
from ui.theme import color

STEPS = cmp.DEFAULTS["steps"]


def test_every_surface_has_a_step_size_for_every_optimizer_from_the_widget_options():
    assert set(cmp.DEFAULTS["lr"]) == set(oc.SURFACE_NAMES)
    for surface, table in cmp.DEFAULTS["lr"].items():
        assert set(table) == set(oc.OPTIMIZER_NAMES) - {"lookahead"}, surface
        assert all(lr in cmp.LR_OPTIONS for lr in table.values()), surface
    assert set(cmp.KNOBS) == set(oc.OPTIMIZER_NAMES) and set(cmp.RULES) == set(oc.OPTIMIZER_NAMES)
    assert set(cmp.DEFAULTS["shown"]) <= set(oc.OPTIMIZER_NAMES)


@pytest.mark.parametrize("surface", oc.SURFACE_NAMES)
def test_default_settings_make_a_readable_race(surface):
    """At the page's defaults nothing blows up, and every method but Newton ends below its start."""
    surf = oc.get_surface(surface)
    start_loss = surf.value(surf.start)
    for name in oc.OPTIMIZER_NAMES:
        traj = oc.run(cmp.make(name, cmp.default_hyper(name, surface)), surf, surf.start, STEPS, record=False)
        assert traj.diverged_at is None, (surface, name)
        if name != "newton":
            assert traj.loss[-1] < start_loss, (surface, name)


def test_newton_on_himmelblau_sits_on_the_nearby_maximum():
    """The demo's start is next to Himmelblau's local maximum (−0.2708, −0.9230): Newton goes there."""
    surf = oc.get_surface("himmelblau")
    traj = oc.run(cmp.make("newton", cmp.default_hyper("newton", "himmelblau")), surf, surf.start, STEPS)
    np.testing.assert_allclose(traj.params[-1], [-0.270845, -0.923039], atol=1e-5)
    assert traj.loss[-1] == pytest.approx(181.617, abs=1e-3)


def test_default_hyper_uses_the_papers_other_defaults_and_the_lookahead_inner_lr():
    assert cmp.default_hyper("adam", "rosenbrock") == {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}
    assert cmp.default_hyper("momentum", "saddle") == {"lr": 1e-3, "momentum": 0.9}
    assert cmp.default_hyper("lookahead", "beale") == {"lr": 0.1, "k": 5, "alpha": 0.5, "inner": "adam"}
    assert cmp.default_lr("lookahead", "rosenbrock", inner="sgd") == 2e-3
    assert cmp.split("lookahead", {"lr": 0.1, "k": 5, "alpha": 0.5, "inner": "adam"}) == (
        {"k": 5, "alpha": 0.5}, "adam", {"lr": 0.1})
    assert cmp.split("adam", {"lr": 0.1}) == ({"lr": 0.1}, None, {})
    assert cmp.display_name("lookahead", {"inner": "momentum"}) == "Lookahead (Momentum)"
    assert cmp.display_name("rmsprop") == "RMSProp"


def test_make_builds_the_setting_and_batches_the_lookahead_inner_step_size():
    opt = cmp.make("lookahead", {"lr": 0.1, "k": 7, "alpha": 0.3, "inner": "rmsprop"}, lr=np.array([0.1, 0.2, 0.3]))
    assert opt.batch_shape == (3,) and opt.hyper["k"] == 7 and opt.hyper["alpha"] == 0.3
    np.testing.assert_array_equal(opt.hyper["inner"].hyper["lr"], [0.1, 0.2, 0.3])
    assert opt.hyper["inner"].name == "rmsprop"
    assert cmp.make("newton", {"lr": 0.5, "damping": 2.0}).hyper == {"lr": 0.5, "damping": 2.0}


@pytest.mark.parametrize("name", oc.OPTIMIZER_NAMES)
def test_the_batched_sweep_equals_one_run_per_step_size(name):
    surf = oc.get_surface("rosenbrock")
    lrs = cmp.sweep_lrs(1e-3, 3.0, 7)
    hyper = cmp.default_hyper(name, "rosenbrock")
    sweep = cmp.lr_sweep(name, hyper, "rosenbrock", surf.start, 120, lrs)
    for i, lr in enumerate(lrs):
        one = oc.run(cmp.make(name, {**hyper, "lr": lr}), surf, surf.start, 120, record=False)
        assert sweep["diverged"][i] == (one.diverged_at is not None)
        np.testing.assert_allclose(sweep["final"][i], one.loss[-1], rtol=1e-9, atol=1e-300)


def test_gradient_descent_sweep_has_a_cliff_at_two_over_the_largest_curvature():
    """On ½(x² + 25y²), GD is stable for t < 2/25 = 0.08 and blows up above it."""
    surf = oc.get_surface("elongated_quadratic")
    sweep = cmp.lr_sweep("sgd", {"lr": 0.01}, surf.name, surf.start, 300, [0.05, 0.075, 0.079, 0.085, 0.1, 0.5])
    np.testing.assert_array_equal(sweep["diverged"], [False, False, False, True, True, True])
    assert sweep["final"][0] < 1e-12


def test_sweep_lrs_are_log_spaced_and_span_the_default_range():
    lrs = cmp.sweep_lrs()
    low, high, n = cmp.DEFAULTS["sweep"]
    assert len(lrs) == n and 15 <= n <= 25
    assert lrs[0] == pytest.approx(low) and lrs[-1] == pytest.approx(high)
    np.testing.assert_allclose(np.diff(np.log10(lrs)), np.log10(high / low) / (n - 1))


def test_loss_view_uses_the_gap_to_the_minimum_on_a_log_axis_except_on_the_saddle():
    l_star, log_y, title = cmp.loss_view(oc.get_surface("rosenbrock"))
    assert (l_star, log_y) == (0.0, True) and "L*" in title
    lsq = oc.get_surface("least_squares")
    l_star, log_y, _ = cmp.loss_view(lsq)
    assert l_star == pytest.approx(float(lsq.value(lsq.minima[0]))) and l_star > 0.03
    assert cmp.loss_view(oc.get_surface("saddle"))[:2] == (0.0, False)
    np.testing.assert_array_equal(cmp.gap([1.5, 1.0, 1.0 + 1e-20], 1.0, True), [0.5, cmp.FLOOR, cmp.FLOOR])
    np.testing.assert_array_equal(cmp.gap([-3.0, 2.0], 0.0, False), [-3.0, 2.0])


def _curve(label="A", final=(1.0, 0.1, 0.01, 5.0), diverged=(False, False, False, True), **kw):
    return cmp.SweepCurve(label, "#123456", np.array([1e-3, 1e-2, 1e-1, 1.0]), np.array(final),
                          np.array(diverged), **kw)


def test_sweep_figure_leaves_gaps_marks_divergence_above_the_data_and_rings_the_current_choice():
    fig = cmp.sweep_figure([_curve(current_lr=0.05, current_final=0.03),
                            _curve("B", (2.0, 1.0, 0.5, 0.2), (False,) * 4, current_lr=2.0, current_final=9.0,
                                   current_diverged=True)], log_y=True, y_title="L")
    line_a, x_a, ring_a, line_b, ring_b = fig.data
    assert line_a.name == "A" and np.isnan(line_a.y[3]) and list(line_a.y[:3]) == [1.0, 0.1, 0.01]
    assert x_a.name == "A diverged" and list(x_a.x) == [1.0] and x_a.marker.symbol == "x-thin"
    rows = cmp.divergence_rows(np.array([1.0, 0.1, 0.01, 2.0, 1.0, 0.5, 0.2, 0.03]), 2, True)
    # data span 0.01 .. 2 (2.3 decades): rows 12 % and 17 % of it above the top value
    np.testing.assert_allclose(np.log10(rows), np.log10(2.0) + np.log10(200) * np.array([0.12, 0.17]))
    assert x_a.y[0] == pytest.approx(rows[0])
    assert (ring_a.x[0], ring_a.y[0]) == (0.05, 0.03) and ring_a.marker.color == "#123456"
    assert ring_b.y[0] == pytest.approx(rows[1])  # a diverged current setting sits on its × row
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.range[1] > np.log10(rows[1])


def test_sweep_figure_on_a_linear_axis():
    fig = cmp.sweep_figure([_curve(final=(-1.0, -5.0, 3.0, 0.0))], log_y=False, y_title="L")
    assert fig.layout.yaxis.type == "linear"
    assert fig.data[1].y[0] == pytest.approx(3.0 + 8.0 * 0.12)


def test_rules_and_settings_show_every_optimizer_in_the_decks_symbols():
    hypers = {n: cmp.default_hyper(n, "rosenbrock") for n in oc.OPTIMIZER_NAMES}
    latex = cmp.rules_latex(list(oc.OPTIMIZER_NAMES), hypers)
    assert latex.count(r"\\") == len(oc.OPTIMIZER_NAMES) - 1
    for rule in cmp.RULES.values():
        assert rule in latex
    assert r"\hat m_t" in latex and r"\phi_t" in latex and r"\mu v_{c-1}" in latex
    assert cmp.settings_text("adam", hypers["adam"]) == "α = 0.1, β₁ = 0.9, β₂ = 0.999"
    assert cmp.settings_text("lookahead", hypers["lookahead"]) == "t = 0.1, k = 5, α = 0.5"
    assert cmp.settings_text("newton", hypers["newton"]) == "t = 1, λ = 0"
    table = cmp.summary_markdown([("Adam", "α = 0.1", 0.19234, None), ("GD", "t = 2", 4.0, 7)], "L")
    assert "| Adam | α = 0.1 | 0.192 |  |" in table and "diverged at step 7" in table


def test_tidy_log_axis_puts_one_tick_per_decade():
    from ui.charts import Series, line_chart

    fig = cmp.tidy_log_axis(line_chart([Series("a", np.array([1.0, 1e-3]), color("adam"))],
                                       x_title="s", y_title="L", log_y=True), True)
    assert fig.layout.yaxis.dtick == 1 and fig.layout.margin.l == 85
