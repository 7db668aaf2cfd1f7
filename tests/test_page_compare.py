"""The Compare page through AppTest: its charts must be optim_core's numbers for the settings on screen.

What every page does alike (links, junk links, reset from a scene, the pseudo-language and Korean sweeps) is
tests/test_pages.py; this file holds the Compare page's own numbers, links and memories.
"""

import numpy as np
import pytest
from i18ntest import hangul_share, open_page_in, untranslated
from test_ui_compare import ROSENBROCK_DEFAULTS as START  # the page's starting settings, written out

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, key, link_of, open_link, open_page, trace, xy
from ui import export
from ui.pages import compare as cmp

PAGE = "compare"
NAMES = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
         "rmsprop": "RMSProp", "adam": "Adam", "adamax": "AdaMax", "newton": "Newton", "lookahead": "Lookahead"}
SWEEP_LRS = np.geomspace(1e-4, 10.0, 25)  # the page's sweep: 25 step sizes, 1e-4 to 10
SHOW, SURFACE, STEPS = key(PAGE, "show"), key(PAGE, "surface"), key(PAGE, "steps")


def knob(name: str, knob_name: str) -> str:
    """The key of an optimizer's knob that is not kept per surface: ``knob("adam", "beta1")``."""
    return key(PAGE, f"{name}.{knob_name}")


def lr(name: str, surface: str = "rosenbrock", inner: str | None = None) -> str:
    """The key of an optimizer's step size on ``surface`` (Lookahead's: of its inner optimizer there)."""
    return key(PAGE, f"{name}.lr", *((inner,) if inner else ()), surface)


def _run(name, hyper, surface="rosenbrock", steps=300):
    surf = oc.get_surface(surface)
    return oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, steps)


def _lookahead(inner, lr, k=5, alpha=0.5):
    return {"inner": (inner, {"lr": lr}), "k": k, "alpha": alpha}


def _batch_atol(single) -> float:
    """How far a cell of the sweep (one batched run of 25 step sizes) may be from the single run of that step size.

    The batch does the single run's arithmetic elementwise, so they differ by rounding alone (they are equal
    bit for bit here, with NumPy's SIMD paths on and off): a few ulps per step, at the scale of the run, its
    largest loss."""
    return 4 * len(single.loss) * np.finfo(float).eps * np.nanmax(np.abs(single.loss))


def assert_sweep_cell(value, single) -> None:
    np.testing.assert_allclose(value, single.loss[-1], rtol=0, atol=_batch_atol(single))


@pytest.fixture(scope="module")
def opened():
    """The sessions the read-only checks share: ``opened()`` at the defaults, ``opened(name)`` by a scene's link."""
    return pagetest.sessions(PAGE)


def _scene(name):
    return pagetest.scene(PAGE, name)


def test_defaults_show_the_race_the_loss_and_the_sweep(opened):
    page = opened()
    race, loss, sweep, _ = charts(page)  # and ‖∇L‖ under the sweep: tests/test_grad_norm.py
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


def test_the_text_summary_and_rules_follow_the_runs(opened):
    page = opened()
    text = "\n".join(m.value for m in page.markdown)
    adam = _run("adam", START["adam"]).loss[-1]
    assert f"| Adam | :blue-badge[converging] | α = 0.1, β₁ = 0.9, β₂ = 0.999 | {adam:.3g} |" in text
    assert "| Lookahead (Adam) | :orange-badge[oscillating] | t = 0.1, k = 5, α = 0.5 |" in text
    assert "diverged" not in text and "| |" not in text  # no empty column
    assert "**25 times at once**" in text and "for 300 steps" in text and "(from 0.0001 to 10)" in text
    key_rule, *rules = [x.value for x in page.latex]  # under the title the common rule; then one block per rule
    assert r"\tilde t_{k,c}" in key_rule and r"\mu\, v_{c-1}" in key_rule
    assert len(rules) == 5 and r"\textbf{Lookahead (Adam)}" in rules[4] and r"\hat m_t" in rules[3]
    assert rules[3].count(r"\\") == 4  # Adam: its name, then m, v, m̂ and v̂, and θ one under another
    assert "Surface: Rosenbrock valley, start (-1.20, 1.00), 300 steps." in [c.value for c in page.caption]


