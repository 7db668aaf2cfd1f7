r"""Step-size limits, best settings and rates of gradient descent and momentum on a quadratic.

On :math:`L(W) = \tfrac12 (W - W^*)^\top H (W - W^*)` every method here is linear, and along each
eigenvector of :math:`H` (curvature :math:`\lambda`) the distance to :math:`W^*` follows a recurrence
whose roots :math:`z` say everything: the run converges iff every :math:`|z| < 1`, and the largest
:math:`|z|` over the curvatures :math:`\lambda_1 \le \dots \le \lambda_n` is the *rate*, the factor by
which the distance shrinks per step. With :math:`\kappa = \lambda_n / \lambda_1` (the condition number):

- gradient descent :math:`W_{c+1} = W_c - t \nabla L(W_c)`: :math:`z = 1 - t\lambda`;
- the engine's momentum :math:`v_c = \mu v_{c-1} - t \nabla L(W_c),\ W_{c+1} = W_c + v_c`, which is
  Polyak's heavy ball :math:`W_{c+1} = W_c - t\nabla L(W_c) + \mu (W_c - W_{c-1})`:
  :math:`z^2 - (1 + \mu - t\lambda) z + \mu = 0`;
- Nesterov (the engine's look-ahead form): :math:`z^2 - (1 + \mu)(1 - t\lambda) z + \mu (1 - t\lambda) = 0`.

On any other surface the same formulas hold *locally*: with the curvatures of
:func:`local_curvature` at a point they describe the quadratic model there, not the whole run.
Pure functions of numbers (a scalar gives a float, a 1-D array of settings an array): no state.

References: Polyak, "Some methods of speeding up the convergence of iteration methods", 1964;
Goh, "Why Momentum Really Works", Distill 2017; Lessard, Recht & Packard, "Analysis and Design of
Optimization Algorithms via Integral Quadratic Constraints", SIAM J. Optim. 2016 (Nesterov).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

from ._validate import DECAY, POSITIVE, check_number
from .surfaces import Surface


class Best(NamedTuple):
    """A method's best constant setting on a quadratic, and the rate it reaches there."""

    lr: float  # the step size t
    momentum: float  # μ (0.0 for gradient descent)
    rate: float  # the contraction per step at (t, μ): the largest root modulus


def _out(x):
    """A float for a scalar, the array for a batch of settings."""
    return float(x) if np.ndim(x) == 0 else x


def _curvatures(lmin, lmax):
    lmin = check_number("lmin", lmin, POSITIVE)
    lmax = check_number("lmax", lmax, POSITIVE)
    if np.any(np.asarray(lmin) > np.asarray(lmax)):
        raise ValueError(f"lmin must be at most lmax, got lmin={lmin!r}, lmax={lmax!r}")
    return lmin, lmax


def gd_limit(lmax) -> float:
    r"""The largest stable step size of gradient descent: :math:`2/\lambda_{\max}`.

    .. math:: W_{c+1} - W^* = (I - tH)(W_c - W^*),\qquad |1 - t\lambda| < 1 \iff 0 < t\lambda < 2,

    so gradient descent converges for every start iff :math:`t < 2/\lambda_{\max}`, and for
    :math:`t > 2/\lambda_{\max}` the component along the steepest direction grows by
    :math:`|1 - t\lambda_{\max}| > 1` a step, flipping sign each time: it diverges.
    (At :math:`t = 2/\lambda_{\max}` exactly it bounces between two points.)

    Args:
        lmax: the largest curvature :math:`\lambda_{\max} > 0` (float or 1-D array).

    Reference: Goh 2017, "First steps: gradient descent".
    """
    lmax = check_number("lmax", lmax, POSITIVE)
    return _out(2 / lmax)


