"""The Compare page through AppTest: its charts must be optim_core's numbers for the settings on screen."""

import numpy as np
import pytest
from test_ui_compare import ROSENBROCK_DEFAULTS as START  # the page's starting settings, written out

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy

NAMES = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
         "rmsprop": "RMSProp", "adam": "Adam", "adamax": "AdaMax", "newton": "Newton", "lookahead": "Lookahead"}
SWEEP_LRS = np.geomspace(1e-4, 10.0, 25)  # the page's sweep: 25 step sizes, 1e-4 to 10


def _run(name, hyper, surface="rosenbrock", steps=300):
    surf = oc.get_surface(surface)
    return oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, steps)


def _lookahead(inner, lr, k=5, alpha=0.5):
    return {"inner": (inner, {"lr": lr}), "k": k, "alpha": alpha}


@pytest.fixture(scope="module")
def page():
    return open_page("compare")


def test_defaults_show_the_race_the_loss_and_the_sweep(page):
    race, loss, sweep = charts(page)
    shown = {"sgd": "Gradient descent", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam",
             "lookahead": "Lookahead (Adam)"}
    assert [t["name"] for t in loss["data"]] == list(shown.values())
    for name, label in shown.items():
        expected = _run(name, START[name])
        np.testing.assert_allclose(xy(trace(race, label)), expected.params, err_msg=label)
        assert expected.loss.min() > 1e-10  # L* = 0 on Rosenbrock, so the loss chart shows L itself
        np.testing.assert_allclose(trace(loss, label)["y"], expected.loss, rtol=1e-12, err_msg=label)
    assert len(race["frames"]) == 60 and race["layout"]["images"]  # moving picture over a raster surface
    assert loss["layout"]["yaxis"]["type"] == "log" and sweep["layout"]["xaxis"]["type"] == "log"
    assert not page.warning
    assert_clean(page)


def test_the_text_summary_and_rules_follow_the_runs(page):
    text = "\n".join(m.value for m in page.markdown)
    adam = _run("adam", START["adam"]).loss[-1]
    assert f"| Adam | α = 0.1, β₁ = 0.9, β₂ = 0.999 | {adam:.3g} |  |" in text
    assert "| Lookahead (Adam) | t = 0.1, k = 5, α = 0.5 |" in text and "diverged at step" not in text
    assert "**25 times at once**" in text and "for 300 steps" in text and "(from 0.0001 to 10)" in text
    latex = page.latex[0].value
    assert latex.count(r"\\[5pt]") == 4 and r"\text{Lookahead (Adam)}" in latex and r"\hat m_t" in latex
    assert "Surface: Rosenbrock valley, start (-1.20, 1.00), 300 steps." in [c.value for c in page.caption]


def test_each_optimizer_path_equals_optim_core_with_its_own_settings():
    at = open_page("compare")
    at.multiselect(key="compare_shown").set_value(list(NAMES)).run()
    at.select_slider(key="compare_adam_beta1").set_value(0.5)
    at.slider(key="compare_momentum_momentum").set_value(0.5)
    at.select_slider(key="compare_newton_damping").set_value(2.0)
    at.slider(key="compare_lookahead_k").set_value(10)
    at.selectbox(key="compare_lookahead_inner").set_value("momentum").run()
    assert_clean(at)
    race = charts(at)[0]
    settings = {**START, "adam": {"lr": 0.1, "beta1": 0.5, "beta2": 0.999}, "momentum": {"lr": 1e-3, "momentum": 0.5},
                "newton": {"lr": 1.0, "damping": 2.0}, "lookahead": _lookahead("momentum", 1e-3, k=10)}
    for name, hyper in settings.items():
        label = "Lookahead (Momentum)" if name == "lookahead" else NAMES[name]
        np.testing.assert_allclose(xy(trace(race, label)), _run(name, hyper).params, err_msg=label)


def test_sweep_final_losses_equal_single_runs(page):
    sweep = charts(page)[2]
    surf = oc.get_surface("rosenbrock")
    gd = trace(sweep, "Gradient descent")
    np.testing.assert_allclose(gd["x"], SWEEP_LRS)
    for i in (0, 4, 8):  # t = 1e-4, 6.8e-4, 4.6e-3 (5/24 decade apart): finite for gradient descent
        one = oc.run(oc.make_optimizer("sgd", lr=SWEEP_LRS[i]), surf, surf.start, 300, record=False)
        assert not one.diverged and one.loss[-1] > 1e-10
        assert gd["y"][i] == pytest.approx(one.loss[-1], rel=1e-12)
    for i in (9, 24):  # t = 7.5e-3 and 10: gradient descent blows up, so a gap and an ×
        one = oc.run(oc.make_optimizer("sgd", lr=SWEEP_LRS[i]), surf, surf.start, 300, record=False)
        assert one.diverged and np.isnan(gd["y"][i])
        assert SWEEP_LRS[i] in trace(sweep, "Gradient descent diverged")["x"]
    look = trace(sweep, "Lookahead (Adam)")
    for i in (12, 20):  # t = 0.032 and 1.5
        one = _run("lookahead", _lookahead("adam", SWEEP_LRS[i]))
        assert look["y"][i] == pytest.approx(one.loss[-1], rel=1e-12)
    ring = trace(sweep, "Adam now")
    assert ring["x"][0] == 0.1 and ring["y"][0] == pytest.approx(_run("adam", START["adam"]).loss[-1], rel=1e-12)


