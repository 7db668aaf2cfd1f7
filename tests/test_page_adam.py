"""The Adam page under AppTest: its numbers are optim_core's and satisfy Algorithm 1."""

import re

import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, click, key, latex_text, open_page, trace, xy
from ui import registry
from ui.figures.algorithm import tex_number

# The page opens at these (the paper's β's and ε; α = 0.05 so the path shows on a 4 × 4 plot).
HYPER = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
STEPS = 300
# the select sliders by link name (c: the loss scale; gd_lr: gradient descent's step size beside Adam; noise: σ of the
# gradient noise, 0 so the page opens on the exact gradient)
SELECTS = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "gd_lr": 1e-4, "c": 10.0, "noise": 0.0}
SURFACE, STEPS_KEY, STEP, VARIANT = (key("adam", name) for name in ("surface", "steps", "step", "variant"))
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


NARROW = r"\begin{array}{cl|r}"  # marker column, line, one parameter's value
MARKED = re.compile(r"\\colorbox\{[^}]*\}\{\$\\displaystyle (.*)\$\}")


def _tables(at) -> list[str]:
    """The live Algorithm 1 tables: one narrow array per parameter (W₁ then W₂), so a phone needs no scrolling."""
    tex = [x.value for x in at.latex if NARROW in x.value]
    assert len(tex) == 2 and not any(r"\begin{array}{cl|rr}" in x.value for x in at.latex)
    assert [t.split(r"\\")[0].split("&")[-1].strip() for t in tex] == ["W_1", "W_2"]
    return tex


def _rows(at) -> list[tuple[bool, str, list[str]]]:
    """(marked as being executed, line, displayed cells (W₁, W₂)) per row of the two tables."""
    lines: dict[str, tuple[bool, list[str]]] = {}
    for tex in _tables(at):
        body = tex.split(NARROW)[1].split(r"\end{array}")[0]
        for row in body.split(r"\\")[1:]:  # the first row is the header
            cells = row.replace(r"\hline", "").split("&")
            if len(cells) == 3:
                line = cells[1].strip()
                inner = MARKED.fullmatch(line)
                marked, line = bool(cells[0].strip()), inner[1] if inner else line
                assert marked == bool(inner), row  # the ▶ and the box go together
                was, values = lines.setdefault(line, (marked, []))
                assert was == marked
                values.append(cells[2].strip())
    return [(marked, line, values) for line, (marked, values) in lines.items()]


def _cells(at) -> dict[str, list[str]]:
    """Row symbol (left of '=') -> displayed (W₁, W₂) text."""
    return {line.split("=")[0].strip(): values for _, line, values in _rows(at)}


def _table(at) -> dict[str, np.ndarray]:
    """Row symbol (left of '=') -> displayed (W₁, W₂), read from the two tables."""
    return {name: np.array([_number(v) for v in values]) for name, values in _cells(at).items()}


def _marked(at) -> list[str]:
    """The lines marked as being executed."""
    return [line for marked, line, _ in _rows(at) if marked]


def _close(displayed, exact, terms=None):
    """Equal up to 4 significant digits of display; ``terms`` sets the scale for sums."""
    scale = np.abs(exact) if terms is None else sum(np.abs(t) for t in terms)
    np.testing.assert_array_less(np.abs(displayed - exact), 1e-3 * scale + 1e-12)


@pytest.fixture(scope="module")
def page():
    """The page as it opens, shared by the checks that only read it."""
    return open_page("adam")


