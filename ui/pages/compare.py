"""Compare page: its defaults and knobs, its text, the learning-rate sweep figure and the summary table.

Each shown optimizer keeps its own setting, an ``OptimizerSpec`` (``ui.specs``):
``spec("adam", lr=0.1, beta1=0.9, beta2=0.999)``; Lookahead's ``k`` and ``alpha``
are its own, and its inner optimizer with the step size the page shows lives in
``inner``. The widgets that make a setting are ``ui.widgets.pickers.optimizer_controls``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui import notices, specs
from ui.catalog import DEFAULT_INNER, KNOBS, OPTIMIZER_NAMES, default_lr, display_name, settings_text, surface_title
from ui.figures.charts import line_chart, optimizer_series
from ui.figures.figure import Figure
from ui.figures.grad_norm import grad_norm_figure
from ui.figures.paths import animated_paths, optimizer_path
from ui.figures.theme import axis, base_layout, color
from ui.i18n import t
from ui.rates import grad_norm_rate, grad_norms, gradient_floor, quadratic_curvatures, rate_text, theory_rate
from ui.scenes import Scene
from ui.specs import OptimizerSpec

# Everything the page starts from (read-only: no session can change it for the others).
DEFAULTS = MappingProxyType({
    "surface": "rosenbrock",
    "steps": 300,
    "steps_max": 1000,
    "shown": ("sgd", "momentum", "rmsprop", "adam", "lookahead"),
    "inner": DEFAULT_INNER,
    "sweep": (1e-4, 10.0, 25),  # lowest lr, highest lr, how many (log-spaced)
})
FLOOR = 1e-14  # L − L* below this is round-off: drawn at the floor on log axes
RACE_HEIGHT = 560
# The state the CSV export carries beside step, x, y and loss: the key rule's step per parameter t̃ (every method
# records it), its memory (momentum's velocity, Adam's m), the squared-gradient averages (AdaGrad / RMSProp's s,
# Adam's v) and Lookahead's slow weights; a method without one of them leaves its cells empty.
EXPORT_FIELDS = ("step_size", "velocity", "m", "accumulator", "v", "slow")


RULES = MappingProxyType({  # each rule's equations, in the deck's symbols; stacked one under another on the page
    "sgd": (r"W_{c+1} = W_c - t\,\nabla L(W_c)",),
    "momentum": (r"v_c = \mu v_{c-1} - t\,\nabla L(W_c)", r"W_{c+1} = W_c + v_c"),
    "nesterov": (r"v_c = \mu v_{c-1} - t\,\nabla L(W_c + \mu v_{c-1})", r"W_{c+1} = W_c + v_c"),
    "adagrad": (r"s_c = s_{c-1} + g_c^2", r"W_{c+1} = W_c - \frac{t}{\sqrt{s_c}+\epsilon}\,g_c"),
    "rmsprop": (r"s_c = \rho s_{c-1} + (1-\rho)\,g_c^2", r"W_{c+1} = W_c - \frac{t}{\sqrt{s_c}+\epsilon}\,g_c"),
    "adam": (r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t", r"v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2",
             r"\hat m_t = \frac{m_t}{1-\beta_1^t},\quad \hat v_t = \frac{v_t}{1-\beta_2^t}",
             r"\theta_t = \theta_{t-1} - \frac{\alpha\,\hat m_t}{\sqrt{\hat v_t}+\epsilon}"),
    "adamax": (r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t", r"u_t = \max(\beta_2 u_{t-1}, |g_t|)",
               r"\theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\,\frac{m_t}{u_t}"),
    "newton": (r"W_{c+1} = W_c - t\,(H_c + \lambda I)^{-1}\,\nabla L(W_c)",),
    "lookahead": (r"\theta_{t,i} = \theta_{t,i-1} + A(L, \theta_{t,i-1}),\ i = 1..k",
                  r"\phi_t = \phi_{t-1} + \alpha\,(\theta_{t,k} - \phi_{t-1})"),
})

# The page's prose is in the catalogs (``[compare]``), read at use time: the language is per session.

def empty_text() -> str:
    """What the page says when no optimizer is picked."""
    return t("compare.empty")


def sweep_reading() -> str:
    return t("compare.sweep_reading")


def rules_text() -> str:
    return t("compare.rules_text")


def scene_settings(surface: str, shown: tuple[str, ...], steps: int = DEFAULTS["steps"]) -> dict:
    """Every linked widget of the page for a race of ``shown`` on ``surface`` from its demo start, each
    optimizer (shown or not) at its starting setting there."""
    x, y = (float(v) for v in oc.get_surface(surface).start)
    settings = {"surface": surface, "x": x, "y": y, "steps": steps, "show": list(shown),
                "lookahead.inner": DEFAULTS["inner"]}
    for name, knobs in KNOBS.items():
        for knob in knobs:
            settings[f"{name}.{knob.name}"] = default_lr(name, surface) if knob.name == "lr" else knob.default
    return settings


def loss_note(log_y: bool) -> str:
    return t("compare.loss_note_log" if log_y else "compare.loss_note_linear")


def sweep_note(lrs, steps: int) -> str:
    return t("compare.sweep_note", n=len(lrs), steps=steps, low=f"{lrs[0]:g}", high=f"{lrs[-1]:g}")


def caption(surface: oc.Surface, start, steps: int) -> str:
    return t("compare.caption", surface=surface_title(surface.name), x=f"{start[0]:.2f}", y=f"{start[1]:.2f}",
             steps=steps)


SCENES = (  # titles and captions: the catalog's [compare.scenes.<name>]
    Scene("compare", "rosenbrock", settings=scene_settings("rosenbrock", DEFAULTS["shown"])),
    Scene("compare", "saddle", settings=scene_settings("saddle", ("sgd", "rmsprop", "adam", "newton"))),
    Scene("compare", "all", settings=scene_settings("rosenbrock", OPTIMIZER_NAMES)),
)


@dataclass(frozen=True)
class LossView:
    """What the loss charts plot: the gap ``L − L*`` to the known minimum on a log axis, or plain L."""

    l_star: float
    log_y: bool
    title: str

    def gap(self, loss) -> np.ndarray:
        """``L − L*`` floored at ``FLOOR`` on log axes (round-off stays visible), else ``L``."""
        loss = np.asarray(loss, dtype=float)
        return np.maximum(loss - self.l_star, FLOOR) if self.log_y else loss

    @property
    def what(self) -> str:
        """The plotted quantity without the axis's scale note: ``L(W) − L*``."""
        return self.title.replace(t("compare.log_suffix"), "")


