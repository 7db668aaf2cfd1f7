import numpy as np

import optim_core as oc
from pagetest import chart_bytes, charts, open_page, trace, xy


def test_home_draws_gradient_descent_from_the_start_with_the_minimum():
    at = open_page("home")
    fig = charts(at)[0]
    s = oc.get_surface("rosenbrock")
    want = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300).params
    np.testing.assert_allclose(xy(trace(fig, "gradient descent")), want, rtol=1e-12)
    np.testing.assert_array_equal(xy(trace(fig, "minimum")), [[1.0, 1.0]])
    np.testing.assert_array_equal(xy(trace(fig, "start")), [s.start])
    arrow = xy(trace(fig, "−∇L (which way)"))
    direction = arrow[1] - arrow[0]
    g = s.grad(s.start)
    np.testing.assert_allclose(direction / np.linalg.norm(direction), -g / np.linalg.norm(g), rtol=1e-12)
    assert len(fig["frames"]) == 60
    markdown = " ".join(m.value for m in at.markdown)
    assert "argmin" in markdown and "optimizer" in markdown
    assert any(r"\arg\min" in x.value for x in at.latex)
    assert chart_bytes(at)[0] < 1_000_000


def test_every_surface_and_the_extreme_settings_run():
    at = open_page("home")
    for name in oc.SURFACE_NAMES:
        at.selectbox(key="home_surface").set_value(name).run()
        assert not at.exception
        fig = charts(at)[0]
        s = oc.get_surface(name)
        assert fig["layout"]["xaxis"]["range"] == list(s.bounds[0])
    at.selectbox(key="home_surface").set_value("rosenbrock").run()
    for lr in (1e-4, 0.3):
        at.select_slider(key="home_lr").set_value(lr).run()
        assert not at.exception
    # 0.3 blows up on Rosenbrock: a notice, and a finite path
    assert any("diverged at step" in w.value for w in at.warning)
    assert np.isfinite(xy(trace(charts(at)[0], "gradient descent"))).all()
    for key, value in (("home_start_x_rosenbrock", -2.0), ("home_start_y_rosenbrock", 3.0),
                       ("home_start_x_rosenbrock", 2.0), ("home_start_y_rosenbrock", -1.0)):
        at.slider(key=key).set_value(value).run()
        assert not at.exception
    assert xy(trace(charts(at)[0], "start")).tolist() == [[2.0, -1.0]]


def test_a_surface_remembers_its_start_point_after_a_visit_elsewhere():
    at = open_page("home")
    at.slider(key="home_start_x_rosenbrock").set_value(0.5).run()
    at.selectbox(key="home_surface").set_value("saddle").run()
    assert xy(trace(charts(at)[0], "start")).tolist() == [list(oc.get_surface("saddle").start)]
    at.selectbox(key="home_surface").set_value("rosenbrock").run()
    assert not at.exception
    assert xy(trace(charts(at)[0], "start")).tolist() == [[0.5, 1.0]]