def test_defaults_draw_optim_core_paths_within_the_json_budgets(page):
    at = page
    assert_clean(at)
    assert {name: at.select_slider(key=key("adam", name)).value for name in SELECTS} == SELECTS
    assert at.slider(key=STEPS_KEY).value == STEPS and at.slider(key=STEP).value == 1
    assert at.slider(key=STEP).min == 0 and at.slider(key=STEP).max == STEPS
    assert at.radio(key=VARIANT).value == "adam"
    assert at.selectbox(key=SURFACE).value == "rosenbrock"
    top, first, scale = charts(at)
    np.testing.assert_allclose(xy(trace(top, "Adam")), _traj().params, rtol=1e-12)
    np.testing.assert_allclose(xy(trace(top, "Adam, no correction")), _traj(bias_correction=False).params,
                               rtol=1e-12)
    np.testing.assert_allclose(xy(trace(top, "AdaMax")), _traj("adamax").params, rtol=1e-12)
    # the page's step slider is the scrubber: no Plotly slider to disagree with it
    # the page's step row plays it (ui.widgets.player) and its step slider is the scrubber
    assert len(top["frames"]) == 60 and "updatemenus" not in top["layout"] and "sliders" not in top["layout"]
    assert [f["name"] for f in top["frames"]][:30] == [str(k) for k in range(30)]  # early steps one by one
    np.testing.assert_allclose(xy(trace(top, "θ_t")), _traj().params[[1]], rtol=1e-12)  # step 1 ringed
    assert _marked(at) == [r"\theta_t = \theta_{t-1} + \Delta\theta_t"]
    sizes = pagetest.chart_bytes(at)
    assert max(sizes) < 1_000_000 and sum(sizes) < 2_000_000
    assert any(r"\hat m_t = m_t/(1-\beta_1^t)" in x.value for x in at.latex)  # the general rule is shown
    assert not at.warning  # the page opens without a warning: every run is still converging
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert "**Adam** :blue-badge[still converging]" in badges[0] and badges[0].count("still converging") == 3
    assert badges[1].count("still converging") == 4  # GD and Adam on the loss × 1 and × 10


# 1 − 0.9ᵗ and 1 − 0.999ᵗ to four digits, worked out by hand
DIVISORS = {1: ("0.1", "0.001"), 7: ("0.5217", "0.006979"), 150: ("1", "0.1394")}


def test_adam_table_is_the_run_records_and_satisfies_algorithm_1():
    at = open_page("adam")  # one session, three steps
    traj = _traj()
    rec = traj.records
    b1, b2, lr, eps = HYPER["beta1"], HYPER["beta2"], HYPER["lr"], HYPER["eps"]
    for t, (m_divisor, v_divisor) in DIVISORS.items():
        at.slider(key=STEP).set_value(t).run()
        assert_clean(at)
        rows = _table(at)
        tex = _tables(at)[1]
        assert rf"\hat m_t = m_t / {m_divisor} &" in tex and rf"\hat v_t = v_t / {v_divisor} &" in tex
        i = t - 1
        _close(rows[r"\theta_{t-1}"], traj.params[i])
        _close(rows[r"\theta_t"], traj.params[t])
        _close(rows["g_t"], traj.grads[i])
        for sym, name in (("m_t", "m"), ("v_t", "v"), (r"\hat m_t", "m_hat"), (r"\hat v_t", "v_hat")):
            _close(rows[sym], rec[name][i])
        _close(rows[r"\Delta\theta_t"], -rec["step_size"][i] * rec["m_hat"][i])
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
    at.radio(key=VARIANT).set_value("adam_nobc").run()
    assert_clean(at)
    rows = _table(at)
    _close(rows[r"\hat m_t"], rows["m_t"])  # no correction: m̂ = m
    _close(np.abs(rows[r"\Delta\theta_t"]), np.full(2, ratio * HYPER["lr"]))  # 0.1581 per coordinate


def test_adamax_table_and_path_are_optim_core_s():
    at = open_page("adam")
    at.radio(key=VARIANT).set_value("adamax").run()
    at.slider(key=STEP).set_value(25).run()
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
    c = key("adam", "c")
    at.select_slider(key=c).set_value(100.0).run()  # t = 1e-4 on 100 L: like t = 0.01, too large
    assert_clean(at)
    assert np.isfinite(xy(trace(charts(at)[2], "Gradient descent ×100"))).all()
    assert [w.value for w in at.warning] == [
        "Gradient descent (loss × 100) diverged at step 3: try a smaller step size. The chart shows the path up "
        "to the last finite point."]
    at.select_slider(key=c).set_value(0.01).run()
    assert_clean(at)
    scale = charts(at)[2]
    np.testing.assert_allclose(xy(trace(scale, "Adam ×0.01")), adam1, atol=1e-6)
    gd_small = xy(trace(scale, "Gradient descent ×0.01"))
    assert np.abs(gd_small - gd1).max() > 0.1  # 100× smaller steps: GD barely leaves the start
    assert np.abs(gd_small[-1] - ROSEN.start).max() < 0.1
    assert not at.warning
    at.select_slider(key=c).set_value(1.0).run()
    assert_clean(at)
    assert [t["name"] for t in charts(at)[2]["data"] if t.get("mode") == "lines"] == [
        "Gradient descent ×1", "Adam ×1"]


