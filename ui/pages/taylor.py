"""Local models of the loss at an expansion point W_c: the tangent plane, the deck's bowl, Newton's quadratic.

At ``W_c`` we know the value ``L(W_c)``, the gradient ``g = ∇L(W_c)`` and the
Hessian ``H = ∇²L(W_c)``. With ``d = W − W_c``:

    tangent   L(W_c) + gᵀd
    bowl      L(W_c) + gᵀd + ‖d‖² / (2t)      minimiser d = −t g        (gradient descent)
    quadratic L(W_c) + gᵀd + ½ dᵀ H d          stationary d = −H⁻¹ g     (Newton)

The pure figure builders here draw the 1-D slice along −g and the 2-D view with
the models' level sets; both are animated over the step size t (scatter traces
only, so nothing vanishes while playing). The page steps through gradient descent
from the start: at step n, W_c is θ_n, the n-th iterate of the engine's run, and
the table writes that update's numbers (``step_table``). The page's prose and
LaTeX live at the end of this module. Reference: Nocedal & Wright, Numerical Optimization (2006),
§2.2 and §3.3; the lecture deck, section 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.animation import button_row, jump_button, pause_button, play_button, scrubber
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.background import layout_image
from ui.figures.figure import Figure
from ui.figures.paths import landmarks, surface_axes
from ui.figures.theme import axis, base_layout, color
from ui.i18n import t as tr
from ui.scenes import Scene


@dataclass(frozen=True)
class Defaults:
    """The page's settings; per-surface values are keyed by surface name."""

    surface: str
    surfaces: tuple[str, ...]
    t_options: Mapping[str, tuple[float, ...]]  # the step sizes t offered by the slider
    t: Mapping[str, float]  # the one it starts at
    frames_between: int  # animation frames between two neighbouring slider values
    slice_points: int
    levels: tuple[float, ...]  # level sets drawn: radii as multiples of the one through W_c
    height: int
    present_height: int  # in presenter mode: the charts, the step buttons and the numbers fit 1280×720
    steps: int  # gradient-descent steps the step slider walks through


DEFAULTS = Defaults(
    surface="rosenbrock",
    surfaces=("rosenbrock", "elongated_quadratic", "saddle", "beale", "himmelblau", "least_squares"),
    t_options=MappingProxyType({
        "rosenbrock": (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3),
        "elongated_quadratic": (0.005, 0.01, 0.02, 0.04, 0.06, 0.08),
        "saddle": (0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
        "beale": (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3),
        "himmelblau": (0.002, 0.005, 0.01, 0.02, 0.03, 0.05),
        "least_squares": (0.02, 0.05, 0.1, 0.2, 0.3, 0.5),
    }),
    t=MappingProxyType({"rosenbrock": 1e-3, "elongated_quadratic": 0.02, "saddle": 0.2, "beale": 2e-3,
                        "himmelblau": 0.01, "least_squares": 0.1}),
    frames_between=4,
    slice_points=161,
    levels=(0.5, 1.0, 1.5),
    height=440,
    present_height=330,
    steps=30,  # every one a single step of the slider; the first 30 are where a student watches each update
)

COLORS = {"loss": "#1F4E79", "tangent": "#7A4A2E", "bowl": color("sgd"), "newton": color("newton"),
          "slice": "#3B4A5A"}
WC = "W<sub>c</sub>"
FRAME_MS = 140
HOVER_XY = "<br>x=%{x:.4g}<br>y=%{y:.4g}<extra></extra>"  # after a trace's name in its hover text
OUTLINE = {"color": "white", "width": 1.5}  # a white rim keeps markers readable on the background
_TINY = 1e-10  # relative size below which an eigenvalue or a gradient counts as zero


@dataclass(frozen=True)
class LocalModel:
    """Everything the models need at ``w_c``; ``newton`` is None where H is singular."""

    w_c: np.ndarray
    loss: float
    grad: np.ndarray
    hessian: np.ndarray
    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # columns
    newton: np.ndarray | None

    @property
    def grad_norm(self) -> float:
        return float(np.linalg.norm(self.grad))

    @property
    def stationary(self) -> bool:
        """∇L(W_c) = 0 exactly: the tangent plane is flat and no first-order method moves."""
        return self.grad_norm == 0.0

    @property
    def curvature(self) -> str:
        """'positive definite', 'negative definite', 'indefinite' or 'singular'."""
        lo, hi = self.eigenvalues
        if _singular(self.eigenvalues):
            return "singular"
        if lo > 0:
            return "positive definite"
        if hi < 0:
            return "negative definite"
        return "indefinite"


def _singular(eigenvalues: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(eigenvalues))))
    return bool(np.min(np.abs(eigenvalues)) <= _TINY * scale)


