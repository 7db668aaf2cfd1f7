import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy


def test_home_draws_gradient_descent_from_the_start_with_the_minimum():
    at = open_page("home")
    assert_clean(at)
    fig = charts(at)[0]
    s = oc.get_surface("rosenbrock")
    want = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
    np.testing.assert_allclose(xy(trace(fig, "gradient descent")), want.params, rtol=1e-12)
    np.testing.assert_array_equal(xy(trace(fig, "minimum")), [[1.0, 1.0]])
    np.testing.assert_array_equal(xy(trace(fig, "start")), [s.start])
    # the arrow: from the start along −∇L(−1.2, 1) = (215.6, 88), 0.18 × the half-width 2 long
    arrow = xy(trace(fig, "−∇L (which way)"))
    np.testing.assert_array_equal(arrow[0], [-1.2, 1.0])
    unit = np.array([215.6, 88.0]) / np.hypot(215.6, 88.0)
    np.testing.assert_allclose(arrow[1] - arrow[0], 0.36 * unit, rtol=1e-12)
    assert len(fig["frames"]) == 60
    markdown = " ".join(m.value for m in at.markdown)
    assert "argmin" in markdown and "optimizer" in markdown
    assert any(r"\arg\min" in x.value for x in at.latex)
    assert any(r"W_{c+1} = W_c - t\,\nabla L(W_c)" in x.value for x in at.latex)
    # L(−1.2, 1) = 2.2² + 100·0.44² = 24.2
    assert at.caption[-1].value == f"Loss at the start: 24.2 · after 300 steps: {want.loss[-1]:.4g}"
    assert want.loss[-1] < 24.2 / 5
    assert not at.warning
    assert chart_bytes(at)[0] < 1_000_000


def test_every_surface_and_the_extreme_settings_run():
    at = open_page("home")
    for name in oc.SURFACE_NAMES:
        at.selectbox(key="home_surface").set_value(name).run()
        assert_clean(at)
        fig = charts(at)[0]
        s = oc.get_surface(name)
        assert fig["layout"]["xaxis"]["range"] == list(s.bounds[0])
        want = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
        np.testing.assert_allclose(xy(trace(fig, "gradient descent")), want.params, rtol=1e-12)
    at.selectbox(key="home_surface").set_value("rosenbrock").run()
    for lr in (1e-4, 0.3):
        at.select_slider(key="home_lr").set_value(lr).run()
        assert_clean(at)
    # 0.3 blows up on Rosenbrock: a notice naming optim_core's step, and a finite path
    s = oc.get_surface("rosenbrock")
    blown = oc.run(oc.make_optimizer("sgd", lr=0.3), s, s.start, 300)
    assert bool(blown.diverged)
    assert [w.value for w in at.warning] == [
        f"Gradient descent diverged at step {int(blown.diverged_at)}: try a smaller learning rate. "
        "The chart shows the path up to the last finite point."]
    path = xy(trace(charts(at)[0], "gradient descent"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, blown.params, rtol=1e-12)
    for key, value in (("home_start_x_rosenbrock", -2.0), ("home_start_y_rosenbrock", 3.0),
                       ("home_start_x_rosenbrock", 2.0), ("home_start_y_rosenbrock", -1.0)):
        at.slider(key=key).set_value(value).run()
        assert_clean(at)
    assert xy(trace(charts(at)[0], "start")).tolist() == [[2.0, -1.0]]


def test_the_step_size_slider_changes_the_path():
    at = open_page("home")
    s = oc.get_surface("rosenbrock")
    at.select_slider(key="home_lr").set_value(1e-4).run()
    assert_clean(at)
    slow = oc.run(oc.make_optimizer("sgd", lr=1e-4), s, s.start, 300)
    np.testing.assert_allclose(xy(trace(charts(at)[0], "gradient descent")), slow.params, rtol=1e-12)
    assert at.caption[-1].value.endswith(f"after 300 steps: {slow.loss[-1]:.4g}")
    assert slow.loss[-1] == pytest.approx(float(s.value(slow.params[-1])))


def test_a_surface_remembers_its_start_point_after_a_visit_elsewhere():
    at = open_page("home")
    at.slider(key="home_start_x_rosenbrock").set_value(0.5).run()
    at.selectbox(key="home_surface").set_value("saddle").run()
    assert xy(trace(charts(at)[0], "start")).tolist() == [list(oc.get_surface("saddle").start)]
    at.selectbox(key="home_surface").set_value("rosenbrock").run()
    assert_clean(at)
    assert xy(trace(charts(at)[0], "start")).tolist() == [[0.5, 1.0]]
