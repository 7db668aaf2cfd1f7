"""The Adaptive step sizes page: the deck's AdaGrad table, step sizes over time, paths, and the page's text.

Pure functions (no Streamlit). The table is computed by stepping
``optim_core``'s AdaGrad (``lr = 1, eps = 0``) through the given gradients, so
its numbers are the engine's own, not a second implementation. Tables are plain
dicts of columns (what ``st.data_editor`` and ``st.dataframe`` take and give
back). The page's prose and LaTeX live here too; the page keeps its title,
headings and widgets.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.charts import thin
from ui.figures.paths import animated_paths, optimizer_path
from ui.figures.theme import PARAMETER_COLORS, PARAMETER_DASHES, axis, color, label, parameter_label
from ui.i18n import t
from ui.pages.adaptive_table import (
    DECK_GRADS,
    GRAD_COLUMNS,
    MAX_ABS_GRAD,
    MAX_ROWS,
    NO_STEP_YET,
    TABLE_COLUMNS,
    adagrad_steps,
    adagrad_table,
    exact_step_size,
    gradients_table,
    parameter_table,
    parse_gradients,
    step_size_cell,
    table_summary,
)
from ui.scenes import Scene

METHODS = ("adagrad", "rmsprop", "adam")
LR_OPTIONS = (1e-3, 3e-3, 0.01, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0)


@dataclass(frozen=True)
class Defaults:
    """The sidebar's and the table's starting values; ``lr`` and ``steps`` per surface."""

    surface: str = "elongated_quadratic"
    surfaces: tuple[str, ...] = ("elongated_quadratic", "rosenbrock", "beale", "himmelblau", "least_squares")
    lr: Mapping[str, float] = field(default_factory=lambda: MappingProxyType(  # custom: every typed f
        dict(elongated_quadratic=0.3, rosenbrock=0.1, beale=0.1, himmelblau=0.3, least_squares=0.1, custom=0.1)))
    rho: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    steps: Mapping[str, int] = field(default_factory=lambda: MappingProxyType(
        {"elongated_quadratic": 200, "rosenbrock": 500, "beale": 300, "himmelblau": 200, "least_squares": 200,
         "custom": 200}))
    steps_high: int = 2000
    grads: tuple[tuple[float, float], ...] = DECK_GRADS  # the deck's worked example
    max_rows: int = MAX_ROWS
    max_abs_grad: float = MAX_ABS_GRAD


DEFAULTS = Defaults()

# The step-size panels tell W₁ from W₂ by the theme's parameter colours (no optimizer's), dash and dot shape.
PARAMETER_SYMBOLS = ("circle", "diamond")


RULE_LATEX = MappingProxyType({  # the update rule of each method; its words are ``rules()``
    "adagrad": r"\begin{aligned} \frac{1}{\tilde t_{k,c}} "
               r"&\propto \sqrt{\textstyle\sum_{q \le c} \big(\nabla_k L(W_q)\big)^2} \\ "
               r"s_{k,c} &= s_{k,c-1} + \big(\nabla_k L(W_c)\big)^2 \\ "
               r"\tilde t_{k,c} &= \frac{t}{\sqrt{s_{k,c}} + \epsilon} \end{aligned}",
    "rmsprop": r"\begin{aligned} s_{k,c} &= \rho\, s_{k,c-1} + (1-\rho)\,\big(\nabla_k L(W_c)\big)^2 \\ "
               r"\tilde t_{k,c} &= \frac{t}{\sqrt{s_{k,c}} + \epsilon} \end{aligned}",
    "adam": r"\begin{aligned} v_c &= \beta_2 v_{c-1} + (1-\beta_2)\, g_c^2 \\ "
            r"\hat v_c &= \frac{v_c}{1-\beta_2^{\,c+1}} "
            r"\\ \tilde t_c &= \frac{t}{\sqrt{\hat v_c} + \epsilon} \end{aligned}",
})


def intro() -> str:
    """The paragraph above the three rules, in the session's language."""
    return t("adaptive.intro")


def rules() -> tuple[tuple[str, str], ...]:
    """(update rule, what it does) per method, the words in the session's language."""
    return tuple((RULE_LATEX[m], t(f"adaptive.rule_{m}")) for m in METHODS)


