"""The Lookahead page's studies: the α × k grid as one batched run, the spread of noisy runs over seeds, and
where runs end on a surface with several minima."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.background import layout_image
from ui.figures.charts import label_ends, thin
from ui.figures.figure import Figure
from ui.figures.paths import landmarks, surface_axes
from ui.figures.theme import GRID_COLOR, axis, base_layout, rgba
from ui.i18n import num, t
from ui.specs import LookaheadGrid

CLOUD_MIN_HALF = 0.05  # the cloud view never zooms in further than 5 % of the surface's half-width


LOSS_FLOOR = 1e-12  # log colour scale: losses below this are drawn as this


PARITY_MIN_GAP = 0.5  # decades between even-k and odd-k columns above which the grid counts as striped


def row_spread(grid: LookaheadGrid, alpha: float) -> float | None:
    """Largest over smallest final loss along the grid's row ``alpha`` (None: no such row, or a run diverged)."""
    rows = np.flatnonzero(np.isclose(np.asarray(grid.alphas, dtype=float), alpha))
    if not rows.size:
        return None
    loss, bad = np.asarray(grid.loss, dtype=float)[rows[0]], np.asarray(grid.diverged, bool)[rows[0]]
    if bad.any() or not np.isfinite(loss).all() or loss.min() <= 0:
        return None
    return float(loss.max() / loss.min())


def parity_gap(grid: LookaheadGrid) -> float:
    """Mean over the rows α < 1 of (mean log₁₀ loss of the even-k columns − that of the odd-k columns).

    A diverged or non-finite cell counts as the largest finite loss of the grid. Far from 0 the grid
    is striped by the parity of k; near 0 k's parity does not matter.
    """
    loss = np.asarray(grid.loss, dtype=float)
    bad = np.asarray(grid.diverged, bool) | ~np.isfinite(loss)
    ks, rows = np.asarray(grid.ks), np.asarray(grid.alphas, dtype=float) < 1
    even, odd = ks % 2 == 0, ks % 2 == 1
    if bad.all() or not (rows.any() and even.any() and odd.any()):
        return 0.0
    z = np.log10(np.maximum(np.where(bad, loss[~bad].max(), loss), LOSS_FLOOR))[rows]
    return float((z[:, even].mean(axis=1) - z[:, odd].mean(axis=1)).mean())


def grid_extremes(grid: LookaheadGrid) -> tuple[tuple, tuple]:
    """(loss, α, k, diverged) of the best and of the worst cell; a diverged cell counts as worst."""
    loss = np.where(np.asarray(grid.diverged, bool), np.inf, np.asarray(grid.loss, dtype=float))
    loss = np.where(np.isnan(loss), np.inf, loss)
    out = []
    for idx in (np.argmin(loss), np.argmax(loss)):
        r, c = np.unravel_index(idx, loss.shape)
        out.append((float(grid.loss[r, c]), float(grid.alphas[r]), int(grid.ks[c]), bool(grid.diverged[r, c])))
    return out[0], out[1]


def short_number(v: float) -> str:
    """A short label for a heatmap cell: 23, 4.5, 0.17, .017, 8e-3."""
    if not np.isfinite(v):
        return "inf"
    if v >= 99.5:
        return f"{v:.0e}".replace("e+0", "e").replace("e+", "e")
    if v >= 9.95:
        return f"{v:.0f}"
    if v >= 0.995:
        return f"{v:.1f}"
    if v >= 0.00995:
        return f"{v:.3f}".lstrip("0") if v < 0.0995 else f"{v:.2f}"
    if v == 0:
        return "0"
    return f"{v:.0e}".replace("e-0", "e-")


def grid_figure(grid: LookaheadGrid, current: tuple[float, int] | None = None, height: int = 430) -> go.Figure:
    """Heatmap of log₁₀(final loss) over α (rows) × k (columns), each cell labelled with the loss."""
    loss, diverged = np.asarray(grid.loss, dtype=float), np.asarray(grid.diverged, bool)
    z = np.log10(np.maximum(np.where(np.isfinite(loss), loss, np.inf), LOSS_FLOOR))
    z = np.where(np.isfinite(z), z, np.nanmax(np.where(np.isfinite(z), z, np.nan)))
    div = t("lookahead.grid_div")
    text = np.array([[div if d else short_number(v) for v, d in zip(lr, dr)] for lr, dr in zip(loss, diverged)])
    xs = [str(int(k)) for k in grid.ks]
    ys = [f"{a:g}" for a in grid.alphas]
    data = [{"type": "heatmap", "x": xs, "y": ys, "z": z, "text": text, "texttemplate": "%{text}",
             "textfont": {"size": 14}, "colorscale": "Viridis", "reversescale": True, "name": t("lookahead.final_loss"),
             "colorbar": {"title": {"text": t("lookahead.log_loss"), "side": "right"}, "thickness": 14},
             "hovertemplate": "α=%{y}, k=%{x}<br>" + t("lookahead.final_loss") + " %{text}<extra></extra>",
             "xgap": 1, "ygap": 1}]
    shapes = []
    if current is not None:
        a, k = current
        rows = np.flatnonzero(np.isclose(grid.alphas, a))
        cols = np.flatnonzero(np.asarray(grid.ks) == int(k))
        if rows.size and cols.size:
            r, c = int(rows[0]), int(cols[0])
            shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": c - 0.5, "x1": c + 0.5,
                           "y0": r - 0.5, "y1": r + 0.5, "line": {"color": "#D55E00", "width": 4}})
    cells = {"type": "category", "linecolor": GRID_COLOR, "ticks": "outside"}  # no grid lines between cells
    layout = base_layout(height, shapes=shapes, margin={"l": 70, "r": 10, "t": 20, "b": 60},
                         xaxis={**cells, "title": {"text": t("lookahead.grid_x_axis")}},
                         yaxis={**cells, "title": {"text": t("lookahead.grid_y_axis")}})
    return Figure({"data": data, "layout": layout})