def test_each_optimizer_path_equals_optim_core_the_step_count_and_the_json_budget_with_all_nine():
    at = open_page(PAGE)
    at.multiselect(key=SHOW).set_value(list(NAMES)).run()
    at.select_slider(key=knob("adam", "beta1")).set_value(0.5)
    at.slider(key=knob("momentum", "momentum")).set_value(0.5)
    at.select_slider(key=knob("newton", "damping")).set_value(2.0)
    at.slider(key=knob("lookahead", "k")).set_value(10)
    at.selectbox(key=knob("lookahead", "inner")).set_value("momentum").run()
    assert_clean(at)
    race = charts(at)[0]
    settings = {**START, "adam": {"lr": 0.1, "beta1": 0.5, "beta2": 0.999}, "momentum": {"lr": 1e-3, "momentum": 0.5},
                "newton": {"lr": 1.0, "damping": 2.0}, "lookahead": _lookahead("momentum", 1e-3, k=10)}
    for name, hyper in settings.items():
        label = "Lookahead (Momentum)" if name == "lookahead" else NAMES[name]
        np.testing.assert_allclose(xy(trace(race, label)), _run(name, hyper).params, err_msg=label)
    for steps in (10, 1000):  # the step slider's ends
        at.slider(key=STEPS).set_value(steps).run()
        assert_clean(at)
        x = trace(charts(at)[1], "Adam")["x"]  # long runs are thinned to 600 points, ends kept
        assert (x[0], x[-1], len(x)) == (0, steps, min(steps + 1, 600))
    assert at.slider(key=STEPS).max == 1000
    sizes = pagetest.chart_bytes(at)  # all nine for 1000 steps: the largest the page draws
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes


def test_sweep_final_losses_equal_single_runs(opened):
    page = opened()
    sweep = charts(page)[2]
    surf = oc.get_surface("rosenbrock")
    gd = trace(sweep, "Gradient descent")
    np.testing.assert_allclose(gd["x"], SWEEP_LRS)
    for i in (0, 4, 8):  # t = 1e-4, 6.8e-4, 4.6e-3 (5/24 decade apart): finite for gradient descent
        one = oc.run(oc.make_optimizer("sgd", lr=SWEEP_LRS[i]), surf, surf.start, 300, record=False)
        assert not one.diverged and one.loss[-1] > 1e-10
        assert_sweep_cell(gd["y"][i], one)
    for i in (9, 24):  # t = 7.5e-3 and 10: gradient descent blows up, so a gap and an ×
        one = oc.run(oc.make_optimizer("sgd", lr=SWEEP_LRS[i]), surf, surf.start, 300, record=False)
        assert one.diverged and np.isnan(gd["y"][i])
        assert SWEEP_LRS[i] in trace(sweep, "Gradient descent diverged")["x"]
    look = trace(sweep, "Lookahead (Adam)")
    for i in (12, 20):  # t = 0.032 and 1.5
        assert_sweep_cell(look["y"][i], _run("lookahead", _lookahead("adam", SWEEP_LRS[i])))
    ring = trace(sweep, "Adam now")  # the ring is the page's own (single) run
    assert ring["x"][0] == 0.1 and ring["y"][0] == pytest.approx(_run("adam", START["adam"]).loss[-1], rel=1e-12)


def test_the_sweep_follows_every_setting_but_ignores_the_step_size():
    """The sweep's cache key: μ changes the whole momentum sweep; the step size moves only the ring."""
    at = open_page(PAGE)
    before = trace(charts(at)[2], "Momentum")["y"]
    at.select_slider(key=lr("momentum")).set_value(2e-4).run()
    sweep = charts(at)[2]
    np.testing.assert_array_equal(trace(sweep, "Momentum")["y"], before)  # the same cached batch
    assert trace(sweep, "Momentum now")["x"][0] == 2e-4
    at.slider(key=knob("momentum", "momentum")).set_value(0.5).run()
    after = trace(charts(at)[2], "Momentum")["y"]
    for i in (0, 4, 7):  # t = 1e-4, 6.8e-4 and 2.9e-3: finite for both μ
        mu_half = _run("momentum", {"lr": SWEEP_LRS[i], "momentum": 0.5})
        mu_09 = _run("momentum", {"lr": SWEEP_LRS[i], "momentum": 0.9})
        assert_sweep_cell(after[i], mu_half)
        assert_sweep_cell(before[i], mu_09)
        assert abs(mu_half.loss[-1] - mu_09.loss[-1]) > 0.2 * mu_09.loss[-1]
    # t = 4.6e-3: μ = 0.9 blows up, μ = 0.5 does not
    assert np.isnan(before[8])
    assert_sweep_cell(after[8], _run("momentum", {"lr": SWEEP_LRS[8], "momentum": 0.5}))


