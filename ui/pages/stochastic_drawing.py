"""What every Stochastic chart shares: the data set, its colours and labels, and the per-example gradient arrows."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.theme import MIN_LINE_PX, tint
from ui.i18n import t

SURFACE = "least_squares"


COLORS = MappingProxyType({"all": "#000000", "one": "#A63D00", "partial": "#00509E"})  # ≥ 3:1 on the surface


# told apart by line and marker too, not by colour alone
DASHES = MappingProxyType({"all": "solid", "one": "dot", "partial": "dash"})


SYMBOLS = MappingProxyType({"all": "circle", "one": "triangle-up", "partial": "square"})


FIT_COLOR = "#006B45"


ARROW_FRACTION = 0.7  # the longest per-example arrow at W_c spans this many half-heights of the view


MAX_FRAMES = 40  # animation frames per chart (not the shared 60): every frame re-sends each moving trace


def _name_axes(fig: go.Figure) -> go.Figure:
    """Parameter names on the axes: "y" is the data's target on this page."""
    return fig.update_layout(xaxis={"title": {"text": t("stochastic.figure.axis_w1")}},
                             yaxis={"title": {"text": t("stochastic.figure.axis_w2")}})


def _plain(a: np.ndarray) -> list:
    """Frame data as a plain list, NaN gaps as None: plotly copies and encodes lists much faster than arrays."""
    return [None if v != v else v for v in np.asarray(a, dtype=float).tolist()]


def labels(batch: int, how: str = "html") -> dict[str, str]:
    """Short names in the deck's words: ``how`` is "html" (Plotly legends), "tex" (markdown) or "plain" (tables)."""
    return {"all": t("stochastic.labels.all"), "one": t("stochastic.labels.one"),
            "partial": t("stochastic.labels.partial", size=_size(batch, how))}


def _size(batch: int, how: str) -> str:
    """The mini-batch size inside the "partial" label: ``|I_c| = 5`` in HTML or TeX, or in words."""
    if how == "plain":
        return t("stochastic.labels.examples", batch=batch)
    return {"html": f"|I<sub>c</sub>| = {batch}", "tex": f"$|I_c|$ = {batch}"}[how]


def long_labels(batch: int) -> dict[str, str]:
    """Full names for sentences (warnings, markdown)."""
    return {"all": t("stochastic.labels.long_all"), "one": t("stochastic.labels.long_one"),
            "partial": t("stochastic.labels.long_partial", batch=batch)}


def arrow_scale(surface: oc.FiniteSumSurface, w) -> float:
    """The common factor that makes the longest ``∇Lⁱ(w)`` span ``ARROW_FRACTION`` half-heights."""
    longest = float(np.linalg.norm(surface.example_grads(w), axis=-1).max())
    return ARROW_FRACTION * float(np.min(surface.half_width)) / max(longest, 1e-12)


def example_arrows(surface: oc.FiniteSumSurface, w, scale: float) -> dict:
    """``x``, ``y`` of m arrows ``w → w − scale·∇Lⁱ(w)`` (``arrow_xy``: tail, tip, gap each)."""
    w = np.asarray(w, dtype=float)
    return arrow_xy(w, w - scale * surface.example_grads(w))


def mean_arrow(surface: oc.FiniteSumSurface, w, scale: float) -> dict:
    """``x``, ``y`` of the arrow ``w → w − scale·∇L(w)``: the mean of the per-example arrows."""
    w = np.asarray(w, dtype=float)
    return arrow_xy(w, w - scale * surface.grad(w))


def gradient_arrows(surface: oc.FiniteSumSurface, along: np.ndarray) -> list:
    """``moving_extras`` for ``animated_paths``: per-example arrows and their mean at ``along[step]``.

    Each frame uses its own ``arrow_scale``, so the longest per-example arrow
    always has the same length: what changes is how long the mean is next to
    them. ``meta.scale`` holds the factor at ``along[0]``.
    """
    def point(step: int) -> np.ndarray:
        return along[min(step, len(along) - 1)]

    def examples(step: int) -> dict:
        return example_arrows(surface, point(step), arrow_scale(surface, point(step)))

    def mean(step: int) -> dict:
        return mean_arrow(surface, point(step), arrow_scale(surface, point(step)))

    meta = {"scale": arrow_scale(surface, along[0])}
    # the examples in a lighter (opaque) tint, 2 px: beside their bold black mean, still seen on a projector
    return [(arrow_style(t("stochastic.figure.each_example"), tint(COLORS["one"], 0.3), width=MIN_LINE_PX, head=11,
                         count=surface.n_examples, meta=meta), examples),
            (arrow_style(t("stochastic.figure.their_mean"), COLORS["all"], width=5.0, head=20, meta=meta), mean)]


# I_c in the step table: up to SET_LINE numbers on one line, longer lists WRAP_LINE to a line (it fits beside the chart)
SET_LINE, WRAP_LINE = 5, 4
