"""The Compare page's settings (the optimizer catalog), sweep, figures and text, called directly (no Streamlit page)."""

import numpy as np
import pytest

import optim_core as oc
from tolerance import assert_same_run
from ui import catalog, export
from ui.figures.theme import color
from ui.pages import compare as cmp
from ui.widgets import compute

ROSENBROCK = oc.get_surface("rosenbrock")

# The page's starting settings on Rosenbrock, written out: (optimizer, hyper-parameters for make_optimizer).
ROSENBROCK_DEFAULTS = {
    "sgd": {"lr": 2e-3}, "momentum": {"lr": 1e-3, "momentum": 0.9}, "nesterov": {"lr": 1e-3, "momentum": 0.9},
    "adagrad": {"lr": 1.0}, "rmsprop": {"lr": 0.01, "rho": 0.9}, "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999},
    "adamax": {"lr": 0.5, "beta1": 0.9, "beta2": 0.999}, "newton": {"lr": 1.0, "damping": 0.0},
    "lookahead": {"inner": ("adam", {"lr": 0.1}), "k": 5, "alpha": 0.5},
}


def _engine(name, hyper, surface=ROSENBROCK, steps=300, start=None, record=False):
    """The run the page must show, built straight from optim_core."""
    return oc.run(oc.make_optimizer(name, **hyper), surface, surface.start if start is None else start, steps,
                  record=record)


def test_every_surface_has_a_step_size_for_every_optimizer_from_the_widget_options():
    assert set(catalog.DEMO_LR) == {*oc.SURFACE_NAMES, catalog.CUSTOM}  # every typed f shares "custom"
    for surface, table in catalog.DEMO_LR.items():
        assert set(table) == set(oc.OPTIMIZER_NAMES) - {"lookahead"}, surface
        assert all(lr in catalog.LR_OPTIONS for lr in table.values()), surface
    assert set(catalog.KNOBS) == set(oc.OPTIMIZER_NAMES) and set(cmp.RULES) == set(oc.OPTIMIZER_NAMES)
    assert set(cmp.DEFAULTS["shown"]) <= set(oc.OPTIMIZER_NAMES) and catalog.OPTIMIZER_NAMES == oc.OPTIMIZER_NAMES
    for knobs in catalog.KNOBS.values():  # a select slider's starting value must be one of its options
        assert all(k.default in k.options for k in knobs if k.options and k.name != "lr")


def test_defaults_cannot_be_changed_by_a_session():
    with pytest.raises(TypeError):
        cmp.DEFAULTS["steps"] = 10  # type: ignore[index]
    with pytest.raises(TypeError):
        catalog.DEMO_LR["rosenbrock"]["adam"] = 1.0  # type: ignore[index]


@pytest.mark.parametrize("name", oc.OPTIMIZER_NAMES)
def test_the_starting_setting_is_the_written_out_optimizer(name):
    opt = catalog.default_spec(name, "rosenbrock")
    got = oc.run(opt.build(), ROSENBROCK, ROSENBROCK.start, 300)
    np.testing.assert_array_equal(got.params, _engine(name, ROSENBROCK_DEFAULTS[name]).params)


@pytest.mark.parametrize("surface", oc.SURFACE_NAMES)
def test_default_settings_make_a_readable_race(surface):
    """At the page's defaults nothing blows up, and every method but Newton ends below its start."""
    surf = oc.get_surface(surface)
    start_loss = surf.value(surf.start)
    for name in oc.OPTIMIZER_NAMES:
        traj = oc.run(catalog.default_spec(name, surface).build(), surf, surf.start, 300, record=False)
        assert not traj.diverged, (surface, name)
        if name != "newton":
            assert traj.loss[-1] < start_loss, (surface, name)


