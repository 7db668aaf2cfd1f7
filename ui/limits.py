"""Where a step size stops working: on the sliders of gradient descent's t (Home, Stochastic) and as vertical
lines on Compare's step-size sweep.

On a quadratic bowl (a Hessian the same everywhere) the limit 2/λmax and the best step 2/(λ₁ + λₙ) are exact,
and both become stops of the step-size slider, marked in its label. Elsewhere λmax is the Hessian's at the
start point, and the text says that it is local. The formulas are ``optim_core.stability``'s. Pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import optim_core as oc
from ui.i18n import num, t
from ui.rates import lmax_at, quadratic_curvatures
from ui.specs import OptimizerSpec

LIMIT_COLOR = "#333333"


def gd_marks(surface: oc.Surface) -> dict[float, str]:
    """The marked stops on a quadratic bowl: its best step and its limit, with their names; none elsewhere."""
    curvatures = quadratic_curvatures(surface)
    if curvatures is None:
        return {}
    return {oc.stability.gd_best(*curvatures).lr: t("limits.best_mark"),
            oc.stability.gd_limit(curvatures[1]): "2/λmax"}


def lr_options(options, surface: oc.Surface) -> tuple[float, ...]:
    """The slider's stops ``options``, with the bowl's marked stops among them."""
    return tuple(sorted({*options, *gd_marks(surface)}))


def lr_label(surface: oc.Surface):
    """The slider's label of a stop: three digits, and the mark's name on a marked stop (``0.08 · 2/λmax``)."""
    marks = gd_marks(surface)

    def label(lr: float) -> str:
        mark = next((name for at, name in marks.items() if math.isclose(at, lr, rel_tol=1e-12)), None)
        return num(lr, 3) if mark is None else f"{num(lr, 3)} · {mark}"
    return label


def best_lr(surface: oc.Surface) -> float | None:
    """Gradient descent's best constant step 2/(λ₁ + λₙ) on a quadratic bowl; None elsewhere."""
    curvatures = quadratic_curvatures(surface)
    return None if curvatures is None else oc.stability.gd_best(*curvatures).lr


def gd_limits_text(surface: oc.Surface, start, lr: float) -> str:
    """``Stability: t < 2/λmax = 0.08; the best step here is 2/(λ₁ + λₙ) = 0.0769. You are at t = 0.07.``"""
    lmax, curvatures = lmax_at(surface, start)
    if not lmax > 0:  # no curvature upward at the start (a saddle's ridge, a maximum): no limit to quote
        return ""
    best = "" if curvatures is None else t("limits.best", best=num(oc.stability.gd_best(*curvatures).lr, 3),
                                           rate=num(oc.stability.gd_best(*curvatures).rate, 3))
    return t("limits.gd", gd=num(oc.stability.gd_limit(lmax), 3), where="" if curvatures else t("kappa.local"),
             best=best, t=num(lr, 3))


@dataclass(frozen=True)
class Limit:
    x: float  # the step size
    label: str  # "2/λmax = 0.08"
    dash: str  # told apart by dash as well as by label


def sweep_limits(surface: oc.Surface, start, specs: list[OptimizerSpec]) -> list[Limit]:
    """The lines for the optimizers racing (``specs``): none when the start has no upward curvature."""
    lmax, curvatures = lmax_at(surface, start)
    if not lmax > 0:
        return []
    where = "local" if curvatures is None else "exact"
    gd = oc.stability.gd_limit(lmax)
    lines = [Limit(gd, t(f"compare.limits.gd_{where}", t=num(gd, 3)), "dash")]
    for spec in specs:
        if spec.name == "momentum" and spec.inner is None:
            mu = float(spec.settings.get("momentum", 0.0))
            hb = oc.stability.heavy_ball_limit(lmax, mu)
            lines.append(Limit(hb, t(f"compare.limits.hb_{where}", mu=num(mu, 2), t=num(hb, 3)), "dot"))
            break
    if curvatures:
        best = oc.stability.gd_best(*curvatures).lr
        lines.append(Limit(best, t("compare.limits.best", t=num(best, 3)), "dashdot"))
    return lines


def with_limit_lines(figure, limits: list[Limit]):
    """``figure`` (the sweep, log x) with a vertical line per limit, each named at the top of the plot."""
    shapes = [{"type": "line", "xref": "x", "x0": lim.x, "x1": lim.x, "yref": "paper", "y0": 0, "y1": 1,
               "line": {"color": LIMIT_COLOR, "width": 3, "dash": lim.dash}, "layer": "above"} for lim in limits]
    notes = [{"xref": "x", "x": lim.x, "yref": "paper", "y": 0.97 - 0.09 * i, "text": lim.label,
              "showarrow": False, "xanchor": "right", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.85)",
              "font": {"size": 14, "color": LIMIT_COLOR}} for i, lim in enumerate(limits)]
    layout = figure.to_dict()["layout"]
    return figure.update_layout(shapes=[*layout.get("shapes", []), *shapes],
                                annotations=[*layout.get("annotations", []), *notes])