def test_a_huge_step_size_diverges_with_a_warning_and_a_finite_path():
    at = open_page("adam")
    at.select_slider(key=key("adam", "lr")).set_value(10.0).run()
    assert_clean(at)
    notes = [w.value for w in at.warning]
    assert any(n.startswith("Adam diverged at step 7") for n in notes)
    assert any(n.startswith("Adam, no correction diverged at step 2") for n in notes)
    top = charts(at)[0]
    path = xy(trace(top, "Adam"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, _traj(lr=10.0).params, rtol=1e-12)
    at.slider(key=STEP).set_value(STEPS).run()  # beyond the blow-up: frozen numbers, said so
    assert_clean(at)
    assert any("blew up at step 7" in c.value for c in at.caption)
    click(at, "_adam_next")  # never past the last step
    assert at.session_state[STEP] == STEPS


def test_every_widget_at_its_extremes():
    at = open_page("adam")
    base = xy(trace(charts(at)[0], "Adam"))
    for name, values in (("lr", (1e-4, 10.0)), ("beta1", (0.0, 0.99)), ("beta2", (0.0, 0.9999)),
                         ("eps", (0.0, 1.0)), ("gd_lr", (1e-5, 1e-2)), ("c", (0.01, 0.1, 1.0, 10.0, 100.0)),
                         ("noise", (0.1, 100.0))):
        for v in values:
            at.select_slider(key=key("adam", name)).set_value(v).run()
            assert_clean(at)
            if name not in ("gd_lr", "c"):  # these only touch the lower picture
                moved = np.abs(xy(trace(charts(at)[0], "Adam")) - base).max()
                assert moved > (0.0 if v == 0.0 and name == "eps" else 1e-3), (name, v, moved)
        at.select_slider(key=key("adam", name)).set_value(SELECTS[name]).run()
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")), base)
    for variant in ("adam", "adam_nobc", "adamax"):
        at.radio(key=VARIANT).set_value(variant).run()
        for t in (0, 1, STEPS):
            at.slider(key=STEP).set_value(t).run()
            assert_clean(at)
    for steps, inspected in ((10, 10), (1000, 10)):  # step t = 300 is clamped to 10, then kept
        at.slider(key=STEPS_KEY).set_value(steps).run()
        assert_clean(at)
        assert len(xy(trace(charts(at)[0], "Adam"))) == steps + 1
        assert at.slider(key=STEP).value == inspected and at.slider(key=STEP).max == steps
        assert max(pagetest.chart_bytes(at)) < 1_000_000 and sum(pagetest.chart_bytes(at)) < 2_000_000
    at.slider(key=STEPS_KEY).set_value(STEPS).run()
    for name in oc.SURFACE_NAMES:
        at.selectbox(key=SURFACE).set_value(name).run()
        assert_clean(at)
        s = oc.get_surface(name)
        np.testing.assert_allclose(xy(trace(charts(at)[0], "AdaMax")), _traj("adamax", surface=s).params,
                                   rtol=1e-12)
        if name in ("rosenbrock", "saddle"):  # the start picker is shared; two corners each are enough here
            (x0, x1), (y0, y1) = s.bounds
            for axis, v in (("x", x0), ("y", y0), ("x", x1), ("y", y1)):
                at.slider(key=key("adam", axis, name)).set_value(float(v)).run()
                assert_clean(at)
            np.testing.assert_allclose(xy(trace(charts(at)[0], "start")), [[x1, y1]])


def test_eps_zero_on_a_zero_gradient_is_explained_not_a_crash():
    at = open_page("adam")
    at.selectbox(key=SURFACE).set_value("saddle").run()
    at.slider(key=key("adam", "x", "saddle")).set_value(0.0).run()
    at.slider(key=key("adam", "y", "saddle")).set_value(0.0).run()  # ∇L(0, 0) = 0 exactly
    at.select_slider(key=key("adam", "eps")).set_value(0.0).run()
    assert_clean(at)
    assert any(w.value.startswith("Adam diverged at step 1") and "0/0" in w.value for w in at.warning)
    np.testing.assert_array_equal(xy(trace(charts(at)[0], "Adam")), np.zeros((STEPS + 1, 2)))
    at.select_slider(key=key("adam", "eps")).set_value(1e-8).run()
    assert_clean(at)
    assert not at.warning  # with ε > 0 the zero gradient gives a zero step: the saddle point stays put


def test_every_scene_runs_and_makes_its_point():
    at = open_page("adam")  # one session: each scene sets every widget of the page
    assert [s.name for s in registry.page("adam").scenes] == ["bias_off", "saddle", "beta1_zero", "noisy"]
    for name in ("bias_off", "saddle", "beta1_zero", "noisy", "bias_off"):  # the last: a scene takes the noise away
        pagetest.pick_scene(at, "adam", name)
        assert_clean(at)
        assert not at.warning
        badges = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
        assert "diverged" not in badges and "diverged" not in " ".join(c.value for c in at.caption)
        top = charts(at)[0]
        assert (at.select_slider(key=NOISE).value, at.slider(key=SEED).value) == ((3.0, 0) if name == "noisy" else
                                                                                  (0.0, 0))
        if name == "bias_off":
            assert at.radio(key=VARIANT).value == "adam_nobc" and at.slider(key=STEP).value == 1
            rows = _table(at)
            # step 1 without correction: m₁ = 0.1 g₁, v₁ = 0.001 g₁², Δθ = −α·0.1 g/(√0.001 |g|) = ∓0.1581
            _close(rows["m_t"], 0.1 * rows["g_t"])
            _close(rows["v_t"], 0.001 * rows["g_t"] ** 2)
            _close(rows[r"\Delta\theta_t"], -0.05 * 0.1 / np.sqrt(0.001) * np.sign(rows["g_t"]))
            assert any("3.16 α instead of α" in c.value for c in at.caption)
        if name == "saddle":
            saddle = oc.get_surface("saddle")
            assert at.selectbox(key=SURFACE).value == "saddle"
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
            assert at.select_slider(key=key("adam", "beta1")).value == 0.0
            rows = _table(at)  # step 2: with β₁ = 0, m_t = g_t and m̂_t = m_t / 1
            np.testing.assert_array_equal(rows["m_t"], rows["g_t"])
            np.testing.assert_array_equal(rows[r"\hat m_t"], rows["g_t"])
            assert any(r"\hat m_t = m_t / 1 &" in x.value for x in at.latex)
            rms_like = oc.run(oc.make_optimizer("adam", **{**HYPER, "beta1": 0.0}), ROSEN, ROSEN.start, STEPS)
            np.testing.assert_allclose(xy(trace(top, "Adam")), rms_like.params, rtol=1e-12)
        if name == "noisy":
            _the_noisy_scene(at, badges)


BOWL = oc.get_surface("elongated_quadratic")
NOISE, SEED = key("adam", "noise"), key("adam", "seed")


def _noisy_traj(name="adam", surface=ROSEN, start=ROSEN.start, sigma=3.0, seed=0, steps=STEPS, **hyper):
    return oc.run(oc.make_optimizer(name, **{**HYPER, **hyper}), surface, start, steps, noise=sigma, seed=seed)


def _the_noisy_scene(at, badges: str) -> None:
    """The elongated bowl with σ = 3, seed 0, step 250: the three paths are optim_core's noisy runs; Adam's steps
    stay within α and shrink to 0.11 α where the gradient is mostly noise; the table's g_t is the noisy gradient."""
    assert at.selectbox(key=SURFACE).value == "elongated_quadratic" and at.slider(key=STEP).value == 250
    top = charts(at)[0]
    for name, run in (("Adam", _noisy_traj(surface=BOWL, start=BOWL.start)),
                      ("Adam, no correction", _noisy_traj(surface=BOWL, start=BOWL.start, bias_correction=False)),
                      ("AdaMax", _noisy_traj("adamax", surface=BOWL, start=BOWL.start))):
        np.testing.assert_allclose(xy(trace(top, name)), run.params, rtol=1e-12)
    adam = _noisy_traj(surface=BOWL, start=BOWL.start)
    moves = np.abs(np.diff(adam.params, axis=0)) / HYPER["lr"]
    assert moves.max() <= 1 + 1e-6 and moves[:20].mean() > 0.9 and moves[-100:].mean() < 0.12
    assert badges.count("still converging") == 3 + 4  # nothing diverges: three top runs, four in the scale section
    text = " ".join(m.value for m in at.markdown)
    assert ("the largest of these 300 steps is 1.00 α per coordinate. Over the first 20 steps they average 0.93 α, "
            "over the last 100 0.11 α.") in text
    rows = _table(at)  # step 250: the gradient Adam saw is mostly noise, ∇L there is (0.14, −0.35)
    _close(rows["g_t"], adam.grads[249])
    assert np.abs(adam.grads[249] - BOWL.grad(adam.params[249])).max() > 3.5
    _close(rows[r"\hat m_t"], adam.records["m_hat"][249])
    assert (np.abs(rows[r"\hat m_t"]) < 0.25 * np.sqrt(rows[r"\hat v_t"])).all()
    assert any(r"g_t = \nabla f_t(\theta_{t-1})" in x.value for x in at.latex)


def test_the_noise_slider_runs_the_engines_noisy_runs_and_sigma_zero_is_the_exact_page(page):
    """σ and the seed reach every run of the top picture as optim_core.run(..., noise=σ, seed=seed); the link carries
    both; σ = 0 (the default) is the page as it was, whatever the seed."""
    at = open_page("adam")
    at.select_slider(key=NOISE).set_value(1.0).run()
    assert_clean(at)
    top = charts(at)[0]
    for name, run in (("Adam", _noisy_traj(sigma=1.0)), ("Adam, no correction",
                                                          _noisy_traj(sigma=1.0, bias_correction=False)),
                      ("AdaMax", _noisy_traj("adamax", sigma=1.0))):
        np.testing.assert_allclose(xy(trace(top, name)), run.params, rtol=1e-12)
    adam = _noisy_traj(sigma=1.0)
    assert np.abs(adam.params - _traj().params).max() > 0.01  # the noise moved the path
    assert _cells(at)["g_t"] == [tex_number(x) for x in adam.grads[0]]  # step 1's g_t: ∇L plus the first draw
    assert _cells(at)["g_t"] != ["-215.6", "-88"]
    at.slider(key=SEED).set_value(7).run()
    assert_clean(at)
    seven = _noisy_traj(sigma=1.0, seed=7)
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")), seven.params, rtol=1e-12)
    assert np.abs(seven.params - adam.params).max() > 0.01  # another seed, other draws
    sizes = np.abs(np.diff(seven.params, axis=0)) / HYPER["lr"]
    assert f"the largest of these {STEPS} steps is {sizes.max():.2f} α per coordinate" in " ".join(
        m.value for m in at.markdown)
    link = pagetest.link_of(at)
    assert (link["noise"], link["seed"]) == ("1", "7")
    fresh = pagetest.open_link("adam", link)  # the link opens the same noisy runs
    assert_clean(fresh)
    assert not fresh.info and pagetest.chart_json(fresh) == pagetest.chart_json(at)
    at.select_slider(key=NOISE).set_value(0.0).run()  # no noise: the seed no longer matters
    assert_clean(at)
    assert at.slider(key=SEED).value == 7
    assert pagetest.chart_json(at) == pagetest.chart_json(page) and latex_text(at) == latex_text(page)
    assert not any("**Noisy gradients (σ" in m.value for m in at.markdown)
    assert r"g_t = \nabla L(\theta_{t-1})" in latex_text(at) and "f_t" not in latex_text(at)


# --- Classroom mode: links, steps, numbers ----------------------------------------------------
# (the link round trip, junk links, Next/Previous/Start and Reset: tests/test_pages.py, for every page)

VARIANT_RUNS = {"adam": lambda: _traj(), "adam_nobc": lambda: _traj(bias_correction=False),
                "adamax": lambda: _traj("adamax")}
# α = 0.05: the longest move is 0.05·√2 = 0.071 (Adam, AdaMax) or 3.16·0.05·√2 = 0.224 (no correction), drawn at the
# largest of 1, 2, 5, 10, … that keeps it within half of Rosenbrock's half-width 2: ×10 (0.71), ×2 (0.45)
SCALE = {"adam": 10, "adam_nobc": 2, "adamax": 10}
MOVE = "Δθ_t (×10)"


def _drawn(fig: dict, name: str) -> np.ndarray:
    """An arrow's (tail, tip) as the chart opens (at the page's step)."""
    return xy(trace(fig, name))


def test_the_link_writes_this_pages_settings():
    at = open_page("adam")
    at.select_slider(key=key("adam", "lr")).set_value(0.1).run()
    at.radio(key=VARIANT).set_value("adamax").run()
    at.select_slider(key=key("adam", "c")).set_value(100.0).run()
    for _ in range(2):
        click(at, "_adam_next")
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("surface", "lr", "beta1", "variant", "step", "c", "gd_lr")} == {
        "surface": "rosenbrock", "lr": "0.1", "beta1": "0.9", "variant": "adamax", "step": "3", "c": "100",
        "gd_lr": "0.0001"}
    assert r"t = 3" in latex_text(at) and r"u_t = \max" in latex_text(at)