def test_newton_on_himmelblau_sits_on_the_nearby_maximum():
    """The demo's start is next to Himmelblau's local maximum (−0.2708, −0.9230): Newton goes there."""
    surf = oc.get_surface("himmelblau")
    assert catalog.default_spec("newton", "himmelblau") == compute.spec("newton", lr=1.0, damping=0.0)
    traj = compute.run(catalog.default_spec("newton", "himmelblau"), "himmelblau", surf.start, 300)
    np.testing.assert_allclose(traj.params[-1], [-0.270845, -0.923039], atol=1e-5)
    assert traj.loss[-1] == pytest.approx(181.617, abs=1e-3)


def test_a_page_setting_becomes_a_spec_with_lookaheads_step_size_in_its_inner_optimizer():
    opt = catalog.to_spec("lookahead", {"inner": "rmsprop", "lr": 0.1, "k": 7, "alpha": 0.3})
    assert opt.name == "lookahead" and opt.inner.name == "rmsprop" and opt.lr == 0.1
    assert opt.settings == {"k": 7, "alpha": 0.3}
    want = _engine("lookahead", {"inner": oc.make_optimizer("rmsprop", lr=0.1), "k": 7, "alpha": 0.3}, steps=40)
    np.testing.assert_array_equal(oc.run(opt.build(), ROSENBROCK, ROSENBROCK.start, 40).params, want.params)
    assert catalog.to_spec("newton", {"lr": 0.5, "damping": 2.0}) == compute.spec("newton", damping=2.0, lr=0.5)
    assert catalog.display_name(opt) == "Lookahead (RMSProp)"
    assert catalog.display_name(catalog.to_spec("rmsprop", {"lr": 0.1, "rho": 0.9})) == "RMSProp"


def test_lookahead_starts_from_its_inner_optimizers_demo_step_size():
    assert catalog.default_lr("lookahead", "rosenbrock", inner="sgd") == catalog.default_lr("sgd", "rosenbrock") == 2e-3
    assert catalog.default_lr("lookahead", "beale") == 0.1  # inner Adam on Beale


@pytest.mark.parametrize("name", oc.OPTIMIZER_NAMES)
def test_the_batched_sweep_equals_one_run_per_step_size(name):
    lrs = np.geomspace(1e-3, 3.0, 7)
    sweep = compute.sweep(catalog.default_spec(name, "rosenbrock"), "rosenbrock", ROSENBROCK.start, 120, lrs)
    for i, lr in enumerate(lrs):
        hyper = dict(ROSENBROCK_DEFAULTS[name])
        if name == "lookahead":
            hyper["inner"] = ("adam", {"lr": lr})
        else:
            hyper["lr"] = lr
        one = _engine(name, hyper, steps=120)
        assert sweep.diverged[i] == bool(one.diverged), (name, lr)
        assert_same_run(sweep.final[i], one.loss[-1], 120, err_msg=f"{name} {lr}", scale=one.loss)


@pytest.mark.parametrize(("name", "a", "b"), [
    ("momentum", {"momentum": 0.5}, {"momentum": 0.9}),
    ("rmsprop", {"rho": 0.5}, {"rho": 0.99}),
    ("lookahead", {"inner": "adam", "k": 5, "alpha": 0.5}, {"inner": "adam", "k": 10, "alpha": 0.5}),
    ("lookahead", {"inner": "adam", "k": 5, "alpha": 0.5}, {"inner": "sgd", "k": 5, "alpha": 0.5}),
])
def test_the_sweep_cache_key_holds_every_setting_but_the_step_size(name, a, b):
    """Two settings that differ only off the step size sweep differently; the page's own step size plays no
    part; and every point of a sweep is the single run at that step size."""
    lrs = (1e-4, 1e-3, 1e-2)
    sweep_a = compute.sweep(catalog.to_spec(name, {"lr": 1e-3, **a}), "rosenbrock", ROSENBROCK.start, 60, lrs)
    sweep_b = compute.sweep(catalog.to_spec(name, {"lr": 1e-3, **b}), "rosenbrock", ROSENBROCK.start, 60, lrs)
    assert not np.allclose(sweep_a.final, sweep_b.final)
    again = compute.sweep(catalog.to_spec(name, {"lr": 0.5, **a}), "rosenbrock", ROSENBROCK.start, 60, lrs)
    np.testing.assert_array_equal(again.final, sweep_a.final)  # exact: the same sweep, computed the same way
    for hyper, sweep in ((a, sweep_a), (b, sweep_b)):
        for i, lr in enumerate(lrs):
            if name == "lookahead":
                one = _engine(name, {**hyper, "inner": (hyper["inner"], {"lr": lr})}, steps=60)
            else:
                one = _engine(name, {**hyper, "lr": lr}, steps=60)
            assert_same_run(sweep.final[i], one.loss[-1], 60, err_msg=f"{name} {hyper} {lr}", scale=one.loss)


