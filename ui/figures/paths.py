"""Trajectories over a loss surface, animated: the picture most pages are built on.

The surface is a picture in the layout (see ``background``), the full paths are
drawn once, opaque and at least 3 px wide, and each frame moves only a marker and
a short bold tail per path (``frame.traces``). Build a path with
``optimizer_path`` and it carries its optimizer's colour, dash and marker
(``theme.style``), so no two paths are told apart by colour alone. Long runs are subsampled to at most ``max_frames``
frames, so the figure stays small however many steps were run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.animation import CONTROLS_PX, play_buttons, scrubber
from ui.figures.background import layout_image
from ui.figures.charts import thin
from ui.figures.figure import Figure
from ui.figures.theme import (
    AXIS_TITLE_FONT,
    GRID_COLOR,
    MIN_PATH_PX,
    MINIMUM_COLOR,
    START_COLOR,
    TICK_FONT,
    TITLE_FONT,
    base_layout,
    style,
)
from ui.figures.theme import label as optimizer_label
from ui.i18n import t

MAX_FRAMES = 60
TAIL = 6  # frames of bold tail behind each moving marker
MAX_PATH_POINTS = 2000  # a full path is thinned beyond this (ends kept)
FULL_WIDTH_SHARE = 0.6  # the full path is this share of the tail's width, never under MIN_PATH_PX


@dataclass(frozen=True)
class Path:
    """One trajectory to draw: ``points`` has shape (steps + 1, 2).

    ``width`` is the moving tail's width; the full path is drawn at ``full_width``,
    by default ``max(MIN_PATH_PX, 0.6 × width)`` (3 px at the default width), and
    opaque unless ``opacity`` says otherwise. ``symbol`` is the moving marker's shape
    (a circle when None). ``optimizer_path`` fills colour, dash and symbol in.
    """

    label: str
    points: np.ndarray
    color: str
    width: float = 5.0
    opacity: float = 1.0
    dash: str | None = None
    animate: bool = True
    marker_size: int = 14
    symbol: str | None = None
    full_width: float | None = None

    @property
    def line_width(self) -> float:
        """Width of the full path in px."""
        if self.full_width is not None:
            return float(self.full_width)
        return max(MIN_PATH_PX, FULL_WIDTH_SHARE * self.width)


def optimizer_path(name: str, label: str | None, points, **kw) -> Path:
    """A ``Path`` in optimizer ``name``'s colour, dash and marker (``theme.style``); ``kw`` overrides any field.

    ``label`` None means the optimizer's own label ("Adam", …).
    """
    color, dash, symbol = style(name)
    fields = {"color": color, "dash": dash, "symbol": symbol, **kw}
    return Path(optimizer_label(name) if label is None else label, np.asarray(points), **fields)


def frame_steps(n_points: int, max_frames: int = MAX_FRAMES, at: int | None = None) -> np.ndarray:
    """Which steps get a frame: all of them when they fit, else every early step and the rest thinned.

    The first ``max_frames // 2`` steps are frames one by one (where a student watches
    each update), and the remaining frames are spread evenly over the later steps, the
    last step included. ``at`` (the step a page is showing) is always a frame.
    """
    if n_points <= max_frames:
        steps = np.arange(n_points)
    else:
        dense = max_frames // 2
        later = thin(n_points - dense, max_frames - dense) + dense
        steps = np.concatenate([np.arange(dense), later])
    if at is not None and 0 <= at < n_points:
        steps = np.union1d(steps, [at])
    return steps


def surface_axes(surface: oc.Surface) -> dict:
    """Axis settings that pin the view to the surface's bounds with no padding."""
    (x0, x1), (y0, y1) = surface.bounds
    common = {"showgrid": False, "zeroline": False, "linecolor": GRID_COLOR, "mirror": True, "ticks": "outside",
              "tickfont": dict(TICK_FONT)}
    title_font = {"size": max(17, AXIS_TITLE_FONT["size"])}
    return {"xaxis": {**common, "range": [x0, x1], "title": {"text": t("figure.x_axis"), "font": title_font,
                                                                    "standoff": 2}},
            "yaxis": {**common, "range": [y0, y1], "title": {"text": t("figure.y_axis"), "font": dict(title_font)}}}


def landmarks(surface: oc.Surface, start=None, *, legend: bool = True) -> list[dict]:
    """The known minima as stars and the start point as a ring (``legend=False``: explained in the text)."""
    traces = []
    if len(surface.minima):
        traces.append({"type": "scatter", "x": surface.minima[:, 0], "y": surface.minima[:, 1],
                       "mode": "markers", "name": t("figure.minimum"), "hoverinfo": "name+x+y",
                       "marker": {"symbol": "star", "size": 20, "color": "#FFD700",
                                  "line": {"color": MINIMUM_COLOR, "width": 2}}})
    if start is not None:
        traces.append({"type": "scatter", "x": [start[0]], "y": [start[1]], "mode": "markers",
                       "name": t("figure.start"), "hoverinfo": "name+x+y",
                       "marker": {"symbol": "circle-open", "size": 16, "color": START_COLOR,
                                  "line": {"width": 3}}})
    if not legend:
        for trace in traces:
            trace["showlegend"] = False
    return traces