def test_near_misses_in_a_link_are_named_and_the_page_opens_at_its_defaults(page):
    # an optimizer that is not one of the three runs, c = −∞, a GD step size off its list, a step before the first,
    # and the link name this page used before the registry (now variant)
    params = {"variant": "sgd", "c": "-inf", "gd_lr": "0.5", "step": "-1", "inspect": "adamax"}
    at = pagetest.open_link("adam", params)
    assert_clean(at)
    pagetest.assert_link_ignored(at, params)
    assert (pagetest.chart_json(at), latex_text(at)) == (pagetest.chart_json(page), latex_text(page))


def test_step_zero_is_algorithm_1_s_initialisation():
    at = open_page("adam")
    click(at, "_adam_first")
    assert_clean(at)
    assert _rows(at) == [(True, r"\theta_0 = \text{start},\ m_0 = v_0 = 0", ["-1.2", "1"])]
    top = charts(at)[0]
    np.testing.assert_array_equal(xy(trace(top, "θ_t")), [[-1.2, 1.0]])  # θ₀ ringed
    for name in (MOVE, "−g_t", "−m̂_t"):  # nothing has moved yet: no arrows
        assert trace(top, name)["x"] == [None]
    for name in ("Adam", "AdaMax"):  # every marker at the start
        marker = next(t for t in top["data"] if t.get("name") == name and t.get("mode") == "markers")
        np.testing.assert_array_equal(xy(marker), [[-1.2, 1.0]])
    assert any(c.value.startswith("Step 0: Algorithm 1's initialisation") for c in at.caption)
    at.radio(key=VARIANT).set_value("adamax").run()
    assert _marked(at) == [r"\theta_0 = \text{start},\ m_0 = u_0 = 0"]