def test_the_sweep_follows_every_setting_but_ignores_the_step_size():
    """The sweep's cache key: μ changes the whole momentum sweep; the step size moves only the ring."""
    at = open_page("compare")
    before = trace(charts(at)[2], "Momentum")["y"]
    at.select_slider(key="compare_momentum_lr_rosenbrock").set_value(2e-4).run()
    sweep = charts(at)[2]
    np.testing.assert_array_equal(trace(sweep, "Momentum")["y"], before)
    assert trace(sweep, "Momentum now")["x"][0] == 2e-4
    at.slider(key="compare_momentum_momentum").set_value(0.5).run()
    after = trace(charts(at)[2], "Momentum")["y"]
    for i in (0, 4, 7):  # t = 1e-4, 6.8e-4 and 2.9e-3: finite for both μ
        mu_half = _run("momentum", {"lr": SWEEP_LRS[i], "momentum": 0.5}).loss[-1]
        mu_09 = _run("momentum", {"lr": SWEEP_LRS[i], "momentum": 0.9}).loss[-1]
        assert after[i] == pytest.approx(mu_half, rel=1e-12) and before[i] == pytest.approx(mu_09, rel=1e-12)
        assert abs(mu_half - mu_09) > 0.2 * mu_09
    # t = 4.6e-3: μ = 0.9 blows up, μ = 0.5 does not
    assert np.isnan(before[8]) and after[8] == pytest.approx(_run("momentum", {"lr": SWEEP_LRS[8], "momentum": 0.5})
                                                              .loss[-1], rel=1e-12)


def test_adding_and_removing_optimizers_changes_the_traces():
    at = open_page("compare")
    at.multiselect(key="compare_shown").set_value(["newton", "adagrad"]).run()
    race, loss, sweep = charts(at)
    paths = [t["name"] for t in race["data"] if t.get("mode") == "lines" and t.get("opacity")]
    assert paths == ["Newton", "AdaGrad"]
    assert [t["name"] for t in loss["data"]] == ["Newton", "AdaGrad"]
    assert {t["name"] for t in sweep["data"]} >= {"Newton", "AdaGrad"}
    assert "Adam" not in [t.get("name") for t in sweep["data"]]
    np.testing.assert_allclose(xy(trace(race, "Newton")), _run("newton", {"lr": 1.0, "damping": 0.0}).params)
    at.multiselect(key="compare_shown").set_value([]).run()
    assert not at.exception and not charts(at) and "at least one" in at.info[0].value


def test_a_diverged_optimizer_warns_and_keeps_its_finite_path():
    at = open_page("compare")
    at.select_slider(key="compare_sgd_lr_rosenbrock").set_value(0.01).run()
    expected = _run("sgd", {"lr": 0.01})
    step = int(expected.diverged_at)
    assert step > 0
    assert [w.value for w in at.warning] == [
        f"Gradient descent diverged at step {step}: try a smaller learning rate. "
        "The chart shows the path up to the last finite point."]
    path = xy(trace(charts(at)[0], "Gradient descent"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, expected.params)
    assert f"| Gradient descent | t = 0.01 | {expected.loss[-1]:.3g} | diverged at step {step} |" in \
        "\n".join(m.value for m in at.markdown)
    assert trace(charts(at)[2], "Gradient descent now")["y"][0] == trace(charts(at)[2], "Gradient descent diverged")[
        "y"][0]  # the ring sits on the × row


SGD_ADAM_LR = {"rosenbrock": (2e-3, 0.1), "elongated_quadratic": (0.05, 0.1), "saddle": (0.01, 0.01),
               "beale": (5e-3, 0.1), "himmelblau": (5e-3, 0.1), "least_squares": (0.1, 0.05)}


def test_every_surface_runs_with_its_own_demo_step_sizes():
    at = open_page("compare")
    assert set(SGD_ADAM_LR) == set(oc.SURFACE_NAMES)
    for surface, (sgd_lr, adam_lr) in SGD_ADAM_LR.items():
        at.selectbox(key="compare_surface").set_value(surface).run()
        assert not at.exception and not at.warning, surface
        race, loss, sweep = charts(at)
        assert at.select_slider(key=f"compare_adam_lr_{surface}").value == adam_lr
        assert at.select_slider(key=f"compare_sgd_lr_{surface}").value == sgd_lr
        np.testing.assert_allclose(xy(trace(race, "Gradient descent")), _run("sgd", {"lr": sgd_lr}, surface).params,
                                   err_msg=surface)
        np.testing.assert_allclose(xy(trace(race, "Adam")), _run("adam", {"lr": adam_lr}, surface).params,
                                   err_msg=surface)
        assert loss["layout"]["yaxis"]["type"] == ("linear" if surface == "saddle" else "log")
        assert sweep["layout"]["yaxis"]["type"] == ("linear" if surface == "saddle" else "log")


def test_each_surface_remembers_its_own_step_size():
    at = open_page("compare")
    at.select_slider(key="compare_adam_lr_rosenbrock").set_value(0.5).run()
    at.selectbox(key="compare_surface").set_value("beale").run()
    assert at.select_slider(key="compare_adam_lr_beale").value == 0.1
    at.selectbox(key="compare_surface").set_value("rosenbrock").run()
    assert at.select_slider(key="compare_adam_lr_rosenbrock").value == 0.5
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")),
                               _run("adam", {"lr": 0.5, "beta1": 0.9, "beta2": 0.999}).params)