def heavy_ball_limit(lmax, mu) -> float:
    r"""The largest stable step size of the engine's momentum (heavy ball): :math:`(2 + 2\mu)/\lambda_{\max}`.

    With :math:`v_c = \mu v_{c-1} - t\nabla L(W_c),\ W_{c+1} = W_c + v_c`, each curvature :math:`\lambda`
    gives :math:`z^2 - (1 + \mu - t\lambda) z + \mu = 0`. For :math:`0 \le \mu < 1` both roots lie inside
    the unit circle iff (Jury's test) :math:`|1 + \mu - t\lambda| < 1 + \mu`, i.e.

    .. math:: 0 < t\lambda < 2 (1 + \mu),

    so the run converges iff :math:`t < 2(1 + \mu)/\lambda_{\max}` and diverges beyond: momentum
    allows up to twice gradient descent's step (:math:`\mu \to 1`). :math:`\mu = 0` is :func:`gd_limit`.

    Args:
        lmax: the largest curvature :math:`\lambda_{\max} > 0`.
        mu: the momentum :math:`\mu \in [0, 1)`.

    Reference: Goh 2017, "The dynamics of momentum"; Polyak 1964.
    """
    lmax = check_number("lmax", lmax, POSITIVE)
    mu = check_number("mu", mu, DECAY)
    return _out((2 + 2 * mu) / lmax)


def gd_best(lmin, lmax) -> Best:
    r"""Gradient descent's best step size on curvatures in :math:`[\lambda_1, \lambda_n]`, and its rate.

    .. math:: t^\star = \arg\min_t \max(|1 - t\lambda_1|, |1 - t\lambda_n|) = \frac{2}{\lambda_1 + \lambda_n},
              \qquad r = \frac{\lambda_n - \lambda_1}{\lambda_n + \lambda_1} = \frac{\kappa - 1}{\kappa + 1}

    At :math:`t^\star` the flattest and the steepest direction shrink by the same factor :math:`r`
    (one of them flipping sign), so the distance to the minimum is exactly :math:`r^c` times the start's.

    Args:
        lmin: the smallest curvature :math:`\lambda_1 > 0`.
        lmax: the largest curvature :math:`\lambda_n \ge \lambda_1`.

    Returns:
        ``Best(lr, momentum=0.0, rate)``; κ = 25: t = 1/13, r = 12/13.

    Reference: Goh 2017, "First steps: gradient descent".
    """
    low, high = _curvatures(lmin, lmax)
    kappa = high / low
    return Best(_out(2 / (low + high)), 0.0, _out((kappa - 1) / (kappa + 1)))


def heavy_ball_best(lmin, lmax) -> Best:
    r"""The heavy ball's best (t, μ) on curvatures in :math:`[\lambda_1, \lambda_n]`, and its rate.

    .. math::
        t^\star = \Big(\frac{2}{\sqrt{\lambda_1} + \sqrt{\lambda_n}}\Big)^2,\qquad
        \mu^\star = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2,\qquad
        r = \sqrt{\mu^\star} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}

    There both extreme curvatures sit on a double root: :math:`1 + \mu - t\lambda_1 = 2\sqrt\mu` and
    :math:`1 + \mu - t\lambda_n = -2\sqrt\mu`, and every curvature between has complex roots of modulus
    :math:`\sqrt\mu`. :math:`\sqrt\kappa` in place of κ is momentum's speed-up.

    Args:
        lmin: the smallest curvature :math:`\lambda_1 > 0`.
        lmax: the largest curvature :math:`\lambda_n \ge \lambda_1`.

    Returns:
        ``Best(lr, momentum, rate)``; κ = 25: t = 1/9, μ = 4/9, r = 2/3.

    Reference: Polyak 1964; Goh 2017, "Optimal parameters".
    """
    low, high = _curvatures(lmin, lmax)
    root = np.sqrt(high / low)
    return Best(_out((2 / (np.sqrt(low) + np.sqrt(high))) ** 2), _out(((root - 1) / (root + 1)) ** 2),
                _out((root - 1) / (root + 1)))