RECORDED = {"adam": ("m", "v", "m_hat", "v_hat"), "adam_nobc": ("m", "v", "m_hat", "v_hat"),
            "adamax": ("m", "u", "m_hat")}
SYMBOL = {"m": "m_t", "v": "v_t", "u": "u_t", "m_hat": r"\hat m_t", "v_hat": r"\hat v_t"}


def test_numbers_at_step_n_are_the_engines_records_and_the_arrows_are_its_update():
    at = open_page("adam")  # one session, each variant in turn
    for variant, make_run in VARIANT_RUNS.items():
        at.radio(key=VARIANT).set_value(variant).run()
        run, scale = make_run(), SCALE[variant]
        for n in (1, 2, 29, 137, STEPS):
            at.slider(key=STEP).set_value(n).run()
            assert_clean(at)
            shown, c = _cells(at), n - 1
            assert shown[r"\theta_{t-1}"] == [tex_number(x) for x in run.params[c]]
            assert shown["g_t"] == [tex_number(x) for x in run.grads[c]]
            assert shown[r"\theta_t"] == [tex_number(x) for x in run.params[n]]
            assert shown[r"\Delta\theta_t"] == [tex_number(x) for x in run.params[n] - run.params[c]]
            for name in RECORDED[variant]:
                assert shown[SYMBOL[name]] == [tex_number(x) for x in run.records[name][c]], (variant, n, name)
            previous = run.records[RECORDED[variant][1]][c - 1] if c else np.zeros(2)
            assert shown[SYMBOL[RECORDED[variant][1]].replace("_t", "_{t-1}")] == [tex_number(x) for x in previous]
            assert _marked(at) == [r"\theta_t = \theta_{t-1} + \Delta\theta_t"]
            # the chart opens at step n: the ring on θ_n, the move from θ_{n−1} magnified (the caption says by how
            # much)
            top = charts(at)[0]
            np.testing.assert_allclose(xy(trace(top, "θ_t")), run.params[[n]], rtol=1e-12)
            move = _drawn(top, f"Δθ_t (×{scale})")
            np.testing.assert_allclose(move[0], run.params[c], rtol=1e-12)
            np.testing.assert_allclose(move[1] - move[0], scale * (run.params[n] - run.params[c]), rtol=1e-9,
                                       atol=1e-15)
            length = np.linalg.norm(move[1] - move[0])
            for name, vector in (("−g_t", -run.grads[c]), ("−m̂_t", -run.records["m_hat"][c])):
                arrow = _drawn(top, name)
                np.testing.assert_allclose(arrow[0], run.params[c], rtol=1e-12)
                np.testing.assert_allclose(arrow[1] - arrow[0], vector * length / np.linalg.norm(vector), rtol=1e-9)
            # and Play's frame of step n holds the same arrow: one state, whichever way one got there
            frame = next(f for f in top["frames"] if f["name"] == str(n))
            index = next(i for i, t in enumerate(top["data"]) if t.get("name") == f"Δθ_t (×{scale})")
            np.testing.assert_allclose(xy(frame["data"][list(frame["traces"]).index(index)]), move, rtol=1e-12)
            assert any(x.value.startswith(f"Step {n}, from $\\theta_{{{n - 1}}}$")
                       and f"drawn {scale}× longer" in x.value for x in at.caption)