def spread_stats(final_points, final_loss) -> dict[str, float]:
    """Spread of a cloud of final points: std of x, of y, their RMS distance to the mean; loss mean and std."""
    p = np.asarray(final_points, dtype=float)
    loss = np.asarray(final_loss, dtype=float)
    sx, sy = p.std(axis=0)
    return {"std_x": float(sx), "std_y": float(sy), "radius": float(np.sqrt(sx * sx + sy * sy)),
            "loss_mean": float(loss.mean()), "loss_std": float(loss.std())}


def cloud_figure(surface: oc.Surface, clouds: list[tuple[str, np.ndarray, str, str]], height: int = 430) -> go.Figure:
    """Each seed's final point, per (label, points (S, 2), colour, symbol), zoomed to the clouds at equal scale.

    A large cross marks each cloud's mean; the surface picture stays underneath.
    """
    pts = np.vstack([np.asarray(c[1], dtype=float) for c in clouds])
    center = pts.mean(axis=0)
    half = max(float(np.abs(pts - center).max()) * 1.15, CLOUD_MIN_HALF * float(surface.half_width.min()))
    data = landmarks(surface)  # the minima only: no start given
    for name, p, col, symbol in clouds:
        p = np.asarray(p, dtype=float)
        data.append({"type": "scatter", "x": p[:, 0], "y": p[:, 1], "mode": "markers", "name": name,
                     "marker": {"color": rgba(col, 0.6), "size": 10, "symbol": symbol,
                                "line": {"color": col, "width": 1}},
                     "hovertemplate": f"{name}<br>x=%{{x:.3f}}<br>y=%{{y:.3f}}<extra></extra>"})
        m = p.mean(axis=0)
        data.append({"type": "scatter", "x": [m[0]], "y": [m[1]], "mode": "markers",
                     "name": t("lookahead.mean_name", name=name),
                     "showlegend": False, "marker": {"symbol": "x-thin", "size": 22, "color": col,
                                                     "line": {"color": col, "width": 4}},
                     "hovertemplate": t("lookahead.mean_of", name=name)
                     + "<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"})
    axes = surface_axes(surface)
    axes["xaxis"]["range"] = [center[0] - half, center[0] + half]
    axes["yaxis"]["range"] = [center[1] - half, center[1] + half]
    axes["yaxis"].update(scaleanchor="x", scaleratio=1)
    layout = base_layout(height, images=[layout_image(surface)], **axes)
    return Figure({"data": data, "layout": layout})


def spread_figure(bands: list[tuple[str, np.ndarray, str]], height: int = 380, max_points: int = 300) -> go.Figure:
    """Mean loss over seeds against the step, with a ± one standard deviation band, for each
    (label, loss (n+1, S), colour)."""
    keep = thin(len(bands[0][1]), max_points)
    x = np.arange(len(bands[0][1]))[keep]
    data = []
    for name, loss, col in bands:
        loss = np.asarray(loss, dtype=float)[keep]
        mean, std = loss.mean(axis=1), loss.std(axis=1)
        data.append({"type": "scatter", "x": x, "y": mean + std, "mode": "lines", "line": {"width": 0},
                     "showlegend": False, "hoverinfo": "skip", "legendgroup": name})
        data.append({"type": "scatter", "x": x, "y": np.maximum(mean - std, 0.0), "mode": "lines",
                     "line": {"width": 0}, "fill": "tonexty", "fillcolor": rgba(col, 0.2),
                     "showlegend": False, "hoverinfo": "skip", "legendgroup": name})
        data.append({"type": "scatter", "x": x, "y": mean, "mode": "lines", "name": t("lookahead.mean_std", name=name),
                     "legendgroup": name, "line": {"color": col, "width": 3},
                     "hovertemplate": f"{name}<br>" + t("lookahead.hover_step") + " %{x}: %{y:.4g}<extra></extra>"})
    layout = base_layout(height, xaxis=axis(t("lookahead.step_axis")), yaxis=axis(t("lookahead.loss_axis")),
                         margin={"l": 60, "r": 36, "t": 20, "b": 50})
    # each mean line named at its end (the band is its ± std), no legend over the plot
    means = {3 * k + 2: name for k, (name, _, _) in enumerate(bands)}
    return Figure({"data": data, "layout": label_ends(data, layout, means)})


def nearest_minimum_text(surface: oc.Surface, runs: list[tuple[str, oc.Trajectory]]) -> str | None:
    """On a surface with several minima (Himmelblau), how far each single run ends from its nearest minimum,
    ‖θ_T − θ*‖ for the θ* in ``surface.minima`` closest to θ_T, and which minimum that is; None elsewhere."""
    minima = np.asarray(surface.minima, dtype=float).reshape(-1, 2)
    if len(minima) < 2:
        return None
    parts = []
    for name, run in runs:
        gaps = np.linalg.norm(minima - np.asarray(run.params[-1], dtype=float), axis=-1)
        near = minima[int(np.argmin(gaps))]
        parts.append(t("lookahead.nearest_run", name=name, distance=num(gaps.min()), x=num(near[0], 4),
                       y=num(near[1], 4)))
    return t("lookahead.nearest", steps=len(runs[0][1].loss) - 1, runs=" · ".join(parts))
