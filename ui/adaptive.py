"""Builders for the Adaptive step sizes page: the deck's AdaGrad table, step sizes over time, paths.

Pure functions (no Streamlit). The table is computed by stepping
``optim_core``'s AdaGrad (``lr = 1, eps = 0``) through the given gradients, so
its numbers are the engine's own, not a second implementation.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import optim_core as oc

from .charts import thin
from .paths import Path, animated_paths
from .theme import GRID_COLOR, PARAMETER_COLORS, PARAMETER_LABELS, color, label

METHODS = ("adagrad", "rmsprop", "adam")

DEFAULTS = {
    "surface": "elongated_quadratic",
    "surfaces": ("elongated_quadratic", "rosenbrock", "beale", "himmelblau", "least_squares"),
    "lr": {"elongated_quadratic": 0.3, "rosenbrock": 0.1, "beale": 0.1, "himmelblau": 0.3, "least_squares": 0.1},
    "lr_options": (1e-3, 3e-3, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0),
    "rho": 0.9,
    "rho_options": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999),
    "beta1": 0.9,
    "beta1_options": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
    "beta2": 0.999,
    "beta2_options": (0.0, 0.5, 0.9, 0.99, 0.999, 0.9999),
    "steps": {"elongated_quadratic": 200, "rosenbrock": 500, "beale": 300, "himmelblau": 200, "least_squares": 200},
    "steps_high": 2000,
    "grads": ((3.0, 1.0), (-2.0, 1.0), (1.0, 1.0)),  # the deck's worked example
    "max_rows": 10,
    "max_abs_grad": 1e6,
}

GRAD_COLUMNS = ("g₁ (∇₁L)", "g₂ (∇₂L)")
TABLE_COLUMNS = ("c", "g₁", "g₂", "g₁²", "g₂²", "Σ g₁²", "Σ g₂²", "t̃₁", "t̃₂")


def hyper(method: str, lr: float, rho: float, beta1: float, beta2: float) -> dict:
    """The settings each method takes: a shared ``lr``; ``rho`` for RMSProp; ``beta1, beta2`` for Adam."""
    if method == "rmsprop":
        return {"lr": lr, "rho": rho}
    if method == "adam":
        return {"lr": lr, "beta1": beta1, "beta2": beta2}
    return {"lr": lr}


def gradients_frame(grads=DEFAULTS["grads"]) -> pd.DataFrame:
    """The editable input: one row per step, one column per parameter."""
    return pd.DataFrame(np.asarray(grads, dtype=float).reshape(-1, 2), columns=list(GRAD_COLUMNS))


def parse_gradients(table, max_rows: int = DEFAULTS["max_rows"],
                    max_abs: float = DEFAULTS["max_abs_grad"]) -> np.ndarray:
    """The edited table as an (n, 2) float array, or ``ValueError`` naming the first bad cell.

    ``table`` is a DataFrame (or rows of two cells). Text is accepted if it reads as a
    number ("−2" with a typographic minus too); empty cells, text, inf/NaN and
    values beyond ``max_abs`` are rejected, as are 0 or more than ``max_rows`` rows.
    """
    rows = table.to_numpy(dtype=object).tolist() if isinstance(table, pd.DataFrame) else [list(r) for r in table]
    if not rows:
        raise ValueError("The table needs at least one row of gradients.")
    if len(rows) > max_rows:
        raise ValueError(f"At most {max_rows} rows of gradients, got {len(rows)}: delete a row.")
    out = np.empty((len(rows), 2))
    for i, row in enumerate(rows):
        if len(row) != 2:
            raise ValueError(f"Row {i + 1} must have exactly two gradients (g₁, g₂), got {len(row)}.")
        for k, cell in enumerate(row):
            where = f"Row {i + 1}, g{'₁₂'[k]}"
            out[i, k] = _number(cell, where)
            if abs(out[i, k]) > max_abs:
                raise ValueError(f"{where}: {out[i, k]:g} is too large; keep gradients within ±{max_abs:g}.")
    return out


def _number(cell, where: str) -> float:
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        raise ValueError(f"{where} is empty: type a number.")
    if isinstance(cell, bool):
        raise ValueError(f"{where}: {cell!r} is not a number.")
    if isinstance(cell, str):
        try:
            value = float(cell.strip().replace("−", "-").replace("–", "-"))
        except ValueError:
            raise ValueError(f"{where}: {cell.strip()!r} is not a number.") from None
    else:
        try:
            value = float(cell)
        except (TypeError, ValueError):
            raise ValueError(f"{where}: {cell!r} is not a number.") from None
    if math.isnan(value):
        raise ValueError(f"{where} is empty or not a number: type a number.")
    if math.isinf(value):
        raise ValueError(f"{where} must be a finite number, got {value}.")
    return value


def adagrad_steps(grads: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Running sums Σ_{q≤c} g_q² and step sizes 1/√(sum), by stepping optim_core's AdaGrad (lr=1, eps=0).

    A parameter whose gradients so far are all zero has no step size yet (1/0): NaN.
    """
    opt = oc.make_optimizer("adagrad", lr=1.0, eps=0.0)
    params = np.zeros(2)
    state = opt.init(params)
    sums, sizes = [], []
    with np.errstate(divide="ignore", invalid="ignore"):
        for g in np.asarray(grads, dtype=float):
            _, state = opt.update(g, state, params)
            sums.append(state.accumulator.copy())
            sizes.append(np.where(np.isfinite(state.step_size), state.step_size, np.nan))
    return np.array(sums).reshape(-1, 2), np.array(sizes).reshape(-1, 2)


