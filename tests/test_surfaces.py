import numpy as np
import pytest

import optim_core as oc
from optim_core.surfaces import HIMMELBLAU_MINIMA, least_squares_data
from tolerance import ulps

RNG = np.random.default_rng(1)


def _points(surface, n=25):
    (x0, x1), (y0, y1) = surface.bounds
    return np.column_stack([RNG.uniform(x0, x1, n), RNG.uniform(y0, y1, n)])


def _fd_grad(f, p, h=1e-6):
    e = np.eye(2) * h
    return np.stack([(f(p + e[k]) - f(p - e[k])) / (2 * h) for k in range(2)], axis=-1)


@pytest.mark.parametrize("name", oc.SURFACE_NAMES)
def test_gradient_matches_finite_differences(name):
    s = oc.get_surface(name)
    p = _points(s)
    fd = _fd_grad(s.value, p)
    np.testing.assert_allclose(s.grad(p), fd, rtol=1e-6, atol=1e-7 * (1 + np.abs(fd).max()))


@pytest.mark.parametrize("name", oc.SURFACE_NAMES)
def test_hessian_matches_finite_differences_of_gradient(name):
    s = oc.get_surface(name)
    p = _points(s)
    h = 1e-6
    fd = np.stack([(s.grad(p + h * e) - s.grad(p - h * e)) / (2 * h) for e in np.eye(2)], axis=-1)
    np.testing.assert_allclose(s.hessian(p), fd, rtol=1e-6, atol=1e-4)
    np.testing.assert_array_equal(s.hessian(p)[..., 0, 1], s.hessian(p)[..., 1, 0])


@pytest.mark.parametrize("name", oc.SURFACE_NAMES)
def test_vectorised_over_any_leading_shape(name):
    s = oc.get_surface(name)
    grid = _points(s, 12).reshape(3, 4, 2)
    assert s.value(grid).shape == (3, 4)
    assert s.grad(grid).shape == (3, 4, 2)
    assert s.hessian(grid).shape == (3, 4, 2, 2)
    # a grid and one point may take different NumPy loops (SIMD or scalar ``y**3``, matmul sums), which need
    # not round alike: allow 64 ulp of the values' scale on the grid (a handful of operations per value)
    np.testing.assert_allclose(s.value(grid)[1, 2], s.value(grid[1, 2]), rtol=0, atol=ulps(64, 1 + s.value(grid)))
    np.testing.assert_allclose(s.grad(grid)[2, 3], s.grad(grid[2, 3]), rtol=0, atol=ulps(64, 1 + np.abs(s.grad(grid))))


@pytest.mark.parametrize("name", oc.SURFACE_NAMES)
def test_minima_are_stationary_and_inside_bounds_with_start(name):
    s = oc.get_surface(name)
    for point in list(s.minima) + [s.start]:
        (x0, x1), (y0, y1) = s.bounds
        assert x0 <= point[0] <= x1 and y0 <= point[1] <= y1
    if len(s.minima):
        np.testing.assert_allclose(s.grad(s.minima), 0.0, atol=1e-9)
        assert (np.linalg.eigvalsh(s.hessian(s.minima)) > 0).all()


def test_hand_values():
    ros = oc.get_surface("rosenbrock")
    assert ros.value([-1.2, 1.0]) == pytest.approx(24.2)  # 2.2² + 100·0.44²
    np.testing.assert_allclose(ros.grad([-1.2, 1.0]), [-215.6, -88.0])
    np.testing.assert_allclose(ros.hessian([1.0, 1.0]), [[802.0, -400.0], [-400.0, 200.0]])
    assert oc.get_surface("beale").value([3.0, 0.5]) == pytest.approx(0.0)
    np.testing.assert_allclose(oc.get_surface("himmelblau").value(HIMMELBLAU_MINIMA), 0.0, atol=1e-20)
    sad = oc.get_surface("saddle")
    assert sad.value([2.0, 3.0]) == -5.0
    assert len(sad.minima) == 0
    np.testing.assert_allclose(np.linalg.eigvalsh(sad.hessian([0.3, 0.4])), [-2.0, 2.0])


def test_elongated_quadratic_is_ill_conditioned():
    s = oc.get_surface("elongated_quadratic")
    eig = np.linalg.eigvalsh(s.hessian([0.0, 0.0]))
    assert eig.max() / eig.min() >= 20
    assert s.value([2.0, 1.0]) == pytest.approx(0.5 * (4 + 25))


def test_least_squares_is_a_true_finite_sum():
    s = oc.get_surface("least_squares")
    X, y = least_squares_data()
    assert s.n_examples == len(y) == 20
    w = np.array([[0.3, -0.7], [1.0, 0.5]])
    per_example_loss = 0.5 * (w @ X.T - y) ** 2  # (2, m)
    np.testing.assert_allclose(s.value(w), per_example_loss.mean(axis=-1), rtol=1e-12)
    np.testing.assert_allclose(s.example_grads(w).mean(axis=-2), s.grad(w), rtol=1e-12)
    np.testing.assert_allclose(s.example_grads(w)[1, 4], (w[1] @ X[4] - y[4]) * X[4])
    idx = np.array([[0, 3, 7], [19, 2, 5]])
    expected = np.stack([s.example_grads(w[b])[idx[b]].mean(axis=0) for b in range(2)])
    np.testing.assert_allclose(s.minibatch_grad(w, idx), expected, rtol=1e-12)
    w_star, *_ = np.linalg.lstsq(X, y, rcond=None)
    np.testing.assert_allclose(s.minima[0], w_star, rtol=1e-10)
    eig = np.linalg.eigvalsh(s.hessian(w_star))
    assert eig.max() / eig.min() > 10  # elongated level sets


def test_same_data_every_time():
    a, b = oc.get_surface("least_squares"), oc.get_surface("least_squares")
    np.testing.assert_array_equal(a.targets, b.targets)


def test_unknown_surface_lists_the_known_ones():
    with pytest.raises(ValueError, match="unknown surface 'rosenbrok'; known: beale, elongated_quadratic"):
        oc.get_surface("rosenbrok")


def test_grid_orientation():
    s = oc.get_surface("saddle")
    xs, ys, z = s.grid(5)
    assert z[0, 4] == pytest.approx(s.value([xs[4], ys[0]]))


def test_a_scaled_finite_sum_scales_its_per_example_gradients_too():
    s = oc.get_surface("least_squares")
    big = s.scaled(10.0)
    assert isinstance(big, oc.FiniteSumSurface) and big.is_finite_sum and big.loss_scale == 10.0
    w = np.array([[0.3, -0.7], [1.0, 0.5]])
    np.testing.assert_allclose(big.example_grads(w), 10.0 * s.example_grads(w), rtol=1e-14)
    np.testing.assert_allclose(big.example_grads(w).mean(axis=-2), big.grad(w), rtol=1e-12)
    idx = np.array([[0, 3, 7], [19, 2, 5]])
    np.testing.assert_allclose(big.minibatch_grad(w, idx), 10.0 * s.minibatch_grad(w, idx), rtol=1e-14)
    assert big.scaled(0.5).loss_scale == 5.0
    assert not oc.get_surface("rosenbrock").is_finite_sum
