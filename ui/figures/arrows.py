"""Arrows as Plotly scatter traces: a line from tail to tip with an arrowhead marker on the tip.

One trace can hold many arrows (tail, tip, gap, tail, tip, gap, …), so a frame
that moves twenty per-example gradients still updates a single trace.
"""

from __future__ import annotations

import numpy as np


def arrow_xy(tails, tips) -> dict:
    """``x``, ``y`` for arrows from ``tails`` to ``tips`` (each (2,) or (n, 2)), as plain lists.

    One arrow is two points; several are (tail, tip, None) triples.
    """
    tails, tips = np.atleast_2d(np.asarray(tails, dtype=float)), np.atleast_2d(np.asarray(tips, dtype=float))
    tails, tips = np.broadcast_arrays(tails, tips)
    if len(tails) == 1:
        return {"x": [float(tails[0, 0]), float(tips[0, 0])], "y": [float(tails[0, 1]), float(tips[0, 1])]}
    pts = np.full((len(tails), 3, 2), np.nan)
    pts[:, 0], pts[:, 1] = tails, tips
    pts = pts.reshape(-1, 2)
    return {axis: [None if np.isnan(v) else float(v) for v in pts[:, i]] for i, axis in enumerate("xy")}


def arrow_style(name: str, color: str, *, width: float = 4.0, head: int = 17, count: int = 1,
                opacity: float = 1.0, outline: str | None = None, **extra) -> dict:
    """The trace style of ``count`` arrows laid out as ``arrow_xy`` lays them out."""
    per = 2 if count == 1 else 3
    marker = {"symbol": (["circle", "arrow", "circle"][:per]) * count, "size": ([0, head, 0][:per]) * count,
              "angleref": "previous", "color": color}
    if outline:
        marker["line"] = {"color": outline, "width": 1}
    trace = {"type": "scatter", "mode": "lines+markers", "name": name, "hoverinfo": "skip", "opacity": opacity,
             "line": {"color": color, "width": width}, "marker": marker}
    trace.update(extra)
    return trace


def arrow_trace(name: str, color: str, tails, tips, **style) -> dict:
    """A static arrow trace (or several arrows in one trace)."""
    count = len(np.atleast_2d(np.asarray(tails, dtype=float)))
    return {**arrow_style(name, color, count=count, **style), **arrow_xy(tails, tips)}
