"""The Home page's pieces: its text, the steepest-descent arrow, and gradient descent on a surface.

Pure functions (no Streamlit). The arrow points from the start along −∇L and is
drawn at a fixed share of the plot, whatever the gradient's size: it shows the
direction, not the length of a step.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import optim_core as oc

from .arrows import arrow_trace
from .paths import Path, animated_paths
from .scenes import Scene
from .theme import color

LR_OPTIONS = (1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3)
LR = 1e-3
STEPS = 300
HEIGHT, PRESENTER_HEIGHT = 600, 460  # presenter mode: the chart, the slider and the title fit 1280×720
RUN_LABEL = "Gradient descent"  # the run's name in the CSV export
ARROW_NAME = "−∇L (which way)"
ARROW_COLOR = "#A63D00"  # ≥ 3:1 against every surface colour
ARROW_FRACTION = 0.18  # the arrow's length as a share of the plot's smaller half-width

INTRO = ("Training a model means choosing its parameters **w** so that the loss is as small as possible. "
         "The loss is a landscape: every point is one choice of the two parameters here, and the height "
         "(shade) is how wrong the model is there.")
ARGMIN = r"w^\star = \arg\min_{w} L(w)"
OPTIMIZER_TEXT = (
    "*argmin* names the **place** where the minimum is reached, not the minimum value. "
    "An **optimizer** is the rule that walks us there one step at a time. It only ever knows the "
    "ground under its feet (the loss and its slope at the current point), so at every step it must "
    "answer two questions: **which way**, and **how far**?")
ARROW_TEXT = ("The arrow shows the steepest way down, −∇L, from the ring (the start). "
              "Press ▶ to watch plain gradient descent follow it; the ★ is the minimum.")
GD_RULE = r"W_{c+1} = W_c - t\,\nabla L(W_c)"


def descent_arrow(surface: oc.Surface, start) -> dict:
    """An arrow from ``start`` along −∇L(start), ``ARROW_FRACTION`` of the plot's smaller half-width long."""
    start = np.asarray(start, dtype=float)
    g = surface.grad(start)
    scale = ARROW_FRACTION * float(np.min(surface.half_width)) / (np.linalg.norm(g) + 1e-12)
    return arrow_trace(ARROW_NAME, ARROW_COLOR, start, start - scale * g, head=18)


def figure(surface: oc.Surface, params: np.ndarray, start, height: int = HEIGHT) -> go.Figure:
    """Gradient descent's path from ``start`` animated on the surface, with the steepest-descent arrow."""
    return animated_paths(surface, [Path("gradient descent", params, color("sgd"))], start=start, height=height,
                          extra_traces=[descent_arrow(surface, start)])


def loss_caption(loss: np.ndarray, diverged_at=-1, status: str = "converging") -> str:
    """The loss at the start and at the end; a run that left the map says how, instead of quoting a frozen number.

    ``diverged_at`` is the run's ``Trajectory.diverged_at`` (-1, or the 1-based step it blew up at) and
    ``status`` its ``optim_core.status``: an ``escaped`` run went downhill off the map (the saddle),
    a ``diverged`` one blew up.
    """
    head, steps, at = f"Loss at the start: {loss[0]:.4g}", len(loss) - 1, int(diverged_at)
    if at < 0:
        return f"{head} · after {steps} steps: {loss[-1]:.4g}"
    if str(status) == "escaped":
        return (f"{head} · escaped: the run went downhill off the map at step {at}, "
                f"the loss still falling ({loss[at - 1]:.4g} just before)")
    return f"{head} · diverged: the run blew up at step {at}, so there is no loss after {steps} steps"


def _start(surface: str, x: float, y: float) -> dict:
    """The start sliders of ``surface`` and the point start_picker remembers for it."""
    return {f"home_start_x_{surface}": x, f"home_start_y_{surface}": y, f"home_start_memory_{surface}": (x, y)}


SCENES = (
    Scene("home", "good_step", "A good step",
          "t = 0.001 on Rosenbrock: the path drops into the curved valley, then creeps along it towards ★.",
          {"home_surface": "rosenbrock", "home_lr": LR, **_start("rosenbrock", -1.2, 1.0)}),
    Scene("home", "too_large", "Too large a step",
          "t = 0.01: the first steps jump across the narrow valley onto ever steeper walls and the run blows up.",
          {"home_surface": "rosenbrock", "home_lr": 1e-2, **_start("rosenbrock", -1.2, 1.0)}),
    Scene("home", "far_side", "Start on the far side",
          "From (1.5, 2.5) the slope leads into the valley beyond ★: the path creeps back along it from there.",
          {"home_surface": "rosenbrock", "home_lr": LR, **_start("rosenbrock", 1.5, 2.5)}),
)