def loss_view(surface: oc.Surface) -> LossView:
    if len(surface.minima):
        return LossView(float(np.min(surface.value(surface.minima))), True, "L(W) − L*" + t("compare.log_suffix"))
    return LossView(0.0, False, "L(W)")


def race_figure(surface: oc.Surface, runs: dict[OptimizerSpec, oc.Trajectory], start, height: int = RACE_HEIGHT,
                *, at_step: int | None = None) -> go.Figure:
    """Every shown optimizer moving over the surface; no legend (the loss chart beside it names each line);
    ``at_step`` opens it at that step (the page's step row plays it)."""
    paths = [optimizer_path(opt.name, display_name(opt), run.params) for opt, run in runs.items()]
    fig = animated_paths(surface, paths, start=start, height=height, at_step=at_step)
    return fig.update_layout(showlegend=False)


def export_runs(runs: dict[OptimizerSpec, oc.Trajectory]) -> dict[str, oc.Trajectory]:
    """The runs by the names the charts give them (``Lookahead (Adam)``): the CSV export's optimizer column."""
    return {display_name(opt): run for opt, run in runs.items()}


LOSS_PLOT_PX = 300  # the loss chart's plotting area, whatever the number of optimizers
AXIS_PX = 62  # below the plotting area: tick labels and the x axis title
MIN_TICK_PX = 28  # log axis: no two labelled ticks closer than this


