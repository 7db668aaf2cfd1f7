"""The Taylor page's models and figures, checked against hand-derived numbers (no Streamlit)."""

import dataclasses
import json

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui.pages import taylor as tv
from ui.registry import scene_state, widget_key


def tr(fig, name):
    """The first trace called ``name`` as a plain dict of arrays."""
    for t in decode(fig.to_dict())["data"]:
        if t.get("name") == name:
            return t
    raise KeyError(name)


def xy(t):
    return np.column_stack([np.asarray(t["x"], dtype=float), np.asarray(t["y"], dtype=float)])


def pieces(points):
    """Split a NaN-separated polyline into its pieces."""
    gaps = np.flatnonzero(np.isnan(points[:, 0]))
    parts = [p[~np.isnan(p[:, 0])] for p in np.split(points, gaps)]
    return [p for p in parts if len(p)]


# The two local models, written out here as the independent reference for the page's figures and steps.
def bowl(local, w, t):
    """GD's model ``L(W_c) + ∇Lᵀd + ‖d‖²/(2t)``, ``d = W − W_c``, for points of shape (..., 2)."""
    d = np.asarray(w, dtype=float) - local.w_c
    return local.loss + d @ local.grad + np.sum(d * d, axis=-1) / (2 * t)


def quadratic(local, w):
    """Newton's model ``L(W_c) + ∇Lᵀd + ½ dᵀHd``."""
    d = np.asarray(w, dtype=float) - local.w_c
    return local.loss + d @ local.grad + 0.5 * np.einsum("...i,ij,...j->...", d, local.hessian, d)


def quadratic_gradient(local, w):
    """Newton's model's gradient ``∇L + H d``: zero at Newton's point."""
    return local.grad + (np.asarray(w, dtype=float) - local.w_c) @ local.hessian.T


LEVELS = (0.5, 1.0, 1.5)  # the level sets drawn: the one through W_c, and half and one and a half times its radius
POINTS = [("rosenbrock", (-1.2, 1.0)), ("rosenbrock", (0.4, -0.6)), ("elongated_quadratic", (-5.0, 1.5)),
          ("saddle", (1.8, 0.01)), ("beale", (0.5, 2.5)), ("himmelblau", (-0.3, -0.9)),
          ("himmelblau", (1.0, 1.0)), ("least_squares", (-1.6, 1.7))]


@pytest.mark.parametrize(("name", "w_c"), POINTS)
def test_gd_step_is_exactly_the_bowls_minimum(name, w_c):
    s = oc.get_surface(name)
    local = tv.local_model(s, w_c)
    for t in tv.DEFAULTS.t_options[name]:
        step = tv.gd_step(local, t)
        np.testing.assert_allclose(step, np.asarray(w_c) - t * s.grad(w_c), rtol=0, atol=1e-15)
        # completing the square: bowl(W) = bowl(step) + ‖W − step‖²/(2t), so step is the unique minimiser
        rng = np.random.default_rng(0)
        w = step + rng.normal(scale=0.5, size=(50, 2))
        lhs = bowl(local, w, t) - bowl(local, step, t)
        rhs = np.sum((w - step) ** 2, axis=1) / (2 * t)
        scale = max(1.0, abs(local.loss), local.grad_norm ** 2 * t)
        np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-12 * scale)
        # the bowl's gradient, ∇L + (W − W_c)/t, vanishes there
        np.testing.assert_allclose(local.grad + (step - local.w_c) / t, 0.0, atol=1e-12 * max(1, local.grad_norm))
        # and a fine grid around it finds nothing lower
        h = max(t * local.grad_norm, 1e-3)
        gx, gy = np.meshgrid(np.linspace(-h, h, 201), np.linspace(-h, h, 201))
        grid = step + np.stack([gx, gy], axis=-1)
        values = bowl(local, grid, t)
        assert values.min() >= bowl(local, step, t) - 1e-12 * scale
        np.testing.assert_array_equal(np.unravel_index(values.argmin(), values.shape), (100, 100))