def test_gradient_descent_sweep_has_a_cliff_at_two_over_the_largest_curvature():
    """On ½(x² + 25y²), GD is stable for t < 2/25 = 0.08 and blows up above it."""
    surf = oc.get_surface("elongated_quadratic")
    sweep = compute.sweep(catalog.to_spec("sgd", {"lr": 0.01}), surf.name, surf.start, 300,
                          [0.05, 0.075, 0.079, 0.085, 0.1, 0.5])
    np.testing.assert_array_equal(sweep.diverged, [False, False, False, True, True, True])
    assert sweep.final[0] < 1e-12


def test_sweep_lrs_are_25_log_spaced_values_from_1e_4_to_10():
    lrs = cmp.sweep_lrs()
    assert len(lrs) == 25 and lrs[0] == pytest.approx(1e-4) and lrs[-1] == pytest.approx(10.0)
    np.testing.assert_allclose(lrs[1:] / lrs[:-1], 10 ** (5 / 24))  # five decades in 24 equal ratios
    np.testing.assert_allclose(cmp.sweep_lrs(1e-3, 3.0, 7)[[0, 3, 6]], [1e-3, np.sqrt(3e-3), 3.0])


def test_loss_view_uses_the_gap_to_the_minimum_on_a_log_axis_except_on_the_saddle():
    view = cmp.loss_view(ROSENBROCK)
    assert (view.l_star, view.log_y) == (0.0, True) and "L*" in view.title and view.what == "L(W) − L*"
    lsq = oc.get_surface("least_squares")
    view = cmp.loss_view(lsq)
    assert view.l_star == pytest.approx(float(lsq.value(lsq.minima[0]))) and view.l_star > 0.03
    saddle = cmp.loss_view(oc.get_surface("saddle"))
    assert (saddle.l_star, saddle.log_y, saddle.what) == (0.0, False, "L(W)")
    gap = cmp.LossView(1.0, True, "").gap([1.5, 1.0, 1.0 + 1e-20])
    assert gap[0] == 0.5 and gap[1] == gap[2] and 0 < gap[1] < 1e-12  # a zero gap stays drawable on a log axis
    np.testing.assert_array_equal(saddle.gap([-3.0, 2.0]), [-3.0, 2.0])


