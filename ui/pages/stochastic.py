"""The Stochastic page: per-example gradient arrows, all / one / partial paths, spread over seeds, and its text.

The loss is the least-squares fit of a line to m = 20 points, a true finite sum
``L(W) = (1/m) Σᵢ Lⁱ(W)``, so every arrow here is a real per-example gradient.
Arrows are drawn along the **negative** gradient ``−∇Lⁱ`` (the way a step would
go), all multiplied by one common factor per frame so the longest fits the view.
The page's prose and LaTeX live here too; the page keeps its title, headings
and widgets. Every word comes from the catalogs (``[stochastic]``) at call time.

Step view (classroom mode): at step n ≥ 1 the arrows sit at W_{n−1} of the
mini-batch run and show update n's draw: the examples in I_c (c = n − 1) bold,
the others faint, their mean g_c and the full ∇L(W_c). I_c is read from the
run's ``batch`` record, g_c from its ``grads``. Examples are numbered 1 … m from
left to right (the data are sorted by xᵢ), as in the sums over i = 1 … m.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.charts import Series, line_chart, thin
from ui.figures.figure import Figure
from ui.figures.paths import Path, animated_paths
from ui.figures.theme import axis, base_layout
from ui.i18n import t
from ui.scenes import Scene

SURFACE = "least_squares"


@dataclass(frozen=True)
class Defaults:
    """The sidebar's starting values."""

    lr: float = 0.15
    steps: int = 400
    batch: int = 5
    seed: int = 0
    n_seeds: int = 20


