import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, key, latex_text, open_link, open_page, trace, xy
from ui.figures.algorithm import tex_number

WC = "W<sub>c</sub>"
SURFACES = ("rosenbrock", "elongated_quadratic", "saddle", "beale", "himmelblau", "least_squares")
SURFACE, STEP = key("taylor", "surface"), key("taylor", "step")
T_RANGE = {"rosenbrock": (1e-4, 3e-3), "elongated_quadratic": (0.005, 0.08), "saddle": (0.05, 0.8),
           "beale": (1e-4, 5e-3), "himmelblau": (0.002, 0.05), "least_squares": (0.02, 0.5)}  # the t slider's ends


@pytest.fixture(scope="module")
def at():
    return open_page("taylor")


def slice_and_plane(at):
    figs = charts(at)
    assert len(figs) == 2
    return figs


def test_defaults_show_the_bowl_the_gd_step_and_newtons_step(at):
    s = oc.get_surface("rosenbrock")
    w_c, t = s.start, 1e-3
    g = s.grad(w_c)
    slice_fig, plane_fig = slice_and_plane(at)
    # 2-D view: the GD step is optim_core's first SGD step, Newton's point its first Newton step
    sgd = oc.run(oc.make_optimizer("sgd", lr=t), s, w_c, 1).params[1]
    newton = oc.run(oc.make_optimizer("newton"), s, w_c, 1).params[1]
    np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], sgd, rtol=1e-14)
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], newton, rtol=1e-13)
    np.testing.assert_allclose(newton, [-1.2 + 880 / 35600, 1.0 + 13552 / 35600], rtol=1e-13)  # by hand
    np.testing.assert_array_equal(xy(trace(plane_fig, WC))[0], w_c)
    # 1-D slice along −∇L: the bowl bottoms out at s* = t‖∇L‖ with value L − t‖∇L‖²/2
    norm = np.linalg.norm(g)
    np.testing.assert_allclose(xy(trace(slice_fig, "GD step"))[0], [t * norm, 24.2 - t * norm ** 2 / 2], rtol=1e-13)
    np.testing.assert_allclose(xy(trace(slice_fig, "L after step"))[0], [t * norm, s.value(sgd)], rtol=1e-13)
    line = xy(trace(slice_fig, "true loss L"))
    np.testing.assert_allclose(line[:, 1], s.value(w_c - line[:, :1] * g / norm), rtol=1e-12)
    bowl = xy(trace(slice_fig, "bowl 1/(2t)"))
    np.testing.assert_allclose(bowl[:, 1], 24.2 - norm * bowl[:, 0] + bowl[:, 0] ** 2 / (2 * t), rtol=1e-12)
    # the slice has a frame per step of the slider (a step jumps there), the plane sweeps t
    assert [f["name"] for f in slice_fig["frames"]] == [str(k) for k in range(31)]
    assert len(plane_fig["frames"]) == 26
    step_ids = [i for i, tr in enumerate(slice_fig["data"]) if tr.get("name") == "GD step"]
    frame0 = dict(zip(slice_fig["frames"][0]["traces"], slice_fig["frames"][0]["data"]))[step_ids[0]]
    np.testing.assert_allclose([frame0["x"][0], frame0["y"][0]], [t * norm, 24.2 - t * norm ** 2 / 2], rtol=1e-13)
    # the words and the maths
    latex = " ".join(x.value for x in at.latex)
    assert r"W_{c+1} = W_c - t\,\nabla L(W_c)" in latex and r"W_{c+1} = W_c - H^{-1}\nabla L(W_c)" in latex
    assert r"\tfrac{1}{2t}\lVert d\rVert^2" in latex
    markdown = " ".join(m.value for m in at.markdown)
    assert "경사 하강법" in markdown and "tangent" in markdown
    assert not at.info and not at.warning  # H is positive definite at Rosenbrock's start
    caption = " ".join(c.value for c in at.caption)
    assert "L = 5.353 (lower)" in caption


