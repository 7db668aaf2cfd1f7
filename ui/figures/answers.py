"""The reveal of a prediction question (``ui.questions``): the class's answers beside the engine's, and the page's
picture with the outcome hidden while the question is open.

- ``choice_bars``: one bar per option, its count and share written on it; the right option is green with a thick
  black outline and a ✓ before its label (told apart by outline and mark, not by colour alone).
- ``tap_traces``: traces to add to the page's own picture: every tap as a small marker, the engine's answer as a
  large green diamond with a black outline, and the circle of radius ``tolerance`` around it inside which a tap
  counts as right; ``density_image``: where the class tapped, as a density picture for ``layout.images``;
  ``with_taps``: the page's picture with both.
- ``hidden_outcome``: the page's picture for the question phase (the rule is in its docstring).

Pure (no Streamlit). A question is used through its interface (``options``, ``option_label``, ``answer``,
``tolerance``, ``box``, ``is_right``): the figure parts import no page.
"""

from __future__ import annotations

import base64

import numpy as np

from ui.figures.background import png_bytes
from ui.figures.figure import Figure
from ui.figures.tap import TAP_META
from ui.figures.theme import MIN_PATH_PX, base_layout
from ui.figures.theme import axis as house_axis
from ui.i18n import CATALOGS, t

RIGHT_COLOR = "#1FA34A"  # bright green, always inside a black outline (the outline carries the 3:1 contrast)
CIRCLE_COLOR = "#0B5D2A"  # dark green: 4:1 on every band of the surface picture
WRONG_COLOR = "#8C8C8C"  # mid grey: the other options
OUTLINE = "#111111"
TAP_COLOR = "#A63603"  # dark orange: the class's taps
DENSITY_GRID = 256  # the density picture's pixels per side
DENSITY_SHARE = 0.05  # its kernel's width: this share of the box's side, per axis (a round blob on screen)
DENSITY_FLOOR = 0.15  # below this share of the peak the density is not drawn: the surface shows through
DENSITY_BANDS = 5
CIRCLE_POINTS = 73
BAR_TEXT_PX = 18
# the density: transparent below the floor, then light to dark orange; alpha rises with density so the surface and its
# contour lines still read under a sparse cloud, and a crowded spot is nearly opaque on a projector
DENSITY_SCALE = ((0.0, "rgba(253, 208, 162, 0)"), (0.01, "rgba(253, 208, 162, 0.55)"),
                 (0.4, "rgba(253, 141, 60, 0.7)"), (1.0, "rgba(166, 54, 3, 0.85)"))
SURFACE_TYPES = frozenset({"contour", "heatmap", "surface", "image"})  # a surface drawn as a trace
MAIN_AXES = frozenset({"x", "y", "paper", "x domain", "y domain"})  # what a kept annotation may refer to
HIDDEN_LAYOUT = ("updatemenus", "sliders")  # the animation's controls: nothing is left to play


def share_text(count: int, total: int) -> str:
    """``12 (40%)``: a bar's count and its share of all answers (both languages write the percent this way)."""
    return f"{count} ({round(100 * count / total) if total else 0}%)"


def choice_bars(question, counts: dict[str, int], height: int = 360) -> Figure:
    """One bar per option in the question's order (options nobody picked at 0); the right one marked."""
    right = question.answer()
    options = list(question.options)
    values = [int(counts.get(o, 0)) for o in options]
    total = sum(values)
    labels = [("✓ " if o == right else "") + question.option_label(o) for o in options]
    trace = {"type": "bar", "x": labels, "y": values, "customdata": options, "meta": "answers",
             "text": [share_text(v, total) for v in values], "textposition": "outside", "cliponaxis": False,
             "textfont": {"size": BAR_TEXT_PX}, "showlegend": False, "hovertemplate": "%{x}: %{text}<extra></extra>",
             "marker": {"color": [RIGHT_COLOR if o == right else WRONG_COLOR for o in options],
                        "line": {"color": [OUTLINE if o == right else WRONG_COLOR for o in options],
                                 "width": [4 if o == right else 1 for o in options]}}}
    top = max(values, default=0)
    layout = base_layout(height, showlegend=False, bargap=0.35, margin={"l": 60, "r": 36, "t": 30, "b": 60},
                         xaxis=house_axis(tickfont={"size": 16}, automargin=True),
                         yaxis=house_axis(t("questions.count_axis"), range=[0, max(1, top) * 1.2], rangemode="tozero",
                                          dtick=max(1, int(np.ceil(max(1, top) / 5)))))
    return Figure({"data": [trace], "layout": layout})


