"""Plain line charts: loss against step, per-parameter step sizes, sweeps."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from ui.figures.figure import Figure
from ui.figures.theme import (
    LEGEND_FONT,
    MODEBAR_PX,
    MODEBAR_TOP_PX,
    PRESENT_FONT_SCALE,
    TITLE_FONT,
    axis,
    base_layout,
    style,
)
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
               max_points: int = 600, margin: dict | None = None, end_labels: bool = False) -> go.Figure:
    """Lines over a shared x axis; long series are thinned to ``max_points``, ends kept.

    ``margin`` changes the default margins. ``end_labels`` names each line at its end, in its colour,
    instead of a legend (see ``label_ends``): for a few lines, so they read apart without a legend.
    """
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
    if margin:
        layout["margin"] = {**layout["margin"], **margin}
    if end_labels:
        layout = label_ends(data, layout)
    return Figure({"data": data, "layout": layout})


# --- labels at the lines' ends (issue 16: a legend under a chart falls below the fold) ---------------

END_LABEL_PAD_PX = 8  # between a line's last point and its label
NARROW_EM, WIDE_EM = 0.56, 1.0  # a character's width in ems: Latin, digits, Greek …; Hangul and other wide ones


def text_px(text: str, size: float) -> float:
    """About how wide ``text`` (HTML tags aside) is at ``size`` px: generous, so a margin sized by it holds it."""
    plain = re.sub(r"<[^>]*>", "", text)
    return size * sum(WIDE_EM if unicodedata.east_asian_width(ch) in "WF" else NARROW_EM for ch in plain)


def _last_finite(trace: dict, log_y: bool) -> tuple[float, float] | None:
    x = np.asarray(trace["x"], dtype=float)
    y = np.asarray(trace["y"], dtype=float)
    ok = np.isfinite(x) & np.isfinite(y) & ((y > 0) if log_y else True)
    if not ok.any():
        return None
    i = int(np.flatnonzero(ok)[-1])
    return float(x[i]), float(y[i])


def _y_range(data: list[dict], log_y: bool) -> list[float]:
    """The y axis range over every trace's finite values (log10 on a log axis), padded 5 % each side."""
    values = np.concatenate([np.asarray(tr["y"], dtype=float).ravel() for tr in data if "y" in tr] or [np.zeros(0)])
    values = values[np.isfinite(values) & ((values > 0) if log_y else True)]
    if not values.size:
        return [0.0, 1.0]
    if log_y:
        values = np.log10(values)
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo) if hi > lo else (0.5 if log_y else max(abs(lo), 1.0) * 0.1)
    return [lo - pad, hi + pad]


def spread_labels(targets: list[float], gap: float, low: float, high: float) -> list[float]:
    """Label heights (px) as near ``targets`` as they can be with ``gap`` px between neighbours, kept within
    [``low``, ``high``] when they fit there. Returned in the order of ``targets``."""
    order = sorted(range(len(targets)), key=lambda i: targets[i])
    pos = [min(max(targets[i], low), high) for i in order]
    for k in range(1, len(pos)):  # push up
        pos[k] = max(pos[k], pos[k - 1] + gap)
    if pos and pos[-1] > high:  # then down from the top, as far as the bottom allows
        pos[-1] = max(high, low + gap * (len(pos) - 1))
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - gap)
    out = [0.0] * len(targets)
    for k, i in enumerate(order):
        out[i] = pos[k]
    return out


def label_ends(data: list[dict], layout: dict, texts: dict[int, str] | None = None,
               size: int = LEGEND_FONT["size"]) -> dict:
    """``layout`` with each named line of ``data`` labelled at its last finite point, in the line's colour, in a
    right margin wide enough for the labels, and no legend.

    Both axis ranges are pinned (x to the data's first and last step), so the labels stand in the margin.
    ``texts`` maps trace indices to labels (default: every trace with a name and a legend entry, by its name).
    The y range is set from the data (padded 5 %), so the labels' pixel heights are known: labels closer than
    the presenter-mode font (``size`` × 1.25) plus 2 px are nudged apart with ``yshift``; each label's ``x`` and
    ``y`` stay exactly the line's last point. The margin is sized for presenter-mode type too, and widened
    by the modebar's ``MODEBAR_PX`` when a label stands where the vertical modebar does.
    """
    log_y = (layout.get("yaxis") or {}).get("type") == "log"
    if texts is None:
        texts = {i: tr["name"] for i, tr in enumerate(data)
                 if tr.get("name") and tr.get("showlegend", True) is not False and "lines" in tr.get("mode", "lines")}
    ends = {i: _last_finite(data[i], log_y) for i in texts}
    ends = {i: end for i, end in ends.items() if end is not None}
    y_range = _y_range(data, log_y)
    margin = dict(layout.get("margin") or {})
    top, bottom = margin.get("t", 100), margin.get("b", 80)
    plot_px = layout.get("height", 450) - top - bottom
    span = y_range[1] - y_range[0]

    def px(y: float) -> float:  # height above the plot's bottom edge
        return ((math.log10(y) if log_y else y) - y_range[0]) / span * plot_px

    shown = math.ceil(size * PRESENT_FONT_SCALE)  # the labels' size in presenter mode
    order = list(ends)
    targets = [px(ends[i][1]) for i in order]
    heights = spread_labels(targets, shown + 2, 0.0, float(plot_px))
    annotations = list(layout.get("annotations") or [])
    for i, target, height in zip(order, targets, heights):
        x, y = ends[i]
        annotations.append({"x": x, "y": math.log10(y) if log_y else y, "xref": "x", "yref": "y",
                            "text": texts[i], "showarrow": False, "xanchor": "left", "yanchor": "middle",
                            "xshift": END_LABEL_PAD_PX, "yshift": float(height - target),
                            "font": {"size": size, "color": data[i]["line"]["color"]}, "name": "end label"})
    width = max((text_px(texts[i], shown) for i in order), default=0.0)
    under_modebar = any(top + plot_px - h - shown / 2 < MODEBAR_TOP_PX for h in heights)
    needed = END_LABEL_PAD_PX + width + 4 + (MODEBAR_PX if under_modebar else 0)
    margin["r"] = max(margin.get("r", 0), math.ceil(needed))
    # both ranges pinned: plotly would otherwise widen an autoranged x axis to fit the labels inside the plot
    xs = np.concatenate([np.asarray(tr["x"], dtype=float).ravel() for tr in data if "x" in tr] or [np.zeros(1)])
    xs = xs[np.isfinite(xs)]
    x_range = [float(xs.min()), float(xs.max())] if xs.size and xs.max() > xs.min() else None
    xaxis = dict(layout.get("xaxis") or {})
    if x_range is not None and xaxis.get("type") != "log":
        xaxis.update(range=x_range, autorange=False)
    return {**layout, "annotations": annotations, "showlegend": False, "margin": margin, "xaxis": xaxis,
            "yaxis": {**layout.get("yaxis", {}), "range": y_range, "autorange": False}}


def thin(n: int, max_points: int) -> np.ndarray:
    """Indices of at most ``max_points`` evenly spread samples of ``range(n)``, ends included."""
    if n <= max_points:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, max_points).round().astype(int))