def test_adding_and_removing_optimizers_changes_the_traces():
    at = open_page(PAGE)
    at.multiselect(key=SHOW).set_value(["newton", "adagrad"]).run()
    race, loss, sweep, _ = charts(at)
    paths = [t["name"] for t in race["data"] if t.get("mode") == "lines" and t.get("opacity")]
    assert paths == ["Newton", "AdaGrad"]
    assert [t["name"] for t in loss["data"]] == ["Newton", "AdaGrad"]
    assert {t["name"] for t in sweep["data"]} >= {"Newton", "AdaGrad"}
    assert "Adam" not in [t.get("name") for t in sweep["data"]]
    np.testing.assert_allclose(xy(trace(race, "Newton")), _run("newton", {"lr": 1.0, "damping": 0.0}).params)
    at.multiselect(key=SHOW).set_value([]).run()
    assert not at.exception and not charts(at) and "at least one" in at.info[0].value


def test_a_diverged_optimizer_warns_and_keeps_its_finite_path():
    at = open_page(PAGE)
    at.select_slider(key=lr("sgd")).set_value(0.01).run()
    expected = _run("sgd", {"lr": 0.01})
    step = int(expected.diverged_at)
    assert step > 0
    assert [w.value for w in at.warning] == [
        f"Gradient descent diverged at step {step}: try a smaller step size. "
        "The chart shows the path up to the last finite point."]
    path = xy(trace(charts(at)[0], "Gradient descent"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, expected.params)
    assert f"| Gradient descent | :red-badge[diverged] at step {step} | t = 0.01 | {expected.loss[-1]:.3g} |" in \
        "\n".join(m.value for m in at.markdown)
    assert trace(charts(at)[2], "Gradient descent now")["y"][0] == trace(charts(at)[2], "Gradient descent diverged")[
        "y"][0]  # the ring sits on the × row


SGD_ADAM_LR = {"rosenbrock": (2e-3, 0.1), "elongated_quadratic": (0.05, 0.1), "saddle": (0.01, 0.01),
               "beale": (5e-3, 0.1), "himmelblau": (5e-3, 0.1), "least_squares": (0.1, 0.05)}


def test_every_surface_runs_with_its_own_demo_step_sizes_and_remembers_its_own():
    at = open_page(PAGE)
    assert set(SGD_ADAM_LR) == set(oc.SURFACE_NAMES)
    at.select_slider(key=lr("adam")).set_value(0.5).run()  # Rosenbrock's Adam step size, changed
    for surface, (sgd_lr, adam_lr) in SGD_ADAM_LR.items():
        if surface == "rosenbrock":
            continue
        at.selectbox(key=SURFACE).set_value(surface).run()
        assert not at.exception and not at.warning, surface
        race, loss, sweep, _ = charts(at)
        assert at.select_slider(key=lr("adam", surface)).value == adam_lr
        assert at.select_slider(key=lr("sgd", surface)).value == sgd_lr
        np.testing.assert_allclose(xy(trace(race, "Gradient descent")), _run("sgd", {"lr": sgd_lr}, surface).params,
                                   err_msg=surface)
        np.testing.assert_allclose(xy(trace(race, "Adam")), _run("adam", {"lr": adam_lr}, surface).params,
                                   err_msg=surface)
        assert loss["layout"]["yaxis"]["type"] == ("linear" if surface == "saddle" else "log")
        assert sweep["layout"]["yaxis"]["type"] == ("linear" if surface == "saddle" else "log")
    at.selectbox(key=SURFACE).set_value("rosenbrock").run()  # back on Rosenbrock: its own changed step size
    assert at.select_slider(key=lr("adam")).value == 0.5
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")),
                               _run("adam", {"lr": 0.5, "beta1": 0.9, "beta2": 0.999}).params)
    assert charts(at)[1]["layout"]["yaxis"]["type"] == "log"


