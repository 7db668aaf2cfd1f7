"""Lookahead page: defaults, its text (words from the catalogs, [lookahead]), the geometry of a run,
the α × k grid, seed spreads and its figures.

Builders are pure functions of arrays that return Plotly figures. ``lookahead_geometry``
reads what the picture needs from a run's records: the slow point φ after every step
and the interpolation segment from φ_{t−1} towards the fast weights (``fast``).
``step_parts`` / ``step_table`` / ``step_caption`` write one step of Algorithm 1 with
that step's numbers, all read from the run's records, for the page's step view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.paths import animated_paths, optimizer_path
from ui.figures.theme import color, label, rgba
from ui.i18n import num, t
from ui.pages.lookahead_studies import (
    CLOUD_MIN_HALF,
    LOSS_FLOOR,
    PARITY_MIN_GAP,
    cloud_figure,
    grid_extremes,
    grid_figure,
    nearest_minimum_text,
    parity_gap,
    row_spread,
    short_number,
    spread_figure,
    spread_stats,
)
from ui.scenes import Scene
from ui.specs import LookaheadGrid


@dataclass(frozen=True)
class Defaults:
    """Where the Lookahead page opens; ``lr`` is per inner optimizer. Frozen and read-only throughout."""

    surface: str = "elongated_quadratic"
    inner: str = "sgd"
    lr: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({"sgd": 0.07, "adam": 0.3}))
    k: int = 5
    alpha: float = 0.8
    steps: int = 50
    noise: float = 2.0
    seeds: int = 40


DEFAULTS = Defaults()
INNER_OPTIONS = ("sgd", "adam")
LR_OPTIONS = MappingProxyType({
    # 0.024 … 0.03: around 2/λ_max = 0.0243 and 0.0248 at Himmelblau's two gentlest minima (its large_step scene)
    "sgd": (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.024, 0.025, 0.026, 0.028, 0.03, 0.04, 0.06, 0.07, 0.075,
            0.078, 0.08, 0.082, 0.085, 0.09, 0.1),
    "adam": (0.001, 0.003, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 1.0),
})
K_RANGE = (1, 20)
ALPHA_RANGE = (0.05, 1.0)
GRID_ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
GRID_KS = (1, 2, 3, 5, 8, 10, 15, 20)

# The deck's robustness table (Zhang et al. 2019, test accuracy %), under the deck's label "ResNet-18, CIFAR-10";
# the paper's table with these numbers is on CIFAR-100 (the catalog's lookahead.paper_note says so on the page).
PAPER_TABLE = MappingProxyType({0.5: {5: "78.24 ± .02", 10: "78.19 ± .22"},
                                0.8: {5: "78.27 ± .04", 10: "77.94 ± .22"}})

SEGMENT_COLOR = "#7A3300"  # a dark shade of Lookahead's orange: a construction line, not a new method
SLOW_COLOR = "#332288"  # Tol's indigo, no optimizer's colour: the slow weights are not the orange fast ones

# --- the page's text: every word is in the catalogs, table [lookahead] ----------------


def segment_name() -> str:
    return t("lookahead.segment_name")


def pull_name() -> str:
    return t("lookahead.pull_name")


def fast_now_name() -> str:
    return t("lookahead.fast_now_name")


def slow_now_name() -> str:
    return t("lookahead.slow_now_name")


def slow_so_far_name() -> str:
    return t("lookahead.slow_so_far_name")


def slow_path_name() -> str:
    return t("lookahead.slow_path_name")


def fast_name() -> str:
    return t("lookahead.fast_name")


def _scene(name: str, *, lr: float, k: int, alpha: float, noise: float = DEFAULTS.noise,
           seeds: int = DEFAULTS.seeds, surface: str = DEFAULTS.surface, start: tuple[float, float] | None = None,
           steps: int = DEFAULTS.steps) -> Scene:
    """A scene around gradient descent with step size ``lr``: by default on the elongated bowl from its demo start."""
    x, y = (float(v) for v in (oc.get_surface(surface).start if start is None else start))
    return Scene("lookahead", name, {
        "surface": surface, "x": x, "y": y, "steps": steps, "k": k, "alpha": alpha, "inner": "sgd", "lr": lr,
        "noise": noise, "seeds": seeds})


# Himmelblau: 2/λ_max at its minima ≤ 0.0248, so at t = 0.026 GD settles nowhere while Lookahead lands on (3, 2);
# where this holds and where it stops is measured in tests/test_ui_lookahead.py (the large-step tests).
LARGE_STEP = {"surface": "himmelblau", "start": (0.0, 0.0), "steps": 150, "lr": 0.026, "k": 5, "alpha": 0.5}

SCENES = (  # titles and captions: [lookahead.scenes.<name>] in the catalogs
    _scene("robust", lr=DEFAULTS.lr["sgd"], k=DEFAULTS.k, alpha=DEFAULTS.alpha),
    _scene("parity", lr=0.078, k=5, alpha=0.8),
    _scene("large_step", **LARGE_STEP),
    _scene("noisy", lr=0.078, k=5, alpha=0.8, noise=3.0, seeds=100),
)


def summary_caption(inner: str, alone: oc.Trajectory, la: oc.Trajectory, k: int, alpha: float) -> str:
    """Under the path picture: both final losses, the number of syncs and the paper's settings."""
    return t("lookahead.summary", steps=len(la.loss) - 1, alone=alone_label(inner), alone_loss=num(alone.loss[-1]),
             k=k, alpha=f"{alpha:g}", la_loss=num(la.loss[-1]), syncs=int(la.records["synced"].sum()))


