"""The Adam page's builders, called directly: numbers in the LaTeX table and in the figure dicts."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui import adam as ua
from ui.paths import MAX_FRAMES

HYPER = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


def _run(name="adam", surface="elongated_quadratic", steps=5, **extra):
    s = oc.get_surface(surface)
    traj = oc.run(oc.make_optimizer(name, **HYPER, **extra), s, s.start, steps)
    return {"params": traj.params, "grads": traj.grads, "records": traj.records, "diverged_at": traj.diverged_at}


def test_tex_number_keeps_four_significant_digits_and_writes_powers_of_ten():
    assert ua.tex_number(-215.6) == "-215.6"
    assert ua.tex_number(46480.0) == r"4.648\times10^{4}"
    assert ua.tex_number(3.16227766e-5) == r"3.162\times10^{-5}"
    assert ua.tex_number(1e-8) == "10^{-8}"
    assert ua.tex_number(0.1 + 0.2) == "0.3"
    assert ua.tex_number(0.0) == "0"
    assert ua.tex_number(float("nan")) == r"\text{NaN}"
    assert ua.tex_number(-np.inf) == r"-\infty"
    assert ua.option_label(0.0) == "0" and ua.option_label(1e-8) == "1e-08" and ua.option_label(0.05) == "0.05"


def test_step_numbers_read_the_records_of_the_chosen_step():
    run = _run(steps=5)
    first = ua.step_numbers(run, 1)
    np.testing.assert_array_equal(first["m_prev"], [0.0, 0.0])  # m_0 = v_0 = 0
    np.testing.assert_array_equal(first["v_prev"], [0.0, 0.0])
    np.testing.assert_array_equal(first["g"], [-5.0, 37.5])  # ∇(x²/2 + 25y²/2) at the start (-5, 1.5)
    np.testing.assert_array_equal(first["theta_prev"], [-5.0, 1.5])
    third = ua.step_numbers(run, 3)
    np.testing.assert_array_equal(third["m_prev"], run["records"]["m"][1])
    np.testing.assert_array_equal(third["v_hat"], run["records"]["v_hat"][2])
    np.testing.assert_array_equal(third["update"], run["params"][3] - run["params"][2])
    with pytest.raises(ValueError, match="step must be in"):
        ua.step_numbers(run, 6)
    adamax = ua.step_numbers(_run("adamax"), 2)
    assert {"u", "u_prev", "m_hat", "step_size"} <= set(adamax) and "v" not in adamax


def test_first_adam_step_in_the_table_matches_the_hand_computation():
    # g₁ = (−5, 37.5): m₁ = 0.1 g₁, v₁ = 0.001 g₁², m̂₁ = g₁, v̂₁ = g₁², Δθ = −α g/|g| = (0.05, −0.05)
    tex = ua.algorithm_latex("adam", ua.step_numbers(_run(), 1), 1, HYPER)
    assert r"g_t = \nabla L(\theta_{t-1}) & -5 & 37.5 \\" in tex
    assert r"m_t = 0.9\,m_{t-1} + 0.1\,g_t & -0.5 & 3.75 \\" in tex
    assert r"v_t = 0.999\,v_{t-1} + 0.001\,g_t^2 & 0.025 & 1.406 \\" in tex
    assert r"\hat m_t = m_t / 0.1 & -5 & 37.5 \\" in tex
    assert r"\hat v_t = v_t / 0.001 & 25 & 1406 \\" in tex
    assert r"+ 10^{-8}} & 0.05 & -0.05 \\" in tex
    assert r"\theta_t = \theta_{t-1} + \Delta\theta_t & -4.95 & 1.45 \\" in tex
    off = ua.algorithm_latex("adam_nobc", ua.step_numbers(_run(bias_correction=False), 1), 1, HYPER)
    assert r"\hat m_t = m_t\ \text{(off)} & -0.5 & 3.75 \\" in off
    # without correction: 0.05 · 0.1/√0.001 = 0.1581 per coordinate
    assert r"+ 10^{-8}} & 0.1581 & -0.1581 \\" in off
    amax = ua.algorithm_latex("adamax", ua.step_numbers(_run("adamax"), 1), 1, HYPER)
    assert r"u_t = \max(0.999\,u_{t-1},\ |g_t| + 10^{-8}) & 5 & 37.5 \\" in amax
    assert r"\dfrac{\hat m_t}{u_t} & 0.05 & -0.05 \\" in amax


def test_uncorrected_factor_and_the_bias_text_quote_the_numbers():
    assert ua.uncorrected_factor(0.9, 0.999, 1) == pytest.approx(0.1 / np.sqrt(0.001))  # 3.162
    f = ua.uncorrected_factor(0.9, 0.999, np.arange(1, 1001))
    assert int(np.argmax(f)) + 1 == 12 and f.max() == pytest.approx((1 - 0.9**12) / np.sqrt(1 - 0.999**12))
    text = ua.bias_text(0.9, 0.999)
    assert r"3.16\,\alpha" in text and r"6.57\,\alpha" in text and "step 12" in text
    assert "grows to" not in ua.bias_text(0.9, 0.0)  # no growth when v needs no warm-up


def test_scale_text_names_direction_and_gaps():
    assert "other than 1" in ua.scale_text(1.0, 0.0, 0.0)
    big = ua.scale_text(100.0, 5.9e-10, 21.4)
    assert "100 times larger" in big and "**5.9e-10**" in big and "**21.4**" in big
    assert "100 times smaller" in ua.scale_text(0.01, 1e-8, 0.5)


def test_family_figure_animates_three_paths_and_rings_the_inspected_step():
    s = oc.get_surface("rosenbrock")
    paths = {v: np.column_stack([np.linspace(-1.2, k, 301), np.linspace(1, k, 301)])
             for k, v in enumerate(ua.VARIANTS)}
    fig = decode(ua.family_figure(s, paths, s.start, ("adamax", 40)).to_dict())
    by_name = {t.get("name"): t for t in fig["data"] if t.get("mode") == "lines" and "name" in t}
    for v, p in paths.items():
        np.testing.assert_allclose(np.column_stack([by_name[ua.VARIANT_LABELS[v]]["x"],
                                                    by_name[ua.VARIANT_LABELS[v]]["y"]]), p)
    ring = next(t for t in fig["data"] if t.get("name") == "θ_t")
    assert (ring["x"][0], ring["y"][0]) == tuple(paths["adamax"][40])
    assert by_name["Adam, no correction"]["line"]["dash"] == "dot"
    hidden = {t["name"]: t.get("showlegend", True) for t in fig["data"] if t.get("name") in ("minimum", "start")}
    assert hidden == {"minimum": False, "start": False}
    assert len(fig["frames"]) == MAX_FRAMES and len(fig["frames"][0]["traces"]) == 6  # tail + marker × 3


def test_first_steps_figure_plots_step_lengths_in_units_of_alpha():
    with_bc = np.array([[0.0, 0.0], [0.05, -0.1], [0.1, -0.1], [0.1, -0.1]])
    without = np.array([[0.0, 0.0], [0.15, 0.15], [0.15, 0.3], [0.2, 0.3]])
    fig = decode(ua.first_steps_figure(with_bc, without, 0.05, n=2).to_dict())
    y = {t["name"]: np.asarray(t["y"]) for t in fig["data"]}
    np.testing.assert_allclose(y["W₁, corrected"], [1.0, 1.0])
    np.testing.assert_allclose(y["W₂, corrected"], [2.0, 0.0])
    np.testing.assert_allclose(y["W₁, no correction"], [3.0, 0.0])
    np.testing.assert_allclose(y["W₂, no correction"], [3.0, 3.0])
    np.testing.assert_array_equal(fig["data"][0]["x"], [1, 2])
    assert fig["layout"]["shapes"][0]["y0"] == 1.0  # the reference line at one α
    assert fig["layout"]["xaxis"]["range"] == [0.5, 2.5] and fig["data"][0]["mode"] == "lines+markers"


def test_scale_figure_draws_four_static_paths():
    s = oc.get_surface("rosenbrock")
    runs = {(n, c): np.full((11, 2), k, dtype=float)
            for k, (n, c) in enumerate([("sgd", 1.0), ("sgd", 100.0), ("adam", 1.0), ("adam", 100.0)])}
    fig = decode(ua.scale_figure(s, runs, s.start).to_dict())
    names = [t.get("name") for t in fig["data"]]
    assert names[2:] == ["Gradient descent ×1", "Gradient descent ×100", "Adam ×1", "Adam ×100"]
    assert fig["data"][5]["line"]["dash"] == "dash" and fig["data"][4]["line"].get("dash") is None
    np.testing.assert_array_equal(fig["data"][5]["x"], np.full(11, 3.0))
    assert "updatemenus" not in fig["layout"] and "sliders" not in fig["layout"]  # nothing to play
    assert all(not f["traces"] for f in fig.get("frames", []))