# Each knob's widget, kind, and lowest / highest value on screen.
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
    at = open_page(PAGE)
    for name, knobs in KNOBS.items():
        at.multiselect(key=SHOW).set_value([name]).run()
        paths = []
        for end in (1, 2):
            hyper = {}
            for knob_name, (kind, *ends) in knobs.items():
                widget_key = (lr(name, inner="adam" if name == "lookahead" else None) if knob_name == "lr"
                              else knob(name, knob_name))
                widget = getattr(at, kind)(key=widget_key)
                assert (widget.min, widget.max) == tuple(ends) if kind == "slider" else \
                    (widget.options[0], widget.options[-1]) == tuple(map(str, ends)), widget_key
                widget.set_value(ends[end - 1])
                hyper[knob_name] = ends[end - 1]
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
    at = open_page(PAGE)
    at.multiselect(key=SHOW).set_value(["lookahead"]).run()
    inner_lr = {"sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.01, "adam": 0.1,
                "adamax": 0.5}
    assert at.selectbox(key=knob("lookahead", "inner")).options == [NAMES[n] for n in inner_lr]
    for inner, step_size in inner_lr.items():
        at.selectbox(key=knob("lookahead", "inner")).set_value(inner).run()
        assert_clean(at)
        assert at.select_slider(key=lr("lookahead", inner=inner)).value == step_size
        np.testing.assert_allclose(xy(trace(charts(at)[0], f"Lookahead ({NAMES[inner]})")),
                                   _run("lookahead", _lookahead(inner, step_size)).params)


def test_json_budget_at_the_defaults(opened):
    page = opened()
    sizes = pagetest.chart_bytes(page)
    assert len(sizes) == 4 and max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000


def test_the_optimizers_are_chosen_in_the_main_column(opened):
    """On a phone the sidebar covers the chart: which methods race is picked next to it."""
    page = opened()
    assert [m.key for m in page.main.multiselect] == [SHOW] and not page.sidebar.multiselect


def test_the_loss_chart_keeps_its_height_and_a_readable_log_axis_with_all_nine(opened):
    at = opened("all")
    assert at.multiselect(key=SHOW).value == list(NAMES)
    lay = charts(at)[1]["layout"]
    plot_px = lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]
    assert plot_px == 300 and lay["margin"]["b"] == 62  # no legend under the plot: the lines are named at their ends
    assert lay["showlegend"] is False and len([a for a in lay["annotations"] if a.get("name") == "end label"]) == 9
    # Newton lands exactly on (1, 1): its gap is drawn at the 1e-14 floor; the start is L = 24.2 (Rosenbrock's
    # (1 − x)² + 100 (y − x²)² at (−1.2, 1)), and the highest line climbs above 10³ on its way: 17 decades,
    # padded 5 % each side; labels every 2 decades keep them ≥ 28 px apart
    gaps = np.concatenate([np.asarray(tr["y"], dtype=float) for tr in charts(at)[1]["data"]])
    top = np.log10(np.nanmax(gaps))
    assert np.nanmin(gaps) == 1e-14 and top > 3 and gaps[0] == pytest.approx(24.2)
    decades = top + 14
    low, high = lay["yaxis"]["range"]
    assert (low, high) == pytest.approx((-14 - 0.05 * decades, top + 0.05 * decades), abs=1e-9)
    assert lay["yaxis"]["dtick"] == 2 and plot_px / (high - low) * 2 >= 28 > plot_px / (high - low)


@pytest.mark.parametrize("name", [s.name for s in cmp.SCENES])
def test_every_scene_draws_the_engines_paths_and_its_caption(opened, name):
    at, settings = opened(name), _scene(name).settings
    assert_clean(at)
    surface, shown = settings["surface"], settings["show"]
    assert at.multiselect(key=SHOW).value == list(shown)
    race = charts(at)[0]
    for opt in shown:
        if opt == "lookahead":
            hyper = _lookahead("adam", settings["lookahead.lr"])
        else:
            hyper = {"lr": settings[f"{opt}.lr"]}
            if opt in ("momentum", "nesterov"):
                hyper["momentum"] = 0.9
            elif opt == "newton":
                hyper["damping"] = 0.0
        label = "Lookahead (Adam)" if opt == "lookahead" else NAMES[opt]
        np.testing.assert_allclose(xy(trace(race, label)), _run(opt, hyper, surface).params, err_msg=label)
    assert any(_scene(name).caption in c.value for c in at.caption)