@pytest.mark.parametrize(("name", "w_c"), POINTS)
def test_newton_point_is_the_quadratic_models_stationary_point_and_optim_cores_step(name, w_c):
    s = oc.get_surface(name)
    local = tv.local_model(s, w_c)
    grad = quadratic_gradient(local, local.newton)
    np.testing.assert_allclose(grad, 0.0, atol=1e-10 * max(1.0, local.grad_norm))
    one_step = oc.run(oc.make_optimizer("newton"), s, np.asarray(w_c), 1).params[1]
    np.testing.assert_allclose(local.newton, one_step, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(local.hessian, s.hessian(w_c))


def test_hand_derived_rosenbrock_numbers():
    s = oc.get_surface("rosenbrock")
    local = tv.local_model(s, (-1.2, 1.0))
    assert local.loss == pytest.approx(24.2, rel=1e-14)
    np.testing.assert_allclose(local.grad, [-215.6, -88.0], rtol=1e-14)
    np.testing.assert_allclose(local.hessian, [[1330.0, 480.0], [480.0, 200.0]], rtol=1e-14)
    # H⁻¹g = (−880, −13552) / 35600 by Cramer's rule
    np.testing.assert_allclose(local.newton, [-1.2 + 880 / 35600, 1.0 + 13552 / 35600], rtol=1e-14)
    assert local.curvature == "positive definite"


@pytest.mark.parametrize("w_c", [(-5.0, 1.5), (3.0, -2.0), (0.5, 0.02)])
def test_newton_lands_on_the_elongated_bowls_minimum(w_c):
    local = tv.local_model(oc.get_surface("elongated_quadratic"), w_c)
    np.testing.assert_allclose(local.newton, [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(local.eigenvalues, [1.0, 25.0])


@pytest.mark.parametrize("w_c", [(1.8, 0.01), (-1.0, 1.5), (0.3, -0.7)])
def test_on_the_saddle_newton_goes_to_the_saddle_point_of_an_indefinite_model(w_c):
    s = oc.get_surface("saddle")
    local = tv.local_model(s, w_c)
    np.testing.assert_allclose(local.newton, [0.0, 0.0], atol=1e-15)
    assert local.curvature == "indefinite"
    np.testing.assert_allclose(local.eigenvalues, [-2.0, 2.0])
    # the model is exact here (x² − y² is quadratic) and (0, 0) is not a minimum of it
    assert quadratic(local, [0.0, 0.5]) < quadratic(local, [0.0, 0.0])


def test_slice_chart_values_equal_the_hand_derived_ones_on_the_elongated_bowl():
    s = oc.get_surface("elongated_quadratic")
    local = tv.local_model(s, (-5.0, 1.5))  # L = 40.625, ∇L = (−5, 37.5), ‖∇L‖² = 1431.25
    t, options = 0.02, tv.DEFAULTS.t_options["elongated_quadratic"]
    fig = tv.slice_figure(s, local, t, options)
    norm = np.sqrt(1431.25)
    gd = xy(tr(fig, "GD step"))[0]
    np.testing.assert_allclose(gd, [t * norm, 40.625 - t * 1431.25 / 2], rtol=1e-14)  # (0.7566, 26.3125)
    assert gd[1] == pytest.approx(26.3125, rel=1e-14)
    after = xy(tr(fig, "L after step"))[0]  # L(−4.9, 0.75) = ½(24.01 + 25·0.5625)
    np.testing.assert_allclose(after, [t * norm, 19.03625], rtol=1e-14)
    s_axis = np.asarray(tr(fig, "true loss L")["x"], dtype=float)
    np.testing.assert_allclose(np.asarray(tr(fig, "tangent")["y"], dtype=float), 40.625 - norm * s_axis, rtol=1e-13)
    np.testing.assert_allclose(np.asarray(tr(fig, "bowl 1/(2t)")["y"], dtype=float),
                               40.625 - norm * s_axis + s_axis ** 2 / (2 * t), rtol=1e-13)
    # along d = (5, −37.5)/‖∇L‖ the curvature is dᵀHd = (25 + 25·1406.25)/1431.25; the model is the loss itself
    kappa = (25 + 25 * 1406.25) / 1431.25
    newton = np.asarray(tr(fig, "Newton model")["y"], dtype=float)
    np.testing.assert_allclose(newton, 40.625 - norm * s_axis + 0.5 * kappa * s_axis ** 2, rtol=1e-12)
    np.testing.assert_allclose(np.asarray(tr(fig, "true loss L")["y"], dtype=float), newton, rtol=1e-12, atol=1e-12)
    # the slice is wide enough for the longest step of the slider: S = 1.15 · 0.08 · ‖∇L‖
    assert s_axis[-1] == pytest.approx(1.15 * 0.08 * norm)
    assert s_axis[0] == pytest.approx(-0.3 * 1.15 * 0.08 * norm)


def test_the_bowl_tightens_as_t_shrinks():
    s = oc.get_surface("rosenbrock")
    local = tv.local_model(s, s.start)
    options = tv.DEFAULTS.t_options["rosenbrock"]
    gd_s, curv = [], []
    for t in (options[0], options[-1]):
        fig = tv.slice_figure(s, local, t, options)
        bowl = tr(fig, "bowl 1/(2t)")
        x, y = np.asarray(bowl["x"], dtype=float), np.asarray(bowl["y"], dtype=float)
        ds = x[1] - x[0]
        curv.append(np.median(np.diff(y, 2)) / ds ** 2)  # the bowl's curvature is 1/t
        gd_s.append(xy(tr(fig, "GD step"))[0, 0])
        np.testing.assert_allclose(curv[-1], 1 / t, rtol=1e-6)
        # the bowl's bottom on the fine sample grid is never below the GD marker
        assert y.min() >= xy(tr(fig, "GD step"))[0, 1] - 1e-9
    assert curv[0] / curv[1] == pytest.approx(options[-1] / options[0], rel=1e-6)  # 30× steeper at t = 1e-4
    np.testing.assert_allclose(gd_s, np.array([options[0], options[-1]]) * local.grad_norm, rtol=1e-14)


def test_animation_sweeps_t_and_starts_at_the_sliders_value():
    s = oc.get_surface("rosenbrock")
    local = tv.local_model(s, s.start)
    options = tv.DEFAULTS.t_options["rosenbrock"]
    frames_t = tv.t_frames(options)
    assert len(frames_t) == 26  # the 6 values of the slider and 4 frames between each neighbouring pair
    assert np.all(np.diff(frames_t) > 0)
    for opt in options:
        assert np.min(np.abs(frames_t - opt)) <= 1e-15 * opt
    fig = decode(tv.slice_figure(s, local, 1e-3, options).to_dict())
    assert len(fig["frames"]) == len(frames_t)
    # the page's t slider is its scrubber, and the surface chart beside it sweeps: no controls of its own
    assert not fig["layout"].get("sliders") and not fig["layout"].get("updatemenus")
    plane = decode(tv.plane_figure(s, local, 1e-3, options).to_dict())
    yours = plane["layout"]["updatemenus"][0]["buttons"][-1]  # "your t": back to the slider's value
    assert float(yours["args"][0][0]) == pytest.approx(1e-3)
    for k in (0, len(frames_t) - 1):
        frame = fig["frames"][k]
        t = frames_t[k]
        names = [fig["data"][i].get("name") for i in frame["traces"]]
        gd = frame["data"][names.index("GD step")]
        np.testing.assert_allclose([gd["x"][0], gd["y"][0]],
                                   [t * local.grad_norm, local.loss - t * local.grad_norm ** 2 / 2], rtol=1e-13)
        assert all(fig["data"][i]["type"] == "scatter" for i in frame["traces"])
    sweep = plane["layout"]["updatemenus"][0]["buttons"][0]
    assert sweep["args"][1]["frame"]["redraw"] is False
    assert sweep["args"][0] == [f["name"] for f in plane["frames"]] == [f["name"] for f in fig["frames"]]


def test_the_plane_names_each_frames_t_and_the_slice_labels_its_step_with_it():
    """While ▶ sweeps, the picture says which t it shows: the caption keeps the slider's t, the chart its own."""
    s = oc.get_surface("rosenbrock")
    local = tv.local_model(s, s.start)
    options = tv.DEFAULTS.t_options["rosenbrock"]
    plane = decode(tv.plane_figure(s, local, 1e-3, options).to_dict())
    slice_ = decode(tv.slice_figure(s, local, 1e-3, options).to_dict())
    label = next(i for i, d in enumerate(plane["data"]) if d.get("name") == "this frame's t")
    assert plane["data"][label]["text"] == ["<b>t = 0.001</b>"] and plane["data"][label]["mode"] == "text"
    x0, y1 = plane["layout"]["xaxis"]["range"][0], plane["layout"]["yaxis"]["range"][1]
    for k, want in ((0, "0.0001"), (25, "0.003")):  # the sweep's first and last t: the slider's ends
        frame = plane["frames"][k]
        assert float(frame["name"]) == pytest.approx(float(want))
        got = frame["data"][frame["traces"].index(label)]
        assert got["text"] == [f"<b>t = {want}</b>"] and (got["x"][0], got["y"][0]) == (x0, y1)  # top-left corner
        # the GD point of that frame is W_c − t∇L with that same t
        gd = frame["data"][[plane["data"][i].get("name") for i in frame["traces"]].index("GD step")]
        np.testing.assert_allclose([gd["x"][0], gd["y"][0]], s.start - float(want) * s.grad(s.start), rtol=1e-13)
        mark = slice_["frames"][k]["data"][[slice_["data"][i].get("name") for i in slice_["frames"][k]["traces"]]
                                           .index("GD step")]
        assert mark["text"] == [f"t = {want}"]


def test_scenes_set_surface_t_and_start_and_say_the_right_numbers():
    assert [sc.title for sc in tv.SCENES] == ["Small t: a safe step", "Large t: overshoot",
                                              "Newton: one step", "Newton on a saddle"]
    for sc in tv.SCENES:
        name = sc.settings["surface"]
        assert set(sc.settings) == {"surface", "t", "x", "y", "step"}
        assert sc.settings["step"] == 0  # a scene's caption is about its first step
        assert sc.settings["t"] in tv.DEFAULTS.t_options[name]
        state = scene_state(sc)  # t and the start are kept per surface; the start is remembered there too
        assert state[widget_key("taylor", "t", name)] == sc.settings["t"]
        assert state[widget_key("taylor", "start", name)] == (sc.settings["x"], sc.settings["y"])
    r = oc.get_surface("rosenbrock")
    # Rosenbrock at (−1.2, 1): ∇L = (−215.6, −88). t = 0.001 → (−0.9844, 1.088), L = (1 − x)² + 100·(y − x²)²
    small, large = (np.array([-1.2, 1.0]) - t * np.array([-215.6, -88.0]) for t in (1e-3, 3e-3))
    np.testing.assert_allclose(small, [-0.9844, 1.088], rtol=1e-12)
    assert float(r.value(small)) == pytest.approx(1.9844 ** 2 + 100 * (1.088 - 0.9844 ** 2) ** 2, rel=1e-12)
    assert f"{float(r.value(small)):.3g}" == "5.35" and "24.2 to 5.35" in tv.SCENES[0].caption
    assert f"{float(r.value(large)):.3g}" == "94.2" and "94.2 > 24.2" in tv.SCENES[1].caption


def test_plane_figure_bowl_circles_and_newton_levels():
    s = oc.get_surface("elongated_quadratic")
    local = tv.local_model(s, (-5.0, 1.5))
    t = 0.02
    fig = tv.plane_figure(s, local, t, tv.DEFAULTS.t_options["elongated_quadratic"])
    np.testing.assert_allclose(xy(tr(fig, "GD step")), [[-4.9, 0.75]], rtol=1e-14)
    np.testing.assert_allclose(xy(tr(fig, "Newton")), [[0.0, 0.0]], atol=1e-15)
    np.testing.assert_array_equal(xy(tr(fig, "W<sub>c</sub>")), [[-5.0, 1.5]])
    circles = pieces(xy(tr(fig, "bowl 1/(2t)")))
    assert len(circles) == 3
    r = t * local.grad_norm
    for f, c in zip(LEVELS, circles, strict=True):
        np.testing.assert_allclose(np.linalg.norm(c - [-4.9, 0.75], axis=1), f * r, rtol=1e-12)
    # the middle circle is the bowl's level set through W_c: the bowl equals L(W_c) on it
    np.testing.assert_allclose(bowl(local, circles[1], t), 40.625, rtol=1e-12)
    ellipses = pieces(xy(tr(fig, "Newton model")))
    assert len(ellipses) == 3
    q_star = quadratic(local, local.newton)
    for f, e in zip(LEVELS, ellipses, strict=True):
        np.testing.assert_allclose(quadratic(local, e), q_star + f * f * (40.625 - q_star), rtol=1e-12)
    # the view keeps the bowl round: equal scales on both axes
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1


def test_saddle_levels_are_hyperbolas_and_asymptotes():
    s = oc.get_surface("saddle")
    local = tv.local_model(s, (1.8, 0.01))
    curves = pieces(tv.quadratic_level_sets(local, reach=10.0))
    assert len(curves) == 2 + 2 * 3  # two asymptotes, and two branches per level
    for line in curves[:2]:  # the zero-level lines x = ±y through the saddle
        np.testing.assert_allclose(quadratic(local, line), 0.0, atol=1e-12)
        np.testing.assert_allclose(np.abs(line[:, 0]), np.abs(line[:, 1]), atol=1e-12)
    delta = 1.8 ** 2 - 0.01 ** 2  # L(W_c) − L(0, 0)
    for k, f in enumerate(LEVELS):
        for branch in curves[2 + 2 * k: 4 + 2 * k]:
            np.testing.assert_allclose(quadratic(local, branch), f * f * delta, rtol=1e-9)


def test_a_stationary_point_and_a_singular_hessian_do_not_break_the_figures():
    s = oc.get_surface("saddle")
    local = tv.local_model(s, (0.0, 0.0))
    assert local.stationary and local.grad_norm == 0.0
    np.testing.assert_array_equal(tv.gd_step(local, 0.3), [0.0, 0.0])
    np.testing.assert_allclose(np.abs(tv.slice_direction(local)), [0.0, 1.0])  # λ_min = −2 is along y
    for build in (tv.slice_figure, tv.plane_figure):
        fig = build(s, local, 0.2, tv.DEFAULTS.t_options["saddle"])
        spec = json.loads(fig.to_json())
        assert spec["frames"]
    assert tv.bowl_level_sets(local, 0.2).shape == (0, 2)

    r = oc.get_surface("rosenbrock")  # H(0, 0.005) = diag(0, 200): singular
    local = tv.local_model(r, (0.0, 0.005))
    assert local.curvature == "singular" and local.newton is None
    fig = tv.plane_figure(r, local, 1e-3, tv.DEFAULTS.t_options["rosenbrock"])
    names = [t.name for t in fig.data]
    assert "Newton" not in names and "GD step" in names
    tv.slice_figure(r, local, 1e-3, tv.DEFAULTS.t_options["rosenbrock"])


def test_negative_definite_hessian_is_named():
    local = tv.local_model(oc.get_surface("himmelblau"), (-0.3, -0.9))  # next to Himmelblau's local maximum
    assert local.curvature == "negative definite"
    assert quadratic(local, local.newton) > local.loss  # Newton climbs to the model's top


@pytest.mark.parametrize("name", tv.DEFAULTS.surfaces)
def test_defaults_are_consistent_and_figures_small(name):
    assert tv.DEFAULTS.t[name] in tv.DEFAULTS.t_options[name]
    s = oc.get_surface(name)
    local = tv.local_model(s, s.start)
    for build in (tv.slice_figure, tv.plane_figure):
        size = len(build(s, local, tv.DEFAULTS.t[name], tv.DEFAULTS.t_options[name]).to_json())
        assert size < 400_000


def test_defaults_are_read_only():
    with pytest.raises(dataclasses.FrozenInstanceError):
        tv.DEFAULTS.height = 600
    with pytest.raises(TypeError):
        tv.DEFAULTS.t["rosenbrock"] = 1.0
    with pytest.raises(TypeError):
        tv.DEFAULTS.t_options["rosenbrock"] = (1.0,)


def test_sweep_pause_slow_and_your_t_buttons_and_the_hidden_scrubber():
    s = oc.get_surface("elongated_quadratic")
    local = tv.local_model(s, s.start)
    options = (0.005, 0.01, 0.02, 0.04, 0.06, 0.08)
    fig = decode(tv.plane_figure(s, local, 0.04, options).to_dict())
    names = [f["name"] for f in fig["frames"]]
    assert names[0] == "0.005" and names[-1] == "0.08" and len(names) == 26
    menu = fig["layout"]["updatemenus"][0]
    assert menu["type"] == "buttons" and menu["pad"]["t"] == 58 and menu["yanchor"] == "top"
    assert not fig["layout"].get("sliders")  # the surface chart beside the slice: no room for a scrubber
    sweep, pause, slow, yours = menu["buttons"]
    assert [b["label"] for b in menu["buttons"]] == ["▶", "❚❚", "slow", "your t"]
    for button, ms in ((sweep, 140), (slow, 420)):  # every t from the smallest, at 140 ms (slow: 3×) a frame
        assert button["method"] == "animate" and button["args"][0] == names
        assert button["args"][1]["frame"] == {"duration": ms, "redraw": False}
        assert button["args"][1]["fromcurrent"] is False
    assert pause["args"][0] == [None] and pause["args"][1]["frame"]["duration"] == 0
    assert yours["args"][0] == ["0.04"]  # back to the slider's value
    assert yours["args"][1]["frame"] == {"duration": 0, "redraw": False}
    assert float(names[1]) == pytest.approx(0.005 * 2 ** 0.2, rel=1e-6)  # a geometric step
    # short labels: 13 characters in all (the old row had 19 and "your t" was clipped); measured in chromium at
    # 14 px the row is 206 px wide, so it fits a 280 px plot
    assert sum(len(b["label"]) for b in menu["buttons"]) == 13
    slice_ = decode(tv.slice_figure(s, local, 0.04, options).to_dict())  # its scrubber is the page's t slider
    assert not slice_["layout"].get("updatemenus") and not slice_["layout"].get("sliders")
    assert fig["layout"]["margin"]["b"] == 112 and slice_["layout"]["margin"]["b"] == 62


def test_notes_name_what_is_special_at_w_c():
    assert tv.notes(tv.local_model(oc.get_surface("rosenbrock"), (-1.2, 1.0))) == []  # positive definite
    saddle = tv.notes(tv.local_model(oc.get_surface("saddle"), (0.0, 0.0)))
    assert [n.level for n in saddle] == ["info", "info"]
    assert "stationary point" in saddle[0].text
    assert saddle[1].text.startswith(r"H is indefinite ($\lambda_1 = -2,\ \lambda_2 = 2$)")
    singular = tv.notes(tv.local_model(oc.get_surface("rosenbrock"), (0.0, 0.005)))  # H = diag(0, 200)
    assert [n.level for n in singular] == ["warning"]
    assert singular[0].text.startswith(r"The Hessian is singular here ($\lambda_1 = 0,\ \lambda_2 = 200$)")
    top = tv.notes(tv.local_model(oc.get_surface("himmelblau"), (-0.3, -0.9)))
    assert [n.level for n in top] == ["info"]
    assert top[0].text.startswith(r"H is negative definite ($\lambda_1 = -45.35,\ \lambda_2 = -16.65$)")


def test_facts_report_the_loss_before_and_after_both_steps():
    s = oc.get_surface("elongated_quadratic")
    local = tv.local_model(s, (-5.0, 1.5))  # L = 40.625, ‖∇L‖ = √1431.25 = 37.83
    assert tv.facts(s, local, 0.02) == (
        "$L(W_c)$ = 40.62, $\\lVert\\nabla L(W_c)\\rVert$ = 37.83. After the GD step with the slider's t = 0.02: "
        "L = 19.04 (lower). Newton's point (0, 0) has L = 0.")
    # t = 0.08 on curvature 25: y goes 1.5 → 1.5·(1 − 2) = −1.5, x → −4.6: L = ½(21.16 + 25·2.25) = 38.7
    assert "t = 0.08: L = 38.7 (lower)" in tv.facts(s, local, 0.08)
    r = oc.get_surface("rosenbrock")
    assert "(not lower)" in tv.facts(r, tv.local_model(r, (-1.2, 1.0)), 3e-3)
    singular = tv.facts(r, tv.local_model(r, (0.0, 0.005)), 1e-3)
    assert "Newton" not in singular  # no Newton point to report
    saddle = oc.get_surface("saddle")
    assert tv.facts(saddle, tv.local_model(saddle, (1.8, 0.01)), 0.2).endswith(
        "Newton's point (0, 0) has L = 0.")  # the saddle point, inside the plot
    # from the corner (−2, −1) Newton jumps to about (−1.997, 3.988), above the plot's top at y = 3
    far = tv.facts(r, tv.local_model(r, (-2.0, -1.0)), 1e-3)
    assert "Newton's point (-1.997, 3.988) has L = " in far and far.endswith(", outside the plotted region.")


def test_numbers_latex_writes_the_vectors_and_the_hessian():
    local = tv.local_model(oc.get_surface("elongated_quadratic"), (-5.0, 1.5))
    assert tv.tex_vector([-5.0, 1.5]) == r"\begin{pmatrix}-5\\1.5\end{pmatrix}"
    assert tv.numbers_latex(local, 0.02) == [
        r"W_c = \begin{pmatrix}-5\\1.5\end{pmatrix},\ \nabla L(W_c) = \begin{pmatrix}-5\\37.5\end{pmatrix}",
        r"H = \begin{pmatrix}1 & 0\\0 & 25\end{pmatrix},\ \lambda = 1,\ 25",
        r"W_c - t\nabla L = \begin{pmatrix}-4.9\\0.75\end{pmatrix}",
        r"W_c - H^{-1}\nabla L = \begin{pmatrix}0\\0\end{pmatrix}"]
    singular = tv.local_model(oc.get_surface("rosenbrock"), (0.0, 0.005))
    assert tv.numbers_latex(singular, 1e-3)[-1] == r"W_c - H^{-1}\nabla L = \text{undefined}"


# --- step-through ------------------------------------------------------------------------------


def _gd(name, t, start=None, steps=31):
    s = oc.get_surface(name)
    return oc.run(oc.make_optimizer("sgd", lr=t), s, s.start if start is None else np.asarray(start), steps)


def test_last_step_is_the_last_update_the_engine_recorded_in_full():
    assert tv.DEFAULTS.steps == 30
    run = _gd("rosenbrock", 1e-3)
    assert tv.last_step(run) == 30
    np.testing.assert_array_equal(tv.next_point(run, 30), run.params[31])
    # Himmelblau with t = 0.05 blows up at step 8: θ₈ is off the map and rows 8… repeat θ₇;
    # ∇L row 7 repeats row 6 (the gradient at θ₇ is not recorded), so the steps stop at 6
    s = oc.get_surface("himmelblau")
    run = _gd("himmelblau", 0.05)
    assert int(run.diverged_at) == 8 and tv.last_step(run) == 6
    for n in range(7):
        np.testing.assert_array_equal(run.grads[n], s.grad(run.params[n]))
    assert not np.allclose(run.grads[7], s.grad(run.params[7]))
    np.testing.assert_array_equal(tv.next_point(run, 6), run.params[7])
    assert tv.next_point(run, 7) is None
    # Beale's corner: the first step already leaves; step 0 still has its W_c and ∇L, but no next point
    beale = _gd("beale", 1e-3, (4.5, 4.5))
    assert int(beale.diverged_at) == 1 and tv.last_step(beale) == 0 and tv.next_point(beale, 0) is None
    np.testing.assert_array_equal(beale.grads[0], oc.get_surface("beale").grad(np.array([4.5, 4.5])))
    assert tv.last_step(run, steps=4) == 4


def test_step_table_writes_the_runs_numbers_and_marks_the_update():
    run = _gd("elongated_quadratic", 0.02)
    # L = ½(x² + 25y²) from (−5, 1.5): ∇L = (−5, 37.5), θ₁ = (−5 + 0.1, 1.5 − 0.75) = (−4.9, 0.75),
    # L(θ₀) = ½(25 + 56.25) = 40.625, L(θ₁) = ½(24.01 + 14.0625) = 19.03625
    assert tv.step_table(run, 0.02, 0) == (
        r"\small\begin{array}{cl|rr}& \text{gradient descent, step } c = 0 & W_1 & W_2 \\ \hline" "\n"
        r" & W_c = \theta_{0} & -5 & 1.5 \\" "\n"
        r" & \nabla L(W_c) & -5 & 37.5 \\" "\n"
        r"\blacktriangleright & \colorbox{#FFE08A}{$\displaystyle W_{c+1} = W_c - 0.02\,\nabla L(W_c)$}"
        r" & -4.9 & 0.75 \\" "\n"
        r" & L(W_c) = 40.62 &  &  \\" "\n"
        r" & L(W_{c+1}) = 19.04 &  &  \\\end{array}")
    # step 1: ∇L(−4.9, 0.75) = (−4.9, 18.75), θ₂ = (−4.802, 0.375)
    one = tv.step_table(run, 0.02, 1)
    assert r"& W_c = \theta_{1} & -4.9 & 0.75 \\" in one and r"& \nabla L(W_c) & -4.9 & 18.75 \\" in one
    assert r"\nabla L(W_c)$} & -4.802 & 0.375 \\" in one
    beale = _gd("beale", 1e-3, (4.5, 4.5))
    left = tv.step_table(beale, 1e-3, 0)
    assert r"\text{(leaves the plot)}$}" in left and "L(W_{c+1})" not in left


def test_nice_scale_picks_1_2_5_steps():
    assert tv.nice_scale(1.0, 1.0) == 1.0
    assert tv.nice_scale(1.0, 7.0) == 5.0 and tv.nice_scale(1.0, 19.9) == 10.0 and tv.nice_scale(1.0, 20.0) == 20.0
    assert tv.nice_scale(232.9, 0.36) == pytest.approx(1e-3)  # 0.36/232.9 = 1.55e-3
    assert tv.nice_scale(1.0, 0.3) == pytest.approx(0.2)
    assert tv.nice_scale(0.0, 1.0) == 1.0 and tv.nice_scale(np.inf, 1.0) == 1.0
    assert tv.gradient_name(1.0) == "∇L" and tv.gradient_name(1e-3) == "∇L (×0.001)"


def test_plane_figure_draws_the_path_the_gradient_and_the_step_as_arrows():
    s = oc.get_surface("rosenbrock")
    run = _gd("rosenbrock", 1e-3)
    options = tv.DEFAULTS.t_options["rosenbrock"]
    local = tv.local_model(s, run.params[2])
    fig = decode(tv.plane_figure(s, local, 1e-3, options, path=run.params[:3]).to_dict())
    names = [d.get("name") for d in fig["data"]]
    np.testing.assert_array_equal(xy(fig["data"][names.index("GD path")]), run.params[:3])
    scale = tv.gradient_scale(s, local, options)
    xr, _ = tv.plane_window(s, local, 3e-3)
    assert scale * local.grad_norm <= 0.45 * (xr[1] - xr[0]) / 2 < 2.5 * scale * local.grad_norm
    grad = xy(fig["data"][names.index(tv.gradient_name(scale))])
    np.testing.assert_array_equal(grad[0], run.params[2])
    np.testing.assert_allclose(grad[1] - grad[0], scale * run.grads[2], rtol=1e-12)
    assert fig["data"][names.index(tv.gradient_name(scale))]["line"]["dash"] == "dash"
    index = names.index("step −t∇L")
    step = xy(fig["data"][index])
    np.testing.assert_array_equal(step, run.params[2:4])  # from W_c to the next iterate, the GD point
    np.testing.assert_array_equal(xy(fig["data"][names.index("GD step")])[0], run.params[3])
    assert fig["data"][index]["marker"]["symbol"] == ["circle", "arrow"]
    for frame in (fig["frames"][0], fig["frames"][-1]):  # the step arrow moves with the t sweep
        ft = float(frame["name"])
        moved = xy(frame["data"][frame["traces"].index(index)])
        np.testing.assert_allclose(moved, [run.params[2], run.params[2] - ft * run.grads[2]], rtol=1e-13)
    # no path: the figure of the opening page, with the gradient arrow; a stationary point has none
    plain = [d.get("name") for d in decode(tv.plane_figure(s, local, 1e-3, options).to_dict())["data"]]
    assert "GD path" not in plain and tv.gradient_name(scale) in plain
    saddle = oc.get_surface("saddle")
    flat = [d.get("name") for d in decode(tv.plane_figure(saddle, tv.local_model(saddle, (0.0, 0.0)), 0.2,
                                                          tv.DEFAULTS.t_options["saddle"]).to_dict())["data"]]
    assert not any(str(n).startswith("∇L") for n in flat)
    # the legend names what only this view draws; the bowl and Newton's model are named beside it, in the slice's
    shown = [d["name"] for d in fig["data"] if d.get("showlegend", True) and d.get("name")]
    assert shown == ["GD path", tv.gradient_name(scale), "step −t∇L"]
    assert "entrywidth" not in fig["layout"]["legend"]  # entries flow and wrap as wide as their names
    # presenter mode's height
    assert tv.plane_figure(s, local, 1e-3, options, height=400).to_dict()["layout"]["height"] == 400
    assert tv.slice_figure(s, local, 1e-3, options, height=400).to_dict()["layout"]["height"] == 400


def test_the_view_follows_an_iterate_that_left_the_map():
    s = oc.get_surface("saddle")  # bounds x, y in [−2, 2]
    run = _gd("saddle", 0.2, (1.8, 0.01))
    w = run.params[20]  # y = 0.01 · 1.4²⁰ = 8.4: off the plot
    assert w[1] > 2
    xr, yr = tv.plane_window(s, tv.local_model(s, w), 0.8)
    assert xr[0] < w[0] < xr[1] and yr[0] < w[1] < yr[1]
    np.testing.assert_allclose([sum(xr) / 2, sum(yr) / 2], w)
    # inside the map the window still slides to stay on it (unchanged behaviour)
    xr, yr = tv.plane_window(s, tv.local_model(s, (1.8, 0.01)), 0.05)
    assert xr[1] <= 2 + 1e-12


def test_run_note_says_where_the_steps_stop():
    s = oc.get_surface("saddle")
    assert tv.run_note(_gd("rosenbrock", 1e-3), oc.get_surface("rosenbrock"), 1e-3) is None
    escape = tv.run_note(_gd("saddle", 0.2, (1.8, 0.01)), s, 0.2)
    assert escape.level == "caption" and escape.text == (
        "Gradient descent escapes: at step 25 it is far off the map, the loss still falling (there is no minimum "
        "that way). The steps stop at 23, the last update before it.")
    blow = tv.run_note(_gd("least_squares", 0.5), oc.get_surface("least_squares"), 0.5)
    assert blow.level == "warning" and blow.text.startswith("Gradient descent with t = 0.5 diverged at step 6")


def test_step_caption_names_the_iterate_and_the_arrows():
    s = oc.get_surface("rosenbrock")
    local = tv.local_model(s, s.start)
    assert tv.step_caption(0, 30, 1e-3, local) == (
        "Step 0 of 30: $W_c = \\theta_{0}$, the start. On the right the dashed arrow is $\\nabla L(W_c)$ (drawn "
        "0.001× its length), uphill; the solid one is the step $-t\\nabla L$, true length, to the bowl's bottom: "
        "the next iterate. Press Next (or →) to take it.")
    assert tv.step_caption(30, 30, 1.0, local).endswith("(true length), uphill; the solid one is the step "
                                                        "$-t\\nabla L$, true length, to the bowl's bottom: "
                                                        "the next iterate. This is the last step.")
    assert "the iterate after 1 update." in tv.step_caption(1, 30, 1.0, local)
    saddle = oc.get_surface("saddle")
    assert tv.step_caption(3, 30, 1.0, tv.local_model(saddle, (0.0, 0.0))).endswith("gradient descent stays put.")
