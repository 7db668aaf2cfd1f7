"""The Momentum page's figure builders and text, called directly (no Streamlit)."""

import dataclasses
import json

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui.figures.theme import color
from ui.pages import momentum as um
from ui.registry import scene_state, widget_key

QUAD = oc.get_surface("elongated_quadratic")  # half-widths (6, 3): arrow room = 0.25 · 3 = 0.75
LABELS = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov"}


def _runs(lr=0.05, mu=0.6, steps=40, surface=QUAD):
    """The three methods built straight from optim_core."""
    opts = {"sgd": oc.make_optimizer("sgd", lr=lr), "momentum": oc.make_optimizer("momentum", lr=lr, momentum=mu),
            "nesterov": oc.make_optimizer("nesterov", lr=lr, momentum=mu)}
    return {m: oc.run(opt, surface, surface.start, steps) for m, opt in opts.items()}


def _plain(fig) -> dict:
    """The figure as Streamlit sends it (JSON, base64 arrays decoded)."""
    return decode(json.loads(fig.to_json()))


def _frame_trace(fig: dict, frame_name: str, trace_index: int) -> dict:
    frame = next(f for f in fig["frames"] if f["name"] == frame_name)
    return frame["data"][list(frame["traces"]).index(trace_index)]


def test_hyper_gives_gd_only_the_step_size():
    assert um.hyper("sgd", 0.1, 0.9) == {"lr": 0.1}
    assert um.hyper("momentum", 0.1, 0.9) == {"lr": 0.1, "momentum": 0.9}
    assert um.hyper("nesterov", 0.1, 0.9) == {"lr": 0.1, "momentum": 0.9}


def test_defaults_are_read_only_and_consistent():
    with pytest.raises(dataclasses.FrozenInstanceError):
        um.DEFAULTS.mu = 0.9
    with pytest.raises(TypeError):
        um.DEFAULTS.lr["rosenbrock"] = 1.0
    with pytest.raises(TypeError):
        um.DEFAULTS.steps["rosenbrock"] = 10
    assert um.DEFAULTS.surface in um.DEFAULTS.surfaces
    for name in um.DEFAULTS.surfaces:
        assert um.DEFAULTS.lr[name] in um.DEFAULTS.lr_options
        assert 10 <= um.DEFAULTS.steps[name] <= um.DEFAULTS.steps_high and um.DEFAULTS.steps[name] % 10 == 0
        assert oc.get_surface(name).value(oc.get_surface(name).minima).min() >= 0  # the log loss axis needs L ≥ 0


@pytest.mark.parametrize("longest, expected", [(2.0, 1.0), (0.75, 1.0), (0.3, 2.0), (0.1, 5.0), (0.01, 50.0),
                                               (1e-4, 5000.0), (0.0, 1.0)])
def test_arrow_scale_is_the_largest_nice_factor_that_fits(longest, expected):
    velocity = np.array([[0.0, 0.0], [0.6 * longest, 0.8 * longest], [0.1 * longest, 0.0]])
    assert um.arrow_scale(velocity, QUAD) == expected
    if expected > 1:
        assert expected * longest <= 0.75 + 1e-12


def test_velocity_at_draws_from_the_marker_along_the_scaled_velocity():
    points = np.array([[0.0, 0.0], [1.0, 2.0], [3.0, 3.0]])
    velocity = np.array([[1.0, 2.0], [2.0, 1.0]])
    assert um.velocity_at(points, velocity, 2.0, 2) == {"x": [3.0, 7.0], "y": [3.0, 5.0]}
    assert um.velocity_at(points, velocity, 1.0, 1) == {"x": [1.0, 2.0], "y": [2.0, 4.0]}
    assert um.velocity_at(points, velocity, 1.0, 0) == {"x": [], "y": []}  # v₀ = 0: no arrow yet
    assert um.velocity_at(points, velocity, 1.0, 9) == {"x": [3.0, 5.0], "y": [3.0, 4.0]}  # past the end: the last


def test_arrow_name_states_the_magnification():
    assert um.arrow_name(1.0) == "velocity v"
    assert um.arrow_name(5.0) == "velocity v (drawn ×5)"


def test_trajectory_figure_paths_and_arrow_frames():
    runs = _runs()
    velocity = runs["momentum"].records["velocity"]
    drawn = um.trajectory_figure(QUAD, runs, start=QUAD.start)
    assert drawn.scale == 1.0  # largest |v| ≥ 0.05·|∇L(start)| ≈ 1.9 > 0.75: true length
    fig = _plain(drawn.figure)
    names = [t.get("name") for t in fig["data"]]
    for m, name in LABELS.items():
        t = fig["data"][names.index(name)]
        np.testing.assert_allclose(np.column_stack([t["x"], t["y"]]), runs[m].params)
        assert t["line"]["color"] == color(m)
    arrow = names.index("velocity v")
    style = fig["data"][arrow]
    assert style["line"]["color"] == style["marker"]["color"] == color("momentum")  # the orange marker's colour
    assert style["marker"]["symbol"] == ["circle", "arrow"] and style["marker"]["angleref"] == "previous"
    assert len(fig["frames"]) == 41  # 40 steps + the start, under the 60-frame cap
    p = runs["momentum"].params
    for k in (1, 7, 40):
        a = _frame_trace(fig, str(k), arrow)
        np.testing.assert_allclose([a["x"][0], a["y"][0]], p[k])
        np.testing.assert_allclose([a["x"][1] - a["x"][0], a["y"][1] - a["y"][0]], velocity[k - 1])
        np.testing.assert_allclose(p[k], p[k - 1] + velocity[k - 1])  # v_k is the step that led to W_k
    assert list(_frame_trace(fig, "0", arrow)["x"]) == []


