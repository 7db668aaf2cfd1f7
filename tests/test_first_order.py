import numpy as np
import pytest

import optim_core as oc

G1, G2 = np.array([3.0, -4.0]), np.array([1.0, 2.0])
P = np.array([1.0, 2.0])


def _two_steps(opt):
    state = opt.init(P)
    u1, state = opt.update(G1, state, P)
    u2, state = opt.update(G2, state, P + u1)
    return u1, u2, state


def test_sgd_first_steps_by_hand():
    u1, u2, state = _two_steps(oc.make_optimizer("sgd", lr=0.1))
    np.testing.assert_allclose(u1, [-0.3, 0.4])
    np.testing.assert_allclose(u2, [-0.1, -0.2])
    np.testing.assert_allclose(state.step_size, [0.1, 0.1])


def test_momentum_first_steps_by_hand():
    # v1 = -t g1 = (-0.3, 0.4); v2 = μ v1 - t g2 = 0.9·(-0.3, 0.4) - (0.1, 0.2)
    u1, u2, state = _two_steps(oc.make_optimizer("momentum", lr=0.1, momentum=0.9))
    np.testing.assert_allclose(u1, [-0.3, 0.4])
    np.testing.assert_allclose(u2, [-0.37, 0.16])
    np.testing.assert_allclose(state.velocity, [-0.37, 0.16])


def test_nesterov_first_steps_by_hand():
    # step 1: v1 = (-0.3, 0.4), update = μ v1 - t g1 = (-0.57, 0.76)
    # step 2: v2 = (-0.37, 0.16), update = μ v2 - t g2 = (-0.433, -0.056)
    u1, u2, state = _two_steps(oc.make_optimizer("nesterov", lr=0.1, momentum=0.9))
    np.testing.assert_allclose(u1, [-0.57, 0.76])
    np.testing.assert_allclose(u2, [-0.433, -0.056])


def test_momentum_with_zero_mu_is_sgd():
    s = oc.get_surface("rosenbrock")
    a = oc.run(oc.make_optimizer("momentum", lr=1e-3, momentum=0.0), s, s.start, 300)
    b = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
    # exact: 0·v − t·g is −t·g in IEEE arithmetic, and × and − are correctly rounded on every SIMD path
    np.testing.assert_array_equal(a.params, b.params)


def test_nesterov_equals_sutskever_lookahead_gradient_form():
    """Step Sutskever's form (gradient at W + μv) by hand; our params are W + μ v_prev."""
    s = oc.get_surface("elongated_quadratic")
    t, mu, steps = 0.03, 0.8, 150
    w, v = s.start.copy(), np.zeros(2)
    expected = [w.copy()]
    for _ in range(steps):
        v = mu * v - t * s.grad(w + mu * v)
        w = w + v
        expected.append(w + mu * v)  # the look-ahead point after this step
    traj = oc.run(oc.make_optimizer("nesterov", lr=t, momentum=mu), s, s.start, steps)
    np.testing.assert_allclose(traj.params, np.array(expected), rtol=1e-10, atol=1e-12)


def test_momentum_beats_gd_on_the_elongated_valley():
    s = oc.get_surface("elongated_quadratic")
    gd = oc.run(oc.make_optimizer("sgd", lr=0.07), s, s.start, 100)
    hb = oc.run(oc.make_optimizer("momentum", lr=0.07, momentum=0.7), s, s.start, 100)
    # GD's slow direction contracts by (1 - 0.07) per step: 5·0.93¹⁰⁰ ≈ 3.5e-3 in x.
    assert gd.params[-1, 0] == pytest.approx(-5.0 * 0.93**100, rel=1e-9)
    assert hb.loss[-1] < 1e-6 * gd.loss[-1]
