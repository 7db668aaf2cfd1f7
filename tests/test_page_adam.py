"""The Adam page under AppTest: its numbers are optim_core's and satisfy Algorithm 1."""

import re

import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy

# The page opens at these (the paper's β's and ε; α = 0.05 so the path shows on a 4 × 4 plot).
HYPER = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
STEPS = 300
WIDGET_DEFAULTS = {"adam_lr": 0.05, "adam_beta1": 0.9, "adam_beta2": 0.999, "adam_eps": 1e-8,
                   "adam_gd_lr": 1e-4, "adam_loss_scale": 10.0}
ROSEN = oc.get_surface("rosenbrock")


def _traj(name="adam", surface=ROSEN, steps=STEPS, **hyper):
    return oc.run(oc.make_optimizer(name, **{**(HYPER if name != "sgd" else {}), **hyper}), surface,
                  ROSEN.start if surface.name == "rosenbrock" else surface.start, steps)


def _number(cell: str) -> float:
    cell = cell.strip()
    if m := re.fullmatch(r"(-?[\d.]+)\\times10\^\{(-?\d+)\}", cell):
        return float(m[1]) * 10.0 ** int(m[2])
    if m := re.fullmatch(r"10\^\{(-?\d+)\}", cell):
        return 10.0 ** int(m[1])
    return float(cell)


def _tables(at) -> list[str]:
    """The live Algorithm 1 tables: one narrow array per parameter (W₁ then W₂), so a phone needs no scrolling."""
    tex = [x.value for x in at.latex if r"\begin{array}{l|r}" in x.value]
    assert len(tex) == 2 and not any(r"\begin{array}{l|rr}" in x.value for x in at.latex)
    assert [t.split(r"\\")[0].split("&")[1].strip() for t in tex] == ["W_1", "W_2"]
    return tex


def _table(at) -> dict[str, np.ndarray]:
    """Row symbol (left of '=') -> displayed (W₁, W₂), read from the two tables."""
    rows: dict[str, list[float]] = {}
    for tex in _tables(at):
        body = tex.split(r"\begin{array}{l|r}")[1].split(r"\end{array}")[0]
        for row in body.split(r"\\")[1:]:  # the first row is the header
            cells = row.replace(r"\hline", "").split("&")
            if len(cells) == 2:
                rows.setdefault(cells[0].split("=")[0].strip(), []).append(_number(cells[1]))
    return {name: np.array(values) for name, values in rows.items()}


def _close(displayed, exact, terms=None):
    """Equal up to 4 significant digits of display; ``terms`` sets the scale for sums."""
    scale = np.abs(exact) if terms is None else sum(np.abs(t) for t in terms)
    np.testing.assert_array_less(np.abs(displayed - exact), 1e-3 * scale + 1e-12)


def test_defaults_draw_optim_core_paths_within_the_json_budgets():
    at = open_page("adam")
    assert_clean(at)
    assert {key: at.select_slider(key=key).value for key in WIDGET_DEFAULTS} == WIDGET_DEFAULTS
    assert at.slider(key="adam_steps").value == STEPS and at.slider(key="adam_step").value == 1
    assert at.radio(key="adam_inspect").value == "adam"
    assert at.selectbox(key="adam_surface").value == "rosenbrock"
    top, first, scale = charts(at)
    np.testing.assert_allclose(xy(trace(top, "Adam")), _traj().params, rtol=1e-12)
    np.testing.assert_allclose(xy(trace(top, "Adam, no correction")), _traj(bias_correction=False).params,
                               rtol=1e-12)
    np.testing.assert_allclose(xy(trace(top, "AdaMax")), _traj("adamax").params, rtol=1e-12)
    assert len(top["frames"]) == 60 and "updatemenus" in top["layout"]
    np.testing.assert_allclose(xy(trace(top, "θ_t")), _traj().params[[1]], rtol=1e-12)  # step 1 ringed
    sizes = chart_bytes(at)
    assert max(sizes) < 1_000_000 and sum(sizes) < 2_000_000
    assert any(r"\hat m_t = m_t/(1-\beta_1^t)" in x.value for x in at.latex)  # the general rule is shown
    assert not at.warning  # the page opens without a warning: every run is still converging
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert "**Adam** :blue-badge[still converging]" in badges[0] and badges[0].count("still converging") == 3
    assert badges[1].count("still converging") == 4  # GD and Adam on the loss × 1 and × 10


# 1 − 0.9ᵗ and 1 − 0.999ᵗ to four digits, worked out by hand
DIVISORS = {1: ("0.1", "0.001"), 7: ("0.5217", "0.006979"), 150: ("1", "0.1394")}