def paper_table() -> str:
    """The paper's robustness check as a markdown table, α rows × k columns, with the note on its data set."""
    return (t("lookahead.paper_table") + "\n\n"
            "| | k = 5 | k = 10 |\n|---|---|---|\n"
            + "".join(f"| α = {a} | {row[5]} | {row[10]} |\n" for a, row in PAPER_TABLE.items())
            + "\n" + t("lookahead.paper_note"))


def grid_text(grid: LookaheadGrid, inner: str, steps: int, alpha: float | None = None) -> str:
    """How to read the α × k heatmap: its best and worst cell, how much k matters along the row of ``alpha``,
    and, when the grid is striped by the parity of k, why."""
    best, worst = grid_extremes(grid)
    worst_text = t("lookahead.grid_worst_diverges") if worst[3] else t("lookahead.grid_worst_ends",
                                                                          loss=num(worst[0]))
    text = t("lookahead.grid_cells", cells=grid.loss.size, steps=steps, name=label(inner),
             best=num(best[0]), best_alpha=f"{best[1]:g}", best_k=best[2],
             worst=worst_text, worst_alpha=f"{worst[1]:g}", worst_k=worst[2])
    spread = row_spread(grid, alpha) if alpha is not None else None
    if spread is not None:
        text += " " + t("lookahead.grid_row", alpha=f"{alpha:g}", factor=f"{spread:.2g}")
    text += " " + t("lookahead.grid_real")
    if inner == "sgd" and abs(parity_gap(grid)) >= PARITY_MIN_GAP:
        text += "\n\n" + t("lookahead.parity")
    return text


def spread_table(runs: list[tuple[str, oc.Trajectory]], sigma: float) -> str:
    """Per (label, batch of noisy runs): std of the final x and y, final loss mean ± std, as markdown."""
    rows = []
    for name, run in runs:
        s = spread_stats(run.params[-1], run.loss[-1])
        rows.append(f"| {name} | {s['std_x']:.3f} | {s['std_y']:.3f} | {s['loss_mean']:.3g} ± {s['loss_std']:.2g} |")
    seeds, steps = runs[0][1].loss.shape[1], len(runs[0][1].loss) - 1
    return (t("lookahead.spread_heading", seeds=seeds, steps=steps, sigma=f"{sigma:g}") + "\n\n"
            + t("lookahead.spread_columns") + "\n|---|---|---|---|\n" + "\n".join(rows))


def alone_label(inner: str) -> str:
    return t("lookahead.alone", name=label(inner))


