"""The Momentum page's figure builders, called directly (no Streamlit)."""

import json

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui import momentum as um
from ui.theme import color

QUAD = oc.get_surface("elongated_quadratic")  # half-widths (6, 3): arrow room = 0.25 · 3 = 0.75


def _runs(lr=0.05, mu=0.6, steps=40, surface=QUAD):
    return {m: oc.run(oc.make_optimizer(m, **um.hyper(m, lr, mu)), surface, surface.start, steps)
            for m in um.METHODS}


def _plain(fig) -> dict:
    """The figure as Streamlit sends it (JSON, base64 arrays decoded)."""
    return decode(json.loads(fig.to_json()))


def _frame_trace(fig: dict, frame_name: str, trace_index: int) -> dict:
    frame = next(f for f in fig["frames"] if f["name"] == frame_name)
    return frame["data"][list(frame["traces"]).index(trace_index)]


def test_hyper_gives_gd_only_the_step_size():
    assert um.hyper("sgd", 0.1, 0.9) == {"lr": 0.1}
    assert um.hyper("nesterov", 0.1, 0.9) == {"lr": 0.1, "momentum": 0.9}


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


def test_arrow_name_states_the_magnification():
    assert um.arrow_name(1.0) == "velocity v"
    assert um.arrow_name(5.0) == "velocity v (drawn ×5)"


def test_trajectory_figure_paths_and_arrow_frames():
    runs = _runs()
    velocity = runs["momentum"].records["velocity"]
    fig = _plain(um.trajectory_figure(QUAD, {m: r.params for m, r in runs.items()}, velocity, start=QUAD.start))
    names = [t.get("name") for t in fig["data"]]
    for m, label in [("sgd", "Gradient descent"), ("momentum", "Momentum"), ("nesterov", "Nesterov")]:
        t = fig["data"][names.index(label)]
        np.testing.assert_allclose(np.column_stack([t["x"], t["y"]]), runs[m].params)
        assert t["line"]["color"] == color(m)
    arrow = names.index("velocity v")  # largest |v| = 0.05·|∇L(start)| ≈ 1.9 > 0.75: true length
    assert len(fig["frames"]) == 41  # 40 steps + the start, under the 60-frame cap
    p = runs["momentum"].params
    for k in (1, 7, 40):
        a = _frame_trace(fig, str(k), arrow)
        np.testing.assert_allclose([a["x"][0], a["y"][0]], p[k])
        np.testing.assert_allclose([a["x"][1] - a["x"][0], a["y"][1] - a["y"][0]], velocity[k - 1])
        np.testing.assert_allclose(p[k], p[k - 1] + velocity[k - 1])  # v_k is the step that led to W_k
    assert list(_frame_trace(fig, "0", arrow)["x"]) == []


def test_trajectory_figure_magnifies_short_arrows():
    rosen = oc.get_surface("rosenbrock")  # half-widths (2, 2): room 0.5
    runs = _runs(lr=1e-4, mu=0.5, steps=30, surface=rosen)
    velocity = runs["momentum"].records["velocity"]
    scale = um.arrow_scale(velocity, rosen)
    assert scale > 1 and scale * np.linalg.norm(velocity, axis=-1).max() <= 0.5
    fig = _plain(um.trajectory_figure(rosen, {m: r.params for m, r in runs.items()}, velocity))
    names = [t.get("name") for t in fig["data"]]
    arrow = names.index(f"velocity v (drawn ×{scale:g})")
    a = _frame_trace(fig, "20", arrow)
    np.testing.assert_allclose([a["x"][1], a["y"][1]], runs["momentum"].params[20] + scale * velocity[19])


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