def test_the_maths_column_writes_out_the_numbers_at_w_c(at):
    latex = [x.value.strip("$\n") for x in at.latex]  # st.latex wraps each formula in $$ … $$
    # Rosenbrock at (−1.2, 1): ∇L = (−215.6, −88), H = [[1330, 480], [480, 200]],
    # λ = 765 ∓ √(565² + 480²) = 23.63, 1506; GD step with t = 1e-3: (−0.9844, 1.088);
    # Newton: (−1.2 + 880/35600, 1 + 13552/35600) = (−1.175, 1.381)
    assert r"W_c = \begin{pmatrix}-1.2\\1\end{pmatrix},\ \nabla L(W_c) = \begin{pmatrix}-215.6\\-88\end{pmatrix}" \
        in latex
    assert r"H = \begin{pmatrix}1330 & 480\\480 & 200\end{pmatrix},\ \lambda = 23.63,\ 1506" in latex
    assert r"W_c - t\nabla L = \begin{pmatrix}-0.9844\\1.088\end{pmatrix}" in latex
    assert r"W_c - H^{-1}\nabla L = \begin{pmatrix}-1.175\\1.381\end{pmatrix}" in latex
    newton = oc.get_surface("rosenbrock").value(np.array([-1.2 + 880 / 35600, 1 + 13552 / 35600]))
    assert [c.value for c in at.main.caption if c.value.startswith("$L(W_c)$")] == [
        "$L(W_c)$ = 24.2, $\\lVert\\nabla L(W_c)\\rVert$ = 232.9. After the GD step with the slider's t = 0.001: "
        "L = 5.353 "
        f"(lower). Newton's point (-1.175, 1.381) has L = {newton:.4g}."]


def test_json_sizes_within_budget(at):
    sizes = pagetest.chart_bytes(at)
    assert max(sizes) < 1_000_000 and sum(sizes) < 2_000_000


def test_saddle_shows_the_indefinite_hessian_notice_and_newton_on_the_saddle():
    at = open_page("taylor")
    at.selectbox(key=SURFACE).set_value("saddle").run()
    assert_clean(at)
    _, plane_fig = slice_and_plane(at)
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], [0.0, 0.0], atol=1e-15)
    info = " ".join(i.value for i in at.info)
    assert "indefinite" in info and "saddle point" in info
    assert r"\lambda_1 = -2" in info and r"\lambda_2 = 2" in info
    # a stationary point: ∇L = 0 gives a plain message, GD does not move
    at.slider(key=key("taylor", "x", "saddle")).set_value(0.0).run()
    at.slider(key=key("taylor", "y", "saddle")).set_value(0.0).run()
    assert_clean(at)
    assert any("stationary point" in i.value for i in at.info)
    _, plane_fig = slice_and_plane(at)
    np.testing.assert_array_equal(xy(trace(plane_fig, "GD step"))[0], [0.0, 0.0])


def test_next_to_himmelblaus_maximum_the_hessian_is_negative_definite():
    at = open_page("taylor")
    at.selectbox(key=SURFACE).set_value("himmelblau").run()  # opens at (−0.3, −0.9)
    assert_clean(at)
    # H = [[12x² + 4y − 42, 4(x + y)], [4(x + y), 12y² + 4x − 26]] = [[−44.52, −4.8], [−4.8, −17.48]]:
    # λ = −31 ∓ √(13.52² + 4.8²) = −45.35, −16.65
    assert [i.value for i in at.info] == [
        r"H is negative definite ($\lambda_1 = -45.35,\ \lambda_2 = -16.65$): the quadratic model is an upside-down "
        "bowl and Newton's step jumps to its **maximum**. Newton's method only looks for a point where the gradient "
        "vanishes."]
    assert not at.warning


def test_elongated_bowl_newton_reaches_the_minimum_in_one_step():
    at = open_page("taylor")
    at.selectbox(key=SURFACE).set_value("elongated_quadratic").run()
    slice_fig, plane_fig = slice_and_plane(at)
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], [-4.9, 0.75], rtol=1e-14)  # t = 0.02, by hand
    np.testing.assert_allclose(xy(trace(slice_fig, "L after step"))[0, 1], 19.03625, rtol=1e-14)
    assert not at.info


