"""The Momentum page's pieces: its text, three paths with a velocity arrow, and loss per step.

Pure functions of arrays (no Streamlit). The velocity arrow is drawn at the
moving momentum marker: at step ``k`` (marker at ``W_k``) it runs from ``W_k`` to
``W_k + s · v_k``, where ``v_k = records["velocity"][k-1]`` is the velocity that
carried the point from ``W_{k-1}`` to ``W_k`` and ``s`` is ``arrow_scale`` (1 when
the true vectors are large enough to see; then 2, 5, 10, … so short vectors show).

On a quadratic bowl the page also sets each method at its best (t, μ) and prints
its measured rate beside the theory (Goh 2017): ``best_settings``, ``theory_rate``,
and ``measured_rate``, a pure function any page can use on any run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.charts import line_chart, optimizer_series
from ui.figures.grad_norm import grad_norm_figure
from ui.figures.paths import animated_paths, optimizer_path
from ui.figures.theme import color, label
from ui.i18n import num, t
from ui.pages.momentum_rates import (  # noqa: F401  re-exported: the page script reads one module
    RATE_LATEX,
    RATE_TAIL,
    ROUNDING,
    Rate,
    best_rate,
    best_settings,
    distances,
    grad_norm_rate,
    grad_norms,
    grad_rate_caption,
    grad_rate_table,
    grad_rates,
    gradient_floor,
    limits_text,
    measured_rate,
    quadratic_curvatures,
    rate_caption,
    rate_table,
    rates,
    theory_rate,
)
from ui.scenes import Scene

METHODS = ("sgd", "momentum", "nesterov")


@dataclass(frozen=True)
class Defaults:
    """Where the page's widgets start; per-surface values are keyed by surface name."""

    surface: str
    surfaces: tuple[str, ...]  # surfaces whose minimum loss is ≥ 0, so the loss chart can use a log axis
    mu: float
    lr: Mapping[str, float]
    lr_options: tuple[float, ...]
    steps: Mapping[str, int]  # per surface (the slider is keyed by surface)
    steps_high: int


DEFAULTS = Defaults(
    surface="elongated_quadratic",
    surfaces=("elongated_quadratic", "rosenbrock", "beale", "himmelblau", "least_squares"),
    # On the bowl (curvatures 1 and 25) t = 0.07 is close to gradient descent's limit 2/25: its y flips sign
    # every step and shrinks only by |1 − 25t| = 0.75, so it zig-zags for ~10 visible steps. μ = 0.1 damps that
    # bounce to ≤ 0.4 per step; a larger μ would make Nesterov unstable at this t (it needs 25t < 2(1+μ)/(1+2μ)).
    mu=0.1,
    lr=MappingProxyType({"elongated_quadratic": 0.07, "rosenbrock": 2e-3, "beale": 1e-3, "himmelblau": 0.01,
                         "least_squares": 0.1, "custom": 0.02}),
    lr_options=(1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08,
                0.1, 0.2, 0.3, 0.5),
    # 50 on the bowl: under the 60-frame cap, one frame per step
    steps=MappingProxyType({"elongated_quadratic": 50, "rosenbrock": 500, "beale": 300, "himmelblau": 100,
                            "least_squares": 100, "custom": 100}),
    steps_high=1000,
)

ARROW_FRACTION = 0.25  # the longest drawn arrow is at most this fraction of the plot's smaller half-width
ARROW_OUTLINE = "#5A3E00"
NICE = (1, 2, 5)

RULE = r"\begin{aligned} v_c &= \mu\, v_{c-1} - t_c \nabla L(W_c) \\ W_{c+1} &= W_c + v_c \end{aligned}"
NESTEROV_RULE = (r"\begin{aligned} v_c &= \mu\, v_{c-1} - t_c \nabla L\big(W_c + \mu\, v_{c-1}\big) \\ "
                 r"W_{c+1} &= W_c + v_c \end{aligned}")
LOOKAHEAD_RULE = (r"\begin{aligned} \tilde W_c &= W_c + \mu\, v_{c-1} \\ "
                  r"\tilde W_{c+1} &= \tilde W_c + \mu\, v_c - t_c \nabla L(\tilde W_c) \end{aligned}")


