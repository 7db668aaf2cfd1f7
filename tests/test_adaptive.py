import numpy as np
import pytest

import optim_core as oc

DECK_GRADS = np.array([[3.0, 1.0], [-2.0, 1.0], [1.0, 1.0]])


def _steps(opt, grads, p0=(0.0, 0.0)):
    p = np.array(p0, dtype=float)
    state = opt.init(p)
    out = []
    for g in grads:
        u, state = opt.update(np.asarray(g, dtype=float), state, p)
        p = p + u
        out.append((u, state))
    return out


def test_adagrad_reproduces_the_deck_example():
    out = _steps(oc.make_optimizer("adagrad", lr=1.0, eps=0.0), DECK_GRADS)
    sums = [state.accumulator for _, state in out]
    np.testing.assert_array_equal(sums, [[9, 1], [13, 2], [14, 3]])
    third_update = out[2][0]
    np.testing.assert_allclose(third_update, [-1 / np.sqrt(14), -1 / np.sqrt(3)], rtol=1e-15)
    # W1, whose gradients were large, ends with the smaller step: 1/√14 < 1/√3.
    np.testing.assert_allclose(out[2][1].step_size, [1 / np.sqrt(14), 1 / np.sqrt(3)])


def test_rmsprop_first_steps_by_hand():
    out = _steps(oc.make_optimizer("rmsprop", lr=0.01, rho=0.9, eps=0.0), DECK_GRADS[:2])
    np.testing.assert_allclose(out[0][1].accumulator, [0.9, 0.1])  # 0.1·(9, 1)
    np.testing.assert_allclose(out[0][0], [-0.01 * 3 / np.sqrt(0.9), -0.01 / np.sqrt(0.1)])
    np.testing.assert_allclose(out[1][1].accumulator, [0.9 * 0.9 + 0.4, 0.9 * 0.1 + 0.1])


def test_adam_first_step_is_lr_times_sign():
    g = np.array([3.0, -0.002])
    (u, state), = _steps(oc.make_optimizer("adam", lr=0.1), [g])
    np.testing.assert_allclose(u, -0.1 * np.sign(g), rtol=1e-5)
    np.testing.assert_allclose(state.m, 0.1 * g)
    np.testing.assert_allclose(state.v, 0.001 * g**2)
    np.testing.assert_allclose(state.m_hat, g)
    np.testing.assert_allclose(state.v_hat, g**2)


def test_adam_second_step_by_hand():
    g1, g2 = np.array([1.0, 2.0]), np.array([3.0, -1.0])
    (_, _), (u2, s2) = _steps(oc.make_optimizer("adam", lr=0.01, eps=1e-8), [g1, g2])
    m = 0.9 * 0.1 * g1 + 0.1 * g2
    v = 0.999 * 0.001 * g1**2 + 0.001 * g2**2
    m_hat, v_hat = m / (1 - 0.81), v / (1 - 0.999**2)
    np.testing.assert_allclose(s2.m, m, rtol=1e-14)
    np.testing.assert_allclose(s2.v, v, rtol=1e-14)
    np.testing.assert_allclose(u2, -0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-14)
    assert s2.count == 2


def test_adam_eps_is_outside_the_square_root():
    g = np.array([1e-4, 1e-4])
    (u, _), = _steps(oc.make_optimizer("adam", lr=1.0, eps=1e-4), [g])
    np.testing.assert_allclose(u, -g / (np.sqrt(g**2) + 1e-4))  # = -0.5, not -g/√(g²+ε)
    assert u[0] == pytest.approx(-0.5)


def test_adam_without_bias_correction_takes_a_much_longer_first_step():
    g = np.array([2.0, -1.0])
    (u, state), = _steps(oc.make_optimizer("adam", lr=0.01, bias_correction=False, eps=0.0), [g])
    # m = 0.1 g, v = 0.001 g²: the step is 0.1/√0.001 ≈ 3.16 times lr.
    np.testing.assert_allclose(u, -0.01 * 0.1 / np.sqrt(0.001) * np.sign(g))
    np.testing.assert_array_equal(state.m_hat, state.m)


def test_adamax_first_steps_by_hand():
    g1, g2 = np.array([2.0, -1.0]), np.array([-4.0, 0.5])
    (u1, s1), (u2, s2) = _steps(oc.make_optimizer("adamax", lr=0.002, eps=0.0), [g1, g2])
    np.testing.assert_allclose(u1, -0.002 * np.sign(g1))
    np.testing.assert_allclose(s2.u, np.maximum(0.999 * np.abs(g1), np.abs(g2)))
    m2 = 0.9 * 0.1 * g1 + 0.1 * g2
    np.testing.assert_allclose(u2, -(0.002 / (1 - 0.81)) * m2 / s2.u)


def test_step_size_record_is_the_per_parameter_factor():
    (u, state), = _steps(oc.make_optimizer("rmsprop", lr=0.1), [np.array([5.0, 0.1])])
    np.testing.assert_allclose(u, -state.step_size * np.array([5.0, 0.1]))
    assert state.step_size[1] > state.step_size[0]  # small gradient, larger step


def test_adagrad_step_size_only_shrinks():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("adagrad", lr=0.5), s, s.start, 300)
    assert (np.diff(traj.records["step_size"], axis=0) <= 0).all()
    assert (np.diff(traj.records["accumulator"], axis=0) >= 0).all()


def test_adam_records_the_bias_corrections_it_divides_by():
    g = [np.array([1.0, -2.0]), np.array([0.5, 3.0]), np.array([-1.0, 1.0])]
    out = _steps(oc.make_optimizer("adam", lr=0.01), g)
    bc1 = [0.1, 0.19, 0.271]  # 1 - 0.9^t by hand
    bc2 = [0.001, 0.001999, 0.002997001]  # 1 - 0.999^t by hand
    for t, (_, state) in enumerate(out):
        assert state.bias_correction1 == pytest.approx(bc1[t], rel=1e-13)
        assert state.bias_correction2 == pytest.approx(bc2[t], rel=1e-12)
        np.testing.assert_allclose(state.m_hat, state.m / bc1[t], rtol=1e-13)
        np.testing.assert_allclose(state.v_hat, state.v / bc2[t], rtol=1e-12)
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("adam"), s, s.start, 3)
    np.testing.assert_allclose(traj.records["bias_correction1"], bc1, rtol=1e-13)
    np.testing.assert_allclose(traj.records["bias_correction2"], bc2, rtol=1e-12)


def test_adam_without_bias_correction_records_divisors_of_exactly_one():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("adam", bias_correction=False), s, s.start, 3)
    np.testing.assert_array_equal(traj.records["bias_correction1"], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(traj.records["bias_correction2"], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(traj.records["m_hat"], traj.records["m"])


def test_batched_beta1_gives_one_bias_correction_column_per_run():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("adam", beta1=[0.5, 0.9]), s, s.start, 3)
    np.testing.assert_allclose(traj.records["bias_correction1"],
                               [[0.5, 0.1], [0.75, 0.19], [0.875, 0.271]], rtol=1e-13)
    np.testing.assert_allclose(traj.records["bias_correction2"],
                               np.repeat([[0.001], [0.001999], [0.002997001]], 2, axis=1), rtol=1e-12)


def test_adamax_records_its_bias_correction():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("adamax"), s, s.start, 3)
    np.testing.assert_allclose(traj.records["bias_correction1"], [0.1, 0.19, 0.271], rtol=1e-13)
    np.testing.assert_allclose(traj.records["m_hat"], traj.records["m"] / np.array([0.1, 0.19, 0.271])[:, None],
                               rtol=1e-13)
