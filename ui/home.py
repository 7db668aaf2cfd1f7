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
from .theme import color

LR_OPTIONS = (1e-4, 3e-4, 1e-3, 2e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3)
LR = 1e-3
STEPS = 300
ARROW_NAME = "−∇L (which way)"
ARROW_COLOR = "#D55E00"
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


def figure(surface: oc.Surface, params: np.ndarray, start) -> go.Figure:
    """Gradient descent's path from ``start`` animated on the surface, with the steepest-descent arrow."""
    return animated_paths(surface, [Path("gradient descent", params, color("sgd"))], start=start,
                          extra_traces=[descent_arrow(surface, start)])


def loss_caption(loss: np.ndarray) -> str:
    return f"Loss at the start: {loss[0]:.4g} · after {len(loss) - 1} steps: {loss[-1]:.4g}"
