"""Figure builders for the Momentum page: three paths with a velocity arrow, and loss per step.

Pure functions of arrays (no Streamlit). The velocity arrow is drawn at the
moving momentum marker: at step ``k`` (marker at ``W_k``) it runs from ``W_k`` to
``W_k + s · v_k``, where ``v_k = records["velocity"][k-1]`` is the velocity that
carried the point from ``W_{k-1}`` to ``W_k`` and ``s`` is ``arrow_scale`` (1 when
the true vectors are large enough to see; then 2, 5, 10, … so short vectors show).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import optim_core as oc

from .charts import Series, line_chart
from .paths import Path, animated_paths
from .theme import color, label

METHODS = ("sgd", "momentum", "nesterov")

DEFAULTS = {
    "surface": "elongated_quadratic",
    # surfaces whose minimum loss is ≥ 0, so the loss chart can use a log axis
    "surfaces": ("elongated_quadratic", "rosenbrock", "beale", "himmelblau", "least_squares"),
    "mu": 0.6,
    "lr": {"elongated_quadratic": 0.05, "rosenbrock": 2e-3, "beale": 1e-3, "himmelblau": 0.01,
           "least_squares": 0.1},
    "lr_options": (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08,
                   0.1, 0.2, 0.3, 0.5),
    # per surface (the slider is keyed by surface); 50 on the bowl: under the 60-frame cap, one frame per step
    "steps": {"elongated_quadratic": 50, "rosenbrock": 500, "beale": 300, "himmelblau": 100, "least_squares": 100},
    "steps_high": 1000,
}

ARROW_FRACTION = 0.25  # the longest drawn arrow is at most this fraction of the plot's smaller half-width
NICE = (1, 2, 5)


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
    head = points[step]
    tip = head + scale * velocity[step - 1]
    return {"x": [float(head[0]), float(tip[0])], "y": [float(head[1]), float(tip[1])]}


def arrow_name(scale: float) -> str:
    return "velocity v" if scale == 1 else f"velocity v (drawn ×{scale:g})"


def arrow_style(scale: float) -> dict:
    """A line with an arrowhead at its end, in the momentum colour."""
    c = color("momentum")
    return {"type": "scatter", "mode": "lines+markers", "name": arrow_name(scale), "hoverinfo": "skip",
            "line": {"color": c, "width": 4},
            "marker": {"symbol": ["circle", "arrow"], "angleref": "previous", "size": [1, 17], "color": c,
                       "line": {"color": "#5A3E00", "width": 1}}}


def trajectory_figure(surface: oc.Surface, params: dict[str, np.ndarray], velocity: np.ndarray,
                      start=None, height: int = 540) -> go.Figure:
    """GD, momentum and Nesterov paths animated together; the momentum marker carries its velocity."""
    scale = arrow_scale(velocity, surface)
    points = params["momentum"]
    paths = [Path(label(m), params[m], color(m), width=3.6 if m == "momentum" else 3.0) for m in METHODS]
    return animated_paths(surface, paths, start=start, height=height,
                          moving_extras=[(arrow_style(scale), lambda k: velocity_at(points, velocity, scale, k))])


def loss_figure(losses: dict[str, np.ndarray], height: int = 360) -> go.Figure:
    """Loss against step for the three methods, log y (no title: the legend sits on top)."""
    fig = line_chart([Series(label(m), losses[m], color(m)) for m in METHODS],
                     x_title="step c", y_title="loss L (log scale)", log_y=True, height=height)
    fig.layout.yaxis.automargin = True
    return fig