def local_model(surface: oc.Surface, w_c) -> LocalModel:
    """Value, gradient and Hessian at ``w_c``, and Newton's point from optim_core's ``newton`` update."""
    w_c = np.asarray(w_c, dtype=float)
    g, h = surface.grad(w_c), surface.hessian(w_c)
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    newton = None
    if not _singular(eigenvalues):
        opt = oc.make_optimizer("newton")
        update, _ = opt.update(g, opt.init(w_c), w_c, hessian=h)
        newton = w_c + update
    return LocalModel(w_c, float(surface.value(w_c)), g, h, eigenvalues, eigenvectors, newton)


def gd_step(local: LocalModel, t: float) -> np.ndarray:
    """``W_c − t ∇L(W_c)``, the minimiser of the bowl, from optim_core's ``sgd`` update."""
    opt = oc.make_optimizer("sgd", lr=t)
    update, _ = opt.update(local.grad, opt.init(local.w_c), local.w_c)
    return local.w_c + update


def tangent_value(local: LocalModel, w) -> np.ndarray:
    """``L(W_c) + ∇Lᵀ(W − W_c)`` for points of shape (..., 2)."""
    d = np.asarray(w, dtype=float) - local.w_c
    return local.loss + d @ local.grad


def bowl_value(local: LocalModel, w, t: float) -> np.ndarray:
    """``L(W_c) + ∇Lᵀ(W − W_c) + ‖W − W_c‖² / (2t)``."""
    d = np.asarray(w, dtype=float) - local.w_c
    return tangent_value(local, w) + np.sum(d * d, axis=-1) / (2 * t)


def quadratic_value(local: LocalModel, w) -> np.ndarray:
    """``L(W_c) + ∇Lᵀd + ½ dᵀ H d`` with ``d = W − W_c``."""
    d = np.asarray(w, dtype=float) - local.w_c
    return tangent_value(local, w) + 0.5 * np.einsum("...i,ij,...j->...", d, local.hessian, d)


def quadratic_gradient(local: LocalModel, w) -> np.ndarray:
    """The model's gradient ``∇L(W_c) + H (W − W_c)``: zero at Newton's point."""
    d = np.asarray(w, dtype=float) - local.w_c
    return local.grad + d @ local.hessian.T


def slice_direction(local: LocalModel) -> np.ndarray:
    """``−∇L/‖∇L‖``; where ∇L = 0, the Hessian's lowest-curvature direction instead."""
    if not local.stationary:
        return -local.grad / local.grad_norm
    v = local.eigenvectors[:, 0]
    return v if v[np.argmax(np.abs(v))] > 0 else -v


def t_frames(options) -> np.ndarray:
    """The animation's step sizes: the slider's values with geometric steps in between, ascending."""
    options = np.sort(np.asarray(options, dtype=float))
    k = DEFAULTS.frames_between + 1
    parts = [np.geomspace(a, b, k + 1)[:-1] for a, b in zip(options[:-1], options[1:], strict=True)]
    return np.concatenate(parts + [options[-1:]])


def _frame_index(frames: np.ndarray, t: float) -> int:
    return int(np.argmin(np.abs(np.log(frames) - np.log(t))))


def _wc_marker(x: float, y: float, textposition: str, **extra) -> dict:
    """The expansion point: a labelled black ring."""
    return {"type": "scatter", "mode": "markers+text", "name": WC, "x": [x], "y": [y], "showlegend": False,
            "text": [WC], "textposition": textposition, "textfont": {"size": 16},
            "marker": {"symbol": "circle-open", "size": 16, "color": "#111111", "line": {"width": 3}}, **extra}


# --- the 1-D slice ---------------------------------------------------------------


@dataclass(frozen=True)
class Slice:
    """The line ``W_c + s·d`` for ``s`` in ``s``, and every model's value along it."""

    direction: np.ndarray
    s: np.ndarray
    loss: np.ndarray
    tangent: np.ndarray
    quadratic: np.ndarray
    slope: float  # ∇Lᵀd (= −‖∇L‖ when d = −∇L/‖∇L‖)
    curvature: float  # dᵀHd

    def bowl(self, t: float) -> np.ndarray:
        return self.tangent + self.s ** 2 / (2 * t)