TABLE_LATEX = r"\tilde t_{k,c} = \frac{1}{\sqrt{\sum_{q \le c} g_{k,q}^2}}"


def table_text(max_rows: int = DEFAULTS.max_rows) -> str:
    """How to use the editable table."""
    return t("adaptive.table_text", max_rows=max_rows)


def hyper(method: str, lr: float, rho: float, beta1: float, beta2: float) -> dict:
    """The settings each method takes: a shared ``lr``; ``rho`` for RMSProp; ``beta1, beta2`` for Adam."""
    if method == "rmsprop":
        return {"lr": lr, "rho": rho}
    if method == "adam":
        return {"lr": lr, "beta1": beta1, "beta2": beta2}
    return {"lr": lr}


SPLIT = 0.55  # the surface takes the left 55 % of the figure, the step-size panels the rest
PANEL_GAP = 0.07


def step_size_at(step_sizes: np.ndarray, step: int) -> dict:
    """The two moving dots on one method's step-size panel: (c, t̃₁) and (c, t̃₂); none at step 0."""
    step = min(int(step), len(step_sizes))
    if step == 0:
        return {"x": [], "y": []}
    return {"x": [step, step], "y": [float(step_sizes[step - 1, 0]), float(step_sizes[step - 1, 1])]}


def combined_figure(surface: oc.Surface, params: dict[str, np.ndarray], step_sizes: dict[str, np.ndarray],
                    start=None, height: int = 540, max_points: int = 600, *, at_step: int | None = None,
                    arrows: Sequence = ()) -> go.Figure:
    """Left: AdaGrad, RMSProp and Adam moving on the surface. Right: one panel per method (log y) with each
    parameter's step size t̃ against the step, and dots that move in step with the markers on the left.

    ``step_sizes[m]`` has shape (steps, 2): row c-1 is ``records["step_size"]`` after step c.
    ``at_step`` opens the figure at that step (the page's step slider is then its scrubber);
    ``arrows`` are more ``moving_extras`` on the surface (``update_arrows``).
    """
    n = len(METHODS)
    size = (1 - PANEL_GAP * (n - 1)) / n
    lines, dots, axes, notes = [], [], {}, []
    for i, m in enumerate(METHODS):
        sizes = np.asarray(step_sizes[m], dtype=float).reshape(-1, 2)
        keep = thin(len(sizes), max_points)
        y_axis = f"y{i + 2}"
        top = 1 - i * (size + PANEL_GAP)
        axes[f"yaxis{i + 2}"] = axis(domain=[max(0.0, round(top - size, 6)), min(1.0, round(top, 6))],
                                     anchor="x2", type="log", exponentformat="power", nticks=4,
                                     tickfont={"size": 14}, automargin=True)
        for k in range(2):
            y = sizes[keep, k]
            lines.append({"type": "scatter", "mode": "lines", "x": keep + 1, "y": np.where(y > 0, y, np.nan),
                          "xaxis": "x2", "yaxis": y_axis, "meta": m,
                          "name": t("adaptive.step_size_of", parameter=parameter_label(k)),
                          "legendgroup": f"w{k}", "showlegend": i == 0,
                          "line": {"color": PARAMETER_COLORS[k], "width": 2.5, "dash": PARAMETER_DASHES[k]},
                          "hovertemplate": f"{label(m)}, {parameter_label(k)}<br>{t('adaptive.hover_step')} "
                                           "%{x}: t̃ = %{y:.3g}<extra></extra>"})
        dots.append(({"type": "scatter", "mode": "markers", "xaxis": "x2", "yaxis": y_axis, "showlegend": False,
                      "hoverinfo": "skip", "name": t("adaptive.now", method=label(m)),
                      "marker": {"color": list(PARAMETER_COLORS), "symbol": list(PARAMETER_SYMBOLS), "size": 11,
                                 "line": {"color": "white", "width": 2}}},
                     lambda c, sizes=sizes: step_size_at(sizes, c)))
        notes.append({"text": f"<b>{label(m)}</b>", "xref": "x2 domain", "yref": "paper", "x": 0.02, "y": top,
                      "xanchor": "left", "yanchor": "top", "showarrow": False,
                      "font": {"size": 15, "color": color(m)}, "bgcolor": "rgba(255,255,255,0.85)"})
    paths = [optimizer_path(m, None, params[m]) for m in METHODS]
    # the star and the start ring explain themselves: keep the legend short
    fig = animated_paths(surface, paths, start=start, height=height, extra_traces=lines,
                         moving_extras=[*arrows, *dots], landmarks_in_legend=False, at_step=at_step)
    fig.update_layout(
        xaxis={"domain": [0, SPLIT]},
        xaxis2=axis(t("adaptive.step_axis"), domain=[SPLIT + 0.12, 1], anchor=f"y{n + 1}"),
        annotations=notes,
        **axes)
    return fig