def test_step_1_on_rosenbrock_by_hand(page):
    # From (−1.2, 1): ∇L = (−2(1 − x) − 400x(y − x²), 200(y − x²)) = (−4.4 − 211.2, 200·(−0.44)) = (−215.6, −88).
    # m₁ = 0.1 g₁ = (−21.56, −8.8), v₁ = 0.001 g₁² = (46.48, 7.744), m̂₁ = g₁, v̂₁ = g₁²,
    # so m̂₁/√v̂₁ = sign(g₁) = (−1, −1) (up to ε = 1e-8) and θ₁ = θ₀ − 0.05·sign(g₁) = (−1.15, 1.05).
    at = page  # the page opens at step 1
    shown = _cells(at)
    assert shown["g_t"] == ["-215.6", "-88"]
    assert shown["m_t"] == ["-21.56", "-8.8"]
    assert shown["v_t"] == ["46.48", "7.744"]
    assert shown[r"\hat m_t"] == ["-215.6", "-88"]
    assert shown[r"\hat v_t"] == [r"4.648\times10^{4}", "7744"]
    assert shown[r"\Delta\theta_t"] == ["0.05", "0.05"]
    assert shown[r"\theta_t"] == ["-1.15", "1.05"]
    rec = _traj().records
    np.testing.assert_allclose(rec["m"][0], [-21.56, -8.8], rtol=1e-12)
    np.testing.assert_allclose(rec["m_hat"][0] / np.sqrt(rec["v_hat"][0]), [-1.0, -1.0], rtol=1e-12)
    top = charts(at)[0]
    np.testing.assert_allclose(_drawn(top, MOVE), [[-1.2, 1.0], [-0.7, 1.5]], rtol=1e-9)  # 10 × (0.05, 0.05)
    # −g₁ drawn as long as the move, 10·0.05·√2 = 0.7071, i.e. at 0.7071 / |g₁| = 0.7071 / 232.87 = 0.003×
    grad = _drawn(top, "−g_t")
    np.testing.assert_allclose(grad[1] - grad[0], np.array([215.6, 88.0]) * 0.5 * np.sqrt(2) / np.hypot(215.6, 88),
                               rtol=1e-9)
    assert any(r"$-g_{1}$ ×0.003, $-\hat m_{1}$ ×0.003." in c.value for c in at.caption)