def test_t_slider_extremes_move_the_step_and_tighten_the_bowl():
    at = open_page("taylor")
    s = oc.get_surface("rosenbrock")
    g = s.grad(s.start)
    low, high = T_RANGE["rosenbrock"]
    curvature = {}
    for t in (low, high):
        at.select_slider(key=key("taylor", "t", "rosenbrock")).set_value(t).run()
        assert_clean(at)
        slice_fig, plane_fig = slice_and_plane(at)
        np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], s.start - t * g, rtol=1e-14)
        bowl = xy(trace(slice_fig, "bowl 1/(2t)"))
        ds = bowl[1, 0] - bowl[0, 0]
        curvature[t] = np.median(np.diff(bowl[:, 1], 2)) / ds ** 2
        yours = plane_fig["layout"]["updatemenus"][0]["buttons"][-1]  # "your t": the sweep's way back to t
        assert float(yours["args"][0][0]) == pytest.approx(t)
    assert curvature[low] == pytest.approx(1e4, rel=1e-6)  # the bowl's second derivative is 1/t
    assert curvature[high] == pytest.approx(1 / 3e-3, rel=1e-6)
    # the largest t overshoots the valley: the loss after the step is higher than now
    assert "(not lower)" in " ".join(c.value for c in at.caption)


def test_every_surface_and_the_start_extremes_run():
    at = open_page("taylor")
    for name in SURFACES:
        at.selectbox(key=SURFACE).set_value(name).run()
        assert_clean(at)
        s = oc.get_surface(name)
        (x0, x1), (y0, y1) = s.bounds
        for x, y in ((x0, y0), (x1, y1), (x0, y1)):
            at.slider(key=key("taylor", "x", name)).set_value(x)
            at.slider(key=key("taylor", "y", name)).set_value(y).run()
            assert_clean(at)
            _, plane_fig = slice_and_plane(at)
            np.testing.assert_allclose(xy(trace(plane_fig, WC))[0], [x, y])
        for t in T_RANGE[name]:
            at.select_slider(key=key("taylor", "t", name)).set_value(t).run()
            assert_clean(at)


def click(at, name: str):
    pagetest.pick_scene(at, "taylor", name)
    assert_clean(at)
    return slice_and_plane(at)


def test_the_step_size_sits_in_the_main_column(at):
    assert [w.key for w in at.main.select_slider] == [key("taylor", "t", "rosenbrock")]
    assert not at.sidebar.select_slider


def test_scenes_small_and_large_t_on_rosenbrock():
    at = open_page("taylor")
    s = oc.get_surface("rosenbrock")
    g = np.array([-215.6, -88.0])  # ∇L(−1.2, 1) by hand
    for name, t, after, word in (("large_t", 3e-3, 94.18, "not lower"), ("small_t", 1e-3, 5.353, "lower")):
        _, plane_fig = click(at, name)
        np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], s.start - t * g, rtol=1e-12)
        assert float(s.value(s.start - t * g)) == pytest.approx(after, abs=5e-3)
        facts = at.main.caption[-1].value
        assert f"the slider's t = {t:g}: L = {after:.4g} ({word})" in facts
        assert trace(plane_fig, "this frame's t")["text"] == [f"<b>t = {t:g}</b>"]  # the chart names the same t
    assert not at.warning and not at.info


def test_scene_newton_on_a_bowl_reaches_the_minimum_in_one_step():
    at = open_page("taylor")
    _, plane_fig = click(at, "newton_bowl")
    assert at.selectbox(key=SURFACE).value == "elongated_quadratic"
    np.testing.assert_array_equal(xy(trace(plane_fig, WC))[0], [-5.0, 1.5])
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], [0.0, 0.0], atol=1e-15)
    np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], [-4.9, 0.75], rtol=1e-14)  # ∇L = (−5, 37.5)
    assert not at.warning and not at.info


