import warnings

import numpy as np
import pytest

import optim_core as oc
from optim_core.newton import solve_2x2


@pytest.mark.parametrize("name", ["elongated_quadratic", "least_squares"])
def test_newton_solves_a_quadratic_in_one_step(name):
    s = oc.get_surface(name)
    traj = oc.run(oc.make_optimizer("newton"), s, s.start, 1)
    np.testing.assert_allclose(traj.params[1], s.minima[0], atol=1e-12)


def test_newton_is_drawn_to_the_saddle_point_even_uphill():
    s = oc.get_surface("saddle")
    traj = oc.run(oc.make_optimizer("newton"), s, [0.3, 1.5], 1)
    np.testing.assert_allclose(traj.params[1], [0.0, 0.0], atol=1e-15)
    assert traj.loss[0] == pytest.approx(0.09 - 2.25)
    assert traj.loss[1] == 0.0  # it climbed from -2.16 to the saddle


def test_damping_by_hand():
    s = oc.get_surface("elongated_quadratic")  # H = diag(1, 25)
    opt = oc.make_optimizer("newton", lr=1.0, damping=5.0)
    p = np.array([2.0, 1.0])
    u, state = opt.update(s.grad(p), opt.init(p), p, hessian=s.hessian(p))
    np.testing.assert_allclose(u, [-2.0 / 6.0, -25.0 / 30.0])
    np.testing.assert_allclose(state.step_size, [1 / 6, 1 / 30])


def test_enough_damping_turns_the_saddle_step_downhill():
    s = oc.get_surface("saddle")  # H = diag(2, -2); damping 3 gives diag(5, 1)
    opt = oc.make_optimizer("newton", damping=3.0)
    p = np.array([0.5, 0.2])
    u, _ = opt.update(s.grad(p), opt.init(p), p, hessian=s.hessian(p))
    np.testing.assert_allclose(u, [-0.2, 0.4])
    assert s.value(p + u) < s.value(p)


def test_singular_hessian_is_reported_as_divergence_without_warnings():
    s = oc.get_surface("rosenbrock")  # H(0, 0.005) = diag(0, 200)
    np.testing.assert_allclose(s.hessian([0.0, 0.005]), [[0.0, 0.0], [0.0, 200.0]], atol=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = oc.run(oc.make_optimizer("newton"), s, [0.0, 0.005], 10)
    assert traj.diverged_at == 1
    assert np.isfinite(traj.params).all()
    np.testing.assert_array_equal(traj.params[-1], [0.0, 0.005])


def test_newton_reaches_rosenbrock_minimum_quickly():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("newton"), s, s.start, 8)
    np.testing.assert_allclose(traj.params[-1], [1.0, 1.0], atol=1e-10)


def test_solve_2x2_matches_numpy():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(50, 2, 2))
    b = rng.normal(size=(50, 2))
    np.testing.assert_allclose(solve_2x2(a, b, 0.5), np.linalg.solve(a + 0.5 * np.eye(2), b[..., None])[..., 0],
                               rtol=1e-9, atol=1e-9)


def test_update_without_hessian_says_what_is_missing():
    opt = oc.make_optimizer("newton")
    with pytest.raises(ValueError, match="newton needs the Hessian"):
        opt.update(np.ones(2), opt.init(np.zeros(2)), np.zeros(2))