def compared(inner: str, alone: oc.Trajectory, la: oc.Trajectory) -> list[tuple[str, oc.Trajectory, str, str]]:
    """(label, run, colour, marker symbol) of the inner optimizer alone and of Lookahead around it."""
    return [(alone_label(inner), alone, color(inner), "circle"),
            (label("lookahead"), la, color("lookahead"), "diamond")]




# --- geometry of one Lookahead run --------------------------------------------------


def lookahead_geometry(start, slow, fast, synced) -> dict[str, np.ndarray]:
    """Per step s = 0..n: the slow point φ after s, and the segment drawn at s, from a run's records.

    The segment runs from φ before step s to the fast weights ``fast`` of step s before
    any pull-back: at a sync step that is φ_{t−1} → θ_{t,k} (the line that φ_t cuts at a
    fraction α); between syncs it is the current φ → θ_{t,i}, the band the next sync
    will shorten. Also returned: ``syncs`` (the sync step numbers), ``before`` (φ_{t−1})
    and ``theta_k`` (θ_{t,k}) for each of them.
    """
    start = np.asarray(start, dtype=float)[None]
    phi = np.vstack([start, np.asarray(slow, dtype=float)])  # φ after step s, s = 0..n
    seg_from = np.vstack([start, phi[:-1]])  # φ before step s
    seg_to = np.vstack([start, np.asarray(fast, dtype=float)])
    steps = np.flatnonzero(np.asarray(synced, dtype=bool)) + 1
    return {"phi": phi, "seg_from": seg_from, "seg_to": seg_to, "syncs": steps,
            "before": seg_from[steps], "theta_k": seg_to[steps]}


def path_figure(surface: oc.Surface, start, inner: str, inner_params, la_run: oc.Trajectory,
                height: int = 520, at_step: int | None = None) -> go.Figure:
    """The inner optimizer alone, Lookahead's fast path, its bold slow path and the moving segment.

    At every step the ring marks the fast weights θ (``fast``: before any pull-back), the
    large ◆ the slow weights φ, and on a sync step an arrow runs from θ_{t,k} back to the
    new φ_t = φ_{t−1} + α(θ_{t,k} − φ_{t−1}). ``at_step`` opens the figure at that step
    (the page's step slider is then the scrubber).
    """
    rec = la_run.records
    geo = lookahead_geometry(start, rec["slow"], rec["fast"], rec["synced"])
    slow_path = np.vstack([np.asarray(start, dtype=float)[None], geo["phi"][geo["syncs"]]])
    la = color("lookahead")
    paths = [optimizer_path(inner, alone_label(inner), inner_params, width=3.0),
             optimizer_path("lookahead", fast_name(), la_run.params, color=la, width=3.0, marker_size=10)]
    slow_trace = {"type": "scatter", "x": slow_path[:, 0], "y": slow_path[:, 1], "mode": "lines+markers",
                  "name": slow_path_name(), "line": {"color": SLOW_COLOR, "width": 3},
                  "marker": {"symbol": "diamond", "size": 11, "color": SLOW_COLOR,
                             "line": {"color": "white", "width": 1.5}},
                  "hovertemplate": "φ<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"}
    slow_so_far = {"type": "scatter", "mode": "lines", "name": slow_so_far_name(), "showlegend": False,
                   "hoverinfo": "skip", "line": {"color": SLOW_COLOR, "width": 5}}
    segment = {"type": "scatter", "mode": "lines+markers", "name": segment_name(),
               "line": {"color": SEGMENT_COLOR, "width": 3, "dash": "dot"},
               "marker": {"symbol": ["circle", "x"], "size": [8, 14], "color": SEGMENT_COLOR},
               "hovertemplate": "x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"}
    slow_now = {"type": "scatter", "mode": "markers", "name": slow_now_name(), "showlegend": False,
                "marker": {"symbol": "diamond", "size": 18, "color": SLOW_COLOR,
                           "line": {"color": "white", "width": 2}},
                "hovertemplate": "φ<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"}

    def seg_at(step: int) -> dict:
        pts = np.stack([geo["seg_from"][step], geo["seg_to"][step]])
        return {"x": pts[:, 0].tolist(), "y": pts[:, 1].tolist()}

    def slow_path_at(step: int) -> dict:
        upto = slow_path[: int(np.searchsorted(geo["syncs"], step, side="right")) + 1]
        return {"x": upto[:, 0].tolist(), "y": upto[:, 1].tolist()}

    def phi_at(step: int) -> dict:
        return {"x": [float(geo["phi"][step, 0])], "y": [float(geo["phi"][step, 1])]}

    def theta_at(step: int) -> dict:
        return {"x": [float(geo["seg_to"][step, 0])], "y": [float(geo["seg_to"][step, 1])]}

    synced = set(int(s) for s in geo["syncs"])

    def pull_at(step: int) -> dict:
        if step not in synced:
            return {"x": [None], "y": [None]}  # not [] : an empty frame trace would drop the static ones
        return arrow_xy(geo["seg_to"][step], geo["phi"][step])

    fast_now = {"type": "scatter", "mode": "markers", "name": fast_now_name(), "showlegend": False,
                "marker": {"symbol": "circle-open", "size": 20, "color": la, "line": {"color": la, "width": 3}},
                "hovertemplate": "θ<br>x=%{x:.3f}<br>y=%{y:.3f}<extra></extra>"}
    pull = arrow_style(pull_name(), SLOW_COLOR, width=4)
    extras = [(slow_so_far, slow_path_at), (slow_now, phi_at), (segment, seg_at), (fast_now, theta_at),
              (pull, pull_at)]
    # at a step the legend drops the minimum and the start (the ☆ and the ring are plain): a shorter
    # legend leaves the map its height on a projector
    return animated_paths(surface, paths, start=start, height=height, extra_traces=[slow_trace],
                          moving_extras=extras, at_step=at_step, landmarks_in_legend=at_step is None)