def test_scene_newton_on_a_saddle_lands_on_the_saddle_point():
    at = open_page("taylor")
    _, plane_fig = click(at, "newton_saddle")
    np.testing.assert_array_equal(xy(trace(plane_fig, WC))[0], [1.8, 0.01])
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], [0.0, 0.0], atol=1e-15)
    # ∇(x² − y²) at (1.8, 0.01) = (3.6, −0.02); t = 0.2 → (1.08, 0.014)
    np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], [1.08, 0.014], rtol=1e-12)
    text = " ".join(i.value for i in at.info) + " ".join(c.value for c in at.caption)
    assert "indefinite" in text and "diverged" not in text
    assert not at.warning
    # 30 GD steps from there escape down the saddle: y grows by 1 + 2t = 1.4 a step, past 20 half-widths
    # (2 · 20 = 40 from the centre) at step 25, so the step slider stops at 23, the last update recorded in full
    run = oc.run(oc.make_optimizer("sgd", lr=0.2), oc.get_surface("saddle"), np.array([1.8, 0.01]), 31)
    assert int(run.diverged_at) == 25 and abs(run.params[24, 1]) < 40 < 0.01 * 1.4 ** 25
    assert at.slider(key=STEP).max == 23
    assert any(c.value.startswith("Gradient descent escapes: at step 25 it is far off the map") for c in at.caption)


# --- Classroom mode: gradient descent one update at a time, links, reset ------------------------

G0 = np.array([-215.6, -88.0])  # ∇L(−1.2, 1) on Rosenbrock, by hand


def _gd(name="rosenbrock", t=1e-3, start=None, steps=31):
    """The page's run, straight from optim_core: one update more than the slider's 30 steps."""
    s = oc.get_surface(name)
    return oc.run(oc.make_optimizer("sgd", lr=t), s, s.start if start is None else np.asarray(start), steps)


def _arrow(fig: dict, prefix: str) -> np.ndarray:
    return xy(next(t for t in fig["data"] if str(t.get("name", "")).startswith(prefix)))


def _gradient_scale(fig: dict) -> float:
    """The factor the ∇L arrow is drawn at, read from its legend name "∇L (×0.001)"."""
    name = next(t["name"] for t in fig["data"] if str(t.get("name", "")).startswith("∇L"))
    return 1.0 if name == "∇L" else float(name.removeprefix("∇L (×").removesuffix(")"))


def test_step_n_draws_the_models_at_the_nth_iterate_with_the_engines_numbers():
    at = open_page("taylor")
    run = _gd()
    s = oc.get_surface("rosenbrock")
    for n in (0, 1, 2, 17, 30):
        at.slider(key=STEP).set_value(n).run()
        assert_clean(at)
        text = latex_text(at)
        for value in (*run.params[n], *run.grads[n], *run.params[n + 1]):
            assert f"& {tex_number(value)}" in text, (n, value)
        assert rf"L(W_c) = {tex_number(run.loss[n])} &" in text
        assert rf"L(W_{{c+1}}) = {tex_number(run.loss[n + 1])} &" in text
        assert rf"\text{{gradient descent, step }} c = {n}" in text
        slice_fig, plane_fig = slice_and_plane(at)
        np.testing.assert_array_equal(xy(trace(plane_fig, WC))[0], run.params[n])
        np.testing.assert_array_equal(xy(trace(plane_fig, "GD step"))[0], run.params[n + 1])  # the bowl's bottom
        np.testing.assert_array_equal(xy(trace(plane_fig, "GD path")), run.params[: n + 1])
        step = _arrow(plane_fig, "step −t∇L")
        np.testing.assert_array_equal(step, run.params[n: n + 2])
        grad = _arrow(plane_fig, "∇L")
        scale = _gradient_scale(plane_fig)
        np.testing.assert_array_equal(grad[0], run.params[n])
        np.testing.assert_allclose(grad[1] - grad[0], scale * run.grads[n], rtol=1e-12)
        norm = np.linalg.norm(run.grads[n])
        bottom = [1e-3 * norm, run.loss[n] - 1e-3 * norm ** 2 / 2]  # s* = t‖∇L‖, L − t‖∇L‖²/2
        np.testing.assert_allclose(xy(trace(slice_fig, "GD step"))[0], bottom, rtol=1e-12)
        np.testing.assert_allclose(xy(trace(slice_fig, "L after step"))[0, 1], run.loss[n + 1], rtol=1e-12)
        assert any(c.value.startswith(f"Step {n} of 30: $W_c = \\theta_{{{n}}}$") for c in at.caption)
    np.testing.assert_allclose(run.grads[17], s.grad(run.params[17]), rtol=0)
    at.button(key="_taylor_next").click().run()  # never past the last step
    assert at.session_state[STEP] == 30