def test_race_and_loss_figures_draw_each_run_under_its_name():
    runs = {catalog.to_spec(n, {"lr": lr, **extra}): None
            for n, lr, extra in (("sgd", 2e-3, {}), ("lookahead", 0.1, {"inner": "adam", "k": 5, "alpha": 0.5}))}
    runs = {opt: compute.run(opt, "rosenbrock", ROSENBROCK.start, 300) for opt in runs}
    gd, la = _engine("sgd", {"lr": 2e-3}), _engine("lookahead", ROSENBROCK_DEFAULTS["lookahead"])
    race = cmp.race_figure(ROSENBROCK, runs, ROSENBROCK.start)
    paths = {t.name: t for t in race.data if t.mode == "lines" and t.opacity}
    assert list(paths) == ["Gradient descent", "Lookahead (Adam)"] and race.layout.showlegend is False
    np.testing.assert_allclose(np.column_stack([paths["Lookahead (Adam)"].x, paths["Lookahead (Adam)"].y]),
                               la.params)
    assert paths["Gradient descent"].line.color == color("sgd") and race.layout.height == 560
    loss = cmp.loss_figure(runs, cmp.loss_view(ROSENBROCK))
    assert [t.name for t in loss.data] == ["Gradient descent", "Lookahead (Adam)"]
    np.testing.assert_allclose(loss.data[0].y, gd.loss, rtol=1e-12)  # L* = 0 on Rosenbrock: the gap is L
    # Rosenbrock from (−1.2, 1): L = 24.2 down to about 1e-2 here, 4 decades in 300 px: a label every decade
    assert gd.loss[0] == pytest.approx(24.2) and loss.layout.yaxis.type == "log" and loss.layout.yaxis.dtick == 1
    assert loss.layout.height - loss.layout.margin.t - loss.layout.margin.b == 300 and loss.layout.height == 382
    # no legend: each line is named at its last point, in its colour (issue 16)
    assert loss.layout.showlegend is False
    labels = [a for a in loss.layout.annotations if a.name == "end label"]
    assert [(a.text, a.font.color) for a in labels] == [("Gradient descent", color("sgd")),
                                                        ("Lookahead (Adam)", color("lookahead"))]
    assert [a.x for a in labels] == [300, 300]
    assert labels[0].y == pytest.approx(np.log10(gd.loss[-1]), rel=1e-12)
    assert labels[1].y == pytest.approx(np.log10(la.loss[-1]), rel=1e-12)


def test_a_sweep_curve_rings_the_pages_own_run():
    opt = catalog.to_spec("sgd", {"lr": 0.01})  # too large for Rosenbrock: the ring sits on the × row
    lrs = (1e-4, 1e-3, 0.01)
    curve = cmp.sweep_curve(opt, compute.sweep(opt, "rosenbrock", ROSENBROCK.start, 300, lrs),
                            compute.run(opt, "rosenbrock", ROSENBROCK.start, 300), cmp.loss_view(ROSENBROCK))
    one = _engine("sgd", {"lr": 0.01})
    assert (curve.label, curve.color, curve.current_lr) == ("Gradient descent", color("sgd"), 0.01)
    assert curve.current_diverged and bool(one.diverged) and curve.current_final == pytest.approx(one.loss[-1])
    np.testing.assert_array_equal(curve.diverged, [False, False, True])
    assert curve.final[0] == pytest.approx(_engine("sgd", {"lr": 1e-4}).loss[-1], rel=1e-12)


def _curve(label="A", final=(1.0, 0.1, 0.01, 5.0), diverged=(False, False, False, True), **kw):
    return cmp.SweepCurve(label, "#123456", np.array([1e-3, 1e-2, 1e-1, 1.0]), np.array(final),
                          np.array(diverged), **kw)


def test_sweep_figure_leaves_gaps_marks_divergence_above_the_data_and_rings_the_current_choice():
    fig = cmp.sweep_figure([_curve(current_lr=0.05, current_final=0.03),
                            _curve("B", (2.0, 1.0, 0.5, 0.2), (True, False, False, False), current_lr=2.0,
                                   current_final=9.0, current_diverged=True)], log_y=True, y_title="L")
    line_a, x_a, ring_a, line_b, x_b, ring_b = fig.data
    assert line_a.name == "A" and np.isnan(line_a.y[3]) and list(line_a.y[:3]) == [1.0, 0.1, 0.01]
    assert np.isnan(line_b.y[0]) and list(line_b.y[1:]) == [1.0, 0.5, 0.2]
    assert x_a.name == "A diverged" and list(x_a.x) == [1.0] and x_a.marker.symbol == "x-thin"
    assert list(x_b.x) == [1e-3]
    assert (ring_a.x[0], ring_a.y[0]) == (0.05, 0.03) and ring_a.marker.color == "#123456"
    # each optimizer's × row lies above every finite value drawn (the largest is 1.0: B's 2.0 diverged), one row
    # per optimizer, inside the plotted range and inside the grey band that starts below the first row
    row_a, row_b = x_a.y[0], x_b.y[0]
    assert 1.0 < row_a < row_b < 10 ** fig.layout.yaxis.range[1]
    assert ring_b.y[0] == row_b  # a diverged current setting sits on its own × row
    band = fig.layout.shapes[0]
    assert 1.0 < band.y0 < row_a and band.y1 == 10 ** fig.layout.yaxis.range[1]
    assert 10 ** fig.layout.yaxis.range[0] < 0.01  # the lowest value is inside the range too
    assert fig.layout.yaxis.type == "log" and fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.title.text == "final L" and fig.layout.annotations[0].text == "× = diverged"