def test_the_saddle_scene_says_escaped_not_diverged(opened):
    at = opened("saddle")
    text = "\n".join(m.value for m in at.markdown)
    for label in ("Gradient descent", "RMSProp", "Adam"):
        assert f"**{label}** :violet-badge[escaped" in text, label
    assert "**Newton** :green-badge[converged]" in text
    assert "diverged" not in text and not at.warning
    # Newton's step (H⁻¹∇L) on x² − y² lands on the saddle point (0, 0) in one step; gradient descent runs off along y
    newton = _run("newton", {"lr": 1.0, "damping": 0.0}, "saddle")
    np.testing.assert_allclose(newton.params[1], [0.0, 0.0], atol=1e-12)
    gd = _run("sgd", {"lr": 0.01}, "saddle")
    (y0, y1) = oc.get_surface("saddle").bounds[1]
    assert not (y0 <= gd.params[-1][1] <= y1) and np.all(np.diff(gd.loss) < 0)


def test_the_default_race_is_the_rosenbrock_scene():
    """The page opens on the scene its caption describes: after 300 steps momentum is closest and gradient
    descent is still far along the valley floor."""
    assert tuple(_scene("rosenbrock").settings["show"]) == ("sgd", "momentum", "rmsprop", "adam", "lookahead")
    final = {n: _run(n, START[n]).loss[-1] for n in ("sgd", "momentum", "rmsprop", "adam", "lookahead")}
    assert min(final, key=final.get) == "momentum" and final["momentum"] < 0.02 and final["sgd"] > 1.0


# --- Classroom mode: links, reset, export ---------------------------------------------------

# the opening scene as the page writes it: the language, the shared controls, then each shown optimizer's knobs
DEFAULT_LINK = {"lang": "en", "surface": "rosenbrock", "x": "-1.2", "y": "1", "steps": "300", "step": "0",
                "show": "sgd,momentum,rmsprop,adam,lookahead", "sgd.lr": "0.002", "momentum.lr": "0.001",
                "momentum.momentum": "0.9", "rmsprop.lr": "0.01", "rmsprop.rho": "0.9", "adam.lr": "0.1",
                "adam.beta1": "0.9", "adam.beta2": "0.999", "lookahead.inner": "adam", "lookahead.lr": "0.1",
                "lookahead.k": "5", "lookahead.alpha": "0.5"}


def test_the_page_writes_every_widget_into_the_link(opened):
    page = opened()
    assert link_of(page) == DEFAULT_LINK
    # and presenter mode, a schedule and a stop condition: in the link only when they are on
    assert len(pagetest.widgets(page)) == len(DEFAULT_LINK) + 3


def test_a_changed_knob_and_step_count_are_written_into_the_link():
    at = open_page(PAGE)
    at.select_slider(key=knob("adam", "beta1")).set_value(0.5).run()
    at.slider(key=STEPS).set_value(100).run()
    assert link_of(at) == {**DEFAULT_LINK, "adam.beta1": "0.5", "steps": "100"}
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")),
                               _run("adam", {"lr": 0.1, "beta1": 0.5, "beta2": 0.999}, steps=100).params, rtol=1e-12)