def test_the_first_two_steps_by_hand():
    at = open_page("taylor")
    text = latex_text(at)
    # step 0: W_c = (−1.2, 1), ∇L = (−215.6, −88), θ₁ = W_c − 0.001 ∇L = (−0.9844, 1.088), L 24.2 → 5.353
    assert r"& W_c = \theta_{0} & -1.2 & 1 \\" in text
    assert r"& \nabla L(W_c) & -215.6 & -88 \\" in text
    assert r"W_{c+1} = W_c - 0.001\,\nabla L(W_c)$} & -0.9844 & 1.088 \\" in text
    assert r"L(W_c) = 24.2 &" in text and r"L(W_{c+1}) = 5.353 &" in text
    np.testing.assert_allclose(_gd().params[1], np.array([-1.2, 1.0]) - 1e-3 * G0, rtol=1e-15)
    at.button(key="_taylor_next").click().run()
    # step 1 at θ₁ = (−0.9844, 1.088): x² = 0.96904336, y − x² = 0.11895664,
    # ∂L/∂x = −2(1 − x) − 400x(y − x²) = −3.9688 + 46.8403666 = 42.87157, ∂L/∂y = 200(y − x²) = 23.79133,
    # θ₂ = θ₁ − 0.001 ∇L = (−1.02727, 1.06421)
    x, y = -0.9844, 1.088
    g1 = np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])
    np.testing.assert_allclose(g1, [42.8715666, 23.791328], rtol=1e-8)
    text = latex_text(at)
    assert r"& W_c = \theta_{1} & -0.9844 & 1.088 \\" in text
    assert r"& \nabla L(W_c) & 42.87 & 23.79 \\" in text
    assert r"W_{c+1} = W_c - 0.001\,\nabla L(W_c)$} & -1.027 & 1.064 \\" in text
    assert r"L(W_c) = 5.353" in text
    plane = charts(at)[1]
    np.testing.assert_allclose(xy(trace(plane, "GD step"))[0], [x, y] - 1e-3 * g1, rtol=1e-12)
    np.testing.assert_allclose(xy(trace(plane, "GD path")), [[-1.2, 1.0], [x, y]], rtol=1e-15)




def test_a_link_carries_t_the_start_and_the_step():
    at = open_page("taylor")
    at.select_slider(key=key("taylor", "t", "rosenbrock")).set_value(2e-3).run()
    at.slider(key=key("taylor", "x", "rosenbrock")).set_value(-1.0).run()
    for _ in range(2):
        at.button(key="_taylor_next").click().run()
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("surface", "t", "x", "y", "step")} == {
        "surface": "rosenbrock", "t": "0.002", "x": "-1", "y": "1", "step": "2"}
    fresh = open_link("taylor", link)
    assert_clean(fresh)
    run = _gd(t=2e-3, start=(-1.0, 1.0))
    np.testing.assert_array_equal(xy(trace(charts(fresh)[1], WC))[0], run.params[2])


def test_a_t_between_the_sliders_stops_is_refused(at):
    fresh = open_link("taylor", {"t": "0.0015"})
    assert_clean(fresh)
    assert [i.value for i in fresh.info] == [
        "This link's setting `t=0.0015` (not one of the choices) was ignored; the page uses its own value instead."]
    assert pagetest.chart_json(fresh) == pagetest.chart_json(at)