def slice_along(surface: oc.Surface, local: LocalModel, t_max: float, n: int | None = None) -> Slice:
    """The slice wide enough for the longest step of the slider: s from −0.3·S to S, S = 1.15·t_max‖∇L‖."""
    n = n or DEFAULTS.slice_points
    d = slice_direction(local)
    reach = 1.15 * t_max * local.grad_norm
    if reach <= _TINY * float(np.min(surface.half_width)):
        reach = 0.25 * float(np.min(surface.half_width))
    s = np.linspace(-0.3 * reach, reach, n)
    points = local.w_c + s[:, None] * d
    slope, curv = float(local.grad @ d), float(d @ local.hessian @ d)
    tangent = local.loss + slope * s
    return Slice(d, s, surface.value(points), tangent, tangent + 0.5 * curv * s * s, slope, curv)


def _slice_moving(sl: Slice, surface: oc.Surface, local: LocalModel, t: float) -> list[dict]:
    """The traces that change with t: the bowl, its minimum (the GD step), and the true loss there."""
    s_star = -t * sl.slope  # = t‖∇L‖: where the bowl bottoms out along the slice
    bottom = local.loss + sl.slope * s_star + s_star ** 2 / (2 * t)
    landed = float(surface.value(gd_step(local, t)))
    return [{"x": sl.s, "y": sl.bowl(t)},
            {"x": [s_star], "y": [bottom], "text": [f"t = {t:.3g}"]},
            {"x": [s_star, s_star], "y": [bottom, landed]},
            {"x": [s_star], "y": [landed]}]


def slice_figure(surface: oc.Surface, local: LocalModel, t: float, t_options, *,
                 height: int | None = None) -> go.Figure:
    """True loss, tangent, bowl and Newton's quadratic along −∇L through W_c, animated over t."""
    frames_t = t_frames(t_options)
    sl = slice_along(surface, local, float(frames_t[-1]))
    data = [
        {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_loss"), "x": sl.s, "y": sl.loss,
         "line": {"color": COLORS["loss"], "width": 4}},
        {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_tangent"), "x": sl.s, "y": sl.tangent,
         "line": {"color": COLORS["tangent"], "width": 2.5, "dash": "dot"}},
        {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_newton_model"), "x": sl.s, "y": sl.quadratic,
         "line": {"color": COLORS["newton"], "width": 3, "dash": "dash"}},
        _wc_marker(0.0, local.loss, "top right"),
    ]
    styles = [
        {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_bowl"),
         "line": {"color": COLORS["bowl"], "width": 3}},
        {"type": "scatter", "mode": "markers+text", "name": tr("taylor.legend_gd_step"), "textposition": "bottom right",
         "cliponaxis": False, "textfont": {"size": 15},
         "marker": {"symbol": "diamond", "size": 14, "color": COLORS["bowl"], "line": OUTLINE}},
        {"type": "scatter", "mode": "lines", "showlegend": False, "hoverinfo": "skip",
         "line": {"color": COLORS["bowl"], "width": 1.5, "dash": "dot"}},
        {"type": "scatter", "mode": "markers", "name": tr("taylor.legend_after"),
         "marker": {"symbol": "circle", "size": 12, "color": COLORS["loss"], "line": OUTLINE}},
    ]
    first_moving = len(data)
    active = _frame_index(frames_t, t)
    data += [{**style, **part} for style, part in zip(styles, _slice_moving(sl, surface, local, t), strict=True)]
    moving = list(range(first_moving, len(data)))
    frames = [{"name": _frame_name(ft), "data": _slice_moving(sl, surface, local, float(ft)), "traces": moving}
              for ft in frames_t]

    floor = min(float(np.min(sl.loss)), local.loss - frames_t[-1] * sl.slope ** 2 / 2)
    span = max(local.loss - floor, float(sl.s[-1] ** 2 / (2 * frames_t[-1])) if local.stationary else 0.0,
               1e-9 * max(1.0, abs(local.loss)))
    landed = surface.value(local.w_c - frames_t[:, None] * local.grad)  # the true loss after every frame's step
    top = min(max(local.loss + 0.7 * span, float(np.max(landed)) + 0.08 * span), local.loss + 2.5 * span)
    what = "−∇L" if not local.stationary else tr("taylor.along_eigenvector")
    layout = base_layout(
        height or DEFAULTS.height,
        xaxis=axis(range=[float(sl.s[0]), float(sl.s[-1])])
        | {"title": {"text": tr("taylor.slice_axis", what=what), "standoff": 4}},
        yaxis=axis(tr("taylor.loss_axis"), range=[floor - 0.15 * span, top], automargin=True),
        **_legend_and_controls(frames_t, active))
    return Figure({"data": data, "layout": layout, "frames": frames})


