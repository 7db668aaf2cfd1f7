"""The Home page's pieces: its text, the steepest-descent arrow, and gradient descent on a surface.

Pure functions (no Streamlit). The arrow points from the start along −∇L and is
drawn at a fixed share of the plot, whatever the gradient's size: it shows the
direction, not the length of a step.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.arrows import arrow_trace
from ui.figures.paths import Path, animated_paths
from ui.figures.theme import color
from ui.i18n import num, t
from ui.scenes import Scene

LR_OPTIONS = (1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3)
LR = 1e-3
STEPS = 300
HEIGHT = 600
ARROW_COLOR = "#A63D00"  # ≥ 3:1 against every surface colour
ARROW_FRACTION = 0.18  # the arrow's length as a share of the plot's smaller half-width

ARGMIN = r"w^\star = \arg\min_{w} L(w)"
GD_RULE = r"W_{c+1} = W_c - t\,\nabla L(W_c)"


def intro() -> str:
    """Training as finding the lowest point of a landscape."""
    return t("home.intro")


def optimizer_text() -> str:
    """What argmin names, and the two questions an optimizer answers at every step."""
    return t("home.optimizer_text")


def arrow_text() -> str:
    """What the arrow and the ★ on the chart are."""
    return t("home.arrow_text")


def arrow_name() -> str:
    """The steepest-descent arrow's legend name: "−∇L (which way)"."""
    return t("home.arrow")


def path_name() -> str:
    """The path's legend name: "gradient descent"."""
    return t("home.path")


def descent_arrow(surface: oc.Surface, start) -> dict:
    """An arrow from ``start`` along −∇L(start), ``ARROW_FRACTION`` of the plot's smaller half-width long."""
    start = np.asarray(start, dtype=float)
    g = surface.grad(start)
    scale = ARROW_FRACTION * float(np.min(surface.half_width)) / (np.linalg.norm(g) + 1e-12)
    return arrow_trace(arrow_name(), ARROW_COLOR, start, start - scale * g, head=18)


def figure(surface: oc.Surface, params: np.ndarray, start, height: int = HEIGHT, *,
           at_step: int | None = None) -> go.Figure:
    """Gradient descent's path from ``start`` animated on the surface, with the steepest-descent arrow;
    ``at_step`` opens it at that step (the page's step row plays it)."""
    return animated_paths(surface, [Path(path_name(), params, color("sgd"))], start=start, height=height,
                          extra_traces=[descent_arrow(surface, start)], at_step=at_step)


def loss_caption(loss: np.ndarray, diverged_at=-1, status: str = "converging") -> str:
    """The loss at the start and at the end; a run that left the map says how, instead of quoting a frozen number.

    ``diverged_at`` is the run's ``Trajectory.diverged_at`` (-1, or the 1-based step it blew up at) and
    ``status`` its ``optim_core.status``: an ``escaped`` run went downhill off the map (the saddle),
    a ``diverged`` one blew up.
    """
    steps, at = len(loss) - 1, int(diverged_at)
    if at < 0:
        tail = t("home.loss_after", steps=steps, loss=num(loss[-1], 4))
    elif str(status) == "escaped":
        tail = t("home.loss_escaped", at=at, loss=num(loss[at - 1], 4))
    else:
        tail = t("home.loss_diverged", at=at, steps=steps)
    return t("home.loss_start", loss=num(loss[0], 4)) + " · " + tail


SCENES = (  # settings by link name; titles and captions: [home.scenes.<name>]
    Scene("home", "good_step", {"surface": "rosenbrock", "lr": LR, "x": -1.2, "y": 1.0}),
    Scene("home", "too_large", {"surface": "rosenbrock", "lr": 1e-2, "x": -1.2, "y": 1.0}),
    Scene("home", "far_side", {"surface": "rosenbrock", "lr": LR, "x": 1.5, "y": 2.5}),
)
