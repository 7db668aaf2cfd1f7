import time

import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy
from ui import taylor as tv

WC = "W<sub>c</sub>"


@pytest.fixture(scope="module")
def at():
    return open_page("taylor")


def slice_and_plane(at):
    figs = charts(at)
    assert len(figs) == 2
    return figs


def test_defaults_show_the_bowl_the_gd_step_and_newtons_step(at):
    s = oc.get_surface("rosenbrock")
    w_c, t = s.start, tv.DEFAULTS["t"]["rosenbrock"]
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
    options = tv.DEFAULTS["t_options"]["rosenbrock"]
    curvature = {}
    for t in (options[0], options[-1]):
        at.select_slider(key="taylor_t_rosenbrock").set_value(t).run()
        assert_clean(at)
        slice_fig, plane_fig = slice_and_plane(at)
        np.testing.assert_allclose(xy(trace(plane_fig, "GD step"))[0], s.start - t * g, rtol=1e-14)
        bowl = xy(trace(slice_fig, "bowl 1/(2t)"))
        ds = bowl[1, 0] - bowl[0, 0]
        curvature[t] = np.median(np.diff(bowl[:, 1], 2)) / ds ** 2
        active = slice_fig["layout"]["sliders"][0]["active"]
        assert float(slice_fig["frames"][active]["name"]) == pytest.approx(t)
    assert curvature[options[0]] == pytest.approx(1 / options[0], rel=1e-6)
    assert curvature[options[-1]] == pytest.approx(1 / options[-1], rel=1e-6)
    # the largest t overshoots the valley: the loss after the step is higher than now
    assert "(not lower)" in " ".join(c.value for c in at.caption)


def test_every_surface_and_the_start_extremes_run():
    at = open_page("taylor")
    for name in tv.DEFAULTS["surfaces"]:
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
        for t in (tv.DEFAULTS["t_options"][name][0], tv.DEFAULTS["t_options"][name][-1]):
            at.select_slider(key=f"taylor_t_{name}").set_value(t).run()
            assert_clean(at)


def test_rerun_is_fast():
    at = open_page("taylor")
    times = []
    for x in (-1.1, -1.0, -0.9, -0.8, -0.7):
        at.slider(key="taylor_start_x_rosenbrock").set_value(x)
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    assert_clean(at)
    assert np.median(times) < 0.5  # the budget is 250 ms; leave room for a busy test machine