def _legend_and_controls(frames_t: np.ndarray, active: int, columns: int | None = 2, scrubber: bool = True) -> dict:
    """Legend above the plot in ``columns`` columns (None: entries flow and wrap as their names need);
    Sweep / pause / your-t buttons (and a t scrubber) below."""
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "font": {"size": 14},
              "tracegroupgap": 0}
    if columns:
        legend |= {"entrywidth": 1 / columns, "entrywidthmode": "fraction"}
    return {"legend": legend,
            "margin": {"l": 60, "r": 12, "t": 76, "b": 150 if scrubber else 112},
            "updatemenus": [_t_buttons(frames_t, active)],
            "sliders": [_t_scrubber(frames_t, active)] if scrubber else []}


# --- the 2-D view ----------------------------------------------------------------


def circle_points(center, radius: float, n: int = 73) -> np.ndarray:
    """``n`` points on a closed circle (first = last)."""
    a = np.linspace(0.0, 2 * np.pi, n)
    return np.asarray(center, dtype=float) + radius * np.column_stack([np.cos(a), np.sin(a)])


def bowl_level_sets(local: LocalModel, t: float, n: int = 73) -> np.ndarray:
    """Circles around the GD step; the one of radius t‖∇L‖ passes through W_c (level L(W_c)).

    The bowl equals its minimum plus ‖W − (W_c − t∇L)‖²/(2t), so its level sets are circles.
    Returned as one (k·(n+1), 2) array with NaN rows between the circles.
    """
    centre, r = gd_step(local, t), t * local.grad_norm
    return _join([circle_points(centre, f * r, n) for f in DEFAULTS.levels]) if r > 0 else np.empty((0, 2))


def quadratic_level_sets(local: LocalModel, reach: float, n: int = 97) -> np.ndarray:
    """Level sets of Newton's quadratic around its stationary point: ellipses, or hyperbolas and their asymptotes.

    With ``u`` the coordinates of ``W − W_newton`` in H's eigenvectors, the model is
    ``q* + ½ Σ λᵢ uᵢ²``. Levels are the one through W_c (Δ = ½ (W_c − W_N)ᵀ H (W_c − W_N))
    scaled by ``DEFAULTS.levels``. When H is indefinite the zero-level lines (asymptotes) are
    drawn too; ``reach`` is how far the open curves extend. Empty when H is singular.
    """
    if local.newton is None:
        return np.empty((0, 2))
    lam, vec, centre = local.eigenvalues, local.eigenvectors, local.newton
    offset = (local.w_c - centre) @ vec  # W_c in eigen-coordinates
    delta = 0.5 * float(lam @ offset ** 2)
    curves = []
    if lam[0] * lam[1] > 0:  # both positive (a bowl) or both negative (a dome): ellipses
        if abs(delta) > 0:
            a = np.linspace(0.0, 2 * np.pi, n)
            for f in DEFAULTS.levels:
                semi = f * np.sqrt(2 * abs(delta) / np.abs(lam))
                curves.append(centre + (semi * np.column_stack([np.cos(a), np.sin(a)])) @ vec.T)
        return _join(curves)
    neg, pos = -lam[0], lam[1]  # indefinite: λ₀ < 0 < λ₁
    for sign in (1.0, -1.0):  # the asymptotes u₁ = ±√(|λ₀|/λ₁) u₀, where the model equals q*
        direction = vec @ np.array([1.0, sign * np.sqrt(neg / pos)])
        direction /= np.linalg.norm(direction)
        curves.append(centre + np.outer([-reach, reach], direction))
    if abs(delta) > _TINY * max(1.0, abs(local.loss)):
        for f in DEFAULTS.levels:
            level = abs(delta) * f * f
            big, small = (np.sqrt(2 * level / pos), np.sqrt(2 * level / neg))
            span = np.arccosh(max(1.0, reach / min(big, small)))
            tau = np.linspace(-span, span, n)
            for branch in (1.0, -1.0):
                if delta > 0:  # λ₁u₁² dominates: branches open along u₀
                    u = np.column_stack([small * np.sinh(tau), branch * big * np.cosh(tau)])
                else:
                    u = np.column_stack([branch * small * np.cosh(tau), big * np.sinh(tau)])
                curves.append(centre + u @ vec.T)
    return _join(curves)


def _join(curves: list[np.ndarray]) -> np.ndarray:
    if not curves:
        return np.empty((0, 2))
    gap = np.full((1, 2), np.nan)
    return np.concatenate([np.concatenate([c, gap]) for c in curves])[:-1]