def test_export_offers_the_three_runs_and_the_figure(page):
    assert [b.proto.label for b in page.get("download_button")] == ["CSV of these runs", "Animated figure (HTML)"]


def test_presenter_mode_writes_one_table_of_names_and_numbers_beside_the_chart():
    at = pagetest.open_link("adam", {"present": "1", "step": "2"})
    assert_clean(at)
    wide = [x.value for x in at.latex if r"\begin{array}{cl|rr}" in x.value]
    assert len(wide) == 1 and not any(NARROW in x.value for x in at.latex)
    assert r"\text{step } t = 2 & W_1 & W_2" in wide[0]  # the variant is the radio's; the rule is Algorithm 1's
    run = _traj()
    rows = {cells[1]: cells[2:] for line in wide[0].split("\n") if len(cells := line.split(" & ")) == 4}
    assert rows[r"m_t"] == [tex_number(run.records["m"][1, 0]), tex_number(run.records["m"][1, 1]) + r" \\"]
    assert (rf"\colorbox{{#FFE08A}}{{$\displaystyle \theta_t$}} & "
            rf"{tex_number(run.params[2, 0])} & {tex_number(run.params[2, 1])} \\") in wide[0]
    assert charts(at)[0]["layout"]["height"] == 600  # 1280×720 until the browser says otherwise


