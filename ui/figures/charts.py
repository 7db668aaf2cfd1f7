"""Plain line charts: loss against step, per-parameter step sizes, sweeps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ui.figures.figure import Figure
from ui.figures.theme import TITLE_FONT, axis, base_layout, style
from ui.figures.theme import label as optimizer_label


@dataclass(frozen=True)
class Series:
    label: str
    y: np.ndarray
    color: str
    x: np.ndarray | None = None
    dash: str | None = None
    width: float = 3.0


def optimizer_series(name: str, label: str | None, y, **kw) -> Series:
    """A ``Series`` in optimizer ``name``'s colour and dash (``theme.style``); ``kw`` overrides any field.

    ``label`` None means the optimizer's own label ("Adam", …).
    """
    color, dash, _ = style(name)
    return Series(optimizer_label(name) if label is None else label, y, **{"color": color, "dash": dash, **kw})


def line_chart(series: list[Series], *, x_title: str, y_title: str, log_y: bool = False,
               log_x: bool = False, height: int = 380, title: str | None = None,
               max_points: int = 600) -> go.Figure:
    """Lines over a shared x axis; long series are thinned to ``max_points``, ends kept."""
    data = []
    for s in series:
        y = np.asarray(s.y, dtype=float)
        x = np.arange(len(y)) if s.x is None else np.asarray(s.x, dtype=float)
        keep = thin(len(y), max_points)
        y = y[keep]
        if log_y:  # log axes cannot show zero or negatives; leave a gap instead
            y = np.where(y > 0, y, np.nan)
        data.append({"type": "scatter", "mode": "lines", "name": s.label, "x": x[keep], "y": y,
                     "line": {"color": s.color, "width": s.width, "dash": s.dash},
                     "hovertemplate": f"{s.label}<br>%{{x}}: %{{y:.4g}}<extra></extra>"})
    layout = base_layout(height, xaxis=axis(x_title, type="log" if log_x else "linear"),
                         yaxis=axis(y_title, type="log" if log_y else "linear", exponentformat="power"))
    if title:
        layout["title"] = {"text": title, "x": 0.01, "font": dict(TITLE_FONT)}
    return Figure({"data": data, "layout": layout})


def thin(n: int, max_points: int) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spread samples of ``range(n)``, ends included."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))