def _bowl(lr: float, steps: int, rho: float = 0.9) -> dict:
    """Every widget that shapes the top picture, on the elongated bowl from its demo start (−5, 1.5)."""
    bowl, (x, y) = "elongated_quadratic", (-5.0, 1.5)
    return {"surface": bowl, "x": x, "y": y, "steps": steps, "lr": lr, "rho": rho, "beta1": 0.9, "beta2": 0.999}


SCENES = (
    Scene("adaptive", "steep_flat", _bowl(0.3, 200)),  # titles and captions: [adaptive.scenes.<name>]
    Scene("adaptive", "out_of_steam", _bowl(0.1, 200)),
    Scene("adaptive", "keeps_going", _bowl(0.05, 200)),
)

# The page's rule in one line, shown under the title: on a projector it sits above the fold.
KEY_RULE = (r"\begin{aligned} \tilde t_{k,c} &= \frac{t}{\sqrt{s_{k,c}} + \epsilon} \\ "
            r"W_{k,c+1} &= W_{k,c} - \tilde t_{k,c}\, \nabla_k L(W_c) \end{aligned}")


# --- Step-through: one update at a time, its arrows and its numbers --------------------------------------------

# The longest drawn arrow (from the shown step on) is at most this share of the smaller half-width: half, not the
# Momentum page's quarter, because this map shares its figure with the step-size panels and is drawn smaller.
ARROW_FRACTION = 0.5
NICE = (1, 2, 5)
# One step's update drawn from W_c: the push plain gradient descent would make, and the move the method made.
# Told apart by dash as well as colour (the Momentum page draws its push and move the same way).
PART_STYLE = MappingProxyType({"push": ("#111111", "dash"), "update": ("#B50030", "solid")})
TABLE_SIZE = r"\footnotesize"  # Adam's nine lines and two numbers each fit the column beside the wide figure


def step_parts(run: oc.Trajectory, method: str, n: int) -> dict[str, np.ndarray] | None:
    """Update ``n`` (W_{n−1} → W_n) of ``method``, read from the run: what the page draws and writes.

    ``at`` W_c (c = n − 1), ``grad`` g_c = ∇L(W_c), ``update`` W_{c+1} − W_c, ``next`` W_{c+1},
    ``step_size`` t̃_c and the method's state after the update (``accumulator`` s_c; Adam's ``m``,
    ``v``, ``m_hat``, ``v_hat`` and the divisors ``bias_correction1``, ``bias_correction2``). None at
    n = 0. The push −t g_c is ``push(parts, lr)``: t is a setting, not a record.
    """
    n = min(int(n), len(run.grads))
    if n <= 0:
        return None
    c = n - 1
    out = {"at": run.params[c], "grad": run.grads[c], "next": run.params[c + 1],
           "update": run.params[c + 1] - run.params[c]}
    names = ("m", "v", "m_hat", "v_hat", "bias_correction1", "bias_correction2") if method == "adam" \
        else ("accumulator",)
    for name in ("step_size", *names):
        out[name] = np.asarray(run.records[name][c])
    return out


def arrow_scale(vectors: np.ndarray, surface: oc.Surface) -> float:
    """The nice factor (…, 0.1, 0.2, 0.5, 1, 2, 5, …) an arrow kind is drawn at: the largest that keeps the
    longest of ``vectors`` within ``ARROW_FRACTION`` of the plot's smaller half-width (1 if there are none)."""
    lengths = np.linalg.norm(np.asarray(vectors, dtype=float).reshape(-1, 2), axis=-1)
    longest = float(np.max(lengths[np.isfinite(lengths)], initial=0.0))
    if longest == 0:
        return 1.0
    room = ARROW_FRACTION * float(np.min(surface.half_width))
    fits = [n * 10.0 ** p for p in range(-8, 7) for n in NICE if n * 10.0 ** p * longest <= room]
    return float(max(fits, default=1e-8))


