import numpy as np
import pytest

import optim_core as oc
from tolerance import assert_same_run, ulps


def _reference_sgd(lr):
    return lambda g, s: (-lr * g, s)


def _reference_adam(lr, b1=0.9, b2=0.999, eps=1e-8):
    """Adam's Algorithm 1, written plainly: state (t, m, v)."""
    def step(g, s):
        t, m, v = s if s is not None else (0, 0.0, 0.0)
        t += 1
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        return -lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), (t, m, v)
    return step


def _reference_lookahead(surface, inner_step, start, k, alpha, outer_steps, reset=False):
    """Lookahead's Algorithm 1 as nested loops.

    Returns every fast point (after a sync: φ), the slow weights φ_t and the points
    θ_{t,k} that each synchronisation moved φ towards.
    """
    phi = np.array(start, dtype=float)
    fast_path, slow, theta_k = [phi.copy()], [phi.copy()], []
    inner_state = None
    for _ in range(outer_steps):
        theta = phi.copy()
        if reset:
            inner_state = None
        for _ in range(k):
            u, inner_state = inner_step(surface.grad(theta), inner_state)
            theta = theta + u
            fast_path.append(theta)
        theta_k.append(theta)
        phi = phi + alpha * (theta - phi)
        fast_path[-1] = phi  # after the sync the fast weights restart from φ
        slow.append(phi.copy())
    return np.array(fast_path), np.array(slow), np.array(theta_k)


@pytest.mark.parametrize("inner", ["sgd", "adam"])
@pytest.mark.parametrize("reset", [False, True])
def test_matches_nested_loop_reference(inner, reset):
    s = oc.get_surface("rosenbrock")
    k, alpha, outer = 5, 0.8, 40  # 200 fast steps
    if inner == "sgd":
        opt_inner, ref_step = oc.make_optimizer("sgd", lr=1e-3), _reference_sgd(1e-3)
    else:
        opt_inner, ref_step = oc.make_optimizer("adam", lr=0.02), _reference_adam(0.02)
    opt = oc.make_optimizer("lookahead", inner=opt_inner, k=k, alpha=alpha, reset_inner=reset)
    traj = oc.run(opt, s, s.start, k * outer)
    fast, slow, theta_k = _reference_lookahead(s, ref_step, s.start, k, alpha, outer, reset)
    np.testing.assert_allclose(traj.params, fast, rtol=1e-9, atol=1e-12)
    synced = traj.records["synced"]
    assert synced.shape == (k * outer,) and synced.dtype == bool
    assert synced.sum() == outer and synced[k - 1] and not synced[:k - 1].any()
    np.testing.assert_allclose(traj.records["slow"][synced], slow[1:], rtol=1e-9, atol=1e-12)
    # `fast` is θ_{t,i} before any pull-back: θ_{t,k} at a sync, the step's params otherwise
    np.testing.assert_allclose(traj.records["fast"][synced], theta_k, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(traj.records["fast"][~synced], traj.params[1:][~synced])
    assert np.abs(traj.records["fast"][synced] - traj.params[1:][synced]).min() > 0


def test_keeping_versus_resetting_inner_state_differs():
    s = oc.get_surface("rosenbrock")
    keep = oc.run(oc.make_optimizer("lookahead", inner="adam", k=5, alpha=0.5), s, s.start, 50)
    reset = oc.run(oc.make_optimizer("lookahead", inner="adam", k=5, alpha=0.5, reset_inner=True),
                   s, s.start, 50)
    np.testing.assert_array_equal(keep.params[:6], reset.params[:6])
    assert np.abs(keep.params[7] - reset.params[7]).max() > 1e-6


@pytest.mark.parametrize("inner", ["sgd", "momentum", "adam", "rmsprop"])
def test_k1_alpha1_is_the_inner_optimizer(inner):
    s = oc.get_surface("rosenbrock")
    base = oc.make_optimizer(inner, lr=1e-3)
    la = oc.make_optimizer("lookahead", inner=base, k=1, alpha=1.0)
    np.testing.assert_allclose(oc.run(la, s, s.start, 300).params, oc.run(base, s, s.start, 300).params,
                               rtol=1e-12, atol=1e-14)


def test_alpha_k_grid_runs_as_one_batch_and_equals_single_runs():
    s = oc.get_surface("rosenbrock")
    alphas, ks = np.array([0.3, 0.5, 0.8]), np.array([1, 5, 10])
    aa, kk = np.meshgrid(alphas, ks, indexing="ij")
    inner = oc.make_optimizer("adam", lr=0.02)
    for reset in (False, True):
        grid = oc.make_optimizer("lookahead", inner=inner, k=kk.ravel(), alpha=aa.ravel(), reset_inner=reset)
        assert grid.batch_shape == (9,)
        batch = oc.run(grid, s, s.start, 120)
        for j, (a, k) in enumerate(zip(aa.ravel(), kk.ravel())):
            one = oc.run(oc.make_optimizer("lookahead", inner=inner, k=int(k), alpha=float(a), reset_inner=reset),
                         s, s.start, 120)
            assert_same_run(batch.params[:, j], one.params, 120)
            np.testing.assert_array_equal(batch.records["synced"][:, j], one.records["synced"])  # integer counting
            for key in ("fast", "slow", "m", "bias_correction1"):
                assert_same_run(batch.records[key][:, j], one.records[key], 120, err_msg=key)


def test_lookahead_tames_a_too_large_sgd_step():
    """The paper's point in miniature: a large step that oscillates converges under Lookahead."""
    s = oc.get_surface("elongated_quadratic")  # y-curvature 25: SGD needs lr < 0.08
    plain = oc.run(oc.make_optimizer("sgd", lr=0.079), s, s.start, 400)
    la = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=0.079), k=5, alpha=0.5),
                s, s.start, 400)
    # plain SGD's y-error shrinks only by |1 - 25·0.079| = 0.975 per step
    assert abs(plain.params[-1, 1]) == pytest.approx(1.5 * 0.975**400, rel=1e-6)
    assert abs(la.params[-1, 1]) < abs(plain.params[-1, 1])