def _moving(path: Path, steps: np.ndarray, j: int) -> tuple[dict, dict]:
    """Tail and marker of ``path`` at frame ``j`` (only x/y: the rest lives in ``data``)."""
    idx = np.minimum(steps[max(0, j - TAIL): j + 1], len(path.points) - 1)
    head = path.points[idx[-1]]
    # plain lists: Plotly validates a short list far faster than a NumPy array
    return ({"x": path.points[idx, 0].tolist(), "y": path.points[idx, 1].tolist()},
            {"x": [float(head[0])], "y": [float(head[1])]})


def animated_paths(
    surface: oc.Surface,
    paths: list[Path],
    *,
    start=None,
    height: int = 600,
    max_frames: int = MAX_FRAMES,
    extra_traces: list[dict] | None = None,
    moving_extras: list[tuple[dict, Callable[[int], dict]]] | None = None,
    title: str | None = None,
    landmarks_in_legend: bool = True,
    at_step: int | None = None,
) -> go.Figure:
    """Opaque full paths, moving markers with tails, Play / Pause / speed buttons and a scrubber.

    ``at_step`` opens the figure at that step (markers, tails and moving extras there) for a
    page that steps through the run with its own controls: its step slider is then the
    scrubber, so the figure has none, and Play plays on from that step.

    ``extra_traces`` are drawn once (static). ``moving_extras`` are ``(trace, at)``
    pairs: ``trace`` is the style (and frame-0 data) of a trace that moves, and
    ``at(step)`` returns the keys that change at that step (usually ``x`` and ``y``),
    e.g. a velocity arrow or Lookahead's interpolation segment.
    """
    data: list[dict] = landmarks(surface, start, legend=landmarks_in_legend)
    for p in paths:
        keep = thin(len(p.points), MAX_PATH_POINTS)
        data.append({"type": "scatter", "x": p.points[keep, 0], "y": p.points[keep, 1], "mode": "lines",
                     "name": p.label, "legendgroup": p.label, "opacity": p.opacity,
                     "meta": "path" if p.animate else "still path",  # the browser test finds moving paths by it
                     "line": {"color": p.color, "width": p.line_width, "dash": p.dash},
                     "hovertemplate": f"{p.label}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<extra></extra>"})
    data += list(extra_traces or [])
    moving = [p for p in paths if p.animate]
    longest = max((len(p.points) for p in moving), default=1)
    steps = frame_steps(longest, max_frames, at_step)
    shown = 0 if at_step is None else int(np.searchsorted(steps, min(at_step, steps[-1])))
    first_moving = len(data)
    for p in moving:
        tail, head = _moving(p, steps, shown)
        data.append({"type": "scatter", "mode": "lines", "showlegend": False, "legendgroup": p.label,
                     "hoverinfo": "skip", "line": {"color": p.color, "width": p.width, "dash": p.dash}, **tail})
        data.append({"type": "scatter", "mode": "markers", "showlegend": False, "legendgroup": p.label,
                     "name": p.label, "hovertemplate": f"{p.label}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<extra></extra>",
                     "marker": {"color": p.color, "size": p.marker_size, "symbol": p.symbol or "circle",
                                "line": {"color": "white", "width": 2}},
                     **head})
    extras = list(moving_extras or [])
    for trace, at in extras:
        data.append({**trace, **at(int(steps[shown]))})
    moving_ids = list(range(first_moving, len(data)))
    frames = []
    for j, step in enumerate(steps):
        frame_data = []
        for p in moving:
            frame_data.extend(_moving(p, steps, j))
        frame_data.extend(at(int(step)) for _, at in extras)
        frames.append({"name": str(int(step)), "data": frame_data, "traces": moving_ids})
    layout = base_layout(height, images=[layout_image(surface)], **surface_axes(surface))
    if title:
        layout["title"] = {"text": title, "x": 0.01, "font": dict(TITLE_FONT)}
    if (moving or extras) and at_step is None:  # a stepping page plays it from its step row (ui.widgets.player)
        layout["updatemenus"] = [play_buttons()]
        # the current step is printed above the slider: its ticks would pile up, so they are hidden
        layout["sliders"] = [scrubber([str(int(s)) for s in steps], tick_labels=False)]
        layout["margin"] = {**layout["margin"], "b": CONTROLS_PX[2]}
    return Figure({"data": data, "layout": layout, "frames": frames})