def step_scales(run: oc.Trajectory, lr: float, surface: oc.Surface, n: int = 0) -> dict[str, float]:
    """How much the push and the move are magnified, each fitted to its longest arrow from step ``n`` on.

    Each kind gets its own factor: at the start the push −t g can be a hundred times the move
    (AdaGrad's first move is t per coordinate whatever g is), and both must be seen. The
    factors hold from the shown step on, so Play keeps them.
    """
    c = max(int(n) - 1, 0)
    return {"push": arrow_scale(-lr * np.asarray(run.grads[c:]), surface),
            "update": arrow_scale(np.diff(np.asarray(run.params[c:]), axis=0), surface)}


def part_name(part: str, scale: float) -> str:
    """The arrow's name: "push −t∇L (×0.1)", "this step's move"; the words from ``[adaptive] part_<part>``."""
    return t(f"adaptive.part_{part}") + ("" if scale == 1 else f" (×{scale:g})")


def update_arrows(run: oc.Trajectory, method: str, lr: float, scales: Mapping[str, float]) -> list:
    """``moving_extras`` for the surface: the push −t g_c and the move W_{c+1} − W_c, both from W_c."""
    def at(part: str):
        def xy(step: int) -> dict:
            parts = step_parts(run, method, step)
            if parts is None:
                return {"x": [None], "y": [None]}
            vector = -lr * parts["grad"] if part == "push" else parts["update"]
            if not np.all(np.isfinite(vector)):
                return {"x": [None], "y": [None]}
            return arrow_xy(parts["at"], parts["at"] + scales[part] * vector)
        return xy
    # out of the legend (the caption names them), as on the Momentum page: a longer legend pushes the map down
    return [(arrow_style(part_name(p, scales[p]), PART_STYLE[p][0], showlegend=False,
                         line={"color": PART_STYLE[p][0], "width": 4, "dash": PART_STYLE[p][1]}), at(p))
            for p in ("push", "update")]


@dataclass(frozen=True)
class StepFigure:
    """The paths figure at one step, and the factors its two arrows are drawn at (for the caption)."""

    figure: go.Figure
    scales: Mapping[str, float]


def step_figure(surface: oc.Surface, runs: Mapping[str, oc.Trajectory], start, n: int, method: str, lr: float,
                height: int = 540) -> StepFigure:
    """``combined_figure`` opened at step ``n``, with ``method``'s update ``n`` drawn as arrows from W_{n−1}."""
    scales = MappingProxyType(step_scales(runs[method], lr, surface, n))
    figure = combined_figure(surface, {m: r.params for m, r in runs.items()},
                             {m: r.records["step_size"] for m, r in runs.items()}, start=start, height=height,
                             at_step=n, arrows=update_arrows(runs[method], method, lr, scales))
    return StepFigure(figure, scales)