def nesterov_best(lmin, lmax) -> Best:
    r"""Nesterov's best (t, μ) on curvatures in :math:`[\lambda_1, \lambda_n]`, and its rate.

    .. math::
        t^\star = \frac{4}{3\lambda_n + \lambda_1},\qquad
        \mu^\star = \frac{\sqrt{3\kappa + 1} - 2}{\sqrt{3\kappa + 1} + 2},\qquad
        r = 1 - \frac{2}{\sqrt{3\kappa + 1}}

    Args:
        lmin: the smallest curvature :math:`\lambda_1 > 0`.
        lmax: the largest curvature :math:`\lambda_n \ge \lambda_1`.

    Returns:
        ``Best(lr, momentum, rate)``; κ = 25: t = 1/19, μ ≈ 0.627, r ≈ 0.771.

    Reference: Lessard, Recht & Packard 2016, §4.
    """
    low, high = _curvatures(lmin, lmax)
    root = np.sqrt(3 * (high / low) + 1)
    return Best(_out(4 / (3 * high + low)), _out((root - 2) / (root + 2)), _out(1 - 2 / root))


def _largest_root(polys: Iterable[tuple[float, float, float]]) -> float:
    return max(float(np.max(np.abs(np.roots(p)))) for p in polys)


def gd_rate(lr: float, curvatures: Iterable[float]) -> float:
    r"""Gradient descent's rate at step size ``lr``: :math:`\max_\lambda |1 - t\lambda|` (above 1: it diverges).

    Args:
        lr: the step size t.
        curvatures: the Hessian's eigenvalues (the extremes suffice: :math:`|1 - t\lambda|` is convex in λ).

    Reference: Goh 2017.
    """
    return float(max(abs(1 - lr * lam) for lam in curvatures))


def heavy_ball_rate(lr: float, mu: float, curvatures: Iterable[float]) -> float:
    r"""The heavy ball's rate at (t, μ): the largest root modulus of
    :math:`z^2 - (1 + \mu - t\lambda) z + \mu` over the curvatures (above 1: it diverges).

    Args:
        lr: the step size t.
        mu: the momentum μ.
        curvatures: the Hessian's eigenvalues (pass the extremes, or all of them).

    Reference: Goh 2017, "The dynamics of momentum".
    """
    return _largest_root((1.0, -(1 + mu - lr * lam), mu) for lam in curvatures)


def nesterov_rate(lr: float, mu: float, curvatures: Iterable[float]) -> float:
    r"""Nesterov's rate at (t, μ): the largest root modulus of
    :math:`z^2 - (1 + \mu)(1 - t\lambda) z + \mu (1 - t\lambda)` over the curvatures.

    Args:
        lr: the step size t.
        mu: the momentum μ.
        curvatures: the Hessian's eigenvalues.

    Reference: Lessard, Recht & Packard 2016; Goh 2017.
    """
    return _largest_root((1.0, -(1 + mu) * (1 - lr * lam), mu * (1 - lr * lam)) for lam in curvatures)


def local_curvature(surface: Surface, point) -> np.ndarray:
    r"""The curvatures at ``point``: the eigenvalues of :math:`\nabla^2 L(\text{point})`, ascending.

    .. math:: \nabla^2 L(W) = Q \,\mathrm{diag}(\lambda_1, \lambda_2)\, Q^\top,\qquad \lambda_1 \le \lambda_2

    On a quadratic bowl they are the same everywhere (1 and κ on ``elongated_quadratic``). On any other
    surface they are *local*: they describe the quadratic model :math:`L(W) + \nabla L^\top d +
    \tfrac12 d^\top \nabla^2 L\, d` at this point only, so :func:`gd_limit` of their maximum is the
    step size that is stable *here* (Rosenbrock's valley floor is far steeper than its start), and a
    negative eigenvalue (a saddle) means there is no minimum nearby to converge to.

    Args:
        surface: a :class:`~optim_core.surfaces.Surface`.
        point: shape (2,) or (..., 2).

    Returns:
        shape (2,) or (..., 2): :math:`(\lambda_{\min}, \lambda_{\max})` per point.
    """
    return np.linalg.eigvalsh(surface.hessian(point))