# --- one step of Algorithm 1, with its numbers ----------------------------------------


def step_parts(run: oc.Trajectory, k: int, n: int) -> dict | None:
    """Step ``n`` (the n-th update) of a Lookahead run as the lines of Algorithm 1 see it, or None at n = 0.

    The step is fast step ``i`` = (n − 1) mod k + 1 of outer iteration ``t`` = ⌊(n − 1)/k⌋ + 1.
    Read from the records (c = n − 1): ``phi_before`` φ_{t−1} (the slow weights before the
    step), ``at`` θ_{t,i−1} (params[c]), ``grad`` ∇L there, ``inner_step`` the inner
    optimizer's move A(L, θ_{t,i−1}, d) = fast[c] − params[c], ``theta`` θ_{t,i} (fast[c],
    before any pull-back), ``synced``, ``phi`` the slow weights after the step (φ_t at a
    sync) and ``next`` params[n], where the next fast step starts.
    """
    if n <= 0:
        return None
    c, rec = n - 1, run.records
    return {"t": c // k + 1, "i": c % k + 1, "synced": bool(rec["synced"][c]),
            "phi_before": run.params[0] if c == 0 else rec["slow"][c - 1], "at": run.params[c],
            "grad": run.grads[c], "inner_step": rec["fast"][c] - run.params[c], "theta": rec["fast"][c],
            "phi": rec["slow"][c], "next": run.params[n]}


def inner_rule(inner: str, lr: float, point: str) -> str:
    """The inner optimizer's move A(L, θ, d) at ``point`` (LaTeX), with its step size written in."""
    size = tex_number(lr)
    if inner == "sgd":
        return rf"-{size}\,\nabla L({point})"
    return rf"-{size}\,\hat m / (\sqrt{{\hat v}} + \epsilon)"