def test_a_link_with_other_optimizers_and_its_own_adam_step_size_rebuilds_exactly():
    at = open_page(PAGE)
    at.multiselect(key=SHOW).set_value(["newton", "adam", "lookahead"]).run()
    at.select_slider(key=lr("adam")).set_value(0.5)
    at.selectbox(key=knob("lookahead", "inner")).set_value("momentum").run()
    link = link_of(at)
    assert link == {"lang": "en", "surface": "rosenbrock", "x": "-1.2", "y": "1", "steps": "300", "step": "0",
                    "show": "newton,adam,lookahead", "newton.lr": "1", "newton.damping": "0", "adam.lr": "0.5",
                    "adam.beta1": "0.9", "adam.beta2": "0.999", "lookahead.inner": "momentum", "lookahead.lr": "0.001",
                    "lookahead.k": "5", "lookahead.alpha": "0.5"}  # the hidden optimizers' knobs stay out
    fresh = open_link(PAGE, link)
    assert_clean(fresh)
    assert not fresh.info
    assert fresh.multiselect(key=SHOW).value == ["newton", "adam", "lookahead"]
    assert fresh.session_state[lr("lookahead", inner="momentum")] == 1e-3  # Lookahead's step size is its inner's
    assert pagetest.widgets(fresh) == pagetest.widgets(at)
    assert pagetest.chart_json(fresh) == pagetest.chart_json(at)
    race, loss, _, _ = charts(fresh)
    assert [t["name"] for t in loss["data"]] == ["Newton", "Adam", "Lookahead (Momentum)"]
    np.testing.assert_allclose(xy(trace(race, "Adam")), _run("adam", {"lr": 0.5, "beta1": 0.9, "beta2": 0.999}).params,
                               rtol=1e-12)
    np.testing.assert_allclose(xy(trace(race, "Lookahead (Momentum)")),
                               _run("lookahead", _lookahead("momentum", 1e-3)).params, rtol=1e-12)
    # by hand: Newton with t = 1 on Rosenbrock from (−1.2, 1) solves the quadratic model exactly: W₁ = W₀ − H⁻¹∇L
    g, h = np.array([-215.6, -88.0]), np.array([[1330.0, 480.0], [480.0, 200.0]])
    np.testing.assert_allclose(xy(trace(race, "Newton"))[1], [-1.2, 1.0] - np.linalg.solve(h, g), rtol=1e-12)


def test_a_hand_written_link_sets_one_surfaces_step_size_and_leaves_the_others_at_their_own():
    at = open_link(PAGE, {"surface": "beale", "show": "adam", "adam.lr": "0.5"})
    assert_clean(at)
    assert not at.info
    assert at.select_slider(key=lr("adam", "beale")).value == 0.5
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")), _run("adam", {"lr": 0.5}, "beale").params, rtol=1e-12)
    at.selectbox(key=SURFACE).set_value("rosenbrock").run()
    assert at.select_slider(key=lr("adam")).value == 0.1  # Rosenbrock's own demo value
    assert link_of(at)["adam.lr"] == "0.1"
    at.selectbox(key=SURFACE).set_value("beale").run()
    assert at.select_slider(key=lr("adam", "beale")).value == 0.5  # and Beale remembers the link's


def test_an_empty_choice_is_a_link_too():
    at = open_page(PAGE)
    at.multiselect(key=SHOW).set_value([]).run()
    assert link_of(at)["show"] == ""
    fresh = open_link(PAGE, link_of(at))
    assert_clean(fresh)
    assert [i.value for i in fresh.info] == [cmp.empty_text()] and not charts(fresh)


def test_settings_only_this_page_refuses_are_named_and_the_page_opens_at_its_defaults(opened):
    """tests/test_pages.py sends every setting a junk value; these are values that parse but this page refuses:
    a list with one unknown optimizer, an inner optimizer Lookahead cannot wrap, an α above 1, a damping that is
    not one of the choices."""
    page = opened()
    junk = {"show": "sgd,../../x", "lookahead.inner": "newton", "lookahead.alpha": "7", "newton.damping": "1"}
    at = open_link(PAGE, junk)
    assert_clean(at)
    pagetest.assert_link_ignored(at, junk)
    assert pagetest.chart_json(at) == pagetest.chart_json(page)
    assert link_of(at) == DEFAULT_LINK