def density(points: np.ndarray, box, n: int = DENSITY_GRID) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A Gaussian kernel density of ``points`` (k, 2) on an n × n grid over ``box``, scaled to a peak of 1:
    ``(xs, ys, z)`` with ``z[j, i]`` at ``(xs[i], ys[j])``."""
    (x0, x1), (y0, y1) = box
    xs, ys = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
    hx, hy = DENSITY_SHARE * (x1 - x0), DENSITY_SHARE * (y1 - y0)
    kx = np.exp(-0.5 * ((xs[None, :] - points[:, :1]) / hx) ** 2)  # (k, n)
    ky = np.exp(-0.5 * ((ys[None, :] - points[:, 1:]) / hy) ** 2)
    z = ky.T @ kx  # Σ_k ky[k, j] kx[k, i]
    return xs, ys, z / z.max() if z.max() > 0 else z


def density_rgba(z: np.ndarray) -> np.ndarray:
    """``density``'s z (peak 1, row 0 = lowest y) as RGBA pixels (row 0 = highest y): transparent under
    ``DENSITY_FLOOR``, then ``DENSITY_BANDS`` flat bands from light to dark orange (a filled contour plot)."""
    stops = np.array([s for s, _ in DENSITY_SCALE])
    colors = np.array([[float(v) for v in c[c.index("(") + 1:-1].split(",")] for _, c in DENSITY_SCALE])
    band = np.floor((z - DENSITY_FLOOR) / (1 - DENSITY_FLOOR) * DENSITY_BANDS).clip(0, DENSITY_BANDS - 1)
    level = np.where(z >= DENSITY_FLOOR, (band + 1) / DENSITY_BANDS, 0.0)
    rgba = np.stack([np.interp(level, stops, colors[:, k]) for k in range(4)], axis=-1)
    rgba[..., 3] *= 255
    return rgba[::-1].round().astype(np.uint8)


def density_image(question, taps: list[tuple[float, float]]) -> dict | None:
    """The class's taps as a density picture for ``layout.images`` (over the surface picture, under every trace);
    None without taps.

    A picture, not a contour trace: the page's player animates with ``redraw: false``, and plotly.js drops
    contour and heatmap traces then (plotly.js #1221; the surface itself is a picture for the same reason).
    """
    points = _finite(taps)
    if not len(points):
        return None
    (x0, x1), (y0, y1) = question.box()
    xs, ys, z = density(points, ((x0, x1), (y0, y1)))
    uri = "data:image/png;base64," + base64.b64encode(png_bytes(density_rgba(z))).decode("ascii")
    # each pixel centred on its grid point, so the picture overhangs the box by half a pixel (clipped by the axes);
    # plotly.js also keys images by their place, and one placed exactly as the surface's would replace it
    dx, dy = xs[1] - xs[0], ys[1] - ys[0]
    return {"source": uri, "xref": "x", "yref": "y", "x": float(x0 - dx / 2), "y": float(y1 + dy / 2),
            "sizex": float(x1 - x0 + dx), "sizey": float(y1 - y0 + dy), "sizing": "stretch", "layer": "below",
            "name": "answers density"}


def with_taps(figure, question, taps: list[tuple[float, float]]) -> Figure:
    """The page's ``figure`` with the reveal of a tap question: the density picture and ``tap_traces``."""
    spec = figure.to_dict()
    layout = dict(spec.get("layout") or {})
    if (image := density_image(question, taps)) is not None:
        layout["images"] = [*(layout.get("images") or []), image]
    return Figure({**spec, "layout": layout, "data": [*spec.get("data", []), *tap_traces(question, taps)]})


def _finite(taps) -> np.ndarray:
    """The taps that are points with finite coordinates, as a (k, 2) array."""
    points = [p for p in taps if np.ndim(p) == 1 and len(p) == 2]
    points = np.asarray(points, dtype=float).reshape(-1, 2)
    return points[np.all(np.isfinite(points), axis=1)]


def _circle(center, radius: float) -> tuple[list[float], list[float]]:
    angle = np.linspace(0.0, 2 * np.pi, CIRCLE_POINTS)
    return ((center[0] + radius * np.cos(angle)).tolist(), (center[1] + radius * np.sin(angle)).tolist())


def tap_traces(question, taps: list[tuple[float, float]]) -> list[dict]:
    """Traces to add to the page's picture (its main axes): the class's taps and the engine's answer.

    Every tap is a small marker (legend "the class's answers"); the answer's diamond and its tolerance circle share
    "the answer", drawn last, on top of everything. All are scatter traces: they stay on screen while the page's
    player animates the picture. The density of the taps is a picture, not a trace (``density_image``).
    """
    answer = question.answer()
    points = _finite(taps)
    group, mine = t("questions.legend_class"), t("questions.legend_answer")
    traces: list[dict] = []
    if len(points):
        traces.append({"type": "scatter", "mode": "markers", "x": points[:, 0].tolist(), "y": points[:, 1].tolist(),
                       "meta": "answers", "name": group, "legendgroup": "class", "showlegend": True,
                       "hovertemplate": f"{group}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<extra></extra>",
                       "marker": {"symbol": "circle", "size": 9, "color": TAP_COLOR,
                                  "line": {"color": "white", "width": 1.5}}})
    cx, cy = _circle(answer, question.tolerance)
    traces.append({"type": "scatter", "mode": "lines", "x": cx, "y": cy, "meta": "answer tolerance",
                   "name": mine, "legendgroup": "answer", "showlegend": False, "hoverinfo": "skip",
                   "line": {"color": CIRCLE_COLOR, "width": MIN_PATH_PX, "dash": "dot"}})
    traces.append({"type": "scatter", "mode": "markers", "x": [float(answer[0])], "y": [float(answer[1])],
                   "meta": "answer", "name": mine, "legendgroup": "answer", "showlegend": True,
                   "hovertemplate": f"{mine}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<extra></extra>",
                   "marker": {"symbol": "diamond", "size": 24, "color": RIGHT_COLOR,
                              "line": {"color": OUTLINE, "width": 3}}})
    return traces


def _landmark_names() -> frozenset[str]:
    """The star's and the start ring's legend names in every language (and the current one: the pseudo-language)."""
    keys = ("figure.minimum", "figure.start")
    return frozenset({*(c[k] for c in CATALOGS.values() for k in keys), *(t(k) for k in keys)})


def kept(trace: dict) -> bool:
    """Whether ``hidden_outcome`` keeps ``trace``: the tap grid, a surface drawn as a trace, the ★ and the start
    (never a reveal's own trace, whose ``meta`` starts with "answer")."""
    if str(trace.get("meta", "")).startswith("answer"):
        return False
    return (trace.get("meta") == TAP_META or trace.get("type") in SURFACE_TYPES
            or (trace.get("type", "scatter") == "scatter" and trace.get("name") in _landmark_names()))


def _on_main_axes(item: dict) -> bool:
    """An annotation or shape placed on the main plot or the paper (not on a panel whose lines are dropped)."""
    return item.get("xref", "paper") in MAIN_AXES and item.get("yref", "paper") in MAIN_AXES


def hidden_outcome(figure) -> Figure:
    """``figure`` with the outcome hidden, for the question phase.

    The rule: keep the surface (the picture in ``layout.images`` and any contour / heatmap / surface trace), the
    minimum's star and the start's ring (scatter traces named ``figure.minimum`` / ``figure.start`` in any
    language) and the tap grid (``meta == "tap"``, so that students can still tap); drop every other trace
    (paths, tails, moving markers, arrows, the lines of side panels such as Adaptive's step sizes), every frame,
    the Play / scrubber controls, and the annotations and shapes of those side panels. The layout is otherwise
    kept, so the main plot has the same axes, place and size as in the revealed picture: a tap lands where it
    will be drawn.
    """
    spec = figure.to_dict()
    layout = {k: v for k, v in (spec.get("layout") or {}).items() if k not in HIDDEN_LAYOUT}
    layout["images"] = [im for im in layout.get("images") or [] if im.get("name") != "answers density"]
    for key in ("annotations", "shapes"):
        if isinstance(layout.get(key), (list, tuple)):
            layout[key] = [item for item in layout[key] if isinstance(item, dict) and _on_main_axes(item)]
    return Figure({"data": [tr for tr in spec.get("data", []) if kept(tr)], "layout": layout, "frames": []})


__all__ = ["choice_bars", "density", "density_image", "hidden_outcome", "kept", "share_text", "tap_traces",
           "with_taps"]