def adagrad_table(grads: np.ndarray) -> pd.DataFrame:
    """The deck's table: step c, gradients, their squares, running sums and AdaGrad's step sizes."""
    g = np.asarray(grads, dtype=float).reshape(-1, 2)
    sums, sizes = adagrad_steps(g)
    data = np.column_stack([g, g * g, sums, sizes])
    frame = pd.DataFrame(data, columns=list(TABLE_COLUMNS[1:]))
    frame.insert(0, TABLE_COLUMNS[0], np.arange(1, len(g) + 1))
    return frame


def exact_step_size(total: float) -> str:
    """``1/√14`` for a whole-number sum (``1`` for a sum of 1), else the decimal."""
    if total <= 0:
        return "undefined (no gradient yet)"
    if float(total).is_integer():
        return "1" if total == 1 else f"1/√{int(total)}"
    return f"{1 / math.sqrt(total):.4g}"


SPLIT = 0.55  # the surface takes the left 55 % of the figure, the step-size panels the rest
PANEL_GAP = 0.07


def step_size_at(step_sizes: np.ndarray, step: int) -> dict:
    """The two moving dots on one method's step-size panel: (c, t̃₁) and (c, t̃₂); none at step 0."""
    step = min(int(step), len(step_sizes))
    if step == 0:
        return {"x": [], "y": []}
    return {"x": [step, step], "y": [float(step_sizes[step - 1, 0]), float(step_sizes[step - 1, 1])]}


def combined_figure(surface: oc.Surface, params: dict[str, np.ndarray], step_sizes: dict[str, np.ndarray],
                    start=None, height: int = 540, max_points: int = 600) -> go.Figure:
    """Left: AdaGrad, RMSProp and Adam moving on the surface. Right: one panel per method (log y) with each
    parameter's step size t̃ against the step, and dots that move in step with the markers on the left.

    ``step_sizes[m]`` has shape (steps, 2): row c-1 is ``records["step_size"]`` after step c.
    """
    n = len(METHODS)
    size = (1 - PANEL_GAP * (n - 1)) / n
    lines, dots, axes, notes = [], [], {}, []
    grid = {"gridcolor": GRID_COLOR, "zeroline": False, "linecolor": GRID_COLOR, "ticks": "outside"}
    for i, m in enumerate(METHODS):
        sizes = np.asarray(step_sizes[m], dtype=float).reshape(-1, 2)
        keep = thin(len(sizes), max_points)
        y_axis = f"y{i + 2}"
        top = 1 - i * (size + PANEL_GAP)
        axes[f"yaxis{i + 2}"] = {**grid, "domain": [max(0.0, round(top - size, 6)), min(1.0, round(top, 6))],
                                 "anchor": "x2", "type": "log", "exponentformat": "power", "nticks": 4,
                                 "tickfont": {"size": 13}, "automargin": True}
        for k in range(2):
            y = sizes[keep, k]
            lines.append({"type": "scatter", "mode": "lines", "x": keep + 1, "y": np.where(y > 0, y, np.nan),
                          "xaxis": "x2", "yaxis": y_axis, "name": f"t̃ of {PARAMETER_LABELS[k]}", "meta": m,
                          "legendgroup": f"w{k}", "showlegend": i == 0,
                          "line": {"color": PARAMETER_COLORS[k], "width": 2.5},
                          "hovertemplate": f"{label(m)}, {PARAMETER_LABELS[k]}<br>step %{{x}}: "
                                           "t̃ = %{y:.3g}<extra></extra>"})
        dots.append(({"type": "scatter", "mode": "markers", "xaxis": "x2", "yaxis": y_axis, "showlegend": False,
                      "hoverinfo": "skip", "name": f"{label(m)} now",
                      "marker": {"color": list(PARAMETER_COLORS), "size": 11, "line": {"color": "white", "width": 2}}},
                     lambda c, sizes=sizes: step_size_at(sizes, c)))
        notes.append({"text": f"<b>{label(m)}</b>", "xref": "x2 domain", "yref": "paper", "x": 0.02, "y": top,
                      "xanchor": "left", "yanchor": "top", "showarrow": False,
                      "font": {"size": 15, "color": color(m)}, "bgcolor": "rgba(255,255,255,0.85)"})
    paths = [Path(label(m), params[m], color(m)) for m in METHODS]
    fig = animated_paths(surface, paths, start=start, height=height, extra_traces=lines, moving_extras=dots)
    for trace in fig.data[:2]:  # the star and the start ring explain themselves: keep the legend short
        if trace.name in ("minimum", "start"):
            trace.showlegend = False
    fig.update_layout(
        xaxis={"domain": [0, SPLIT]},
        xaxis2={**grid, "domain": [SPLIT + 0.12, 1], "anchor": f"y{n + 1}", "title": {"text": "step c"}},
        annotations=notes,
        **axes)
    return fig
