"""What a student takes home: the runs on screen as CSV, and the animated figure as one HTML file.

Pure (no Streamlit): ``ui.widgets.downloads.export_buttons`` wraps these in download buttons.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.io as pio

import optim_core as oc

BASE_COLUMNS = ("step", "optimizer", "x", "y", "loss")


def _cell(value) -> str:
    value = float(value)
    return repr(value) if np.isfinite(value) else ("nan" if np.isnan(value) else ("inf" if value > 0 else "-inf"))


def trajectories_csv(runs: Mapping[str, oc.Trajectory], fields: Sequence[str] = ()) -> str:
    """One row per (optimizer, step): ``step, optimizer, x, y, loss`` and, for each record in
    ``fields`` the run has, its two coordinates (``m_x``, ``m_y``) or its value.

    Step 0 is the start; a record belongs to the step that produced it (row c holds the
    state after update c), so step 0's record cells are empty. Numbers are written with
    ``repr``: reading them back gives the engine's floats exactly.
    """
    fields = [f for f in fields if any(f in r.records for r in runs.values())]
    columns = list(BASE_COLUMNS)
    shapes = {}
    for f in fields:
        sample = next(np.asarray(r.records[f]) for r in runs.values() if f in r.records)
        per_step = sample.shape[1:] if sample.ndim > 1 else ()
        shapes[f] = per_step
        columns += [f"{f}_x", f"{f}_y"] if per_step == (2,) else [f]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for name, run in runs.items():
        params, loss = np.asarray(run.params), np.asarray(run.loss)
        if params.ndim != 2:
            raise ValueError(f"{name}: one run per optimizer, got params of shape {params.shape}")
        for c in range(len(params)):
            row = [str(c), name, _cell(params[c, 0]), _cell(params[c, 1]), _cell(loss[c])]
            for f in fields:
                width = 2 if shapes[f] == (2,) else 1
                if f not in run.records or c == 0:
                    row += [""] * width
                else:
                    value = np.ravel(run.records[f][c - 1])
                    row += [_cell(v) for v in value[:width]]
            writer.writerow(row)
    return out.getvalue()


def read_csv(text: str) -> dict[str, dict[str, np.ndarray]]:
    """The CSV back as ``{optimizer: {column: array}}`` (empty cells are NaN): for tests and students."""
    rows = list(csv.DictReader(io.StringIO(text)))
    out: dict[str, dict[str, list]] = {}
    for row in rows:
        cols = out.setdefault(row["optimizer"], {})
        for key, value in row.items():
            if key != "optimizer":
                cols.setdefault(key, []).append(float(value) if value != "" else np.nan)
    return {name: {k: np.asarray(v) for k, v in cols.items()} for name, cols in out.items()}


def figure_html(figure, title: str) -> str:
    """A standalone page with plotly.js inside: it plays offline, with no server and no network."""
    return pio.to_html(figure, include_plotlyjs=True, full_html=True, auto_play=False,
                       config={"displaylogo": False, "responsive": True},
                       default_width="100%", default_height="90vh", div_id="figure").replace(
        "<head>", f"<head><title>{title}</title>", 1)