def loss_figure(runs: dict[OptimizerSpec, oc.Trajectory], view: LossView, plot_px: int = LOSS_PLOT_PX
                ) -> go.Figure:
    """Loss (or its gap to the minimum) against step, one line per optimizer.

    Each line is named at its end, in its colour (``charts.label_ends``), not in a legend: a legend
    under the chart fell below the fold, one on top ate into the plot. The plot keeps ``plot_px`` of
    height however many optimizers race.
    """
    series = [optimizer_series(opt.name, display_name(opt), view.gap(run.loss)) for opt, run in runs.items()]
    fig = line_chart(series, x_title=t("compare.step_axis"), y_title=view.title, log_y=view.log_y,
                     height=plot_px + 20 + AXIS_PX, margin={"t": 20, "b": AXIS_PX}, end_labels=True)
    values = np.concatenate([np.asarray(s.y, dtype=float).ravel() for s in series]) if series else np.array([])
    return tidy_log_axis(fig, view.log_y, log_dtick(values, plot_px))


def log_dtick(values, plot_px: int = LOSS_PLOT_PX) -> int:
    """Decades between labelled ticks on a log axis over ``values``: 1 (one per decade) unless the labels
    would come closer than ``MIN_TICK_PX`` in ``plot_px`` of height."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return 1
    decades = max(float(np.log10(v.max() / v.min())), 1.0) * 1.1  # the range is padded 5 % each side (label_ends)
    return max(1, int(np.ceil(decades * MIN_TICK_PX / plot_px)))


def sweep_lrs(low: float | None = None, high: float | None = None, n: int | None = None) -> np.ndarray:
    d_low, d_high, d_n = DEFAULTS["sweep"]
    return np.geomspace(low or d_low, high or d_high, n or d_n)


@dataclass(frozen=True)
class SweepCurve:
    """One optimizer's sweep: final loss per lr, which lrs diverged, and the page's current choice."""

    label: str
    color: str
    lrs: np.ndarray
    final: np.ndarray
    diverged: np.ndarray
    current_lr: float | None = None
    current_final: float | None = None
    current_diverged: bool = False


def sweep_curve(opt: OptimizerSpec, sweep: specs.Sweep, run: oc.Trajectory, view: LossView) -> SweepCurve:
    """A sweep of ``opt`` as drawn, with ``run`` (the page's own step size) as the ring."""
    return SweepCurve(display_name(opt), color(opt.name), sweep.lrs, view.gap(sweep.final), sweep.diverged,
                      opt.lr, float(view.gap(run.loss[-1])), bool(run.diverged))


def sweep_figure(curves: list[SweepCurve], *, log_y: bool, y_title: str, height: int = 480) -> go.Figure:
    """Final loss against step size (log x): a line per optimizer with gaps where a run diverged,
    a row of × per optimizer above the plot for its diverged settings, and a ring at the current choice."""
    values = [c.final[~c.diverged] for c in curves]
    values += [np.array([c.current_final]) for c in curves if c.current_final is not None and not c.current_diverged]
    values = np.concatenate(values) if values else np.array([])
    values = values[np.isfinite(values)]
    if not len(values):
        values = np.array([1.0, 10.0] if log_y else [0.0, 1.0])
    rows = divergence_rows(values, len(curves), log_y)
    lo, hi = (np.log10(values.min()), np.log10(values.max())) if log_y else (values.min(), values.max())
    span = max(hi - lo, 1.0 if log_y else 1e-9)
    row_top = np.log10(rows[-1]) if (log_y and len(rows)) else (rows[-1] if len(rows) else hi)
    y_range = [lo - 0.05 * span, row_top + 0.06 * span]
    data = []
    final, diverged, yours = t("compare.hover_final"), t("compare.hover_diverged"), t("compare.hover_yours")
    for c, row in zip(curves, rows):
        y = np.where(c.diverged, np.nan, c.final)
        data.append({"type": "scatter", "mode": "lines+markers", "name": c.label, "legendgroup": c.label,
                     "x": c.lrs, "y": y, "line": {"color": c.color, "width": 3},
                     "marker": {"size": 6, "color": c.color}, "connectgaps": False,
                     "hovertemplate": f"{c.label}<br>t = %{{x:.3g}}<br>{final}: %{{y:.3g}}<extra></extra>"})
        bad = c.lrs[c.diverged]
        if len(bad):
            data.append({"type": "scatter", "mode": "markers", "name": f"{c.label} diverged",
                         "legendgroup": c.label, "showlegend": False, "x": bad, "y": np.full(len(bad), row),
                         "marker": {"symbol": "x-thin", "size": 10, "color": c.color,
                                    "line": {"color": c.color, "width": 2.5}},
                         "hovertemplate": f"{c.label}<br>t = %{{x:.3g}}: {diverged}<extra></extra>"})
        if c.current_lr is not None and c.current_final is not None:
            data.append({"type": "scatter", "mode": "markers", "name": f"{c.label} now", "legendgroup": c.label,
                         "showlegend": False, "x": [c.current_lr],
                         "y": [row if c.current_diverged else c.current_final],
                         "marker": {"symbol": "circle-open", "size": 18, "color": c.color,
                                    "line": {"color": c.color, "width": 3}},
                         "hovertemplate": f"{c.label}: {yours}<br>t = %{{x:.3g}}<br>{final}: %{{y:.3g}}"
                                          "<extra></extra>"})
    first_row = rows[0] if len(rows) else hi
    band = np.log10(first_row) if log_y else first_row
    y_axis = axis(t("compare.final", what=y_title), type="log" if log_y else "linear", range=y_range,
                  exponentformat="power", **({"dtick": 1} if log_y else {}))
    y_axis["title"]["standoff"] = 6
    layout = base_layout(
        height,
        xaxis=axis(t("compare.sweep_x_axis"), type="log", exponentformat="power"),
        yaxis=y_axis,
        margin={"l": 85, "r": 20, "t": 50, "b": 50},
        shapes=[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                 "y0": (10 ** (band - 0.03 * span)) if log_y else band - 0.03 * span,
                 "y1": (10 ** y_range[1]) if log_y else y_range[1],
                 "fillcolor": "#F3F5F7", "line": {"width": 0}, "layer": "below"}],
        annotations=[{"xref": "paper", "x": 0.0, "yref": "y", "y": y_range[1], "text": t("compare.diverged_mark"),
                      "showarrow": False, "xanchor": "left", "yanchor": "top",
                      "font": {"size": 14, "color": "#555555"}}],
    )
    return Figure({"data": data, "layout": layout})


