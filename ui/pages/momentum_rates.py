"""Each method at its best on a quadratic bowl, and its rate measured beside the theory (Goh 2017,
"Why Momentum Really Works"): ``best_settings``, ``theory_rate`` and ``measured_rate``, a pure function any
page can use on any run. Pure functions of arrays (no Streamlit); the Momentum page's ``best`` scene shows them.
The formulas themselves (best settings, rates, step-size limits) live in ``optim_core.stability``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

import optim_core as oc
from optim_core import stability as st
from ui.figures.theme import label
from ui.i18n import num, t

# W_{c+1} = W_c + v_c, is Polyak's heavy ball W_{c+1} = W_c − t∇L(W_c) + μ (W_c − W_{c−1}) (v_{c−1} = W_c − W_{c−1}),
# so along each eigenvector of a quadratic (curvature λ) it is a two-term recurrence, and its slowest root is
# the rate: the factor by which the distance to the minimum shrinks per step.

RATE_LATEX = MappingProxyType({"sgd": r"\tfrac{\kappa-1}{\kappa+1}",
                               "momentum": r"\tfrac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}",
                               "nesterov": r"1-\tfrac{2}{\sqrt{3\kappa+1}}"})
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


def best_settings(curvatures: tuple[float, float]) -> dict[str, dict[str, float]]:
    r"""Each method's best constant setting on a quadratic whose curvatures lie in [λ₁, λₙ], κ = λₙ/λ₁.

    .. math::
        \text{GD: } t = \frac{2}{\lambda_1 + \lambda_n};\qquad
        \text{heavy ball: } t = \Big(\frac{2}{\sqrt{\lambda_1} + \sqrt{\lambda_n}}\Big)^2,\
            \mu = \Big(\frac{\sqrt\kappa - 1}{\sqrt\kappa + 1}\Big)^2;\qquad
        \text{Nesterov: } t = \frac{4}{3\lambda_n + \lambda_1},\ \mu = \frac{\sqrt{3\kappa+1} - 2}{\sqrt{3\kappa+1} + 2}

    On the κ = 25 bowl: t = 1/13; t = 1/9, μ = 4/9; t = 1/19, μ ≈ 0.627. Their rates are ``best_rate``'s.
    References: Goh 2017 (gradient descent; the heavy ball after Polyak 1964); Lessard, Recht & Packard,
    "Analysis and Design of Optimization Algorithms via Integral Quadratic Constraints", 2016 (Nesterov).
    """
    gd, heavy_ball, nesterov = (best(*curvatures) for best in (st.gd_best, st.heavy_ball_best, st.nesterov_best))
    return {"sgd": {"lr": gd.lr}, "momentum": {"lr": heavy_ball.lr, "momentum": heavy_ball.momentum},
            "nesterov": {"lr": nesterov.lr, "momentum": nesterov.momentum}}


def best_rate(method: str, curvatures: tuple[float, float]) -> float:
    """The rate at ``best_settings``: (κ−1)/(κ+1) for GD, (√κ−1)/(√κ+1) for the heavy ball, 1 − 2/√(3κ+1) for
    Nesterov (Goh 2017; Lessard et al. 2016). √κ in place of κ is momentum's speed-up."""
    return {"sgd": st.gd_best, "momentum": st.heavy_ball_best, "nesterov": st.nesterov_best}[method](*curvatures).rate


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


def distances(run: oc.Trajectory, surface: oc.Surface) -> np.ndarray:
    """‖W_c − W*‖ at every step, to the nearest known minimum."""
    return np.min(np.linalg.norm(run.params[:, None, :] - surface.minima[None, :, :], axis=-1), axis=1)


@dataclass(frozen=True)
class Rate:
    """One method's measured and theoretical rate on a quadratic bowl."""

    lr: float
    mu: float | None  # None for gradient descent
    measured: float  # ``measured_rate`` of the distance to the minimum; NaN when nothing to measure
    theory: float  # ``theory_rate`` at this setting
    best: float  # ``best_rate``: the closed form at the method's best setting
    at_best: bool  # whether this setting is the method's best
    diverged_at: int  # −1 unless it blew up


def rates(surface: oc.Surface, runs: Mapping[str, oc.Trajectory], hypers: Mapping[str, Mapping]) -> dict[str, Rate]:
    """Every method's ``Rate`` on ``surface``, a quadratic bowl (``quadratic_curvatures`` is not None)."""
    curvatures = quadratic_curvatures(surface)
    best = best_settings(curvatures)
    floor = ROUNDING * float(np.max(np.linalg.norm(surface.minima, axis=-1)))
    out = {}
    for m in runs:
        run, setting, stuck = runs[m], hypers[m], int(runs[m].diverged_at)
        measured = float("nan") if stuck >= 0 else measured_rate(distances(run, surface), floor=floor)
        at_best = all(math.isclose(setting.get(k, 0.0), v, rel_tol=1e-9) for k, v in best[m].items())
        out[m] = Rate(setting["lr"], setting.get("momentum"), measured, theory_rate(m, setting, curvatures),
                      best_rate(m, curvatures), at_best, stuck)
    return out


def rate_table(table: Mapping[str, Rate]) -> str:
    """The rates as a Markdown table: step size, μ, measured rate, and the theory beside it."""
    head = (t("momentum.rate_method"), "t", "μ", t("momentum.rate_measured"), t("momentum.rate_theory"))
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for m, r in table.items():
        if r.diverged_at >= 0:
            measured = t("momentum.rate_diverged", step=r.diverged_at)
        else:
            measured = num(r.measured, 3) if math.isfinite(r.measured) else "—"
        best = f"${RATE_LATEX[m]}$ = {num(r.best, 3)}"
        theory = best if r.at_best else t("momentum.rate_off_best", rate=num(r.theory, 3), best=best)
        mu = "—" if r.mu is None else num(r.mu, 3)
        lines.append(f"| {label(m)} | {num(r.lr, 3)} | {mu} | {measured} | {theory} |")
    return "\n".join(lines)


def rate_caption(curvatures: tuple[float, float]) -> str:
    """What the rate table's columns are, with this bowl's condition number."""
    return t("momentum.rate_caption", kappa=num(curvatures[1] / curvatures[0], 3))


def limits_text(surface: oc.Surface, start, lr: float, mu: float) -> str:
    """Where the step size stops working: GD needs t < 2/λmax and heavy ball t < (2 + 2μ)/λmax, with λmax the
    Hessian's largest eigenvalue: exact on a quadratic bowl, at the start point elsewhere (and said to be local)."""
    curvatures = quadratic_curvatures(surface)
    lmax = curvatures[1] if curvatures else float(oc.stability.local_curvature(surface, start)[-1])
    if not lmax > 0:  # no curvature upward at the start (a saddle's ridge, a maximum): no limit to quote
        return ""
    return t("kappa.limits", gd=num(oc.stability.gd_limit(lmax)), hb=num(oc.stability.heavy_ball_limit(lmax, mu)),
             where="" if curvatures else t("kappa.local"), t=num(lr))