def test_the_csv_export_reads_back_to_the_engines_runs():
    from ui import export
    runs = {ua_label: run() for ua_label, run in (("Adam", VARIANT_RUNS["adam"]), ("AdaMax", VARIANT_RUNS["adamax"]))}
    table = export.read_csv(export.trajectories_csv(runs, ("m", "v", "m_hat", "v_hat", "u")))
    np.testing.assert_array_equal(np.column_stack([table["Adam"]["x"], table["Adam"]["y"]]), runs["Adam"].params)
    np.testing.assert_array_equal(table["Adam"]["m_x"][1:], runs["Adam"].records["m"][:, 0])
    np.testing.assert_array_equal(table["AdaMax"]["u_y"][1:], runs["AdaMax"].records["u"][:, 1])
    assert np.isnan(table["AdaMax"]["v_x"]).all() and table["Adam"]["m_x"][1] == pytest.approx(-21.56)  # m₁ = 0.1·g₁


# --- Languages --------------------------------------------------------------------------------
# (the opening, the last scene at step 3, and every scene in Korean: tests/test_pages.py)

@pytest.mark.parametrize("params", [
    {"step": "0"},  # Algorithm 1's initialisation line
    {"lr": "10", "step": "300", "c": "1"},  # blow-ups: their warnings, the caption under the table, c = 1's line
    {"c": "100", "variant": "adamax", "step": "0"},  # gradient descent's blow-up on the loss × 100, AdaMax at step 0
])
def test_the_pages_own_states_have_no_text_outside_the_catalogs(params):
    # links, not clicks: AppTest reformats a radio's value outside the script, in English, so it cannot rerun a
    # page in another language
    at = open_page_in("adam", "xx", params)
    assert_clean(at)
    assert untranslated(at) == []
    if "lr" in params:
        assert len(at.warning) == 3 and any("blew up" in c.value for c in at.caption)


def test_the_subheadings_and_the_formulas_speak_korean():
    at = open_page_in("adam", "ko")
    assert_clean(at)
    assert "편향 보정" in " ".join(x.value for x in at.subheader)
    assert any(r"\text{반복 } t = 1, 2" in x.value for x in at.latex)  # the words inside LaTeX too