def divergence_rows(values: np.ndarray, n: int, log_y: bool) -> np.ndarray:
    """Heights of the n rows of × above the finite values (one row per optimizer, top-down in order)."""
    if log_y:
        lo, hi = np.log10(values.min()), np.log10(values.max())
        span = max(hi - lo, 1.0)
        return 10.0 ** (hi + span * (0.12 + 0.05 * np.arange(n)))
    lo, hi = float(values.min()), float(values.max())
    span = max(hi - lo, 1e-9)
    return hi + span * (0.12 + 0.05 * np.arange(n))


def tidy_log_axis(fig: go.Figure, log_y: bool, dtick: int = 1) -> go.Figure:
    """A labelled tick every ``dtick`` decades on a log y axis (no 2s and 5s), and room for the axis title."""
    fig.update_layout(margin={"l": 85})
    if log_y:
        fig.update_layout(yaxis={"dtick": dtick, "title": {"standoff": 6}})
    return fig


def rules_latex(shown: list[OptimizerSpec]) -> list[str]:
    """One LaTeX block per shown optimizer: its name, then its equations one under another (narrow enough
    for a phone: each block is as wide as its longest equation)."""
    return [r"\begin{aligned}&\textbf{" + display_name(opt) + r"}\\ &" + r"\\ &".join(RULES[opt.name])
            + r"\end{aligned}" for opt in shown]