@pytest.mark.parametrize("reset", [False, True])
def test_scalar_k_with_a_batch_of_alphas_equals_single_runs(reset):
    s = oc.get_surface("rosenbrock")
    alphas = np.array([0.2, 0.5, 0.8, 1.0])
    batch = oc.run(oc.make_optimizer("lookahead", inner=("adam", {"lr": 0.02}), k=5, alpha=alphas,
                                     reset_inner=reset), s, s.start, 60)
    assert batch.params.shape == (61, 4, 2) and batch.records["synced"].shape == (60, 4)
    for j, a in enumerate(alphas):
        one = oc.run(oc.make_optimizer("lookahead", inner=("adam", {"lr": 0.02}), k=5, alpha=float(a),
                                       reset_inner=reset), s, s.start, 60)
        assert_same_run(batch.params[:, j], one.params, 60)
        for key in one.records:
            assert_same_run(batch.records[key][:, j], one.records[key], 60, err_msg=key)
    # every α synchronises at steps 5, 10, …; with α = 1 the slow weights are θ_{t,k} itself
    np.testing.assert_array_equal(batch.records["synced"][:, 0], (np.arange(1, 61) % 5) == 0)
    synced = batch.records["synced"][:, 3]
    slow, fast = batch.records["slow"][synced, 3], batch.records["fast"][synced, 3]
    # φ + 1·(θ − φ) rounds twice: θ to within an ulp or two of the larger of |φ|, |θ|
    np.testing.assert_allclose(slow, fast, rtol=0, atol=ulps(4, np.abs(batch.records["slow"][:, 3]).max()))


def test_update_needs_params():
    la = oc.make_optimizer("lookahead", inner="sgd")
    with pytest.raises(ValueError, match="lookahead needs params"):
        la.update(np.ones(2), la.init(np.zeros(2)))


def test_extra_arguments_reach_the_inner_optimizer():
    s = oc.get_surface("elongated_quadratic")
    newton = oc.make_optimizer("newton", lr=0.5)
    la = oc.make_optimizer("lookahead", inner=newton, k=2, alpha=0.5)
    assert la.needs_hessian
    p = np.array([2.0, 1.0])
    u, state = la.update(s.grad(p), la.init(p), p, hessian=s.hessian(p))
    np.testing.assert_allclose(u, [-1.0, -0.5])  # half a Newton step: -0.5 · H⁻¹g = -0.5 · p
    with pytest.raises(ValueError, match="newton needs the Hessian"):
        la.update(s.grad(p), la.init(p), p)
    # k = 1, α = 1 is the inner optimizer, Hessian and all
    one = oc.make_optimizer("lookahead", inner=newton, k=1, alpha=1.0)
    np.testing.assert_allclose(oc.run(one, s, s.start, 6).params, oc.run(newton, s, s.start, 6).params,
                               rtol=1e-14, atol=1e-15)