def test_sweep_figure_on_a_linear_axis():
    fig = cmp.sweep_figure([_curve(final=(-1.0, -5.0, 3.0, 0.0))], log_y=False, y_title="L")
    assert fig.layout.yaxis.type == "linear"
    low, high = fig.layout.yaxis.range
    assert low < -5.0 and 3.0 < fig.data[1].y[0] < high  # the × row above the largest value, still in view


def test_rules_and_settings_show_every_optimizer_in_the_decks_symbols():
    specs = [catalog.to_spec("adam", {"lr": 0.1, "beta1": 0.9, "beta2": 0.999}),
             catalog.to_spec("momentum", {"lr": 1e-3, "momentum": 0.9}),
             catalog.to_spec("lookahead", {"inner": "adam", "lr": 0.1, "k": 5, "alpha": 0.5}),
             catalog.to_spec("newton", {"lr": 1.0, "damping": 0.0})]
    adam, momentum, lookahead, newton = cmp.rules_latex(specs)  # one block each, stacked on the page
    assert [b.count(r"\\") for b in (adam, momentum, lookahead, newton)] == [4, 2, 2, 1]  # name + a line per equation
    assert r"\textbf{Lookahead (Adam)}" in lookahead and r"\phi_t" in lookahead
    assert r"\hat m_t" in adam and r"\mu v_{c-1}" in momentum and r"(H_c + \lambda I)" in newton
    assert [catalog.settings_text(s) for s in specs] == [
        "α = 0.1, β₁ = 0.9, β₂ = 0.999", "t = 0.001, μ = 0.9", "t = 0.1, k = 5, α = 0.5", "t = 1, λ = 0"]


def test_the_summary_table_reads_diverged_at_as_the_engine_gives_it():
    table = cmp.summary_markdown([("Adam", "converging", "α = 0.1", 0.19234, np.array(-1)),
                                  ("GD", "diverged", "t = 2", 4.0, np.int64(7)),
                                  ("SGD", "escaped", "t = 0.01", -1500.0, np.int64(420)),
                                  ("RMSProp", "converged", "t = 0.01", 2e-5, -1)], "L")
    lines = table.splitlines()
    assert lines[0] == "| optimizer | status | settings | final L |"  # four headed columns, none empty
    assert lines[2:] == ["| Adam | :blue-badge[converging] | α = 0.1 | 0.192 |",
                         "| GD | :red-badge[diverged] at step 7 | t = 2 | 4 |",
                         "| SGD | :violet-badge[escaped] | t = 0.01 | -1.5e+03 |",
                         "| RMSProp | :green-badge[converged] | t = 0.01 | 2e-05 |"]
    gd = catalog.to_spec("sgd", {"lr": 0.01})
    run = compute.run(gd, "rosenbrock", ROSENBROCK.start, 300)
    step = int(_engine("sgd", {"lr": 0.01}).diverged_at)
    assert f"| Gradient descent | :red-badge[diverged] at step {step} | t = 0.01 | {run.loss[-1]:.3g} |" in \
        cmp.summary({gd: run}, cmp.loss_view(ROSENBROCK), {gd: "diverged"})