DEFAULTS = Defaults()
LR_OPTIONS = (0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
STEPS_HIGH = 1000
SEEDS_HIGH = 50
SEED_HIGH = 99
COLORS = MappingProxyType({"all": "#000000", "one": "#A63D00", "partial": "#00509E"})  # ≥ 3:1 on the surface
# told apart by line and marker too, not by colour alone
DASHES = MappingProxyType({"all": "solid", "one": "dot", "partial": "dash"})
SYMBOLS = MappingProxyType({"all": "circle", "one": "triangle-up", "partial": "square"})
FIT_COLOR = "#006B45"
ARROW_FRACTION = 0.7  # the longest per-example arrow at W_c spans this many half-heights of the view
SPREAD_POINTS = 120  # a faint spread path keeps at most this many points
MAX_FRAMES = 40  # animation frames per chart (not the shared 60): every frame re-sends each moving trace

LOSS_LATEX = (r"\begin{aligned} L(W) &= \frac{1}{m}\sum_{i=1}^{m} L^i(W)\\"
              r"L^i(W) &= \tfrac12\,(w_1 + w_2\,x_i - y_i)^2 \end{aligned}")
UPDATE_LATEX = r"W_{c+1} = W_c - t_c\, g_c"


def gradient_latex() -> str:
    """The three estimates of the gradient, each named in the deck's words (all / one / partial)."""
    def word(k: str) -> str:
        return rf"\text{{{t(f'stochastic.latex.{k}')}}}"

    return (r"\begin{aligned}"
            rf"{word('all')}\quad & \frac{{1}}{{m}}\sum_{{i=1}}^{{m}}\nabla L^i(W_c)\\"
            rf"{word('one')}\quad & \nabla L^{{i_c}}(W_c)\\"
            rf"{word('partial')}\quad & \frac{{1}}{{|I_c|}}\sum_{{i\in I_c}}\nabla L^i(W_c)"
            r"\end{aligned}")


def update_text() -> str:
    return t("stochastic.update_text")


def ways_text() -> str:
    return t("stochastic.ways_text")


def noise_text() -> str:
    return t("stochastic.noise_text")


def data_caption() -> str:
    return t("stochastic.data_caption")


def model_text(m: int) -> str:
    """The model and its loss, in words."""
    return t("stochastic.model_text", m=m)


def spread_text(m: int) -> str:
    """What the spread table's columns mean."""
    return t("stochastic.spread_text", m=m)


def surface() -> oc.FiniteSumSurface:
    """The page's surface: a line fitted to m points, a true average of per-example losses."""
    return oc.get_surface(SURFACE)


def batch_sizes(batch: int) -> dict[str, int | None]:
    """The mini-batch size of each estimate: None is the full gradient."""
    return {"all": None, "one": 1, "partial": batch}


def seed_starts(start, n: int) -> np.ndarray:
    """``n`` copies of the start point: a batch of runs that differ only in the examples they draw."""
    return np.tile(np.asarray(start, dtype=float), (n, 1))


def _name_axes(fig: go.Figure) -> go.Figure:
    """Parameter names on the axes: "y" is the data's target on this page."""
    return fig.update_layout(xaxis={"title": {"text": t("stochastic.figure.axis_w1")}},
                             yaxis={"title": {"text": t("stochastic.figure.axis_w2")}})


def _plain(a: np.ndarray) -> list:
    """Frame data as a plain list, NaN gaps as None: plotly copies and encodes lists much faster than arrays."""
    return [None if v != v else v for v in np.asarray(a, dtype=float).tolist()]


def labels(batch: int, how: str = "html") -> dict[str, str]:
    """Short names in the deck's words: ``how`` is "html" (Plotly legends), "tex" (markdown) or "plain" (tables)."""
    return {"all": t("stochastic.labels.all"), "one": t("stochastic.labels.one"),
            "partial": t("stochastic.labels.partial", size=_size(batch, how))}


def _size(batch: int, how: str) -> str:
    """The mini-batch size inside the "partial" label: ``|I_c| = 5`` in HTML or TeX, or in words."""
    if how == "plain":
        return t("stochastic.labels.examples", batch=batch)
    return {"html": f"|I<sub>c</sub>| = {batch}", "tex": f"$|I_c|$ = {batch}"}[how]


def long_labels(batch: int) -> dict[str, str]:
    """Full names for sentences (warnings, markdown)."""
    return {"all": t("stochastic.labels.long_all"), "one": t("stochastic.labels.long_one"),
            "partial": t("stochastic.labels.long_partial", batch=batch)}


def divergence_note(diverged_at: dict[str, np.ndarray], spread_diverged_at: dict[str, np.ndarray],
                    batch: int) -> str | None:
    """One warning for every run that blew up, or None.

    Both map an estimate to a ``Trajectory.diverged_at`` (-1 where a run did not
    blow up, else the step): one run each in ``diverged_at``, a batch of seeds each
    in ``spread_diverged_at`` (the spread chart).
    """
    names = long_labels(batch)
    parts = [t("stochastic.divergence.run", name=names[k], step=int(at))
             for k, at in diverged_at.items() if np.asarray(at).max() >= 0]
    for k, at in spread_diverged_at.items():
        at = np.asarray(at)
        if bad := int((at >= 0).sum()):
            parts.append(t("stochastic.divergence.spread", bad=bad, total=at.size, name=names[k]))
    if not parts:
        return None
    return t("stochastic.divergence.note", parts="; ".join(parts))


def arrow_scale(surface: oc.FiniteSumSurface, w) -> float:
    """The common factor that makes the longest ``∇Lⁱ(w)`` span ``ARROW_FRACTION`` half-heights."""
    longest = float(np.linalg.norm(surface.example_grads(w), axis=-1).max())
    return ARROW_FRACTION * float(np.min(surface.half_width)) / max(longest, 1e-12)


def arrows_caption(surface: oc.FiniteSumSurface, start) -> str:
    """How the arrows are scaled, and how long the full and the per-example gradients are at the start."""
    norms = np.linalg.norm(surface.example_grads(start), axis=1)
    return t("stochastic.arrows_caption", scale=f"{arrow_scale(surface, start):.3f}",
             full=f"{np.linalg.norm(surface.grad(start)):.3f}", low=f"{norms.min():.2f}", high=f"{norms.max():.2f}")


def example_arrows(surface: oc.FiniteSumSurface, w, scale: float) -> dict:
    """``x``, ``y`` of m arrows ``w → w − scale·∇Lⁱ(w)`` (``arrow_xy``: tail, tip, gap each)."""
    w = np.asarray(w, dtype=float)
    return arrow_xy(w, w - scale * surface.example_grads(w))


def mean_arrow(surface: oc.FiniteSumSurface, w, scale: float) -> dict:
    """``x``, ``y`` of the arrow ``w → w − scale·∇L(w)``: the mean of the per-example arrows."""
    w = np.asarray(w, dtype=float)
    return arrow_xy(w, w - scale * surface.grad(w))


def gradient_arrows(surface: oc.FiniteSumSurface, along: np.ndarray) -> list:
    """``moving_extras`` for ``animated_paths``: per-example arrows and their mean at ``along[step]``.

    Each frame uses its own ``arrow_scale``, so the longest per-example arrow
    always has the same length: what changes is how long the mean is next to
    them. ``meta.scale`` holds the factor at ``along[0]``.
    """
    def point(step: int) -> np.ndarray:
        return along[min(step, len(along) - 1)]

    def examples(step: int) -> dict:
        return example_arrows(surface, point(step), arrow_scale(surface, point(step)))

    def mean(step: int) -> dict:
        return mean_arrow(surface, point(step), arrow_scale(surface, point(step)))

    meta = {"scale": arrow_scale(surface, along[0])}
    return [(arrow_style(t("stochastic.figure.each_example"), COLORS["one"], width=1.6, head=11,
                         count=surface.n_examples, opacity=0.75, meta=meta), examples),
            (arrow_style(t("stochastic.figure.their_mean"), COLORS["all"], width=5.0, head=20, meta=meta), mean)]


def paths_figure(surface: oc.FiniteSumSurface, runs: dict[str, np.ndarray], start, batch: int,
                 height: int = 580, *, at_step: int | None = None, minibatch: oc.Trajectory | None = None
                 ) -> go.Figure:
    """The three seeded paths (all / one / partial), animated, with per-example gradient arrows.

    ``runs`` maps "all", "one", "partial" to params of shape (steps + 1, 2). Without
    ``at_step`` the arrows start at ``runs["all"][0]`` (the start W_c) and follow the
    full-batch run. With ``at_step`` the figure opens at that step and the arrows show
    each step's draw of ``minibatch`` (the "partial" run, recorded with ``batch``):
    ``draw_arrows``.
    """
    names = labels(batch)
    paths = [Path(names[k], runs[k], COLORS[k], width=3.5 if k == "all" else 3.0, marker_size=13, dash=DASHES[k],
                  symbol=SYMBOLS[k]) for k in ("all", "one", "partial")]
    if at_step is None:
        extras = gradient_arrows(surface, runs["all"])
    elif minibatch is None:
        raise ValueError("at_step needs the mini-batch run (minibatch=…), recorded with its batch")
    else:
        extras = draw_arrows(surface, minibatch, at_step)
    return _name_axes(animated_paths(surface, paths, start=start, height=height, max_frames=MAX_FRAMES,
                                     moving_extras=extras, landmarks_in_legend=False, at_step=at_step))


# --- Step view: one update of the mini-batch run, its draw I_c and its numbers --------------------

def draw_names() -> dict[str, str]:
    """Legend names of the step view's four arrow traces."""
    return {"drawn": "−∇Lⁱ, i ∈ I<sub>c</sub>", "left": "−∇Lⁱ, i ∉ I<sub>c</sub>",
            "minibatch": t("stochastic.figure.mean_drawn"), "full": t("stochastic.figure.mean_all")}


# I_c in the step table: up to SET_LINE numbers on one line, longer lists WRAP_LINE to a line (it fits beside the chart)
SET_LINE, WRAP_LINE = 5, 4


def step_parts(surface: oc.FiniteSumSurface, run: oc.Trajectory, n: int) -> dict[str, np.ndarray] | None:
    """Update ``n`` (W_{n−1} → W_n) of the mini-batch ``run``, split into what the page draws and writes.

    ``at`` W_c (c = n − 1), ``drawn`` I_c (sorted 0-based indices, the run's ``batch``
    record), ``examples`` every ∇Lⁱ(W_c) (m, 2), ``minibatch`` g_c (the run's gradient,
    the mean of ``examples`` over I_c), ``full`` ∇L(W_c) and ``next`` W_{c+1}.
    None at n = 0 (nothing drawn yet).
    """
    n = min(int(n), len(run.grads))
    if n <= 0:
        return None
    c = n - 1
    at = run.params[c]
    return {"at": at, "drawn": np.sort(run.records["batch"][c]), "examples": surface.example_grads(at),
            "minibatch": run.grads[c], "full": surface.grad(at), "next": run.params[c + 1]}


def step_point(run: oc.Trajectory, n: int) -> np.ndarray:
    """Where step ``n``'s arrows start: W_{n−1} of the run, the start W_0 at n = 0."""
    return run.params[max(min(int(n), len(run.grads)) - 1, 0)]


def _none(count: int) -> dict:
    return {"x": [None] * count, "y": [None] * count}


def draw_arrows(surface: oc.FiniteSumSurface, run: oc.Trajectory, at_step: int = 0) -> list:
    """``moving_extras`` for ``animated_paths``: at each step the draw of the mini-batch ``run``.

    From W_c (``step_point``): the per-example arrows −∇Lⁱ of the examples in I_c (bold)
    and of the others (faint), their mean −g_c over I_c (dashed blue) and the full −∇L
    (black), all times the frame's ``arrow_scale``. Both per-example traces hold all m
    arrows, the ones that belong to the other trace left as gaps. At step 0 nothing is
    drawn yet: every example is faint, beside the full gradient. ``meta.scale`` is the
    factor at ``at_step``.
    """
    m = surface.n_examples

    @lru_cache(maxsize=4)  # the four traces of one frame ask for the same step in turn
    def at(step: int) -> dict[str, dict]:
        w = step_point(run, step)
        parts = step_parts(surface, run, step)
        if not np.all(np.isfinite(w)):
            return {"drawn": _none(3 * m), "left": _none(3 * m), "minibatch": _none(2), "full": _none(2)}
        scale = arrow_scale(surface, w)
        tips = w - scale * (surface.example_grads(w) if parts is None else parts["examples"])
        inside = np.zeros(m, dtype=bool)
        if parts is not None:
            inside[parts["drawn"]] = True
        gap = np.full((m, 2), np.nan)
        tails = np.broadcast_to(w, (m, 2))
        return {"drawn": arrow_xy(np.where(inside[:, None], tails, gap), np.where(inside[:, None], tips, gap)),
                "left": arrow_xy(np.where(inside[:, None], gap, tails), np.where(inside[:, None], gap, tips)),
                "minibatch": _none(2) if parts is None else arrow_xy(w, w - scale * parts["minibatch"]),
                "full": mean_arrow(surface, w, scale)}

    def part(name: str) -> Callable[[int], dict]:
        return lambda step: at(int(step))[name]

    meta = {"scale": arrow_scale(surface, step_point(run, at_step))}
    names = draw_names()
    styles = {
        "drawn": arrow_style(names["drawn"], COLORS["one"], width=2.8, head=13, count=m, meta=meta),
        "left": arrow_style(names["left"], COLORS["one"], width=1.2, head=9, count=m, opacity=0.4, meta=meta),
        "minibatch": arrow_style(names["minibatch"], COLORS["partial"], head=20, meta=meta,
                                 line={"color": COLORS["partial"], "width": 5.0, "dash": DASHES["partial"]}),
        "full": arrow_style(names["full"], COLORS["all"], width=4.5, head=18, meta=meta)}
    return [(styles[k], part(k)) for k in ("left", "drawn", "full", "minibatch")]


def examples_tex(drawn, m: int) -> str:
    """I_c as a set of 1-based example numbers; more than half of them as the complement of the rest.

    More than ``SET_LINE`` numbers (``WRAP_LINE`` to a line), or a complement, are broken over lines
    (a small left-aligned array).
    """
    numbers = [int(i) + 1 for i in np.sort(np.asarray(drawn))]
    if len(numbers) == m:
        return rf"\{{1,\dots,{m}\}}"
    lines = []
    if 2 * len(numbers) > m:
        lines, numbers = [rf"\{{1,\dots,{m}\}}\setminus"], sorted(set(range(1, m + 1)) - set(numbers))
    per = SET_LINE if len(numbers) <= SET_LINE else WRAP_LINE
    chunks = [r",\ ".join(map(str, numbers[k:k + per])) for k in range(0, len(numbers), per)]
    lines.append(r"\{" + r",\\ \ \ ".join(chunks) + r"\}")
    if len(lines) == 1 and len(chunks) == 1:
        return lines[0]
    return r"\begin{array}{l}" + r"\\ ".join(lines) + r"\end{array}"


def step_table(surface: oc.FiniteSumSurface, run: oc.Trajectory, lr: float, batch: int, n: int,
               size: str = r"\small") -> str:
    """The mini-batch rule at step ``n`` with that step's numbers; the line that moves the point is marked.

    Rows: W_c, the draw I_c, g_c (the run's gradient), the full ∇L(W_c) for comparison,
    and W_{c+1} = W_c − t g_c (the run's next point), highlighted. Every ∇Lⁱ is taken at
    W_c; the lines leave the argument out so that the table fits beside the chart. ``size``
    is the table's LaTeX font size (``\footnotesize`` where a sidebar leaves it less room).
    """
    header = rf"\text{{{t('figure.step_prefix')}}} {n}" + (rf"\ (c = {n - 1})" if n else "")
    m = surface.n_examples
    if n == 0:
        return algorithm_table([(rf"W_0 = \text{{{t('figure.start')}}}", run.params[0])], 0, header=header, size=size)
    p = step_parts(surface, run, n)
    rows = [(r"W_c", p["at"]),
            (r"I_c = " + examples_tex(p["drawn"], m), None),
            (rf"g_c = \tfrac{{1}}{{{batch}}}\textstyle\sum_{{i\in I_c}}\nabla L^i", p["minibatch"]),
            (rf"\nabla L = \tfrac{{1}}{{{m}}}\textstyle\sum_{{i}}\nabla L^i", p["full"]),
            (rf"W_{{c+1}} = W_c - {tex_number(lr)}\,g_c", p["next"])]
    return algorithm_table(rows, len(rows) - 1, header=header, size=size)


def step_caption(surface: oc.FiniteSumSurface, run: oc.Trajectory, batch: int, n: int) -> str:
    """What the arrows at step ``n`` are, and the factor they are drawn at."""
    scale = arrow_scale(surface, step_point(run, n))
    m = surface.n_examples
    if n == 0:
        return t("stochastic.step.start", scale=f"{scale:.3g}")
    p = step_parts(surface, run, n)
    numbers = ", ".join(str(int(i) + 1) for i in p["drawn"])
    scale = f"{scale:.3g}"
    if batch >= m:
        return t("stochastic.step.all_drawn", n=n, m=m, scale=scale)
    if batch == 1:
        return t("stochastic.step.one_drawn", n=n, numbers=numbers, rest=m - 1, scale=scale)
    return t("stochastic.step.some_drawn", n=n, numbers=numbers, rest=m - batch, scale=scale)


def _faint_paths(name: str, params: np.ndarray, color: str, opacity: float) -> dict:
    """Many runs (steps + 1, S, 2) as one static trace: thinned paths separated by NaN gaps."""
    keep = thin(params.shape[0], SPREAD_POINTS)
    sub = np.transpose(params[keep], (1, 0, 2))  # (S, k, 2)
    gap = np.full((sub.shape[0], 1, 2), np.nan)
    pts = np.concatenate([sub, gap], axis=1).reshape(-1, 2)
    return {"type": "scatter", "mode": "lines", "name": name, "x": pts[:, 0], "y": pts[:, 1],
            "opacity": opacity, "line": {"color": color, "width": 1.2}, "hoverinfo": "skip", "legendgroup": name,
            "showlegend": False}


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
    extras = [_faint_paths(one_name, ones, COLORS["one"], 0.18),
              _faint_paths(part_name, partials, COLORS["partial"], 0.3),
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
    """Loss against step of the three seeded runs, on a log scale."""
    names = labels(batch)
    return line_chart([Series(names[k], loss, COLORS[k], dash=DASHES[k]) for k, loss in losses.items()],
                      x_title=t("stochastic.figure.loss_x"), y_title="L(W<sub>c</sub>)", log_y=True, height=320)


def data_figure(surface: oc.FiniteSumSurface, w, height: int = 300, drawn=None) -> go.Figure:
    """The data (xᵢ, yᵢ), the line of ``w`` with each residual rᵢ, and the least-squares line.

    ``drawn`` (0-based indices, e.g. I_c of a step) marks those examples: their bars bold
    over the faint others, and a numbered ring (1 … m, left to right) on each of their points.
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
         "y": seg.reshape(-1, 2)[:, 1], "hoverinfo": "skip", "line": {"color": COLORS["one"], "width": 1.5},
         "opacity": 0.8 if drawn is None else 0.35},
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


def _scene(name: str, lr: float, batch: int) -> Scene:
    """A scene from the demo start with ``lr`` and ``batch``; steps, seed and seeds at their defaults.

    Its title and caption are the catalog's ``[stochastic.scenes.<name>]``.
    """
    x, y = (float(v) for v in oc.get_surface(SURFACE).start)
    d = DEFAULTS
    return Scene("stochastic", name, {
        "lr": lr, "batch": batch, "steps": d.steps, "seed": d.seed, "seeds": d.n_seeds, "x": x, "y": y})


SCENES = (
    _scene("one", 0.1, 1),  # plain SGD: wanders round the minimum
    _scene("batch5", DEFAULTS.lr, DEFAULTS.batch),  # the default picture
    _scene("too_large", 0.25, DEFAULTS.batch),  # above one example's limit 2/(1 + xᵢ²) ≈ 0.155
)