def nesterov_text() -> str:
    """Why Nesterov measures the slope at the look-ahead point."""
    return t("momentum.nesterov_text")


def nesterov_limit_text() -> str:
    """When Nesterov's brake works, and why it does not at the opening step size."""
    return t("momentum.nesterov_limit_text")


def lookahead_text() -> str:
    """The same method written for the look-ahead point, as the engine stores it."""
    return t("momentum.lookahead_text")


def why_text(mu: float) -> str:
    """Why momentum helps, with the 1/(1−μ) speed-up at this μ."""
    return t("momentum.why", speedup=num(1 / (1 - mu), 3), mu=num(mu, 3))


def loss_caption(losses: Mapping[str, np.ndarray]) -> str:
    steps = len(next(iter(losses.values()))) - 1
    values = " · ".join(f"{label(m)} {num(loss[-1], 3)}" for m, loss in losses.items())
    return t("momentum.loss_caption", steps=steps, values=values)


def hyper(method: str, lr: float, mu: float) -> dict:
    """The hyper-parameters of ``method``: GD takes only the step size, the others share μ."""
    return {"lr": lr} if method == "sgd" else {"lr": lr, "momentum": mu}


def arrow_scale(velocity: np.ndarray, surface: oc.Surface) -> float:
    """How much the velocity arrow is magnified: 1, or the largest of 2, 5, 10, 20, … that keeps
    the longest arrow within ``ARROW_FRACTION`` of the plot's smaller half-width."""
    longest = float(np.max(np.linalg.norm(velocity, axis=-1), initial=0.0))
    room = ARROW_FRACTION * float(np.min(surface.half_width))
    fits = [n * 10.0 ** p for p in range(7) for n in NICE if longest > 0 and n * 10.0 ** p * longest <= room]
    return max(fits, default=1.0)


def velocity_at(points: np.ndarray, velocity: np.ndarray, scale: float, step: int) -> dict:
    """The arrow at ``step``: from ``W_step`` to ``W_step + scale · velocity[step-1]``; none at step 0 (v₀ = 0)."""
    step = min(int(step), len(points) - 1)
    if step == 0:
        return {"x": [], "y": []}
    return arrow_xy(points[step], points[step] + scale * velocity[step - 1])


def arrow_name(scale: float) -> str:
    return t("momentum.arrow_name") if scale == 1 else t("momentum.arrow_name_scaled", scale=num(scale, 3))


@dataclass(frozen=True)
class VelocityFigure:
    """The paths figure, and the factor its velocity arrows are drawn at (for the caption)."""

    figure: go.Figure
    scale: float


def trajectory_figure(surface: oc.Surface, runs: Mapping[str, oc.Trajectory], start=None,
                      height: int = 540, *, at_step: int | None = None, method: str = "momentum",
                      lr: float | None = None, mu: float | None = None) -> VelocityFigure:
    """GD, momentum and Nesterov paths animated together; the momentum marker carries its velocity.

    With ``at_step`` (and ``lr``, ``mu``) the figure opens at that step and, instead of the
    velocity arrow, draws ``method``'s update there as its parts: the carried velocity and
    the gradient push, from the same point, with their sum (``step_parts``).
    """
    points, velocity = runs["momentum"].params, runs["momentum"].records["velocity"]
    scale = arrow_scale(velocity, surface)
    paths = [optimizer_path(m, None, runs[m].params, width=3.6 if m == "momentum" else 3.0) for m in METHODS]
    if at_step is None:
        arrow = arrow_style(arrow_name(scale), color("momentum"), outline=ARROW_OUTLINE)
        extras = [(arrow, lambda k: velocity_at(points, velocity, scale, k))]
    else:
        extras = part_arrows(runs[method], method, lr, mu, scale)
    figure = animated_paths(surface, paths, start=start, height=height, moving_extras=extras, at_step=at_step,
                            landmarks_in_legend=at_step is None)
    return VelocityFigure(figure, scale)


# One step's update drawn as its parts from the point W_c, told apart by dash as well as colour.
PART_STYLE = MappingProxyType({"carry": ("#7A4A00", "dot"), "push": ("#111111", "dash"),
                               "update": ("#B50030", "solid")})