def plane_window(surface: oc.Surface, local: LocalModel, t_max: float) -> tuple[list[float], list[float]]:
    """A square view around W_c holding the longest GD step and Newton's point; the whole surface if that is big.

    Zooming in is the point of a *local* model; the square keeps the bowl's circles round.
    W_c is always in view: a gradient-descent iterate that has left the plotted region
    gets a window centred on it.
    """
    (x0, x1), (y0, y1) = surface.bounds
    half = 1.15 * t_max * local.grad_norm
    if local.newton is not None:
        half = max(half, 1.15 * float(np.max(np.abs(local.newton - local.w_c))))
    half = max(half, 0.15 * float(np.min(surface.half_width)))
    inside = x0 <= local.w_c[0] <= x1 and y0 <= local.w_c[1] <= y1
    if inside and half >= 0.8 * float(np.max(surface.half_width)):
        return [x0, x1], [y0, y1]

    def place(c: float, lo: float, hi: float) -> list[float]:
        if 2 * half >= hi - lo or not inside:
            return [c - half, c + half]
        c = min(max(c, lo + half), hi - half)  # slide the window inside the surface where it fits
        return [c - half, c + half]

    return place(float(local.w_c[0]), x0, x1), place(float(local.w_c[1]), y0, y1)


NICE = (1, 2, 5)
GRADIENT_ROOM = 0.45  # the gradient arrow is at most this share of the view's half-width


def nice_scale(length: float, room: float) -> float:
    """The largest of …, 0.01, 0.02, 0.05, 0.1, …, 1, 2, 5, 10, … that keeps ``scale · length ≤ room``."""
    if not (length > 0 and np.isfinite(length) and room > 0):
        return 1.0
    power = 10.0 ** np.floor(np.log10(room / length))
    fits = [n * power for n in NICE if n * power * length <= room * (1 + 1e-12)]
    return float(max(fits, default=power / 2))


def gradient_scale(surface: oc.Surface, local: LocalModel, t_options) -> float:
    """How much the ∇L arrow of the 2-D view is scaled so that it fits the view (``nice_scale``)."""
    xr, _ = plane_window(surface, local, float(max(t_options)))
    return nice_scale(local.grad_norm, GRADIENT_ROOM * (xr[1] - xr[0]) / 2)


def gradient_name(scale: float) -> str:
    return "∇L" if scale == 1 else f"∇L (×{scale:g})"


def _plane_moving(local: LocalModel, t: float, corner: tuple[float, float]) -> list[dict]:
    """The bowl's circles, the step and its point for this t, and the label naming this frame's t."""
    step = gd_step(local, t)
    rings = bowl_level_sets(local, t)
    return [{"x": rings[:, 0], "y": rings[:, 1]},
            arrow_xy(local.w_c, step),
            {"x": [step[0]], "y": [step[1]]},
            {"x": [corner[0]], "y": [corner[1]], "text": [_t_label(t)]}]


def _t_label(t: float) -> str:
    """What a frame shows: while ▶ sweeps, the chart names its own t (the caption keeps the slider's)."""
    return f"<b>t = {t:.3g}</b>"