def step_table(run: oc.Trajectory, method: str, settings: Mapping[str, float], n: int) -> str:
    """The method's rule at step ``n`` with that step's numbers (``settings`` from ``hyper``); the line that
    moves the point is marked."""
    name = label(method)
    header = rf"\text{{{t('adaptive.table_header', method=name)}}} {n}" + (rf"\ (c = {n - 1})" if n else "")
    if n == 0:
        state = r"m_{-1} = v_{-1} = 0" if method == "adam" else r"s_{-1} = 0"
        return algorithm_table([(rf"W_0 = \text{{{t('adaptive.tex_start')}}},\ {state}", run.params[0])], 0,
                               header=header,
                               size=TABLE_SIZE)
    p = step_parts(run, method, n)
    lr = settings["lr"]
    tt = tex_number(lr)
    rows = [(r"W_c", p["at"]), (r"g_c = \nabla L(W_c)", p["grad"]),
            (rf"-{tt}\, g_c\ (\text{{{t('adaptive.tex_push')}}})", -lr * p["grad"])]
    if method == "adam":  # Adam counts its updates from 1: update n divides by 1 − βⁿ
        b1, b2 = (tex_number(settings[b]) for b in ("beta1", "beta2"))
        k1, k2 = (tex_number(1 - settings[b]) for b in ("beta1", "beta2"))
        d1, d2 = rf"(1 - {b1}^{{{n}}})", rf"(1 - {b2}^{{{n}}})"
        rows += [(rf"m_c = {b1}\, m_{{c-1}} + {k1}\, g_c", p["m"]),
                 (rf"v_c = {b2}\, v_{{c-1}} + {k2}\, g_c^2", p["v"]),
                 (rf"\hat m_c = m_c / {d1}", p["m_hat"]),
                 (rf"\hat v_c = v_c / {d2}", p["v_hat"]),
                 (rf"\tilde t_c = {tt} / (\sqrt{{\hat v_c}} + \epsilon)", p["step_size"]),
                 (r"W_{c+1} = W_c - \tilde t_c \odot \hat m_c", p["next"])]
    else:
        if method == "rmsprop":
            rho, keep = tex_number(settings["rho"]), tex_number(1 - settings["rho"])
            rows.append((rf"s_c = {rho}\, s_{{c-1}} + {keep}\, g_c^2", p["accumulator"]))
        else:
            rows.append((r"s_c = s_{c-1} + g_c^2", p["accumulator"]))
        rows += [(rf"\tilde t_c = {tt} / (\sqrt{{s_c}} + \epsilon)", p["step_size"]),
                 (r"W_{c+1} = W_c - \tilde t_c \odot g_c", p["next"])]
    return algorithm_table(rows, len(rows) - 1, header=header, size=TABLE_SIZE)


def turn_angle(push, move) -> float | None:
    """The angle in degrees between the push −t g and the move as numbers (not as drawn: the map is not to
    scale); None when either is zero or not finite."""
    push, move = np.asarray(push, dtype=float), np.asarray(move, dtype=float)
    norms = float(np.linalg.norm(push) * np.linalg.norm(move))
    if not (np.isfinite(norms) and norms > 0):
        return None
    return float(np.degrees(np.arccos(np.clip(push @ move / norms, -1.0, 1.0))))


def step_caption(run: oc.Trajectory, method: str, lr: float, n: int, scales: Mapping[str, float]) -> str:
    """What the two arrows at step ``n`` are, and each parameter's effective step size t̃ there."""
    if n == 0:
        return t("adaptive.caption_start")
    p = step_parts(run, method, n)
    drawn = "; ".join(
        t(f"adaptive.caption_{part}_true") if scales[part] == 1
        else t(f"adaptive.caption_{part}_scaled", scale=f"{scales[part]:g}") for part in ("push", "update"))
    sizes = ", ".join(f"W{'₁₂'[k]} {p['step_size'][k]:.3g}" for k in range(2))
    turn = turn_angle(-lr * p["grad"], p["update"])
    text = t("adaptive.caption_step", n=n, lr=f"{lr:g}", method=label(method), sizes=sizes,
             adam=t("adaptive.caption_adam") if method == "adam" else "",
             turn=t("adaptive.caption_turn", angle=f"{turn:.0f}", drawn=drawn) if turn is not None
             else t("adaptive.caption_no_turn", drawn=drawn))
    if bool(run.diverged) and n >= int(run.diverged_at):
        text += " " + t("adaptive.caption_diverged", method=label(method), at=int(run.diverged_at))
    return text


__all__ = [  # the page's public face, wherever each piece lives
    "ARROW_FRACTION",
    "DEFAULTS",
    "Defaults",
    "GRAD_COLUMNS",
    "KEY_RULE",
    "LR_OPTIONS",
    "METHODS",
    "NICE",
    "NO_STEP_YET",
    "PANEL_GAP",
    "PARAMETER_SYMBOLS",
    "PART_STYLE",
    "RULE_LATEX",
    "SCENES",
    "SPLIT",
    "StepFigure",
    "TABLE_COLUMNS",
    "TABLE_LATEX",
    "TABLE_SIZE",
    "adagrad_steps",
    "adagrad_table",
    "arrow_scale",
    "combined_figure",
    "exact_step_size",
    "gradients_table",
    "hyper",
    "intro",
    "parameter_table",
    "parse_gradients",
    "part_name",
    "rules",
    "step_caption",
    "step_figure",
    "step_parts",
    "step_scales",
    "step_size_at",
    "step_size_cell",
    "step_table",
    "table_summary",
    "table_text",
    "turn_angle",
    "update_arrows",
]
