"""The Gradient & Taylor page's two charts: the 1-D slice through W_c and the 2-D view with the bowl's level sets.

Pure functions of a ``LocalModel`` (``ui.pages.taylor_models``) that return figure dicts.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.animation import button_row, jump_button, pause_button, play_button
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.background import layout_image
from ui.figures.figure import Figure
from ui.figures.paths import landmarks, surface_axes
from ui.figures.theme import axis, base_layout, color
from ui.i18n import t as tr
from ui.pages.taylor_models import (
    DEFAULTS,
    LocalModel,
    Slice,
    _frame_index,
    bowl_level_sets,
    gd_step,
    gradient_scale,
    plane_window,
    quadratic_level_sets,
    slice_along,
    t_frames,
)

COLORS = {"loss": "#1F4E79", "tangent": "#7A4A2E", "bowl": color("sgd"), "newton": color("newton"),
          "slice": "#3B4A5A"}


WC = "W<sub>c</sub>"


FRAME_MS = 140


HOVER_XY = "<br>x=%{x:.4g}<br>y=%{y:.4g}<extra></extra>"  # after a trace's name in its hover text


OUTLINE = {"color": "white", "width": 1.5}  # a white rim keeps markers readable on the background


def _wc_marker(x: float, y: float, textposition: str, **extra) -> dict:
    """The expansion point: a labelled black ring."""
    return {"type": "scatter", "mode": "markers+text", "name": WC, "x": [x], "y": [y], "showlegend": False,
            "text": [WC], "textposition": textposition, "textfont": {"size": 16},
            "marker": {"symbol": "circle-open", "size": 16, "color": "#111111", "line": {"width": 3}}, **extra}


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
                 height: int | None = None, legend_columns: int = 3) -> go.Figure:
    """True loss, tangent, bowl and Newton's quadratic along −∇L through W_c, animated over t."""
    return Figure(_slice_spec(surface, local, t, t_options, height, legend_columns))


def _slice_spec(surface: oc.Surface, local: LocalModel, t: float, t_options, height: int | None,
                legend_columns: int, sweep: bool = True) -> dict:
    """``slice_figure``'s dict; with ``sweep`` false, without its frames over t."""
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
         "line": {"color": COLORS["bowl"], "width": 2, "dash": "dot"}},  # ≥ 2 px: seen on a projector
        {"type": "scatter", "mode": "markers", "name": tr("taylor.legend_after"),
         "marker": {"symbol": "circle", "size": 12, "color": COLORS["loss"], "line": OUTLINE}},
    ]
    first_moving = len(data)
    active = _frame_index(frames_t, t)
    data += [{**style, **part} for style, part in zip(styles, _slice_moving(sl, surface, local, t), strict=True)]
    moving = list(range(first_moving, len(data)))
    frames = [{"name": _frame_name(ft), "data": _slice_moving(sl, surface, local, float(ft)), "traces": moving}
              for ft in frames_t] if sweep else []

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
        # the page's t slider is the scrubber, and the surface chart beside sweeps t: the picture keeps its height
        **_legend_and_controls(frames_t, active, columns=legend_columns, buttons=False))
    return {"data": data, "layout": layout, "frames": frames}


def slice_steps_figure(surface: oc.Surface, models: list[LocalModel], t: float, t_options, at: int, *,
                       height: int | None = None, legend_columns: int = 3) -> go.Figure:
    """The slice through W_c = θ_at, with a frame per step k: the slice through θ_k, its axes' ranges included.

    ``models[k]`` is the local model at step k. A step is then a jump to a frame in the browser
    (ui.widgets.player), not a new figure from the server; the slider's own sweep over t is not drawn.
    """
    built = [_slice_spec(surface, model, t, t_options, height, legend_columns, sweep=False) for model in models]
    frames = [{"name": str(k), "data": [_points(trace) for trace in step["data"]],
               "traces": list(range(len(step["data"]))),
               "layout": {"xaxis": {"range": list(step["layout"]["xaxis"]["range"])},
                          "yaxis": {"range": list(step["layout"]["yaxis"]["range"])}}}
              for k, step in enumerate(built)]
    return Figure({**built[at], "frames": frames})


def _points(trace: dict) -> dict:
    """What a step changes in a trace: its points and their labels; the style stays the figure's."""
    return {key: trace[key] for key in ("x", "y", "text") if key in trace}


def _legend_and_controls(frames_t: np.ndarray, active: int, columns: int | None = 2, buttons: bool = True) -> dict:
    """Legend above the plot in ``columns`` columns (None: entries flow and wrap as their names need);
    Sweep / pause / your-t buttons below, unless told not."""
    legend = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0, "font": {"size": 14},
              "tracegroupgap": 0}
    if columns:
        legend |= {"entrywidth": 1 / columns, "entrywidthmode": "fraction"}
    return {"legend": legend,
            "margin": {"l": 60, "r": 12, "t": 76 if columns == 2 else 56,
                       "b": 112 if buttons else 62},
            "updatemenus": [_t_buttons(frames_t, active)] if buttons else []}


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
                 "y": ends[:, 1], "hoverinfo": "skip", "line": {"color": COLORS["slice"], "width": 2, "dash": "dot"},
                 "showlegend": False})
    if path is not None:
        path = np.asarray(path, dtype=float)
        data.append({"type": "scatter", "mode": "lines+markers", "name": tr("taylor.legend_path"), "x": path[:, 0],
                     "y": path[:, 1], "hovertemplate": "θ<sub>%{customdata}</sub><br>x=%{x:.4g}<br>y=%{y:.4g}"
                                                       "<extra></extra>", "customdata": np.arange(len(path)),
                     "meta": "still path", "line": {"color": COLORS["bowl"], "width": 3.0},  # a path: ≥ 3 px
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
        **_legend_and_controls(frames_t, _frame_index(frames_t, t), columns=None))
    return Figure({"data": data, "layout": layout, "frames": frames})


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

