"""The Stochastic page's spread: many seeded runs, where they end, how far they scatter, and the data they fit."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.charts import Series, line_chart, thin
from ui.figures.figure import Figure
from ui.figures.paths import Path, animated_paths
from ui.figures.theme import MIN_LINE_PX, axis, base_layout, tint
from ui.i18n import t
from ui.pages.stochastic_drawing import COLORS, DASHES, FIT_COLOR, MAX_FRAMES, _name_axes, _plain, _size, labels

SPREAD_POINTS = 120  # a spread path keeps at most this many points
CONTEXT_TINT = 0.5  # context lines (the seeds' paths, the residuals of examples not drawn): half-way to white, opaque


def _faint_paths(name: str, params: np.ndarray, color: str) -> dict:
    """Many runs (steps + 1, S, 2) as one static trace: thinned paths separated by NaN gaps, in a light tint of
    ``color``, opaque and 2 px wide (secondary by colour, not faintness: they must show on a projector)."""
    keep = thin(params.shape[0], SPREAD_POINTS)
    sub = np.transpose(params[keep], (1, 0, 2))  # (S, k, 2)
    gap = np.full((sub.shape[0], 1, 2), np.nan)
    pts = np.concatenate([sub, gap], axis=1).reshape(-1, 2)
    return {"type": "scatter", "mode": "lines", "name": name, "x": pts[:, 0], "y": pts[:, 1],
            "line": {"color": tint(color, CONTEXT_TINT), "width": MIN_LINE_PX}, "hoverinfo": "skip",
            "legendgroup": name, "showlegend": False}


def _legend_marker(name: str, color: str, size: int) -> dict:
    """A legend entry with no points (the points themselves live in one shared moving trace)."""
    return {"type": "scatter", "mode": "markers", "name": name, "x": [None], "y": [None], "hoverinfo": "skip",
            "marker": {"color": color, "size": size}}


def clouds(runs: dict[str, tuple[np.ndarray, str, int]]) -> tuple[dict, Callable[[int], dict]]:
    """ONE moving marker trace for every run of every estimate: a frame then updates one trace, not many.

    ``runs`` maps a label to (params of shape (steps + 1, S, 2), colour, marker size); points are
    listed in that order, label after label. Returns ``(style, at)`` for ``moving_extras``.
    """
    colors, sizes, text = [], [], []
    for name, (params, color, size) in runs.items():
        colors += [color] * params.shape[1]
        sizes += [size] * params.shape[1]
        text += [name] * params.shape[1]
    style = {"type": "scatter", "mode": "markers", "name": "runs", "showlegend": False, "text": text,
             "marker": {"color": colors, "size": sizes, "opacity": 0.9, "line": {"color": "white", "width": 1}},
             "hovertemplate": "%{text}<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"}
    stacked = np.concatenate([params for params, _, _ in runs.values()], axis=1)  # (steps + 1, ΣS, 2)

    def at(step: int) -> dict:
        p = stacked[min(step, stacked.shape[0] - 1)]
        return {"x": _plain(p[:, 0]), "y": _plain(p[:, 1])}

    return style, at


def spread_figure(surface: oc.FiniteSumSurface, full: np.ndarray, ones: np.ndarray, partials: np.ndarray,
                  batch: int, start, height: int = 520) -> go.Figure:
    """S seeds at once: faint paths (static), a moving cloud per estimate, and the full-batch path.

    ``ones`` and ``partials`` have shape (steps + 1, S, 2), ``full`` (steps + 1, 2).
    One moving trace holds the S one-example points, then the S mini-batch points.
    """
    n = ones.shape[1]
    names = labels(batch)
    one_name = t("stochastic.labels.seeds_one", n=n)
    part_name = t("stochastic.labels.seeds_partial", size=_size(batch, "html"), n=n)
    extras = [_faint_paths(one_name, ones, COLORS["one"]),
              _faint_paths(part_name, partials, COLORS["partial"]),
              _legend_marker(one_name, COLORS["one"], 9), _legend_marker(part_name, COLORS["partial"], 9)]
    moving = clouds({one_name: (ones, COLORS["one"], 9), part_name: (partials, COLORS["partial"], 9)})
    path = Path(names["all"], full, COLORS["all"], marker_size=13)
    return _name_axes(animated_paths(surface, [path], start=start, height=height, max_frames=MAX_FRAMES,
                                     extra_traces=extras, moving_extras=[moving], landmarks_in_legend=False))


def spread_rows(surface: oc.Surface, ends: dict[str, np.ndarray]) -> list[dict]:
    """Per estimate, over its runs' end points (S, 2): mean final loss and the RMS distance from their centre."""
    rows = []
    for name, pts in ends.items():
        pts = np.atleast_2d(pts)
        spread = float(np.sqrt(((pts - pts.mean(axis=0)) ** 2).sum(axis=1).mean()))
        rows.append({"estimate": name, "runs": len(pts), "final loss": float(surface.value(pts).mean()),
                     "spread": spread})
    return rows