# Each knob's widget (key without the page prefix), kind, and lowest / highest value on screen.
KNOBS = {
    "sgd": {"lr": ("select_slider", 1e-4, 2.0)},
    "momentum": {"lr": ("select_slider", 1e-4, 2.0), "momentum": ("slider", 0.0, 0.99)},
    "nesterov": {"lr": ("select_slider", 1e-4, 2.0), "momentum": ("slider", 0.0, 0.99)},
    "adagrad": {"lr": ("select_slider", 1e-4, 2.0)},
    "rmsprop": {"lr": ("select_slider", 1e-4, 2.0), "rho": ("select_slider", 0.0, 0.999)},
    "adam": {"lr": ("select_slider", 1e-4, 2.0), "beta1": ("select_slider", 0.0, 0.99),
             "beta2": ("select_slider", 0.9, 0.9999)},
    "adamax": {"lr": ("select_slider", 1e-4, 2.0), "beta1": ("select_slider", 0.0, 0.99),
               "beta2": ("select_slider", 0.9, 0.9999)},
    "newton": {"lr": ("select_slider", 1e-4, 2.0), "damping": ("select_slider", 0.0, 50.0)},
    "lookahead": {"lr": ("select_slider", 1e-4, 2.0), "k": ("slider", 1, 20), "alpha": ("slider", 0.1, 1.0)},
}


def test_every_knob_at_its_extremes_runs_and_moves_the_path():
    at = open_page("compare")
    for name, knobs in KNOBS.items():
        at.multiselect(key="compare_shown").set_value([name]).run()
        paths = []
        for end in (1, 2):
            hyper = {}
            for knob, (kind, *ends) in knobs.items():
                key = f"compare_{name}_{knob}" + ("_adam" if name == "lookahead" else "") * (knob == "lr")
                widget = getattr(at, kind)(key=key + "_rosenbrock" * (knob == "lr"))
                assert (widget.min, widget.max) == tuple(ends) if kind == "slider" else \
                    (widget.options[0], widget.options[-1]) == tuple(map(str, ends)), key
                widget.set_value(ends[end - 1])
                hyper[knob] = ends[end - 1]
            at.run()
            assert_clean(at)
            label = "Lookahead (Adam)" if name == "lookahead" else NAMES[name]
            if name == "lookahead":
                hyper["inner"] = ("adam", {"lr": hyper.pop("lr")})
            path = xy(trace(charts(at)[0], label))
            np.testing.assert_allclose(path, _run(name, hyper).params, err_msg=f"{name} {hyper}")
            assert np.isfinite(path).all()
            paths.append(path)
        assert not np.allclose(paths[0], paths[1]), name


def test_every_inner_optimizer_of_lookahead_runs_from_its_own_demo_step_size():
    at = open_page("compare")
    at.multiselect(key="compare_shown").set_value(["lookahead"]).run()
    inner_lr = {"sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.01, "adam": 0.1,
                "adamax": 0.5}
    assert at.selectbox(key="compare_lookahead_inner").options == [NAMES[n] for n in inner_lr]
    for inner, lr in inner_lr.items():
        at.selectbox(key="compare_lookahead_inner").set_value(inner).run()
        assert_clean(at)
        assert at.select_slider(key=f"compare_lookahead_lr_{inner}_rosenbrock").value == lr
        np.testing.assert_allclose(xy(trace(charts(at)[0], f"Lookahead ({NAMES[inner]})")),
                                   _run("lookahead", _lookahead(inner, lr)).params)


def test_steps_slider_extremes():
    at = open_page("compare")
    for steps in (10, 1000):
        at.slider(key="compare_steps").set_value(steps).run()
        assert not at.exception
        x = trace(charts(at)[1], "Adam")["x"]  # long runs are thinned to 600 points, ends kept
        assert (x[0], x[-1], len(x)) == (0, steps, min(steps + 1, 600))
    assert at.slider(key="compare_steps").max == 1000


def test_json_budgets_at_defaults_and_with_all_nine(page):
    sizes = chart_bytes(page)
    assert len(sizes) == 3 and max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000
    at = open_page("compare")
    at.multiselect(key="compare_shown").set_value(list(NAMES))
    at.slider(key="compare_steps").set_value(1000).run()
    sizes = chart_bytes(at)
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