def part_name(part: str) -> str:
    """The name of one part of a step's update: ``carry``, ``push`` or ``update``."""
    return t(f"momentum.part_{part}")


def lr_of_update(lr, c: int) -> float:
    """t_c: ``lr`` is one step size, or every update's (a schedule's ``ui.schedules.step_sizes``)."""
    if np.ndim(lr) == 0:
        return float(lr)
    return float(np.asarray(lr, dtype=float)[min(c, len(lr) - 1)])


def step_parts(run: oc.Trajectory, method: str, lr, mu: float, n: int) -> dict[str, np.ndarray] | None:
    """Step ``n`` (the n-th update, W_{n−1} → W_n) of ``method``, split into what the page draws and writes.

    ``at`` W_c (c = n − 1), ``grad`` ∇L where the gradient was taken, ``push`` −t∇L, ``carry``
    the velocity carried over (μ v_{c−1}; for Nesterov, stored at its look-ahead point, μ v_c),
    ``velocity`` v_c, ``update`` W_{c+1} − W_c and ``next`` W_{c+1}. None at n = 0. All are
    read from the run's records; ``carry + push == update`` is the rule itself.
    """
    if n <= 0:
        return None
    c = n - 1
    grad, lr = run.grads[c], lr_of_update(lr, c)
    out = {"at": run.params[c], "grad": grad, "push": -lr * grad, "next": run.params[c + 1],
           "update": run.params[c + 1] - run.params[c]}
    if method == "sgd":
        out["carry"] = np.zeros(2)
    else:
        v = run.records["velocity"]
        out["velocity"] = v[c]
        out["carry"] = mu * (v[c] if method == "nesterov" else (v[c - 1] if c > 0 else np.zeros(2)))
    return out


def part_arrows(run: oc.Trajectory, method: str, lr, mu: float, scale: float) -> list:
    """``moving_extras`` for ``animated_paths``: the carry, push and move arrows of every step."""
    def at(part: str):
        def xy(step: int) -> dict:
            parts = step_parts(run, method, lr, mu, min(int(step), len(run.grads)))
            if parts is None or not np.all(np.isfinite(parts[part])):
                return {"x": [None], "y": [None]}
            return arrow_xy(parts["at"], parts["at"] + scale * parts[part])
        return xy
    drawn = "" if scale == 1 else f" (×{num(scale, 3)})"
    # out of the legend (the caption names them): a long legend would push the map below the fold
    return [(arrow_style(part_name(p) + drawn, PART_STYLE[p][0], showlegend=False,
                         line={"color": PART_STYLE[p][0], "width": 4, "dash": PART_STYLE[p][1]}), at(p))
            for p in (("push", "update") if method == "sgd" else ("carry", "push", "update"))]


def step_table(run: oc.Trajectory, method: str, lr, mu: float, n: int) -> str:
    """The method's rule at step ``n`` with that step's numbers; the line that moved the point is marked."""
    words = t("momentum.table_header", method=label(method))  # "Momentum, step "
    header = rf"\text{{{words}}} {n}" + (rf"\ (c = {n - 1})" if n else "")
    if n == 0:
        start = t("figure.start")
        return algorithm_table([(rf"W_0 = \text{{{start}}},\ v_{{-1}} = 0", run.params[0])], 0, header=header)
    p = step_parts(run, method, lr, mu, n)
    tx, m = tex_number(lr_of_update(lr, n - 1)), tex_number(mu)
    if method == "sgd":
        rows = [(r"W_c", p["at"]), (r"\nabla L(W_c)", p["grad"]),
                (rf"W_{{c+1}} = W_c - {tx}\,\nabla L(W_c)", p["next"])]
    elif method == "momentum":
        rows = [(r"W_c", p["at"]), (r"\nabla L(W_c)", p["grad"]), (rf"{m}\,v_{{c-1}}", p["carry"]),
                (rf"v_c = {m}\,v_{{c-1}} - {tx}\,\nabla L(W_c)", p["velocity"]), (r"W_{c+1} = W_c + v_c", p["next"])]
    else:
        rows = [(r"\tilde W_c", p["at"]), (r"\nabla L(\tilde W_c)", p["grad"]),
                (rf"v_c = {m}\,v_{{c-1}} - {tx}\,\nabla L(\tilde W_c)", p["velocity"]), (rf"{m}\,v_c", p["carry"]),
                (rf"\tilde W_{{c+1}} = \tilde W_c + {m}\,v_c - {tx}\,\nabla L(\tilde W_c)", p["next"])]
    return algorithm_table(rows, len(rows) - 1, header=header)