def test_first_velocity_by_hand():
    # v₁ = −t∇L(W₀) with ∇L = (x, 25y) at (−5, 1.5): −0.05·(−5, 37.5) = (0.25, −1.875)
    runs = _runs(steps=3)
    fig = _plain(um.trajectory_figure(QUAD, runs).figure)
    arrow = [t.get("name") for t in fig["data"]].index("velocity v")
    a = _frame_trace(fig, "1", arrow)
    np.testing.assert_allclose([a["x"][0], a["y"][0]], [-4.75, -0.375], rtol=1e-14)
    np.testing.assert_allclose([a["x"][1], a["y"][1]], [-4.5, -2.25], rtol=1e-14)


def test_trajectory_figure_magnifies_short_arrows():
    rosen = oc.get_surface("rosenbrock")  # half-widths (2, 2): room 0.5
    runs = _runs(lr=1e-4, mu=0.5, steps=30, surface=rosen)
    velocity = runs["momentum"].records["velocity"]
    drawn = um.trajectory_figure(rosen, runs)
    longest = np.linalg.norm(velocity, axis=-1).max()
    assert drawn.scale > 1 and drawn.scale * longest <= 0.5
    mantissa = drawn.scale / 10 ** np.floor(np.log10(drawn.scale))
    assert round(mantissa, 9) in (1, 2, 5)
    bigger = {1: 2, 2: 5, 5: 10}[round(mantissa)] / mantissa * drawn.scale
    assert bigger * longest > 0.5  # the next nice factor would not fit
    fig = _plain(drawn.figure)
    names = [t.get("name") for t in fig["data"]]
    arrow = names.index(f"velocity v (drawn ×{drawn.scale:g})")
    a = _frame_trace(fig, "20", arrow)
    np.testing.assert_allclose([a["x"][1], a["y"][1]], runs["momentum"].params[20] + drawn.scale * velocity[19])


def test_loss_figure_has_one_log_line_per_method():
    losses = {"sgd": np.array([4.0, 2.0, 1.0]), "momentum": np.array([4.0, 1.0, 0.0]),
              "nesterov": np.array([4.0, 0.5, 0.25])}
    fig = _plain(um.loss_figure(losses))
    assert fig["layout"]["yaxis"]["type"] == "log"
    by_name = {t["name"]: t for t in fig["data"]}
    np.testing.assert_allclose(by_name["Gradient descent"]["y"], [4, 2, 1])
    np.testing.assert_allclose(by_name["Nesterov"]["y"], [4, 0.5, 0.25])
    np.testing.assert_allclose(by_name["Momentum"]["y"], [4, 1, np.nan])  # log axis: 0 becomes a gap
    assert by_name["Momentum"]["line"]["color"] == color("momentum")


def test_captions_and_text_carry_the_numbers():
    assert "(**10×** at μ = 0.9)" in um.why_text(0.9)  # 1/(1 − 0.9)
    assert "(**2.5×** at μ = 0.6)" in um.why_text(0.6)
    assert "(**1×** at μ = 0)" in um.why_text(0.0)
    losses = {"sgd": np.array([4.0, 2.0, 1.23456]), "momentum": np.array([4.0, 1.0, 0.001]),
              "nesterov": np.array([4.0, 0.5, 2e-9])}
    assert um.loss_caption(losses) == "Loss after 2 steps: Gradient descent 1.23 · Momentum 0.001 · Nesterov 2e-09"


def test_scenes_set_every_widget_of_the_picture_to_a_value_it_offers():
    assert [s.name for s in um.SCENES] == ["zigzag", "overshoot", "plain"]
    for scene in um.SCENES:
        assert set(scene.settings) == {"surface", "mu", "lr", "steps", "x", "y"}
        assert scene.settings["surface"] == "elongated_quadratic"
        assert scene.settings["lr"] in um.DEFAULTS.lr_options
        assert 0 <= scene.settings["mu"] <= 0.99
        state = scene_state(scene)  # step size, steps and start are kept per surface
        bowl = "elongated_quadratic"
        assert state[widget_key("momentum", "lr", bowl)] == scene.settings["lr"]
        assert state[widget_key("momentum", "steps", bowl)] == scene.settings["steps"]
        assert state[widget_key("momentum", "start", bowl)] == (-5.0, 1.5)


def test_nesterov_is_stable_at_the_defaults_but_not_with_a_larger_mu():
    # Nesterov across the bowl (λ = 25): y_{c+1} = (1+μ)(1−25t) y_c − μ(1−25t) y_{c−1}; stable iff 25t < 2(1+μ)/(1+2μ)
    t = um.DEFAULTS.lr["elongated_quadratic"]
    a = 1 - 25 * t
    for mu, stable in ((um.DEFAULTS.mu, True), (0.2, False)):
        radius = max(abs(np.roots([1.0, -(1 + mu) * a, mu * a])))
        assert (radius < 1) == stable
        assert (25 * t < 2 * (1 + mu) / (1 + 2 * mu)) == stable
    runs = _runs(lr=t, mu=um.DEFAULTS.mu, steps=50)
    assert all(runs[m].loss[-1] < 0.01 for m in um.METHODS)
