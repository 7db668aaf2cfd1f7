"""A start point by touch: an invisible grid of points over the surface picture.

Streamlit reports clicks on scatter points only, never on a contour or an image (plotly.js #2188, streamlit
#8760), so the picture carries a transparent scatter grid whose points can be tapped; the page reads the tapped
point from the chart's selection and moves the start there (``ui.widgets.stepping.Picture.tap``).
"""

from __future__ import annotations

import numpy as np

import optim_core as oc
from ui.figures.figure import Figure

TAP_POINTS = 41  # per side: a tap lands within half a cell (1/80 of the box) of where the finger was
TAP_META = "tap"


def tap_grid(surface: oc.Surface, n: int = TAP_POINTS) -> dict:
    """The grid trace: every point transparent and silent (``hoverinfo="none"``; ``"skip"`` would fire no clicks)."""
    xs = np.linspace(*surface.bounds[0], n)
    ys = np.linspace(*surface.bounds[1], n)
    gx, gy = np.meshgrid(xs, ys)
    return {"type": "scatter", "mode": "markers", "x": gx.ravel(), "y": gy.ravel(), "meta": TAP_META,
            "marker": {"size": 14, "color": "rgba(0,0,0,0)"}, "hoverinfo": "none", "showlegend": False,
            "name": ""}


def with_tap_grid(figure, surface: oc.Surface):
    """``figure`` with the grid as its last trace (frames name their traces by index: they are untouched)."""
    spec = figure.to_dict()
    return Figure({**spec, "data": [*spec["data"], tap_grid(surface)]})


def tapped_point(selection, surface: oc.Surface) -> tuple[float, float] | None:
    """The point a tap selected (Streamlit's ``event.selection``), inside the box; None when nothing was tapped."""
    points = (selection or {}).get("points") if isinstance(selection, dict) else getattr(selection, "points", None)
    if not points:
        return None
    point = points[0]
    x, y = float(point.get("x", np.nan)), float(point.get("y", np.nan))
    (x0, x1), (y0, y1) = surface.bounds
    if not (np.isfinite(x) and np.isfinite(y)):
        return None
    return float(np.clip(x, x0, x1)), float(np.clip(y, y0, y1))


__all__ = ["TAP_META", "TAP_POINTS", "tap_grid", "tapped_point", "with_tap_grid"]
