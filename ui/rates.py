"""How fast a run converges, measured and in theory: pure functions any page can use on any run.

``measured_rate`` fits the contraction per step of a shrinking sequence (a distance to the minimum, or ‖∇L‖:
``grad_norms``); ``theory_rate`` is the rate of gradient descent, the heavy ball and Nesterov at a setting on a
quadratic bowl, whose curvatures ``quadratic_curvatures`` finds (Goh 2017, "Why Momentum Really Works"). Shared
by the Momentum page (``ui.pages.momentum_rates``: each method at its best, the rate tables) and the Compare page
(its summary's rate per step), so neither page builder imports the other. The formulas themselves (rates,
step-size limits) live in ``optim_core.stability``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

import optim_core as oc
from optim_core import stability as st
from ui.i18n import num

RATE_TAIL = 0.5  # a rate is fitted over the last half of the run
# a distance below ROUNDING · |W*| is rounding noise, no longer progress (none at W* = 0: floats resolve 1e-300)
ROUNDING = 1e-12


def measured_rate(values, tail: float = RATE_TAIL, floor: float = 0.0) -> float:
    r"""The contraction per step of a shrinking sequence: the geometric rate fitted to its last steps.

    .. math:: \hat r = e^{s},\quad (s, b) = \arg\min \sum_{k=M}^{N} \big(\log d_k - b - s\,k\big)^2,
              \quad M = N - \lceil \text{tail}\cdot N \rceil

    ``values`` are d_0 … d_N ≥ 0, one run's distance to the minimum (or ‖∇L‖) at every step; cut a
    diverged run before its blow-up. A value at or below ``floor`` ends the series (from there on it is
    rounding noise): the fit uses the steps before it, and a run that gets there within two steps reads 0
    (faster than any geometric rate: Newton on a quadratic). NaN when there is nothing to measure (fewer
    than two steps, a start already at the floor, a value that is not finite).

    Why a least-squares slope over the last half, and why it is accurate here:

    - d_k = C rᵏ (gradient descent, any iteration whose roots differ): r exactly.
    - Complex roots (an under-damped heavy ball) make d_k oscillate as |cos(kθ + φ)| rᵏ; the slope over
      many steps averages that out, where the ratio of the two end points does not (heavy ball on the
      κ = 25 bowl, t = 0.02, μ = 0.95, 100 steps: the fit reads 0.978, the end points 0.944; theory 0.975).
    - At a double root, which is exactly where heavy ball and Nesterov sit at their best μ, the iteration
      is not diagonalisable and d_k = (a + b k) rᵏ. The factor k adds the slope of log k over the window,
      about e^{1.35/N} − 1 for the last half of N steps: 1.4 % at N = 100, 0.7 % at N = 200 (measured on
      the κ = 25 bowl: heavy ball reads 0.6757 and 0.6712 for 2/3; Nesterov 0.7804 and 0.7757 for 0.7706),
      under 5 % from N ≈ 30. The ratio (d_N / d_{N/2})^{2/N} has the same bias (2^{2/N}), so the fit costs
      nothing there.

    Reference: Goh, "Why Momentum Really Works", Distill 2017 (the rates ``best_rate`` and ``theory_rate``).
    """
    if not 0 < tail <= 1:
        raise ValueError(f"tail must be in (0, 1], got {tail}")
    d = np.asarray(values, dtype=float).ravel()
    if d.size < 3 or not np.all(np.isfinite(d)) or d[0] <= floor:
        return float("nan")
    reached = np.flatnonzero(d <= floor)
    if reached.size:
        if reached[0] <= 2:
            return 0.0
        d = d[: reached[0]]
    n = d.size - 1
    first = max(0, n - max(2, math.ceil(tail * n)))
    slope = np.polyfit(np.arange(first, n + 1), np.log(d[first:]), 1)[0]
    return float(np.exp(slope))


def quadratic_curvatures(surface: oc.Surface) -> tuple[float, float] | None:
    """(λ₁, λₙ), the smallest and largest eigenvalue of the surface's Hessian when that Hessian is the same
    everywhere and positive definite (a quadratic bowl: 1 and 25 on the elongated bowl); None otherwise."""
    (x0, x1), (y0, y1) = surface.bounds
    probes = np.array([[x0, y0], [x1, y1], [x0, y1], [x1, y0], surface.start, surface.center])
    hessians = surface.hessian(probes)
    if not np.allclose(hessians, hessians[0], rtol=1e-12, atol=1e-12):
        return None
    low, high = np.linalg.eigvalsh(hessians[0])
    return (float(low), float(high)) if low > 0 else None


def theory_rate(method: str, setting: Mapping[str, float], curvatures) -> float:
    r"""The rate of ``method`` at ``setting`` (``lr``, ``momentum``) on a quadratic with these curvatures:
    the largest root modulus of its recurrence along any eigenvector (above 1: it diverges).

    .. math:: \text{GD: } z = 1 - t\lambda;\quad \text{heavy ball: } z^2 - (1 + \mu - t\lambda)\,z + \mu;\quad
              \text{Nesterov: } z^2 - (1+\mu)(1 - t\lambda)\,z + \mu\,(1 - t\lambda)

    Goh 2017, "The dynamics of momentum".
    """
    lr, mu = setting["lr"], setting.get("momentum", 0.0)
    if method == "sgd":
        return st.gd_rate(lr, curvatures)
    return {"momentum": st.heavy_ball_rate, "nesterov": st.nesterov_rate}[method](lr, mu, curvatures)


# --- ‖∇L‖ per step (issue 19, item 3) ---

def grad_norms(run: oc.Trajectory, surface: oc.Surface) -> np.ndarray:
    r"""‖∇L(W_c)‖ at every recorded point c = 0 … steps, from ``surface``'s exact gradient at ``run.params``.

    .. math:: g_c = \lVert \nabla L(W_c) \rVert

    Exact, not the gradient the step used, so a stochastic run reads its true gradient. NaN where there is
    no such point: from a blow-up on (``diverged_at``: those rows repeat the last finite one) and after a run
    stopped by ``tol`` (``converged_at``: they repeat the row it stopped at). Shape (steps+1,), or (steps+1, B).
    """
    with np.errstate(all="ignore"):
        norms = np.linalg.norm(surface.grad(np.asarray(run.params, dtype=float)), axis=-1)
    rows = np.arange(len(norms)).reshape((-1,) + (1,) * (norms.ndim - 1))
    blew_up = np.asarray(run.diverged_at)
    stopped = np.broadcast_to(np.asarray(run.converged_at), blew_up.shape)
    gone = ((blew_up >= 0) & (rows >= blew_up)) | ((stopped >= 0) & (rows > stopped)) | ~np.isfinite(norms)
    return np.where(gone, np.nan, norms)


def gradient_floor(surface: oc.Surface) -> float:
    """Where ‖∇L‖ stops being progress: the gradient a point ``ROUNDING`` · ‖W*‖ from the minimum has,
    ROUNDING · λmax(H(W*)) · ‖W*‖, the largest over the known minima; 0 at W* = 0 (floats resolve any distance
    there) and when no minimum is known: the distance's floor (``momentum_rates.rates``) through the Hessian."""
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    if not len(minima):
        return 0.0
    lmax = np.max(np.abs(np.linalg.eigvalsh(surface.hessian(minima))), axis=-1)
    floor = float(ROUNDING * np.max(lmax * np.linalg.norm(minima, axis=-1)))
    return floor if math.isfinite(floor) else 0.0


def grad_norm_rate(norms, floor: float = 0.0) -> float:
    """``measured_rate`` of one run's ‖∇L‖ (``grad_norms``) over the last half of its finite points: a run that
    stopped is fitted up to where it stopped."""
    d = np.asarray(norms, dtype=float).ravel()
    bad = np.flatnonzero(~np.isfinite(d))
    return measured_rate(d[: bad[0]] if bad.size else d, floor=floor)


def rate_text(rate: float) -> str:
    """A rate to three digits, or "—" when there is none."""
    return num(rate, 3) if math.isfinite(rate) else "—"


def lmax_at(surface: oc.Surface, start) -> tuple[float, tuple[float, float] | None]:
    """λmax, and the bowl's (λ₁, λₙ) when the surface is a quadratic bowl (None: λmax is the start's, local)."""
    curvatures = quadratic_curvatures(surface)
    return (curvatures[1] if curvatures else float(oc.stability.local_curvature(surface, start)[-1])), curvatures