@pytest.mark.parametrize("t", [1, 7, 150])
def test_adam_table_is_the_run_records_and_satisfies_algorithm_1(t):
    at = open_page("adam")
    at.slider(key="adam_step").set_value(t).run()
    assert_clean(at)
    rows = _table(at)
    tex = _tables(at)[1]
    assert rf"\hat m_t = m_t / {DIVISORS[t][0]} &" in tex and rf"\hat v_t = v_t / {DIVISORS[t][1]} &" in tex
    traj, i = _traj(), t - 1
    rec = traj.records
    _close(rows[r"\theta_{t-1}"], traj.params[i])
    _close(rows[r"\theta_t"], traj.params[t])
    _close(rows["g_t"], traj.grads[i])
    for sym, key in (("m_t", "m"), ("v_t", "v"), (r"\hat m_t", "m_hat"), (r"\hat v_t", "v_hat")):
        _close(rows[sym], rec[key][i])
    _close(rows[r"\Delta\theta_t"], -rec["step_size"][i] * rec["m_hat"][i])
    b1, b2, lr, eps = HYPER["beta1"], HYPER["beta2"], HYPER["lr"], HYPER["eps"]
    m_prev, v_prev, g = rows["m_{t-1}"], rows["v_{t-1}"], rows["g_t"]
    # Algorithm 1, line by line, from the displayed numbers alone
    _close(rows["m_t"], b1 * m_prev + (1 - b1) * g, terms=(b1 * m_prev, (1 - b1) * g))
    _close(rows["v_t"], b2 * v_prev + (1 - b2) * g**2, terms=(b2 * v_prev, (1 - b2) * g**2))
    _close(rows[r"\hat m_t"], rows["m_t"] / (1 - b1**t))
    _close(rows[r"\hat v_t"], rows["v_t"] / (1 - b2**t))
    _close(rows[r"\Delta\theta_t"], -lr * rows[r"\hat m_t"] / (np.sqrt(rows[r"\hat v_t"]) + eps))
    _close(rows[r"\theta_t"], rows[r"\theta_{t-1}"] + rows[r"\Delta\theta_t"],
           terms=(rows[r"\theta_{t-1}"], rows[r"\Delta\theta_t"]))
    if t > 1:
        _close(rows["m_{t-1}"], rec["m"][i - 1])
    else:
        np.testing.assert_array_equal(m_prev, [0.0, 0.0])


def test_without_correction_the_first_step_is_3_16_alpha_and_with_it_alpha():
    at = open_page("adam")
    _, first, _ = charts(at)
    ratio = 3.16227766  # (1 − 0.9) / √(1 − 0.999)
    for w in ("W₁", "W₂"):
        y_on, y_off = trace(first, f"{w}, corrected")["y"], trace(first, f"{w}, no correction")["y"]
        assert len(y_on) == 20
        assert y_on[0] == pytest.approx(1.0, rel=1e-6)
        assert y_off[0] == pytest.approx(ratio, rel=1e-6)
        np.testing.assert_allclose(y_off, np.abs(np.diff(_traj(bias_correction=False).params[:21], axis=0))[
            :, 0 if w == "W₁" else 1] / HYPER["lr"], rtol=1e-10)
    assert any("3.16" in m.value and "m_0 = v_0 = 0" in m.value for m in at.markdown)
    at.radio(key="adam_inspect").set_value("adam_nobc").run()
    assert_clean(at)
    rows = _table(at)
    _close(rows[r"\hat m_t"], rows["m_t"])  # no correction: m̂ = m
    _close(np.abs(rows[r"\Delta\theta_t"]), np.full(2, ratio * HYPER["lr"]))  # 0.1581 per coordinate


def test_adamax_table_and_path_are_optim_core_s():
    at = open_page("adam")
    at.radio(key="adam_inspect").set_value("adamax").run()
    at.slider(key="adam_step").set_value(25).run()
    assert_clean(at)
    rows, traj, i = _table(at), _traj("adamax"), 24
    _close(rows["u_t"], traj.records["u"][i])
    _close(rows[r"\hat m_t"], traj.records["m_hat"][i])
    b1, b2, lr, eps = HYPER["beta1"], HYPER["beta2"], HYPER["lr"], HYPER["eps"]
    _close(rows["u_t"], np.maximum(b2 * rows["u_{t-1}"], np.abs(rows["g_t"]) + eps))
    _close(rows[r"\hat m_t"], rows["m_t"] / (1 - b1**25))
    assert any(r"\hat m_t = m_t / 0.9282 &" in x.value for x in at.latex)  # 1 − 0.9²⁵
    _close(rows[r"\Delta\theta_t"], -lr * rows[r"\hat m_t"] / rows["u_t"])
    np.testing.assert_allclose(xy(trace(charts(at)[0], "θ_t")), traj.params[[25]], rtol=1e-12)