def spread_table(surface: oc.Surface, full: np.ndarray, spread: dict[str, np.ndarray], batch: int) -> dict:
    """The table under the spread chart, column by column: ``full`` is the seeded full-batch run's params
    (steps + 1, 2), ``spread`` maps "one" and "partial" to the seeds' params (steps + 1, S, 2)."""
    names = labels(batch, "plain")
    ends = {names["all"]: full[-1], **{names[k]: params[-1] for k, params in spread.items()}}
    rows = spread_rows(surface, ends)
    return {t("stochastic.table.estimate"): [r["estimate"] for r in rows],
            t("stochastic.table.runs"): [r["runs"] for r in rows],
            t("stochastic.table.final_loss"): [f"{r['final loss']:.4f}" for r in rows],
            t("stochastic.table.spread"): [f"{r['spread']:.3f}" for r in rows]}


def loss_figure(losses: dict[str, np.ndarray], batch: int) -> go.Figure:
    """Loss against step of the three seeded runs, on a log scale, each line named at its end (no legend)."""
    names = labels(batch)
    return line_chart([Series(names[k], loss, COLORS[k], dash=DASHES[k]) for k, loss in losses.items()],
                      x_title=t("stochastic.figure.loss_x"), y_title="L(W<sub>c</sub>)", log_y=True, height=320,
                      margin={"t": 20}, end_labels=True)


def data_figure(surface: oc.FiniteSumSurface, w, height: int = 300, drawn=None) -> go.Figure:
    """The data (xᵢ, yᵢ), the line of ``w`` with each residual rᵢ, and the least-squares line.

    ``drawn`` (0-based indices, e.g. I_c of a step) marks those examples: their bars bold
    over the lighter others, and a numbered ring (1 … m, left to right) on each of their points.
    """
    x, y = surface.features[:, 1], surface.targets  # the inputs xᵢ (t_c is the step size on this page)
    w = np.asarray(w, dtype=float)
    w_star = surface.minima[0]
    ends = np.array([x.min() - 0.3, x.max() + 0.3])
    fitted = w[0] + w[1] * x
    seg = np.full((len(x), 3, 2), np.nan)
    seg[:, 0] = np.column_stack([x, y])
    seg[:, 1] = np.column_stack([x, fitted])
    numbers = [str(i + 1) for i in range(len(x))]
    data = [
        {"type": "scatter", "mode": "lines", "name": "rᵢ", "x": seg.reshape(-1, 2)[:, 0],
         "y": seg.reshape(-1, 2)[:, 1], "hoverinfo": "skip",  # lighter (opaque) beside bold bars of I_c
         "line": {"color": COLORS["one"] if drawn is None else tint(COLORS["one"], CONTEXT_TINT), "width": 2.0}},
        {"type": "scatter", "mode": "lines", "name": t("stochastic.figure.line_at"), "x": ends, "y": w[0] + w[1] * ends,
         "line": {"color": COLORS["all"], "width": 2.5, "dash": "dash"}},
        {"type": "scatter", "mode": "lines", "name": t("stochastic.figure.best_fit"), "x": ends,
         "y": w_star[0] + w_star[1] * ends,
         "line": {"color": FIT_COLOR, "width": 3}},
        {"type": "scatter", "mode": "markers", "name": t("stochastic.figure.data"), "x": x, "y": y, "text": numbers,
         "marker": {"color": "#444444", "size": 8},
         "hovertemplate": t("stochastic.figure.hover_example") + "<br>x=%{x:.2f}<br>y=%{y:.2f}<extra></extra>"},
    ]
    if drawn is not None:
        drawn = np.sort(np.asarray(drawn, dtype=int))
        bars = seg[drawn].reshape(-1, 2)
        data.insert(1, {"type": "scatter", "mode": "lines", "name": "rᵢ, i ∈ I<sub>c</sub>", "x": bars[:, 0],
                        "y": bars[:, 1], "hoverinfo": "skip", "line": {"color": COLORS["one"], "width": 4}})
        data.append({"type": "scatter", "mode": "markers+text", "name": t("stochastic.figure.drawn_ring"),
                     "x": x[drawn], "y": y[drawn], "text": [numbers[i] for i in drawn],
                     # neighbours lean apart (examples 6 and 8 sit 0.01 apart in x)
                     "textposition": ["top left" if k % 2 == 0 else "top right" for k in range(len(drawn))],
                     "textfont": {"color": COLORS["partial"], "size": 13},
                     "marker": {"symbol": "circle-open", "size": 15, "color": COLORS["partial"],
                                "line": {"width": 2.5}},
                     "hovertemplate": t("stochastic.figure.hover_drawn")
                     + "<br>x=%{x:.2f}<br>y=%{y:.2f}<extra></extra>"})
    layout = base_layout(height, xaxis=axis("x"), yaxis=axis("y", range=[-0.5, 4.5]),
                         margin={"l": 50, "r": 10, "t": 60, "b": 45})
    layout["legend"] = {**layout["legend"], "font": {"size": 14}}
    return Figure({"data": data, "layout": layout})