def test_the_page_text_names_its_numbers():
    assert "**25 times at once**" in cmp.sweep_note(cmp.sweep_lrs(), 300)
    assert "for 300 steps" in cmp.sweep_note(cmp.sweep_lrs(), 300)
    assert "(from 0.0001 to 10)" in cmp.sweep_note(cmp.sweep_lrs(), 300)
    assert "log scale" in cmp.loss_note(True) and "no minimum" in cmp.loss_note(False)
    assert cmp.caption(ROSENBROCK, (-1.2, 1.0), 300) == "Surface: Rosenbrock valley, start (-1.20, 1.00), 300 steps."


def test_tidy_log_axis_puts_one_tick_per_decade():
    from ui.figures.charts import Series, line_chart

    fig = cmp.tidy_log_axis(line_chart([Series("a", np.array([1.0, 1e-3]), color("adam"))],
                                       x_title="s", y_title="L", log_y=True), True)
    assert fig.layout.yaxis.dtick == 1 and fig.layout.margin.l == 85


@pytest.mark.parametrize("low, plot_px, dtick", [(1e-3, 300, 1), (1e-9, 300, 2), (1e-14, 300, 2), (1e-14, 150, 4)])
def test_log_ticks_are_one_per_decade_unless_labels_would_come_closer_than_28_px(low, plot_px, dtick):
    """From 10 down to ``low``: d decades (padded 5 % each side, as ``label_ends`` sets the range) share
    ``plot_px``; the labels go every n decades, the smallest n with n · plot_px / (1.1 d) ≥ 28: 10 decades
    in 300 px are 27.3 px each, so every second one."""
    assert cmp.log_dtick(np.array([10.0, low]), plot_px) == dtick


def test_every_optimizers_run_exports_under_its_chart_name_and_reads_back_exactly():
    runs = {catalog.default_spec(n, "rosenbrock"): None for n in oc.OPTIMIZER_NAMES}
    runs = {opt: oc.run(opt.build(), ROSENBROCK, ROSENBROCK.start, 30) for opt in runs}
    named = cmp.export_runs(runs)
    assert list(named) == ["Gradient descent", "Momentum", "Nesterov", "AdaGrad", "RMSProp", "Adam", "AdaMax",
                           "Newton", "Lookahead (Adam)"]
    back = export.read_csv(export.trajectories_csv(named, cmp.EXPORT_FIELDS))
    for label, name in zip(named, oc.OPTIMIZER_NAMES):
        want = _engine(name, ROSENBROCK_DEFAULTS[name], steps=30, record=True)
        np.testing.assert_array_equal(np.column_stack([back[label]["x"], back[label]["y"]]), want.params)
        np.testing.assert_array_equal(back[label]["loss"], want.loss)
        # every method records the key rule's step per parameter t̃; the memories only where the method has one
        np.testing.assert_array_equal(np.column_stack([back[label]["step_size_x"], back[label]["step_size_y"]])[1:],
                                      want.records["step_size"], err_msg=label)
        for field in cmp.EXPORT_FIELDS:
            assert (field in want.records) == (not np.isnan(back[label][f"{field}_x"][1:]).any()), (label, field)
    assert back["Gradient descent"]["step_size_x"][1] == 2e-3  # plain gradient descent: t itself


def test_the_race_opens_at_a_step_and_is_as_tall_as_asked():
    runs = {catalog.default_spec("adam", "rosenbrock"): None}
    runs = {opt: compute.run(opt, "rosenbrock", ROSENBROCK.start, 50) for opt in runs}
    (opt, run), = runs.items()
    assert cmp.race_figure(ROSENBROCK, runs, ROSENBROCK.start).layout.height == cmp.RACE_HEIGHT == 560
    fig = cmp.race_figure(ROSENBROCK, runs, ROSENBROCK.start, 440, at_step=17)
    assert fig.layout.height == 440 and not fig.layout.updatemenus  # the page's step row plays it
    marker = fig.data[-1]  # the moving marker, at step 17 of the engine's run
    np.testing.assert_array_equal([marker.x[0], marker.y[0]], run.params[17])