def step_table(run: oc.Trajectory, inner: str, lr: float, k: int, alpha: float, n: int) -> str:
    """Algorithm 1 at step ``n`` with that step's numbers: the inner update marked on a fast step,
    the slow-weight update φ ← φ + α(θ_{t,k} − φ) on a sync step, the start at n = 0.

    The lines are kept short (the table sits in a narrow column beside the chart): the
    inner move A(L, θ_{t,i−1}, d) has its own line, written out for this inner optimizer.
    """
    if n <= 0:
        rows = [(r"\phi_0 = \text{" + t("lookahead.table_start") + "}", run.params[0]),
                (r"\theta_{1,0} \leftarrow \phi_0", run.params[0])]
        return algorithm_table(rows, 0, header=t("lookahead.table_step_zero"))
    p = step_parts(run, k, n)
    it, i = p["t"], p["i"]  # outer iteration t and fast step i of Algorithm 1
    prev, now = rf"\theta_{{{it},{i - 1}}}", rf"\theta_{{{it},{i}}}"
    header = t("lookahead.table_fast_step", i=i, k=k)  # the step n is on the slider above
    rows = [(rf"\theta_{{{it},0}} \leftarrow \phi_{{{it - 1}}}", p["phi_before"]),
            (prev, p["at"]),
            (rf"\nabla L({prev})", p["grad"]),
            (rf"A = {inner_rule(inner, lr, prev)}", p["inner_step"]),
            (rf"{now} \leftarrow {prev} + A", p["theta"]),
            (rf"\phi_{{{it}}} \leftarrow \phi_{{{it - 1}}} + {tex_number(alpha)}"
             rf"(\theta_{{{it},{k}}} - \phi_{{{it - 1}}})", p["phi"] if p["synced"] else None)]
    if p["synced"]:
        rows.append((rf"\theta_{{{it + 1},0}} \leftarrow \phi_{{{it}}}", p["next"]))
    return algorithm_table(rows, 5 if p["synced"] else 4, header=header)


def step_caption(run: oc.Trajectory, k: int, n: int) -> str:
    """What the chart marks at step ``n`` (markdown with LaTeX)."""
    if n <= 0:
        return t("lookahead.step_zero")
    p = step_parts(run, k, n)
    it, i = p["t"], p["i"]
    if p["synced"]:
        return t("lookahead.step_sync", n=n, i=i, k=k, t=it, t0=it - 1)
    sync = n + k - i
    wait = (t("lookahead.wait_sync", step=sync) if sync < len(run.params) else t("lookahead.wait_end"))
    return t("lookahead.step_fast", n=n, i=i, k=k, t=it, t0=it - 1, wait=wait)


# --- the α × k grid --------------------------------------------------------------


# --- variance across seeds -------------------------------------------------------


# The page's rule in one line, shown under the title: on a projector it sits above the fold.
KEY_RULE = (r"\begin{aligned} \theta_{t,i} &= \theta_{t,i-1} + A(L, \theta_{t,i-1}),\ i = 1..k \\ "
            r"\phi_t &= \phi_{t-1} + \alpha\,(\theta_{t,k} - \phi_{t-1}) \end{aligned}")


__all__ = [  # the page's public face, wherever each piece lives
    "ALPHA_RANGE",
    "CLOUD_MIN_HALF",
    "DEFAULTS",
    "Defaults",
    "GRID_ALPHAS",
    "GRID_KS",
    "INNER_OPTIONS",
    "KEY_RULE",
    "K_RANGE",
    "LARGE_STEP",
    "LOSS_FLOOR",
    "LR_OPTIONS",
    "PAPER_TABLE",
    "PARITY_MIN_GAP",
    "SCENES",
    "SEGMENT_COLOR",
    "SLOW_COLOR",
    "alone_label",
    "cloud_figure",
    "compared",
    "fast_name",
    "fast_now_name",
    "grid_extremes",
    "grid_figure",
    "grid_text",
    "inner_rule",
    "lookahead_geometry",
    "nearest_minimum_text",
    "paper_table",
    "parity_gap",
    "path_figure",
    "pull_name",
    "rgba",
    "row_spread",
    "segment_name",
    "short_number",
    "slow_now_name",
    "slow_path_name",
    "slow_so_far_name",
    "spread_figure",
    "spread_stats",
    "spread_table",
    "step_caption",
    "step_parts",
    "step_table",
    "summary_caption",
]