def test_a_diverging_run_stops_the_steps_before_it_blows_up():
    at = open_page("taylor")
    at.selectbox(key=SURFACE).set_value("himmelblau").run()
    at.select_slider(key=key("taylor", "t", "himmelblau")).set_value(0.05).run()
    assert_clean(at)
    run = _gd("himmelblau", 0.05)
    assert int(run.diverged_at) == 8
    # the engine repeats its last finite rows from the blow-up on: ∇L is recorded in full up to update 7
    s = oc.get_surface("himmelblau")
    np.testing.assert_array_equal(run.grads[6], s.grad(run.params[6]))
    assert not np.allclose(run.grads[7], s.grad(run.params[7]))
    assert at.slider(key=STEP).max == 6
    assert [w.value for w in at.warning] == [
        "Gradient descent with t = 0.05 diverged at step 8: try a smaller t. The steps stop at 6, "
        "the last update before it."]
    at.slider(key=STEP).set_value(6).run()
    text = latex_text(at)
    for value in (*run.params[6], *run.grads[6], *run.params[7]):
        assert f"& {tex_number(value)}" in text
    # a start the first step already throws off the map: Beale's corner; the slider still has two ends
    at.selectbox(key=SURFACE).set_value("beale").run()
    at.slider(key=key("taylor", "x", "beale")).set_value(4.5).run()
    at.slider(key=key("taylor", "y", "beale")).set_value(4.5).run()
    assert_clean(at)
    assert int(_gd("beale", 2e-3, (4.5, 4.5)).diverged_at) == 1
    assert at.slider(key=STEP).max == 1
    at.slider(key=STEP).set_value(1).run()
    assert_clean(at)
    assert r"\text{(leaves the plot)}" in latex_text(at)
    np.testing.assert_array_equal(xy(trace(charts(at)[1], WC))[0], [4.5, 4.5])  # step 1 shows the start
    assert "Already the first step lands there." in at.warning[0].value


def test_a_scene_starts_at_step_zero():
    at = open_page("taylor")
    at.slider(key=STEP).set_value(5).run()
    _, plane_fig = click(at, "large_t")
    assert at.session_state[STEP] == 0
    np.testing.assert_array_equal(xy(trace(plane_fig, WC))[0], [-1.2, 1.0])


def test_presenter_mode_gives_the_slice_the_screens_height_and_the_plane_beside_it_half(at):
    big = open_page("taylor")
    big.toggle(key="present").set_value(True).run()
    assert_clean(big)
    # 1280×720 until the browser reports its size: the screen less the title line and the pills
    assert [f["layout"]["height"] for f in charts(big)] == [600, 280]
    assert [f["layout"]["height"] for f in charts(at)] == [580, 330]
    assert pagetest.link_of(big)["present"] == "1"


# --- Languages: the opening, every scene and Korean are tests/test_pages.py's; here the notes only this
# page writes, each from the catalogs --------------------------------------------------------------


@pytest.mark.parametrize("params", [
    {"surface": "himmelblau", "t": "0.05", "step": "3"},  # a diverging run: the warning and the steps' stop
    {"surface": "saddle", "x": "0", "y": "0"},  # a stationary point: its notes and caption
    {"surface": "rosenbrock", "x": "0", "y": "0.005"},  # a singular Hessian: the warning, "undefined"
    {"t": "0.003"},  # the step that lands higher: "(not lower)"
    {"surface": "elongated_quadratic"},  # Newton on a bowl
])
def test_the_pages_own_notes_come_from_the_catalogs(params):
    at = open_page_in("taylor", "xx", params)
    assert_clean(at)
    assert untranslated(at) == []


def test_the_korean_page_names_gradient_descent():
    at = open_page_in("taylor", "ko", {"scene": "large_t"})
    assert_clean(at)
    assert "경사 하강법" in " ".join(m.value for m in at.markdown)
