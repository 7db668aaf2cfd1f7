import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy

WC = "W<sub>c</sub>"
SURFACES = ("rosenbrock", "elongated_quadratic", "saddle", "beale", "himmelblau", "least_squares")
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
    assert len(slice_fig["frames"]) == len(plane_fig["frames"]) == 26
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
    assert [c.value for c in at.main.caption][1:] == [
        "$L(W_c)$ = 24.2, $\\lVert\\nabla L(W_c)\\rVert$ = 232.9. After the GD step with the slider's t = 0.001: "
        "L = 5.353 "
        f"(lower). Newton's point (-1.175, 1.381) has L = {newton:.4g}."]


def test_json_sizes_within_budget(at):
    sizes = chart_bytes(at)
    assert max(sizes) < 1_000_000 and sum(sizes) < 2_000_000


def test_saddle_shows_the_indefinite_hessian_notice_and_newton_on_the_saddle():
    at = open_page("taylor")
    at.selectbox(key="taylor_surface").set_value("saddle").run()
    assert_clean(at)
    _, plane_fig = slice_and_plane(at)
    np.testing.assert_allclose(xy(trace(plane_fig, "Newton"))[0], [0.0, 0.0], atol=1e-15)
    info = " ".join(i.value for i in at.info)
    assert "indefinite" in info and "saddle point" in info
    assert r"\lambda_1 = -2" in info and r"\lambda_2 = 2" in info
    # a stationary point: ∇L = 0 gives a plain message, GD does not move
    at.slider(key="taylor_start_x_saddle").set_value(0.0).run()
    at.slider(key="taylor_start_y_saddle").set_value(0.0).run()
    assert_clean(at)
    assert any("stationary point" in i.value for i in at.info)
    _, plane_fig = slice_and_plane(at)
    np.testing.assert_array_equal(xy(trace(plane_fig, "GD step"))[0], [0.0, 0.0])


def test_next_to_himmelblaus_maximum_the_hessian_is_negative_definite():
    at = open_page("taylor")
    at.selectbox(key="taylor_surface").set_value("himmelblau").run()  # opens at (−0.3, −0.9)
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
    at.selectbox(key="taylor_surface").set_value("elongated_quadratic").run()
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
        at.select_slider(key="taylor_t_rosenbrock").set_value(t).run()
        assert_clean(at)
        slice_fig, plane_fig = slice_and_plane(at)
        np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], s.start - t * g, rtol=1e-14)
        bowl = xy(trace(slice_fig, "bowl 1/(2t)"))
        ds = bowl[1, 0] - bowl[0, 0]
        curvature[t] = np.median(np.diff(bowl[:, 1], 2)) / ds ** 2
        active = slice_fig["layout"]["sliders"][0]["active"]
        assert float(slice_fig["frames"][active]["name"]) == pytest.approx(t)
    assert curvature[low] == pytest.approx(1e4, rel=1e-6)  # the bowl's second derivative is 1/t
    assert curvature[high] == pytest.approx(1 / 3e-3, rel=1e-6)
    # the largest t overshoots the valley: the loss after the step is higher than now
    assert "(not lower)" in " ".join(c.value for c in at.caption)


def test_every_surface_and_the_start_extremes_run():
    at = open_page("taylor")
    for name in SURFACES:
        at.selectbox(key="taylor_surface").set_value(name).run()
        assert_clean(at)
        s = oc.get_surface(name)
        (x0, x1), (y0, y1) = s.bounds
        for x, y in ((x0, y0), (x1, y1), (x0, y1)):
            at.slider(key=f"taylor_start_x_{name}").set_value(x).run()
            at.slider(key=f"taylor_start_y_{name}").set_value(y).run()
            assert_clean(at)
            _, plane_fig = slice_and_plane(at)
            np.testing.assert_allclose(xy(trace(plane_fig, WC))[0], [x, y])
        for t in T_RANGE[name]:
            at.select_slider(key=f"taylor_t_{name}").set_value(t).run()
            assert_clean(at)


def click(at, name: str):
    at.button(key=f"taylor_scene_{name}").click().run()
    assert_clean(at)
    return slice_and_plane(at)


def test_the_step_size_sits_in_the_main_column():
    at = open_page("taylor")
    assert [w.key for w in at.main.select_slider] == ["taylor_t_rosenbrock"]
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
    assert at.selectbox(key="taylor_surface").value == "elongated_quadratic"
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