def plane_figure(surface: oc.Surface, local: LocalModel, t: float, t_options, *, path=None,
                 height: int | None = None) -> go.Figure:
    """The surface from above: W_c, the bowl's circles and the GD step (animated over t), Newton's model and point.

    The gradient ∇L(W_c) is an arrow from W_c, scaled by ``gradient_scale`` to fit the view,
    and the step −t∇L an arrow to the GD point. ``path`` (points (k, 2)) is the
    gradient-descent path that led to W_c, drawn under everything else. The legend names only
    these three: the bowl and Newton's model wear the same lines as in the slice chart's legend
    beside it, and the narrow view keeps its height for the picture.
    """
    frames_t = t_frames(t_options)
    xr, yr = plane_window(surface, local, float(frames_t[-1]))
    reach = 2.0 * float(np.hypot(xr[1] - xr[0], yr[1] - yr[0]))
    sl = slice_along(surface, local, float(frames_t[-1]))
    ends = local.w_c + np.outer([-reach, reach], sl.direction)
    data: list[dict] = landmarks(surface, legend=False)
    data.append({"type": "scatter", "mode": "lines", "name": tr("taylor.legend_slice"), "x": ends[:, 0],
                 "y": ends[:, 1], "hoverinfo": "skip", "line": {"color": COLORS["slice"], "width": 1.5, "dash": "dot"},
                 "showlegend": False})
    if path is not None:
        path = np.asarray(path, dtype=float)
        data.append({"type": "scatter", "mode": "lines+markers", "name": tr("taylor.legend_path"), "x": path[:, 0],
                     "y": path[:, 1], "hovertemplate": "θ<sub>%{customdata}</sub><br>x=%{x:.4g}<br>y=%{y:.4g}"
                                                       "<extra></extra>", "customdata": np.arange(len(path)),
                     "line": {"color": COLORS["bowl"], "width": 2.5},
                     "marker": {"symbol": "circle", "size": 8, "color": COLORS["bowl"], "line": OUTLINE}})
    if not local.stationary:
        scale = gradient_scale(surface, local, t_options)
        data.append({**arrow_style(gradient_name(scale), COLORS["tangent"], width=3, outline="white",
                                   line={"color": COLORS["tangent"], "width": 3, "dash": "dash"}),
                     **arrow_xy(local.w_c, local.w_c + scale * local.grad)})
    if local.newton is not None:
        ell = quadratic_level_sets(local, reach)
        data += [
            {"type": "scatter", "mode": "lines", "showlegend": False, "x": ell[:, 0], "y": ell[:, 1],
             "hoverinfo": "skip", "line": {"color": "rgba(255,255,255,0.85)", "width": 5.5}},
            {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_newton_model"), "x": ell[:, 0],
             "y": ell[:, 1], "hoverinfo": "skip", "showlegend": False,
             "line": {"color": COLORS["newton"], "width": 2.5, "dash": "dash"}},
            {"type": "scatter", "mode": "lines", "showlegend": False, "hoverinfo": "skip",
             "x": [local.w_c[0], local.newton[0]], "y": [local.w_c[1], local.newton[1]],
             "line": {"color": COLORS["newton"], "width": 3}},
            {"type": "scatter", "mode": "markers+text", "name": tr("taylor.marker_newton"), "x": [local.newton[0]],
             "y": [local.newton[1]], "text": [tr("taylor.marker_newton")], "textposition": "top right",
             "showlegend": False, "textfont": {"size": 15, "color": "#444444"},
             "hovertemplate": tr("taylor.marker_newton") + HOVER_XY,
             "marker": {"symbol": "square", "size": 14, "color": COLORS["newton"],
                        "line": OUTLINE}}]
    styles = [
        {"type": "scatter", "mode": "lines", "name": tr("taylor.legend_bowl"), "hoverinfo": "skip", "showlegend": False,
         "line": {"color": COLORS["bowl"], "width": 2}},
        arrow_style(tr("taylor.legend_step"), COLORS["bowl"], width=3.5, outline="white"),
        {"type": "scatter", "mode": "markers+text", "name": tr("taylor.legend_gd_step"),
         "text": [tr("taylor.marker_gd")], "textposition": "bottom right", "textfont": {"size": 15},
         "showlegend": False, "hovertemplate": tr("taylor.legend_gd_step") + HOVER_XY,
         "marker": {"symbol": "diamond", "size": 15, "color": COLORS["bowl"],
                    "line": OUTLINE}},
        {"type": "scatter", "mode": "text", "name": tr("taylor.legend_frame_t"), "showlegend": False,
         "hoverinfo": "skip", "textposition": "bottom right", "textfont": {"size": 15, "color": "#111111"}},
    ]
    corner = (xr[0], yr[1])  # the top-left corner of the view
    first_moving = len(data)
    data += [{**style, **part} for style, part in zip(styles, _plane_moving(local, t, corner), strict=True)]
    moving = list(range(first_moving, len(data)))
    data.append(_wc_marker(local.w_c[0], local.w_c[1], "top left",
                           hovertemplate="W_c" + HOVER_XY))
    frames = [{"name": _frame_name(ft), "data": _plane_moving(local, float(ft), corner), "traces": moving}
              for ft in frames_t]
    axes = surface_axes(surface)
    layout = base_layout(
        height or DEFAULTS.height, images=[layout_image(surface)],
        xaxis={**axes["xaxis"], "range": xr, "constrain": "domain", "title": {"text": "W₁", "standoff": 4}},
        yaxis={**axes["yaxis"], "range": yr, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain",
               "title": {"text": "W₂"}},
        **_legend_and_controls(frames_t, _frame_index(frames_t, t), columns=None, scrubber=False))
    return Figure({"data": data, "layout": layout, "frames": frames})


# --- animation controls ------------------------------------------------------------


def _frame_name(t: float) -> str:
    return f"{t:.6g}"


def _t_buttons(frames_t: np.ndarray, active: int) -> dict:
    """Sweep t from small to large (or slowly), pause, or jump back to the slider's t.

    Pinned in pixels under the x-axis title, whatever the plot's height. Short labels: the
    row is about 210 px wide, so "your t" stays inside a 280 px-wide plot (a phone, or the
    narrow right-hand chart).
    """
    names = [_frame_name(ft) for ft in frames_t]
    return button_row([play_button("▶", FRAME_MS, names, from_current=False), pause_button("❚❚"),
                       play_button(tr("taylor.button_slow"), 3 * FRAME_MS, names, from_current=False),
                       jump_button(tr("taylor.button_your_t"), names[active])], pad_top=58)