def test_loss_scale_leaves_adam_in_place_and_moves_gradient_descent():
    at = open_page("adam")  # default c = 10, GD's t = 1e-4
    scale = charts(at)[2]
    adam1, adam10 = xy(trace(scale, "Adam ×1")), xy(trace(scale, "Adam ×10"))
    gd1, gd10 = xy(trace(scale, "Gradient descent ×1")), xy(trace(scale, "Gradient descent ×10"))
    np.testing.assert_allclose(adam1, _traj().params, rtol=1e-12)
    np.testing.assert_allclose(adam10, oc.run(oc.make_optimizer("adam", **HYPER), ROSEN.scaled(10), ROSEN.start,
                                              STEPS).params, rtol=1e-12)
    np.testing.assert_allclose(adam10, adam1, atol=1e-6)  # only ε feels the scale
    np.testing.assert_allclose(gd1, _traj("sgd", lr=1e-4).params, rtol=1e-12)
    np.testing.assert_allclose(gd10, _traj("sgd", lr=1e-3).params, rtol=1e-9)  # t·∇(10 L) = (10 t)·∇L
    assert np.abs(gd10 - gd1).max() > 0.4 and not at.warning
    at.select_slider(key="adam_loss_scale").set_value(100.0).run()  # t = 1e-4 on 100 L: like t = 0.01, too large
    assert_clean(at)
    assert np.isfinite(xy(trace(charts(at)[2], "Gradient descent ×100"))).all()
    assert [w.value for w in at.warning] == [
        "Gradient descent (loss × 100) diverged at step 3: try a smaller step size. The chart shows the path up "
        "to the last finite point."]
    at.select_slider(key="adam_loss_scale").set_value(0.01).run()
    assert_clean(at)
    scale = charts(at)[2]
    np.testing.assert_allclose(xy(trace(scale, "Adam ×0.01")), adam1, atol=1e-6)
    gd_small = xy(trace(scale, "Gradient descent ×0.01"))
    assert np.abs(gd_small - gd1).max() > 0.1  # 100× smaller steps: GD barely leaves the start
    assert np.abs(gd_small[-1] - ROSEN.start).max() < 0.1
    assert not at.warning
    at.select_slider(key="adam_loss_scale").set_value(1.0).run()
    assert_clean(at)
    assert [t["name"] for t in charts(at)[2]["data"] if t.get("mode") == "lines"] == [
        "Gradient descent ×1", "Adam ×1"]


