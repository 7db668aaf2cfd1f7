"""The loss surface in 3-D, with each path lifted onto it: the picture beside the contour (Home, Compare).

Pure (no Streamlit). The surface is a ``surface`` trace over a ``GRID`` × ``GRID`` grid of the plotted box;
each path is a ``scatter3d`` line at the height of its own loss, or of the drawn surface where that is higher
(a grid cell bridges a valley narrower than itself), lifted by ``LIFT`` of the height range so the surface never
hides it; its hover gives the loss itself. The height is the loss, or on a surface whose loss spans decades
(``Surface.log_contours``: Rosenbrock, Beale, …) ``log₁₀`` of the loss above its lowest value, so the valley
shows instead of a flat floor under one tall wall. Heights are clipped to the grid's own range (the saddle
falls away at its corners); where a typed f is undefined the surface has a hole.

Paths keep the projector's rules: opaque, at least ``MIN_PATH_PX`` wide, told apart by colour, by dash
and by marker. WebGL lines know six dashes and 3-D markers eight shapes (the 2-D picture's custom dashes
and triangles do not exist there), so each optimizer has its own pair in ``STYLE_3D``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

import optim_core as oc
from ui.figures.background import band_colors
from ui.figures.charts import thin
from ui.figures.figure import Figure
from ui.figures.theme import AXIS_TITLE_FONT, MIN_PATH_PX, MINIMUM_COLOR, START_COLOR, TICK_FONT, base_layout, color
from ui.i18n import t

GRID = 80  # per side
LIFT = 0.015  # a path floats this share of the height range above the surface
LOG_FLOOR = 0.1  # log heights: log₁₀(L − L_low + δ), δ this share of the loss's rise to FLOOR_PERCENT
FLOOR_PERCENT = 5  # … of the grid: the valley's floor is a floor, not a well to −∞
TOP_PERCENT = 99.5  # heights above this percentile of the grid are clipped (the saddle's corners, Beale's walls)
MAX_POINTS = 1500  # a path is thinned beyond this (ends kept)
PATH_PX = 6.0  # WebGL line width in px
MARKS = 6  # markers along a path, besides its end
MAX_Z_TICKS = 5
CONTOURS = 14  # level lines on the surface
LEVEL_COLOR = "#8A9BB1"  # a shade darker than the 2-D picture's contour lines (lighting greys the surface)
# from above the side where y is smallest, a little to the right: high enough to see into a valley (Rosenbrock's),
# and the z axis stands at the left, clear of the y axis' labels
CAMERA = MappingProxyType({"eye": {"x": 0.5, "y": -1.45, "z": 1.6}, "center": {"x": 0, "y": 0, "z": -0.15},
                           "up": {"x": 0, "y": 0, "z": 1}})

# (dash, marker) per optimizer: WebGL's named dashes and 3-D marker shapes; no two optimizers share a pair
STYLE_3D = MappingProxyType({
    "sgd": ("solid", "circle"),
    "momentum": ("dash", "diamond"),
    "nesterov": ("dot", "square"),
    "adagrad": ("longdash", "cross"),
    "rmsprop": ("dashdot", "x"),
    "adam": ("longdashdot", "circle-open"),
    "adamax": ("dot", "diamond-open"),
    "newton": ("dashdot", "square-open"),
    "lookahead": ("longdash", "circle"),
})


@dataclass(frozen=True)
class Heights:
    """How a loss becomes a height: ``log₁₀(max(L − low, 0) + delta)`` if ``log`` else ``L``, clipped to
    [``bottom``, ``top``]."""

    log: bool
    low: float
    delta: float
    bottom: float
    top: float

    def __call__(self, loss) -> np.ndarray:
        loss = np.asarray(loss, dtype=float)
        with np.errstate(invalid="ignore", over="ignore"):
            h = np.log10(np.maximum(loss - self.low, 0.0) + self.delta) if self.log else loss
            return np.where(np.isfinite(h), np.clip(h, self.bottom, self.top), np.nan)

    @property
    def lift(self) -> float:
        return LIFT * (self.top - self.bottom)


def heights(surface: oc.Surface, z: np.ndarray) -> Heights:
    """The height map of ``surface`` read from its grid values ``z`` (non-finite values ignored)."""
    finite = np.asarray(z, dtype=float)[np.isfinite(z)]
    if not finite.size:
        return Heights(False, 0.0, 1.0, -1.0, 1.0)
    low = float(finite.min())
    if len(surface.minima):
        at_minima = np.asarray(surface.value(surface.minima), dtype=float)
        low = min(low, *at_minima[np.isfinite(at_minima)].tolist())
    if surface.log_contours:
        delta = max(LOG_FLOOR * float(np.percentile(finite, FLOOR_PERCENT) - low), 1e-12)
        top = float(np.percentile(np.log10(finite - low + delta), TOP_PERCENT))
        return Heights(True, low, delta, float(np.log10(delta)), max(top, float(np.log10(delta)) + 1e-9))
    top = float(np.percentile(finite, TOP_PERCENT))
    return Heights(False, low, 1.0, low, top if top > low else low + 1.0)


@dataclass(frozen=True)
class Line3D:
    """One path to lift: optimizer ``name`` (its colour and 3-D style), its ``label``, ``points`` (n, 2)."""

    name: str
    label: str
    points: np.ndarray


def _none_for_nan(values: np.ndarray):
    """A float array, or nested lists with None where a value is not finite (a gap Plotly leaves open)."""
    values = np.asarray(values, dtype=float)
    if np.isfinite(values).all():
        return values
    return np.where(np.isfinite(values), values, None).tolist()


@dataclass(frozen=True)
class Sheet:
    """The surface as drawn: heights ``z[j, i]`` at (``xs[i]``, ``ys[j]``) (NaN where f is undefined), the losses
    ``loss`` they come from and the height map ``h``."""

    xs: np.ndarray
    ys: np.ndarray
    loss: np.ndarray
    z: np.ndarray
    h: Heights

    def drawn_at(self, points) -> np.ndarray:
        """The drawn surface's height at ``points`` (..., 2): bilinear between the grid's nodes, as WebGL shades a
        cell; NaN off the box or beside a hole."""
        p = np.asarray(points, dtype=float)
        n, m = len(self.xs) - 1, len(self.ys) - 1
        u = (p[..., 0] - self.xs[0]) / (self.xs[-1] - self.xs[0]) * n
        v = (p[..., 1] - self.ys[0]) / (self.ys[-1] - self.ys[0]) * m
        inside = (u >= 0) & (u <= n) & (v >= 0) & (v <= m)
        i = np.clip(np.floor(np.nan_to_num(u)), 0, n - 1).astype(int)
        j = np.clip(np.floor(np.nan_to_num(v)), 0, m - 1).astype(int)
        fu, fv = np.clip(u - i, 0, 1), np.clip(v - j, 0, 1)
        with np.errstate(invalid="ignore"):
            out = ((1 - fu) * (1 - fv) * self.z[j, i] + fu * (1 - fv) * self.z[j, i + 1]
                   + (1 - fu) * fv * self.z[j + 1, i] + fu * fv * self.z[j + 1, i + 1])
        return np.where(inside, out, np.nan)

    def above(self, points, loss) -> np.ndarray:
        """Where a point of loss ``loss`` is drawn: at its own height or at the drawn surface's, the higher, lifted
        by ``h.lift``. On a log height a narrow valley is deeper than its grid cells show; the path stays in sight."""
        with np.errstate(invalid="ignore"):
            return np.fmax(self.h(loss), self.drawn_at(points)) + self.h.lift


def sheet(surface: oc.Surface, grid: int = GRID) -> Sheet:
    """``surface`` on a ``grid`` × ``grid`` grid of its box, as heights."""
    xs, ys, z = surface.grid(grid)
    z = np.where(np.isfinite(z), z, np.nan)
    h = heights(surface, z)
    return Sheet(xs, ys, z, h(z), h)


def surface_trace(drawn: Sheet) -> dict:
    """The ``surface`` trace: the heights, light blue-grey, with level lines; its hover names the loss."""
    h = drawn.h
    levels = {"start": h.bottom, "end": h.top, "size": (h.top - h.bottom) / CONTOURS}
    return {"type": "surface", "x": drawn.xs, "y": drawn.ys, "z": _none_for_nan(drawn.z),
            "customdata": _none_for_nan(drawn.loss), "colorscale": [[0, band_colors()[0]], [1, band_colors()[-1]]],
            "cmin": h.bottom, "cmax": h.top, "showscale": False, "name": t("view3d.surface"), "showlegend": False,
            "meta": "surface", "lighting": {"ambient": 0.75, "diffuse": 0.5, "specular": 0.05, "roughness": 0.9},
            "contours": {"z": {"show": True, "color": LEVEL_COLOR, "width": 2, **levels}},
            "hovertemplate": "x=%{x:.3f}<br>y=%{y:.3f}<br>L=%{customdata:.4g}<extra></extra>"}


def path_traces(surface: oc.Surface, line: Line3D, drawn: Sheet) -> list[dict]:
    """``line`` lifted onto the surface (its loss in ``customdata``), and its markers: along it and at its end."""
    points = np.asarray(line.points, dtype=float)
    points = points[thin(len(points), MAX_POINTS)]
    loss = np.asarray(surface.value(points), dtype=float)
    z = drawn.above(points, loss)
    dash, symbol = STYLE_3D.get(line.name, ("solid", "circle"))
    colour = color(line.name) if line.name in STYLE_3D else MINIMUM_COLOR
    hover = f"{line.label}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<br>L=%{{customdata:.4g}}<extra></extra>"
    path = {"type": "scatter3d", "mode": "lines", "x": points[:, 0], "y": points[:, 1], "z": _none_for_nan(z),
            "customdata": _none_for_nan(loss), "name": line.label, "legendgroup": line.label, "meta": "path",
            "opacity": 1.0, "line": {"color": colour, "width": max(PATH_PX, MIN_PATH_PX), "dash": dash},
            "hovertemplate": hover}
    marks = np.unique(np.r_[np.linspace(0, len(points) - 1, MARKS + 1).round().astype(int)[1:], len(points) - 1])
    marks = marks[np.isfinite(z[marks])]
    markers = {"type": "scatter3d", "mode": "markers", "x": points[marks, 0], "y": points[marks, 1], "z": z[marks],
               "customdata": loss[marks], "name": line.label, "legendgroup": line.label, "showlegend": False,
               "marker": {"color": colour, "size": 6, "symbol": symbol, "line": {"color": colour, "width": 2}},
               "hovertemplate": hover}
    return [path, markers]


def landmark_traces(surface: oc.Surface, start, drawn: Sheet) -> list[dict]:
    """The known minima (gold diamonds) and the start (an open ring) on the surface."""
    traces = []
    if len(surface.minima):
        m = np.asarray(surface.minima, dtype=float)
        traces.append({"type": "scatter3d", "mode": "markers", "x": m[:, 0], "y": m[:, 1],
                       "z": drawn.above(m, surface.value(m)), "name": t("figure.minimum"), "hoverinfo": "name+x+y",
                       "marker": {"symbol": "diamond", "size": 9, "color": "#FFD700",
                                  "line": {"color": MINIMUM_COLOR, "width": 2}}})
    if start is not None:
        s = np.asarray(start, dtype=float).reshape(1, 2)
        traces.append({"type": "scatter3d", "mode": "markers", "x": s[:, 0], "y": s[:, 1],
                       "z": drawn.above(s, surface.value(s)), "name": t("figure.start"), "hoverinfo": "name+x+y",
                       "marker": {"symbol": "circle-open", "size": 10, "color": START_COLOR,
                                  "line": {"color": START_COLOR, "width": 3}}})
    return traces


def _z_axis(h: Heights) -> dict:
    axis = {"title": {"text": t("view3d.z_log") if h.log else t("view3d.z"), "font": dict(AXIS_TITLE_FONT)},
            "range": [h.bottom, h.top + 2 * h.lift]}
    if h.log:  # a tick where L is its lowest value plus a power of ten, at most MAX_Z_TICKS of them
        powers = np.arange(np.ceil(np.log10(2 * h.delta)), np.floor(h.top) + 1)
        powers = powers[:: int(np.ceil(len(powers) / MAX_Z_TICKS))] if len(powers) else powers
        loss = h.low + 10.0 ** powers
        axis.update(tickvals=h(loss).tolist(), ticktext=[f"{v:g}" for v in loss])
    return axis


def figure(surface: oc.Surface, lines: Sequence[Line3D], start=None, height: int = 600, *,
           legend: bool = True) -> Figure:
    """The surface in 3-D with every path of ``lines`` lifted onto it, the minima and the start."""
    drawn = sheet(surface)
    h = drawn.h
    data = [surface_trace(drawn), *landmark_traces(surface, start, drawn)]
    for line in lines:
        data += path_traces(surface, line, drawn)
    (x0, x1), (y0, y1) = surface.bounds
    common = {"tickfont": dict(TICK_FONT), "backgroundcolor": "#FFFFFF", "gridcolor": "#D0D7DE",
              "showspikes": False}
    scene = {"xaxis": {**common, "range": [x0, x1], "title": {"text": t("figure.x_axis"),
                                                              "font": dict(AXIS_TITLE_FONT)}},
             "yaxis": {**common, "range": [y0, y1], "title": {"text": t("figure.y_axis"),
                                                              "font": dict(AXIS_TITLE_FONT)}},
             "zaxis": {**common, **_z_axis(h)},
             "aspectmode": "manual", "aspectratio": {"x": 1, "y": 1, "z": 0.65},
             "camera": {k: dict(v) for k, v in CAMERA.items()}, "dragmode": "turntable"}
    layout = base_layout(height, scene=scene, showlegend=legend, uirevision="view3d",
                         margin={"l": 0, "r": 0, "t": 40 if legend else 10, "b": 0})
    layout.pop("xaxis", None)
    layout.pop("yaxis", None)
    return Figure({"data": data, "layout": layout})


__all__ = ["CAMERA", "GRID", "Heights", "LIFT", "Line3D", "STYLE_3D", "Sheet", "figure", "heights",
           "landmark_traces", "path_traces", "sheet", "surface_trace"]