def _t_scrubber(frames_t: np.ndarray, active: int) -> dict:
    """One stop per frame; the tick labels are hidden and the current t is printed above."""
    return scrubber([_frame_name(ft) for ft in frames_t], [f"{ft:.3g}" for ft in frames_t], active=active,
                    pad_top=100, ticklen=0, font={"size": 8, "color": "rgba(0,0,0,0)"},
                    currentvalue={"visible": False})


# --- the page's text: every word is in the catalogs, [taylor] -----------------------------------

def _scene(name: str, surface: str, t: float) -> Scene:
    """A scene on ``surface`` at its demo start point, with the step size ``t``, at step 0 (W_c = the start).

    Its title and caption are ``[taylor.scenes.<name>]`` in the catalogs.
    """
    x, y = (float(v) for v in oc.get_surface(surface).start)
    return Scene("taylor", name, {"surface": surface, "t": t, "x": x, "y": y, "step": 0})


SCENES = (
    _scene("small_t", "rosenbrock", 1e-3),  # the true loss falls from 24.2 to 5.35
    _scene("large_t", "rosenbrock", 3e-3),  # the step lands at 94.2 > 24.2
    _scene("newton_bowl", "elongated_quadratic", 0.02),
    _scene("newton_saddle", "saddle", 0.2),
)


def title() -> str:
    return tr("taylor.title")


def sidebar_note() -> str:
    return tr("taylor.sidebar_note")


def bowl_text() -> str:
    return tr("taylor.bowl_text")


def newton_text() -> str:
    return tr("taylor.newton_text")


def models_latex() -> tuple[str, ...]:
    """The three models as LaTeX; their names, inside ``text{…}``, are the catalog's words."""
    def word(key: str) -> str:
        return rf"\text{{{tr(f'taylor.models_{key}')}}}"

    return (
        rf"\begin{{aligned}}&{word('tangent')} L(W_c) + \nabla L(W_c)^\top d\\"
        rf"&{word('where')} d = W - W_c\end{{aligned}}",
        rf"\begin{{aligned}}&{word('bowl')} L(W_c) + \nabla L(W_c)^\top d + \tfrac{{1}}{{2t}}\lVert d\rVert^2\\"
        r"&\Rightarrow\ W_{c+1} = W_c - t\,\nabla L(W_c)\end{aligned}",
        rf"\begin{{aligned}}&{word('newton')} L(W_c) + \nabla L(W_c)^\top d + \tfrac12\, d^\top H d\\"
        r"&\Rightarrow\ W_{c+1} = W_c - H^{-1}\nabla L(W_c)\end{aligned}",
    )


@dataclass(frozen=True)
class Note:
    """A message about W_c for the page: ``level`` is "info" or "warning"."""

    level: str
    text: str


def notes(local: LocalModel) -> list[Note]:
    """What is special at W_c: a zero gradient, and a Hessian that is not positive definite."""
    lam = local.eigenvalues
    eig = rf"$\lambda_1 = {lam[0]:.4g},\ \lambda_2 = {lam[1]:.4g}$"
    out = []
    if local.stationary:
        out.append(Note("info", tr("taylor.note_stationary")))
    if local.curvature == "singular":
        out.append(Note("warning", tr("taylor.note_singular", eig=eig)))
    elif local.curvature == "indefinite":
        out.append(Note("info", tr("taylor.note_indefinite", eig=eig)))
    elif local.curvature == "negative definite":
        out.append(Note("info", tr("taylor.note_negative_definite", eig=eig)))
    return out


def facts(surface: oc.Surface, local: LocalModel, t: float) -> str:
    """The loss at W_c, after the GD step with this t, and at Newton's point."""
    loss_gd = float(surface.value(gd_step(local, t)))
    text = tr("taylor.facts", loss=f"{local.loss:.4g}", norm=f"{local.grad_norm:.4g}", t=f"{t:g}",
              after=f"{loss_gd:.4g}", verdict=tr("taylor.lower" if loss_gd < local.loss else "taylor.not_lower"))
    if local.newton is not None:
        (x0, x1), (y0, y1) = surface.bounds
        inside = x0 <= local.newton[0] <= x1 and y0 <= local.newton[1] <= y1
        text += " " + tr("taylor.facts_newton" if inside else "taylor.facts_newton_outside",
                         x=f"{local.newton[0]:.4g}", y=f"{local.newton[1]:.4g}",
                         loss=f"{float(surface.value(local.newton)):.4g}")
    return text


def tex_vector(v) -> str:
    """A column vector with 4 significant digits."""
    return r"\begin{pmatrix}" + r"\\".join(f"{x:.4g}" for x in v) + r"\end{pmatrix}"