def test_a_huge_step_size_diverges_with_a_warning_and_a_finite_path():
    at = open_page("adam")
    at.select_slider(key="adam_lr").set_value(10.0).run()
    assert_clean(at)
    notes = [w.value for w in at.warning]
    assert any(n.startswith("Adam diverged at step 7") for n in notes)
    assert any(n.startswith("Adam, no correction diverged at step 2") for n in notes)
    top = charts(at)[0]
    path = xy(trace(top, "Adam"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, _traj(lr=10.0).params, rtol=1e-12)
    at.slider(key="adam_step").set_value(STEPS).run()  # beyond the blow-up: frozen numbers, said so
    assert_clean(at)
    assert any("blew up at step 7" in c.value for c in at.caption)


def test_every_widget_at_its_extremes():
    at = open_page("adam")
    base = xy(trace(charts(at)[0], "Adam"))
    for key, values in (("adam_lr", (1e-4, 10.0)), ("adam_beta1", (0.0, 0.99)), ("adam_beta2", (0.0, 0.9999)),
                        ("adam_eps", (0.0, 1.0)), ("adam_gd_lr", (1e-5, 1e-2)),
                        ("adam_loss_scale", (0.01, 0.1, 1.0, 10.0, 100.0))):
        for v in values:
            at.select_slider(key=key).set_value(v).run()
            assert_clean(at)
            if key not in ("adam_gd_lr", "adam_loss_scale"):  # these only touch the lower picture
                moved = np.abs(xy(trace(charts(at)[0], "Adam")) - base).max()
                assert moved > (0.0 if v == 0.0 and key == "adam_eps" else 1e-3), (key, v, moved)
        at.select_slider(key=key).set_value(WIDGET_DEFAULTS[key]).run()
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")), base)
    for variant in ("adam", "adam_nobc", "adamax"):
        at.radio(key="adam_inspect").set_value(variant).run()
        for t in (1, STEPS):
            at.slider(key="adam_step").set_value(t).run()
            assert_clean(at)
    for steps, inspected in ((10, 10), (1000, 10)):  # step t = 300 is clamped to 10, then kept
        at.slider(key="adam_steps").set_value(steps).run()
        assert_clean(at)
        assert len(xy(trace(charts(at)[0], "Adam"))) == steps + 1
        assert at.slider(key="adam_step").value == inspected and at.slider(key="adam_step").max == steps
        assert max(chart_bytes(at)) < 1_000_000 and sum(chart_bytes(at)) < 2_000_000
    at.slider(key="adam_steps").set_value(STEPS).run()
    for name in oc.SURFACE_NAMES:
        at.selectbox(key="adam_surface").set_value(name).run()
        assert_clean(at)
        s = oc.get_surface(name)
        np.testing.assert_allclose(xy(trace(charts(at)[0], "AdaMax")), _traj("adamax", surface=s).params,
                                   rtol=1e-12)
        if name in ("rosenbrock", "saddle"):  # the start picker is shared; two corners each are enough here
            (x0, x1), (y0, y1) = s.bounds
            for key, v in ((f"adam_start_x_{name}", x0), (f"adam_start_y_{name}", y0),
                           (f"adam_start_x_{name}", x1), (f"adam_start_y_{name}", y1)):
                at.slider(key=key).set_value(float(v)).run()
                assert_clean(at)
            np.testing.assert_allclose(xy(trace(charts(at)[0], "start")), [[x1, y1]])


def test_eps_zero_on_a_zero_gradient_is_explained_not_a_crash():
    at = open_page("adam")
    at.selectbox(key="adam_surface").set_value("saddle").run()
    at.slider(key="adam_start_x_saddle").set_value(0.0).run()
    at.slider(key="adam_start_y_saddle").set_value(0.0).run()  # ∇L(0, 0) = 0 exactly
    at.select_slider(key="adam_eps").set_value(0.0).run()
    assert_clean(at)
    assert any(w.value.startswith("Adam diverged at step 1") and "0/0" in w.value for w in at.warning)
    np.testing.assert_array_equal(xy(trace(charts(at)[0], "Adam")), np.zeros((STEPS + 1, 2)))
    at.select_slider(key="adam_eps").set_value(1e-8).run()
    assert_clean(at)
    assert not at.warning  # with ε > 0 the zero gradient gives a zero step: the saddle point stays put


@pytest.mark.parametrize("name", ["bias_off", "saddle", "beta1_zero"])
def test_every_scene_runs_and_makes_its_point(name):
    at = open_page("adam")
    at.button(key=f"adam_scene_{name}").click().run()
    assert_clean(at)
    assert not at.warning
    badges = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
    assert "diverged" not in badges and "diverged" not in " ".join(c.value for c in at.caption)
    top = charts(at)[0]
    if name == "bias_off":
        assert at.radio(key="adam_inspect").value == "adam_nobc" and at.slider(key="adam_step").value == 1
        rows = _table(at)
        # step 1 without correction: m₁ = 0.1 g₁, v₁ = 0.001 g₁², Δθ = −α·0.1 g/(√0.001 |g|) = ∓0.1581
        _close(rows["m_t"], 0.1 * rows["g_t"])
        _close(rows["v_t"], 0.001 * rows["g_t"] ** 2)
        _close(rows[r"\Delta\theta_t"], -0.05 * 0.1 / np.sqrt(0.001) * np.sign(rows["g_t"]))
        assert any("3.16 α instead of α" in c.value for c in at.caption)
    if name == "saddle":
        saddle = oc.get_surface("saddle")
        assert at.selectbox(key="adam_surface").value == "saddle"
        adam = oc.run(oc.make_optimizer("adam", **HYPER), saddle, np.array([1.8, 0.01]), STEPS)
        np.testing.assert_allclose(xy(trace(top, "Adam")), adam.params, rtol=1e-12)
        # x² − y² has no bottom: Adam runs off the map along y while its loss keeps falling
        assert abs(adam.params[-1, 1]) > 2.0 and adam.loss[-1] < -4.0
        assert (np.diff(adam.loss[-50:]) < 0).all()
        assert "**Adam** :violet-badge[escaped" in badges
        top_badges, scale_badges = [m.value for m in at.markdown if "-badge[" in m.value]
        assert top_badges.count("escaped (the loss keeps falling off the map)") == 3  # all three top runs
        assert scale_badges.count("escaped") == 2 and scale_badges.count("still converging") == 2  # GD: slow
    if name == "beta1_zero":
        assert at.select_slider(key="adam_beta1").value == 0.0
        rows = _table(at)  # step 2: with β₁ = 0, m_t = g_t and m̂_t = m_t / 1
        np.testing.assert_array_equal(rows["m_t"], rows["g_t"])
        np.testing.assert_array_equal(rows[r"\hat m_t"], rows["g_t"])
        assert any(r"\hat m_t = m_t / 1 &" in x.value for x in at.latex)
        rms_like = oc.run(oc.make_optimizer("adam", **{**HYPER, "beta1": 0.0}), ROSEN, ROSEN.start, STEPS)
        np.testing.assert_allclose(xy(trace(top, "Adam")), rms_like.params, rtol=1e-12)