def step_caption(method: str, n: int, scale: float) -> str:
    """What the arrows at the current step are."""
    if n == 0:
        return t("momentum.step_zero")
    size = t("momentum.size_true") if scale == 1 else t("momentum.size_scaled", scale=num(scale, 3))
    if method == "sgd":
        return t("momentum.step_sgd", n=n, size=size)
    return t("momentum.step_parts", n=n, size=size)


def loss_figure(losses: Mapping[str, np.ndarray], height: int = 360) -> go.Figure:
    """Loss against step for the three methods, each line named at its end (no legend, no title); log y (a zero
    is a gap) unless a loss is negative (a typed f can go below zero)."""
    positive = all(np.nanmin(np.where(np.isfinite(losses[m]), losses[m], np.inf)) >= 0 for m in METHODS)
    fig = line_chart([optimizer_series(m, None, losses[m]) for m in METHODS],
                     x_title=t("momentum.loss_x"), y_title=t("momentum.loss_y"), log_y=positive, height=height,
                     margin={"t": 20}, end_labels=True)
    return fig.update_layout(yaxis={"automargin": True})


def grad_norm_chart(surface: oc.Surface, runs: Mapping[str, oc.Trajectory], height: int = 360) -> go.Figure:
    """‖∇L(W_c)‖ against step for the three methods on a log axis (``grad_norm_figure``), from the surface's exact
    gradient (``grad_norms``): beside the loss chart, as tall."""
    return grad_norm_figure({m: grad_norms(runs[m], surface) for m in METHODS}, height=height)


# --- each method's own setting: the 'best' scene (the rates themselves: ui.pages.momentum_rates) ---

def method_hypers(lr: float, mu: float, best: Mapping[str, Mapping[str, float]] | None = None) -> dict[str, dict]:
    """Each method's hyper-parameters: all from the sliders (``hyper``); given ``best`` (``best_settings``),
    gradient descent and Nesterov take their own best while momentum keeps the sliders' t and μ."""
    out = {m: hyper(m, lr, mu) for m in METHODS}
    if best is not None:
        out["sgd"], out["nesterov"] = dict(best["sgd"]), dict(best["nesterov"])
    return out


def lr_options(surface: oc.Surface) -> tuple[float, ...]:
    """The step-size slider's stops: the page's, and on a quadratic bowl momentum's best t as well (1/9 on
    the κ = 25 bowl), so that a scene or a link can set it exactly."""
    curvatures = quadratic_curvatures(surface)
    if curvatures is None:
        return DEFAULTS.lr_options
    return tuple(sorted({*DEFAULTS.lr_options, best_settings(curvatures)["momentum"]["lr"]}))


def lr_label(lr: float) -> str:
    """A stop of the step-size slider, to three digits (1/9 reads 0.111)."""
    return num(lr, 3)


def _bowl(mu: float, lr: float, steps: int, best: bool = False) -> dict:
    """Every widget that shapes the picture, on the elongated bowl from its demo start (−5, 1.5)."""
    bowl, (x, y) = "elongated_quadratic", (-5.0, 1.5)
    return {"surface": bowl, "x": x, "y": y, "steps": steps, "mu": mu, "lr": lr, "best": best}


SCENES = (
    Scene("momentum", "zigzag", _bowl(0.1, 0.07, 50)),
    Scene("momentum", "overshoot", _bowl(0.95, 0.02, 100)),
    Scene("momentum", "plain", _bowl(0.0, 0.07, 50)),
    # each method at its best on the κ = 25 bowl: momentum's exact t = 1/9, μ = 4/9 on the sliders (best_settings);
    # 200 steps, so that the double root's k factor adds only 0.7 % to the measured rate (measured_rate)
    Scene("momentum", "best", _bowl(4 / 9, 1 / 9, 200, best=True)),
)
