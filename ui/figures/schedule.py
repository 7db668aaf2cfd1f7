"""The step size t_c against the update c, with the step on screen marked: a schedule read at a glance."""

from __future__ import annotations

import numpy as np

from ui.figures.figure import Figure
from ui.figures.theme import axis, base_layout
from ui.i18n import t

CURVE_COLOR = "#1F4E79"
MARK_COLOR = "#A63D00"  # the arrow's colour on Home: the one thing that moves with the step


def schedule_figure(step_sizes, at_step: int, *, height: int = 200, relative: bool = False) -> Figure:
    """``step_sizes[c]`` is t_c, the step size of update c; the ring marks the one that makes step ``at_step``.

    The picture at step n shows W_n, reached by update n − 1: the ring sits at c = n − 1 (at c = 0 on the
    start, whose next update uses t_0). ``relative``: the values are t_c / t, and the axis says so."""
    t_c, name = np.asarray(step_sizes, dtype=float), "t<sub>c</sub> / t" if relative else "t<sub>c</sub>"
    c = max(min(int(at_step) - 1, len(t_c) - 1), 0)
    data = [{"type": "scatter", "mode": "lines", "x": list(range(len(t_c))), "y": t_c.tolist(),
             "line": {"color": CURVE_COLOR, "width": 3}, "name": "t_c", "hoverinfo": "skip"},
            {"type": "scatter", "mode": "markers", "x": [c], "y": [float(t_c[c])], "name": "now",
             "marker": {"symbol": "circle-open", "size": 16, "color": MARK_COLOR, "line": {"width": 3}},
             "hovertemplate": f"c = %{{x}}<br>{name} = %{{y:.3g}}<extra></extra>"}]
    layout = base_layout(height, showlegend=False, margin={"l": 70, "r": 14, "t": 10, "b": 45},
                         xaxis=axis(t("run_options.curve_x")), yaxis=axis(name, rangemode="tozero",
                                                                          exponentformat="power"))
    return Figure({"data": data, "layout": layout})
