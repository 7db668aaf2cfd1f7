import warnings

import numpy as np
import pytest

import optim_core as oc
from optim_core.newton import solve_2x2
from tolerance import assert_same_run


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
    assert traj.diverged_at.shape == () and int(traj.diverged_at) == 1 and bool(traj.diverged)
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


def test_update_reads_the_hessian_from_extra_args():
    s = oc.get_surface("elongated_quadratic")
    opt = oc.make_optimizer("newton")
    p = np.array([2.0, 1.0])
    u, _ = opt.update(s.grad(p), opt.init(p), p, **{"hessian": s.hessian(p), "unused": 1})
    np.testing.assert_allclose(u, -p)  # the full Newton step to the minimum at 0
    u_no_params, _ = opt.update(s.grad(p), opt.init(p), hessian=s.hessian(p))
    np.testing.assert_array_equal(u_no_params, u)


def test_batched_damping_equals_single_runs():
    s = oc.get_surface("rosenbrock")
    dampings = np.array([0.0, 1.0, 10.0, 100.0])
    batch = oc.run(oc.make_optimizer("newton", damping=dampings), s, s.start, 20)
    assert batch.params.shape == (21, 4, 2)
    for j, lam in enumerate(dampings):
        one = oc.run(oc.make_optimizer("newton", damping=float(lam)), s, s.start, 20)
        assert_same_run(batch.params[:, j], one.params, 20)
        assert_same_run(batch.records["step_size"][:, j], one.records["step_size"], 20)
    assert len({tuple(p) for p in batch.params[5]}) == 4  # the dampings really differ


def test_large_damping_is_gradient_descent_with_step_t_over_lambda():
    s = oc.get_surface("elongated_quadratic")  # H = diag(1, 25), so (H + λI)⁻¹ is diagonal
    lam, t, steps = 1e9, 3e7, 5  # t/λ = 0.03
    newton = oc.run(oc.make_optimizer("newton", lr=t, damping=lam), s, s.start, steps)
    # by hand: each coordinate contracts by 1 - t·h/(h + λ) per step
    h = np.array([1.0, 25.0])
    exact = s.start * (1 - t * h / (h + lam)) ** np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(newton.params, exact, rtol=1e-12)
    # GD with step t/λ contracts by 1 - 0.03·h: per step the factors differ by a relative
    # 0.03·h²/(λ(1 - 0.03h)) ≤ 7.5e-8, so after five steps by less than 4e-7.
    gd = oc.run(oc.make_optimizer("sgd", lr=t / lam), s, s.start, steps)
    np.testing.assert_allclose(newton.params, gd.params, rtol=4e-7)
    assert np.abs(newton.params - gd.params).max() > 0  # close, not the same computation