def summary_markdown(rows: list[tuple[str, str, str, float, int]], what: str, *, stacked: bool = False,
                     rates: list[tuple[float, float]] | None = None) -> str:
    """A table of (optimizer, status, settings, final value, diverged_at): the numbers behind the charts;
    ``stacked``, one item per optimizer (a phone: four columns would reach past its edge).

    The status is a badge (``notices.status_badge``'s colours); a run that diverged says at which step
    (``diverged_at`` is a ``Trajectory.diverged_at``: -1 for a run that did not blow up). The final value
    of a run that blew up is its last finite one. ``rates``, one (measured, theory) per row (``run_rates``),
    adds two columns: the rate per step and its theory, "—" where there is none (NaN).
    """
    head = (t("compare.table.optimizer"), t("compare.table.status"), t("compare.table.settings"),
            t("compare.final", what=what))
    if rates is not None:
        head += (t("grad_norm.rate_column"), t("grad_norm.theory_column"))
    lines = [] if stacked else ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for k, (name, status, settings, final, diverged_at) in enumerate(rows):
        badge = f":{notices.STATUS_COLORS[status]}-badge[{t(f'compare.status.{status}')}]"
        if status == "diverged" and diverged_at >= 0:
            badge += " " + t("compare.table.diverged_at", step=int(diverged_at))
        rate = () if rates is None else tuple(rate_text(r) for r in rates[k])
        if stacked:
            lines.append(f"- **{name}** {badge}  \n{settings}  \n{head[3]}: {final:.3g}"
                         + (f"  \n{head[4]}: {rate[0]} ({head[5]}: {rate[1]})" if rate else ""))
        else:
            lines.append("| " + " | ".join((name, badge, settings, f"{final:.3g}", *rate)) + " |")
    return "\n".join(lines)


THEORY_METHODS = ("sgd", "momentum", "nesterov")  # the rates of Goh 2017: a constant step on a quadratic bowl


def run_rates(surface: oc.Surface, runs: dict[OptimizerSpec, oc.Trajectory]) -> dict[OptimizerSpec, tuple]:
    """Each run's (measured, theory) rate per step: ``grad_norm_rate`` of its ‖∇L‖ over the last half of the run
    (NaN for a run that blew up), and ``theory_rate`` at its setting for gradient descent, momentum and Nesterov
    with a constant step size on a quadratic bowl (NaN for any other method, a schedule, or off a bowl)."""
    curvatures, floor = quadratic_curvatures(surface), gradient_floor(surface)
    out = {}
    for opt, run in runs.items():
        measured = float("nan") if run.diverged else grad_norm_rate(grad_norms(run, surface), floor)
        applies = curvatures is not None and opt.name in THEORY_METHODS and opt.inner is None and not opt.schedule
        out[opt] = (measured, theory_rate(opt.name, opt.settings, curvatures) if applies else float("nan"))
    return out


def grad_norm_chart(surface: oc.Surface, runs: dict[OptimizerSpec, oc.Trajectory]) -> go.Figure:
    """‖∇L(W_c)‖ against step for every racing optimizer (``grad_norm_figure``), as tall as the loss chart."""
    norms = {display_name(opt): grad_norms(run, surface) for opt, run in runs.items()}
    return grad_norm_figure(norms, {display_name(opt): opt.name for opt in runs},
                            height=LOSS_PLOT_PX + 20 + AXIS_PX, margin={"t": 20, "b": AXIS_PX})


def summary(runs: dict[OptimizerSpec, oc.Trajectory], view: LossView, statuses: dict[OptimizerSpec, str], *,
            stacked: bool = False, surface: oc.Surface | None = None) -> str:
    """``summary_markdown`` of the page's runs, with each run's status (``optim_core.status``) and, given the
    ``surface``, its rate per step beside the theory (``run_rates``)."""
    rates = None if surface is None else list(run_rates(surface, runs).values())
    return summary_markdown([(display_name(opt), str(statuses[opt]), settings_text(opt), float(view.gap(run.loss[-1])),
                              run.diverged_at) for opt, run in runs.items()], view.what, stacked=stacked, rates=rates)
