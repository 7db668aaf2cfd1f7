"""The Momentum page through AppTest: its charts hold optim_core's numbers."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy
from ui.momentum import DEFAULTS, METHODS, arrow_scale, hyper

LABELS = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov"}


def _expected(surface="elongated_quadratic", lr=None, mu=DEFAULTS["mu"], steps=None, start=None):
    s = oc.get_surface(surface)
    lr = DEFAULTS["lr"][surface] if lr is None else lr
    steps = DEFAULTS["steps"][surface] if steps is None else steps
    start = s.start if start is None else start
    return {m: oc.run(oc.make_optimizer(m, **hyper(m, lr, mu)), s, start, steps) for m in METHODS}


def _arrow(fig: dict, step: int) -> np.ndarray:
    """The velocity arrow's two points in the animation frame of ``step``."""
    index = next(i for i, t in enumerate(fig["data"]) if str(t.get("name", "")).startswith("velocity v"))
    frame = next(f for f in fig["frames"] if f["name"] == str(step))
    return xy(frame["data"][list(frame["traces"]).index(index)])


@pytest.fixture(scope="module")
def page():
    return open_page("momentum")


def test_defaults_draw_optim_core_paths_and_losses(page):
    assert_clean(page)
    assert not page.warning
    paths, losses = charts(page)
    want = _expected()
    for m in METHODS:
        np.testing.assert_allclose(xy(trace(paths, LABELS[m])), want[m].params, rtol=1e-12)
        np.testing.assert_allclose(trace(losses, LABELS[m])["y"], want[m].loss, rtol=1e-12)
    assert losses["layout"]["yaxis"]["type"] == "log"
    assert len(paths["frames"]) == DEFAULTS["steps"]["elongated_quadratic"] + 1  # one frame per step
    # the deck's claim, in numbers: after 50 steps momentum is far below gradient descent
    assert want["momentum"].loss[-1] < 1e-6 * want["sgd"].loss[-1]
    assert any(r"\mu\, v_{c-1} - t_c \nabla L(W_c)" in x.value for x in page.latex)
    assert any(r"W_c + \mu\, v_{c-1}" in x.value for x in page.latex)  # Nesterov's look-ahead
    assert any("look-ahead point" in m.value for m in page.markdown)


def test_velocity_arrow_is_the_recorded_velocity(page):
    fig = charts(page)[0]
    run = _expected()["momentum"]
    velocity = run.records["velocity"]
    scale = arrow_scale(velocity, oc.get_surface("elongated_quadratic"))
    assert scale == 1.0  # at the defaults the arrows are drawn to true length
    for k in (1, 2, 10, 33, 50):
        arrow = _arrow(fig, k)
        np.testing.assert_allclose(arrow[0], run.params[k], rtol=1e-12)
        np.testing.assert_allclose(arrow[1] - arrow[0], scale * velocity[k - 1], rtol=1e-9, atol=1e-15)
    assert _arrow(fig, 0).shape == (0, 2)
    assert any("true length" in c.value for c in page.caption)


def test_mu_zero_is_gradient_descent_and_mu_changes_the_path():
    at = open_page("momentum")
    at.slider(key="momentum_mu").set_value(0.0).run()
    assert_clean(at)
    paths, losses = charts(at)
    np.testing.assert_array_equal(xy(trace(paths, "Momentum")), xy(trace(paths, "Gradient descent")))
    np.testing.assert_array_equal(trace(losses, "Momentum")["y"], trace(losses, "Gradient descent")["y"])
    at.slider(key="momentum_mu").set_value(0.99).run()
    assert_clean(at)
    paths = charts(at)[0]
    want = _expected(mu=0.99)
    np.testing.assert_allclose(xy(trace(paths, "Momentum")), want["momentum"].params, rtol=1e-12)
    np.testing.assert_allclose(xy(trace(paths, "Nesterov")), want["nesterov"].params, rtol=1e-12)
    assert not np.allclose(xy(trace(paths, "Momentum")), xy(trace(paths, "Gradient descent")))


def test_large_step_size_diverges_with_a_warning_and_a_finite_path():
    at = open_page("momentum")
    at.select_slider(key="momentum_lr_elongated_quadratic").set_value(DEFAULTS["lr_options"][-1]).run()
    assert_clean(at)
    want = _expected(lr=DEFAULTS["lr_options"][-1])
    warnings = [w.value for w in at.warning]
    for m in METHODS:  # t = 0.5 on curvature 25: all three blow up
        assert want[m].diverged_at is not None
        assert any(w.startswith(f"{LABELS[m]} diverged at step {want[m].diverged_at}") for w in warnings)
    paths = charts(at)[0]
    for m in METHODS:
        assert np.isfinite(xy(trace(paths, LABELS[m]))).all()
    at.select_slider(key="momentum_lr_elongated_quadratic").set_value(DEFAULTS["lr_options"][0]).run()
    assert_clean(at)
    assert not at.warning
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Momentum")), _expected(lr=1e-4)["momentum"].params)


def test_steps_start_and_surfaces_at_their_extremes():
    at = open_page("momentum")
    for steps in (10, DEFAULTS["steps_high"]):
        at.slider(key="momentum_elongated_quadratic_steps").set_value(steps).run()
        assert_clean(at)
        paths = charts(at)[0]
        assert len(xy(trace(paths, "Nesterov"))) == steps + 1
        assert len(paths["frames"]) == min(steps + 1, 60)
    at.slider(key="momentum_elongated_quadratic_steps").set_value(DEFAULTS["steps"]["elongated_quadratic"]).run()
    for key, value in (("momentum_start_x_elongated_quadratic", 6.0), ("momentum_start_y_elongated_quadratic", -3.0)):
        at.slider(key=key).set_value(value).run()
        assert_clean(at)
    np.testing.assert_allclose(xy(trace(charts(at)[0], "Momentum")),
                               _expected(start=np.array([6.0, -3.0]))["momentum"].params, rtol=1e-12)
    for name in DEFAULTS["surfaces"][1:]:  # the start sliders are per surface: each opens at its own demo start
        at.selectbox(key="momentum_surface").set_value(name).run()
        assert_clean(at)
        paths = charts(at)[0]
        assert paths["layout"]["xaxis"]["range"] == list(oc.get_surface(name).bounds[0])
        np.testing.assert_allclose(xy(trace(paths, "Momentum")), _expected(name)["momentum"].params, rtol=1e-12)
        for lr in (DEFAULTS["lr_options"][0], DEFAULTS["lr_options"][-1]):
            at.select_slider(key=f"momentum_lr_{name}").set_value(lr).run()
            assert_clean(at)
            assert np.isfinite(xy(trace(charts(at)[0], "Gradient descent"))).all()


def test_json_budgets(page):
    sizes = chart_bytes(page)
    assert len(sizes) == 2
    assert max(sizes) <= 1_000_000
    assert sum(sizes) <= 2_000_000
