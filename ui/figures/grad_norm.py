"""‖∇L(W_c)‖ against step c on a log axis: how fast each method's gradient vanishes (issue 19, item 3).

A straight line on this axis is a constant rate, the line's slope its log: what ``momentum_rates.measured_rate``
fits and the theory predicts. Each line has its method's colour, dash *and* marker (``theme.style``), at least
``MIN_PATH_PX`` wide and opaque, named at its end (``charts.label_ends``), as every loss chart is. A point that
is not a positive finite number (a run that blew up, a gradient exactly 0) is a gap, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from ui.figures.charts import label_ends, thin
from ui.figures.figure import Figure
from ui.figures.theme import MIN_PATH_PX, MODEBAR_PX, axis, base_layout, label, style
from ui.i18n import t

LINE_PX = MIN_PATH_PX  # every line: the projector rule's least
MARKER_PX = 11  # a marker, the third cue after colour and dash
MARKERS = 8  # markers along each line, evenly spread; each line's are shifted so no two lines' coincide
MIN_TICK_PX = 28  # no two labelled ticks of the log axis closer than this


def marker_sizes(n: int, line: int, lines: int, markers: int = MARKERS, size: float = MARKER_PX) -> np.ndarray:
    """Marker sizes along a line of ``n`` points: ``size`` at ``markers`` evenly spread points, 0 elsewhere; the
    ``line``-th of ``lines`` lines starts a fraction ``line / lines`` of a spacing later, so markers never stack."""
    out = np.zeros(n)
    if n < 2:
        return out + size
    spacing = (n - 1) / markers
    at = np.round(spacing * (np.arange(markers) + (line + 0.5) / max(lines, 1))).astype(int)
    out[np.clip(at, 0, n - 1)] = size
    return out


def decades_per_tick(values, plot_px: float) -> int:
    """Decades between labelled ticks of a log axis over ``values``: 1 unless labels would come closer than
    ``MIN_TICK_PX`` in ``plot_px`` of height (the range is padded 5 % each side by ``label_ends``)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return 1
    decades = max(math.log10(float(v.max() / v.min())), 1.0) * 1.1
    return max(1, math.ceil(decades * MIN_TICK_PX / max(plot_px, 1.0)))


def grad_norm_figure(norms: Mapping[str, np.ndarray], methods: Mapping[str, str] | None = None, *,
                     height: int = 360, margin: dict | None = None, max_points: int = 600) -> go.Figure:
    """‖∇L(W_c)‖ against step c (log y), one line per entry of ``norms`` (1-D, index c = 0 … steps).

    ``norms`` maps a line's label to its values; ``methods`` maps that label to the optimizer whose colour, dash
    and marker the line takes. Without ``methods`` every key is an optimizer's name and the line is labelled with
    its name in the current language. Long runs are thinned to ``max_points`` points, ends kept.
    """
    data, finite = [], []
    for i, (key, values) in enumerate(norms.items()):
        name = key if methods is None else methods[key]
        text = label(key) if methods is None else key
        color, dash, symbol = style(name)
        y = np.asarray(values, dtype=float).ravel()
        keep = thin(len(y), max_points)
        y = y[keep]
        y = np.where(np.isfinite(y) & (y > 0), y, np.nan)  # a log axis: a gap, never a zero
        finite.append(y[np.isfinite(y)])
        data.append({"type": "scatter", "mode": "lines+markers", "name": text, "x": keep, "y": y,
                     "connectgaps": False, "line": {"color": color, "width": LINE_PX, "dash": dash},
                     # opacity 1: an array of sizes would make plotly.js draw them at 0.7 (a bubble chart's default)
                     "marker": {"symbol": symbol, "color": color, "size": marker_sizes(len(y), i, len(norms)),
                                "opacity": 1, "line": {"width": 0}},
                     "hovertemplate": f"{text}<br>c = %{{x}}: ‖∇L‖ = %{{y:.3g}}<extra></extra>"})
    layout = base_layout(height, margin={"l": 85, "r": MODEBAR_PX, "t": 20, "b": 50, **(margin or {})},
                         xaxis=axis(t("grad_norm.x")),
                         yaxis=axis(t("grad_norm.y"), type="log", exponentformat="power"))
    plot_px = height - layout["margin"]["t"] - layout["margin"]["b"]
    values = np.concatenate(finite) if finite else np.zeros(0)
    layout = label_ends(data, layout)
    layout["yaxis"] = {**layout["yaxis"], "dtick": decades_per_tick(values, plot_px), "automargin": True,
                       "title": {**layout["yaxis"]["title"], "standoff": 6}}
    return Figure({"data": data, "layout": layout})
