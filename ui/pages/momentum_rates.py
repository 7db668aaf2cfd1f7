"""Each method at its best on a quadratic bowl, and its rate measured beside the theory (Goh 2017,
"Why Momentum Really Works"): ``best_settings`` and the Momentum page's rate tables, built on ``ui.rates``
(``measured_rate``, ``theory_rate``, ``grad_norms``: pure functions any page can use on any run, re-exported
here). Pure functions of arrays (no Streamlit); the Momentum page's ``best`` scene shows them.
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
from ui.rates import (  # noqa: F401  re-exported: the pages and tests read them here too
    RATE_TAIL,
    ROUNDING,
    grad_norm_rate,
    grad_norms,
    gradient_floor,
    lmax_at,
    measured_rate,
    quadratic_curvatures,
    rate_text,
    theory_rate,
)

# W_{c+1} = W_c + v_c, is Polyak's heavy ball W_{c+1} = W_c − t∇L(W_c) + μ (W_c − W_{c−1}) (v_{c−1} = W_c − W_{c−1}),
# so along each eigenvector of a quadratic (curvature λ) it is a two-term recurrence, and its slowest root is
# the rate: the factor by which the distance to the minimum shrinks per step.

RATE_LATEX = MappingProxyType({"sgd": r"\tfrac{\kappa-1}{\kappa+1}",
                               "momentum": r"\tfrac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}",
                               "nesterov": r"1-\tfrac{2}{\sqrt{3\kappa+1}}"})


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
    lmax, curvatures = lmax_at(surface, start)
    if not lmax > 0:  # no curvature upward at the start (a saddle's ridge, a maximum): no limit to quote
        return ""
    return t("kappa.limits", gd=num(oc.stability.gd_limit(lmax)), hb=num(oc.stability.heavy_ball_limit(lmax, mu)),
             where="" if curvatures else t("kappa.local"), t=num(lr))


@dataclass(frozen=True)
class GradRate:
    """One method's measured contraction of ‖∇L‖ per step, and the theory at its setting."""

    lr: float
    mu: float | None  # None for gradient descent
    measured: float  # ``grad_norm_rate``; NaN when there is nothing to measure (and for a run that blew up)
    theory: float  # ``theory_rate`` at this setting; NaN off a quadratic bowl
    diverged_at: int  # −1 unless it blew up


def grad_rates(surface: oc.Surface, runs: Mapping[str, oc.Trajectory], hypers: Mapping[str, Mapping], *,
               scheduled: bool = False) -> dict[str, GradRate]:
    """Every method's ``GradRate`` on any surface: the theory only where it holds, on a quadratic bowl with a
    constant step size (not ``scheduled``)."""
    curvatures, floor = None if scheduled else quadratic_curvatures(surface), gradient_floor(surface)
    out = {}
    for m, run in runs.items():
        stuck = int(run.diverged_at)
        measured = float("nan") if stuck >= 0 else grad_norm_rate(grad_norms(run, surface), floor)
        theory = float("nan") if curvatures is None else theory_rate(m, hypers[m], curvatures)
        out[m] = GradRate(hypers[m]["lr"], hypers[m].get("momentum"), measured, theory, stuck)
    return out


def grad_rate_table(table: Mapping[str, GradRate], *, stacked: bool = False) -> str:
    """The measured ‖∇L‖ rates as a Markdown table: step size, μ, measured, and the theory beside it ("—" off
    a quadratic bowl). ``stacked``: one line per run, for a phone, where five columns run off the screen."""
    head = (t("grad_norm.run"), "t", "μ", t("grad_norm.measured"), t("grad_norm.theory"))
    lines = [] if stacked else ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for m, r in table.items():
        measured = t("grad_norm.diverged", step=r.diverged_at) if r.diverged_at >= 0 else rate_text(r.measured)
        mu = "—" if r.mu is None else num(r.mu, 3)
        if stacked:
            lines.append(f"- **{label(m)}** (t = {num(r.lr, 3)}, μ = {mu})  \n"
                         f"{head[3]}: {measured} · {head[4]}: {rate_text(r.theory)}")
        else:
            lines.append(f"| {label(m)} | {num(r.lr, 3)} | {mu} | {measured} | {rate_text(r.theory)} |")
    return "\n".join(lines)


def grad_rate_caption(curvatures: tuple[float, float] | None, *, scheduled: bool = False) -> str:
    """What the ‖∇L‖ rate table's columns are; off a quadratic bowl, that its theory is for quadratics, and with
    a schedule, that it is for a constant step size."""
    if scheduled:
        return t("grad_norm.rate_caption") + " " + t("grad_norm.no_theory_schedule")
    if curvatures is None:
        return t("grad_norm.rate_caption") + " " + t("grad_norm.no_theory")
    kappa = num(curvatures[1] / curvatures[0], 3)
    return t("grad_norm.rate_caption") + " " + t("grad_norm.theory_caption", kappa=kappa)