def numbers_latex(local: LocalModel, t: float) -> list[str]:
    """W_c, ∇L, H with its eigenvalues, and where the GD and Newton steps land, as LaTeX lines."""
    h, lam = local.hessian, local.eigenvalues
    newton = tex_vector(local.newton) if local.newton is not None else rf"\text{{{tr('taylor.undefined')}}}"
    return [rf"W_c = {tex_vector(local.w_c)},\ \nabla L(W_c) = {tex_vector(local.grad)}",
            rf"H = \begin{{pmatrix}}{h[0, 0]:.4g} & {h[0, 1]:.4g}\\{h[1, 0]:.4g} & {h[1, 1]:.4g}\end{{pmatrix}},\ "
            rf"\lambda = {lam[0]:.4g},\ {lam[1]:.4g}",
            rf"W_c - t\nabla L = {tex_vector(gd_step(local, t))}",
            rf"W_c - H^{{-1}}\nabla L = {newton}"]

# The page's rule in one line, shown under the title: on a projector it sits above the fold.
KEY_RULE = (r"\begin{aligned} W_{c+1} &= \arg\min_{W}\ \nabla L(W_c)^\top d + \tfrac{1}{2t}\lVert d\rVert^2 \\ "
            r"&= W_c - t\,\nabla L(W_c), \qquad d = W - W_c \end{aligned}")


# --- step-through: gradient descent from the start, one update at a time -------------------------
# Step n shows the models at W_c = θ_n, the n-th iterate of the engine's run: the bowl's bottom
# is the next iterate θ_{n+1}. Every number in the table is read from the run (params, grads, loss).


def last_step(run: oc.Trajectory, steps: int | None = None) -> int:
    """The last step n whose W_c = θ_n, ∇L(θ_n) and θ_{n+1} the run recorded in full.

    ``steps`` (default ``DEFAULTS.steps``), unless the run blew up at step d: then d − 2, the
    last update before it (from d − 1 on the engine repeats its last finite rows), and 0 if d = 1.
    """
    steps = DEFAULTS.steps if steps is None else steps
    d = int(run.diverged_at)
    return steps if d < 0 else max(0, min(steps, d - 2))


def next_point(run: oc.Trajectory, n: int) -> np.ndarray | None:
    """θ_{n+1} from the run; None when that update is the one that left the plot (d = n + 1)."""
    d = int(run.diverged_at)
    return None if 0 <= d <= n + 1 else run.params[n + 1]


def step_table(run: oc.Trajectory, t: float, n: int) -> str:
    """Gradient descent's update at step ``n`` with the run's numbers; the update line is marked."""
    nxt = next_point(run, n)
    update = rf"W_{{c+1}} = W_c - {tex_number(t)}\,\nabla L(W_c)"
    loss = rf"L(W_c) = {tex_number(run.loss[n])}"
    if nxt is None:
        update += rf"\ \text{{{tr('taylor.leaves_plot')}}}"
    else:
        loss += rf",\ \ L(W_{{c+1}}) = {tex_number(run.loss[n + 1])}"
    rows = [(rf"W_c = \theta_{{{n}}}", run.params[n]), (r"\nabla L(W_c)", run.grads[n]), (update, nxt), (loss, None)]
    return algorithm_table(rows, 2, header=rf"\text{{{tr('taylor.table_header')}}} c = {n}")


def step_caption(n: int, last: int, scale: float, local: LocalModel) -> str:
    """What step ``n`` shows, and how the gradient arrow is drawn."""
    where = (tr("taylor.where_start") if n == 0 else tr("taylor.where_one") if n == 1
             else tr("taylor.where_many", n=n))
    text = tr("taylor.step_caption", n=n, last=last, where=where)
    if local.stationary:
        return text + " " + tr("taylor.caption_stationary")
    arrows = tr("taylor.caption_arrows_true") if scale == 1 else tr("taylor.caption_arrows_scaled", scale=f"{scale:g}")
    return text + " " + arrows + " " + tr("taylor.press_next" if n < last else "taylor.last_step")


def run_note(run: oc.Trajectory, surface: oc.Surface, t: float) -> Note | None:
    """Where a run that blew up stops the step slider: a warning if it diverged, a plain note if it escaped."""
    d = int(run.diverged_at)
    if d < 0:
        return None
    stop = max(0, d - 2)
    tail = tr("taylor.tail_stop", stop=stop) if d > 1 else tr("taylor.tail_first")
    if str(oc.status(run, surface)) == "escaped":
        return Note("caption", tr("taylor.run_escaped", d=d) + " " + tail)
    return Note("warning", tr("taylor.run_diverged", t=f"{t:g}", d=d) + " " + tail)