def test_reset_forgets_the_step_sizes_remembered_per_surface(opened):
    page = opened()
    at = pagetest.apply_scene(open_page(PAGE), _scene("saddle"))
    at.select_slider(key=lr("adam", "saddle")).set_value(0.5)
    at.multiselect(key=SHOW).set_value(["adam"]).run()
    assert at.session_state[key(PAGE, "saved_lr")][lr("adam", "saddle")] == 0.5
    pagetest.click(at, f"_reset_{PAGE}")
    assert_clean(at)
    assert at.session_state[SURFACE] == "rosenbrock"
    assert at.multiselect(key=SHOW).value == list(cmp.DEFAULTS["shown"])
    assert pagetest.chart_json(at) == pagetest.chart_json(page) and link_of(at) == DEFAULT_LINK
    at.selectbox(key=SURFACE).set_value("saddle").run()  # the remembered step size went with the reset
    assert at.select_slider(key=lr("adam", "saddle")).value == 0.01


def test_the_csv_export_parses_back_to_the_engines_trajectories(downloads):
    at = open_page(PAGE)
    at.slider(key=STEPS).set_value(50).run()
    back = export.read_csv(pagetest.download(at, downloads, "_compare_csv"))
    labels = {"sgd": "Gradient descent", "momentum": "Momentum", "rmsprop": "RMSProp", "adam": "Adam",
              "lookahead": "Lookahead (Adam)"}
    assert list(back) == list(labels.values())
    for name, label in labels.items():
        want, got = _run(name, START[name], steps=50), back[label]  # the same single run as the page's
        np.testing.assert_array_equal(got["step"], np.arange(51))
        np.testing.assert_array_equal(np.column_stack([got["x"], got["y"]]), want.params, err_msg=label)
        np.testing.assert_array_equal(got["loss"], want.loss, err_msg=label)
        for field in cmp.EXPORT_FIELDS:  # the state beside it: the row of step c holds the record of update c
            columns = [f"{field}_x", f"{field}_y"]
            cells = np.column_stack([got[c] for c in columns])
            assert np.isnan(cells[0]).all()  # step 0 is the start: no update yet
            if field in want.records:
                np.testing.assert_array_equal(cells[1:], want.records[field], err_msg=f"{label} {field}")
            else:
                assert np.isnan(cells).all(), (label, field)
    # by hand: gradient descent's step size is t = 0.002 for both parameters; momentum's first velocity is
    # −t∇L(−1.2, 1) = −0.001·(−215.6, −88) = (0.2156, 0.088)
    np.testing.assert_array_equal(back["Gradient descent"]["step_size_x"][1:], np.full(50, 2e-3))
    np.testing.assert_allclose([back["Momentum"]["velocity_x"][1], back["Momentum"]["velocity_y"][1]],
                               [0.2156, 0.088], rtol=1e-12)
    html = pagetest.download(at, downloads, "_compare_html")
    assert "<title>compare</title>" in html and "Lookahead (Adam)" in html and '<script src="http' not in html


def test_presenter_mode_link_draws_the_race_with_larger_type():
    at = open_link(PAGE, {"present": "1"})
    assert_clean(at)
    race = charts(at)[0]
    assert race["layout"]["height"] == 600 and race["layout"]["font"]["size"] >= 18  # 1280×720 until reported


# --- Languages --------------------------------------------------------------------------------

@pytest.mark.parametrize("params", [{"scene": "rosenbrock", "sgd.lr": "0.01"}, {"scene": "saddle"}, {"show": ""}])
def test_the_pages_own_states_have_no_text_outside_the_catalogs(params):
    """tests/test_pages.py checks the opening page and the last scene in the pseudo-language, where every catalog
    string is wrapped in ⟦…⟧; here the other scenes, a diverged run (its warning, its row of × and "diverged at
    step" in the table) and the notice when none is picked."""
    at = open_page_in(PAGE, "xx", params)
    assert_clean(at)
    if "sgd.lr" in params:
        assert at.warning
    if params.get("show") == "":
        assert at.info
    assert untranslated(at) == []


# the "rosenbrock" scene races what the page opens with, so its table and legend are the opening page's
@pytest.mark.parametrize("scene", [None, "saddle", "all"])
def test_the_table_and_the_legend_name_the_methods_in_korean(scene):
    at = open_page_in(PAGE, "ko", {"scene": scene} if scene else None)
    assert_clean(at)
    assert hangul_share(at) > 0.5
    text = "\n".join(m.value for m in at.markdown)
    assert "| 옵티마이저 | 상태 | 설정 |" in text
    assert [t["name"] for t in charts(at)[1]["data"]][0] == "경사 하강법"  # the legend names the methods in Korean
