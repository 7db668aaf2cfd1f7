"""Compare page: its defaults, the per-optimizer knobs, the learning-rate sweep and its figure.

Each shown optimizer keeps its own hyper-parameters. A setting is a plain dict
such as ``{"lr": 0.1, "beta1": 0.9, "beta2": 0.999}``; Lookahead's also holds
``inner`` (a name), ``k`` and ``alpha``, and its ``lr`` is the inner optimizer's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import optim_core as oc

from .theme import GRID_COLOR, base_layout, label

LR_OPTIONS = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
INNER_OPTIONS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax")

# Everything the page starts from. Step sizes are per surface: the papers' defaults
# (Adam's 0.001, say) barely move in 300 steps on these toy problems, so each method
# gets a value that makes a readable race there, about 3-5 times below where it blows up.
DEFAULTS = {
    "surface": "rosenbrock",
    "steps": 300,
    "steps_max": 1000,
    "shown": ["sgd", "momentum", "rmsprop", "adam", "lookahead"],
    "lr": {
        "rosenbrock": {"sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.01,
                       "adam": 0.1, "adamax": 0.5, "newton": 1.0},
        "elongated_quadratic": {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5,
                                "rmsprop": 0.02, "adam": 0.1, "adamax": 0.1, "newton": 1.0},
        "saddle": {"sgd": 0.01, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.05, "rmsprop": 0.01,
                   "adam": 0.01, "adamax": 0.01, "newton": 1.0},
        "beale": {"sgd": 5e-3, "momentum": 5e-4, "nesterov": 5e-4, "adagrad": 0.5, "rmsprop": 0.05,
                  "adam": 0.1, "adamax": 0.1, "newton": 1.0},
        "himmelblau": {"sgd": 5e-3, "momentum": 2e-3, "nesterov": 2e-3, "adagrad": 0.5, "rmsprop": 0.02,
                       "adam": 0.1, "adamax": 0.1, "newton": 1.0},
        "least_squares": {"sgd": 0.1, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.5, "rmsprop": 0.01,
                          "adam": 0.05, "adamax": 0.05, "newton": 1.0},
    },
    "momentum": 0.9,
    "rho": 0.9,
    "beta1": 0.9,
    "beta2": 0.999,
    "damping": 0.0,
    "inner": "adam",
    "k": 5,
    "alpha": 0.5,
    "sweep": (1e-4, 10.0, 25),  # lowest lr, highest lr, how many (log-spaced)
}
FLOOR = 1e-14  # L − L* below this is round-off: drawn at the floor on log axes


@dataclass(frozen=True)
class Knob:
    """One hyper-parameter widget: a ``select_slider`` over ``options`` or a ``slider``."""

    name: str
    label: str
    help: str
    options: tuple = ()
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01


_LR = Knob("lr", "step size t", "How far each update moves (t, or α for Adam).", LR_OPTIONS)
_MU = Knob("momentum", "momentum μ", "How much of the last velocity is kept: v ← μv − t∇L.", (), 0.0, 0.99, 0.01)
_RHO = Knob("rho", "decay ρ", "How fast old squared gradients are forgotten: s ← ρs + (1−ρ)g².",
            (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999))
_B1 = Knob("beta1", "β₁", "Decay of the gradient average m (momentum).", (0.0, 0.5, 0.8, 0.9, 0.95, 0.99))
_B2 = Knob("beta2", "β₂", "Decay of the squared-gradient average (v, or u for AdaMax).",
           (0.9, 0.99, 0.999, 0.9999))
_DAMP = Knob("damping", "damping λ", "Added to the Hessian, (H + λI)⁻¹∇L: larger λ looks more like plain GD.",
             (0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0))
_K = Knob("k", "k (fast steps)", "Fast steps of the inner optimizer before each step back.", (), 1, 20, 1)
_ALPHA = Knob("alpha", "α (step back)", "How far the slow weights φ move towards the fast ones.", (), 0.1, 1.0, 0.05)

KNOBS = {
    "sgd": (_LR,), "momentum": (_LR, _MU), "nesterov": (_LR, _MU), "adagrad": (_LR,),
    "rmsprop": (_LR, _RHO), "adam": (_LR, _B1, _B2), "adamax": (_LR, _B1, _B2),
    "newton": (_LR, _DAMP), "lookahead": (_LR, _K, _ALPHA),
}

RULES = {  # one line each, in the deck's symbols
    "sgd": r"W_{c+1} = W_c - t\,\nabla L(W_c)",
    "momentum": r"v_c = \mu v_{c-1} - t\,\nabla L(W_c),\quad W_{c+1} = W_c + v_c",
    "nesterov": r"v_c = \mu v_{c-1} - t\,\nabla L(W_c + \mu v_{c-1}),\quad W_{c+1} = W_c + v_c",
    "adagrad": r"s_c = s_{c-1} + g_c^2,\quad W_{c+1} = W_c - \frac{t}{\sqrt{s_c}+\epsilon}\,g_c",
    "rmsprop": r"s_c = \rho s_{c-1} + (1-\rho)\,g_c^2,\quad W_{c+1} = W_c - \frac{t}{\sqrt{s_c}+\epsilon}\,g_c",
    "adam": r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\; v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,\;"
            r"\theta_t = \theta_{t-1} - \frac{\alpha\,\hat m_t}{\sqrt{\hat v_t}+\epsilon}",
    "adamax": r"u_t = \max(\beta_2 u_{t-1}, |g_t|),\quad \theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}"
              r"\,\frac{m_t}{u_t}",
    "newton": r"W_{c+1} = W_c - t\,(H_c + \lambda I)^{-1}\,\nabla L(W_c)",
    "lookahead": r"\theta_{t,i} = \theta_{t,i-1} + A(L, \theta_{t,i-1}),\ i = 1..k;\quad"
                 r"\phi_t = \phi_{t-1} + \alpha\,(\theta_{t,k} - \phi_{t-1})",
}


def default_lr(name: str, surface: str, inner: str | None = None) -> float:
    """The page's starting step size; Lookahead starts from its inner optimizer's."""
    return DEFAULTS["lr"][surface][(inner or DEFAULTS["inner"]) if name == "lookahead" else name]


def display_name(name: str, hyper: dict | None = None) -> str:
    """``Adam``, or ``Lookahead (Adam)`` naming the inner optimizer."""
    if name == "lookahead":
        return f"{label(name)} ({label((hyper or {}).get('inner', DEFAULTS['inner']))})"
    return label(name)


def default_hyper(name: str, surface: str) -> dict:
    """The page's starting setting of optimizer ``name`` on ``surface``."""
    hyper = {"lr": default_lr(name, surface)}
    for knob in KNOBS[name][1:]:
        hyper[knob.name] = DEFAULTS[knob.name]
    if name == "lookahead":
        hyper["inner"] = DEFAULTS["inner"]
    return hyper


def hyper_controls(name: str, surface: str) -> dict:
    """The widgets of one optimizer (call inside an expander); returns its setting.

    The step size is keyed by surface (and by inner optimizer for Lookahead), so each
    surface starts from its own demo value and remembers what the student picked there.
    """
    hyper: dict = {}
    saved = st.session_state.setdefault("compare_saved_lr", {})
    if name == "lookahead":
        hyper["inner"] = st.selectbox(
            "inner optimizer A", INNER_OPTIONS, index=INNER_OPTIONS.index(DEFAULTS["inner"]),
            format_func=label, key="compare_lookahead_inner", help="The optimizer that takes the k fast steps.")
    for knob in KNOBS[name]:
        key = f"compare_{name}_{knob.name}"
        if knob.name == "lr":
            key += f"_{hyper.get('inner', '')}_{surface}" if name == "lookahead" else f"_{surface}"
            value = default_lr(name, surface, hyper.get("inner"))
        else:
            value = DEFAULTS[knob.name]
        if knob.name == "lr":  # Streamlit forgets a widget's value while it is not drawn: keep our own copy
            value = saved.get(key, value)
        if knob.options:
            hyper[knob.name] = st.select_slider(knob.label, options=knob.options, value=value, key=key,
                                                help=knob.help)
        else:
            kind = int if isinstance(knob.step, int) else float
            hyper[knob.name] = st.slider(knob.label, kind(knob.low), kind(knob.high), kind(value),
                                         step=kind(knob.step), key=key, help=knob.help)
        if knob.name == "lr":
            saved[key] = hyper["lr"]
    return hyper


def split(name: str, hyper: dict) -> tuple[dict, str | None, dict]:
    """A page setting as ``(hyper, inner, inner_hyper)`` for ``ui.compute.run``."""
    if name != "lookahead":
        return dict(hyper), None, {}
    inner_hyper = {"lr": hyper["lr"]} if "lr" in hyper else {}
    return {"k": hyper["k"], "alpha": hyper["alpha"]}, hyper["inner"], inner_hyper


def make(name: str, hyper: dict, lr=None) -> oc.Optimizer:
    """The optimizer of a page setting; ``lr`` (e.g. an array of settings) overrides its step size."""
    outer, inner, inner_hyper = split(name, hyper)
    if lr is not None:
        (inner_hyper if inner else outer)["lr"] = lr
    if inner:
        return oc.make_optimizer(name, inner=oc.make_optimizer(inner, **inner_hyper), **outer)
    return oc.make_optimizer(name, **outer)


def sweep_lrs(low: float | None = None, high: float | None = None, n: int | None = None) -> np.ndarray:
    d_low, d_high, d_n = DEFAULTS["sweep"]
    return np.geomspace(low or d_low, high or d_high, n or d_n)


def lr_sweep(name: str, hyper: dict, surface: str, start, steps: int, lrs) -> dict:
    """Final loss for every step size in ``lrs``: ONE batched run (loss only, no records)."""
    lrs = np.asarray(lrs, dtype=float)
    traj = oc.run(make(name, hyper, lr=lrs), oc.get_surface(surface), np.asarray(start, dtype=float), steps,
                  record=False)
    return {"lrs": lrs, "final": traj.loss[-1], "diverged": np.asarray(traj.diverged_at) >= 0}


@st.cache_data(max_entries=64, show_spinner=False)
def cached_sweep(name: str, hyper: tuple, surface: str, start: tuple, steps: int, lrs: tuple) -> dict:
    """``lr_sweep`` keyed by plain values (the setting as sorted pairs, the start as a tuple)."""
    return lr_sweep(name, dict(hyper), surface, start, steps, lrs)


def sweep_key(hyper: dict) -> tuple:
    """The part of a setting a sweep depends on (everything but the step size), hashable."""
    return tuple(sorted((k, v) for k, v in hyper.items() if k != "lr"))


def loss_view(surface: oc.Surface) -> tuple[float, bool, str]:
    """``(L*, log axis?, axis title)``: the gap to the known minimum on a log axis, or plain L."""
    if len(surface.minima):
        return float(np.min(surface.value(surface.minima))), True, "L(W) − L*  (log)"
    return 0.0, False, "L(W)"


def gap(loss, l_star: float, log: bool) -> np.ndarray:
    """What the charts plot: ``L − L*`` floored at ``FLOOR`` on log axes, else ``L``."""
    loss = np.asarray(loss, dtype=float)
    return np.maximum(loss - l_star, FLOOR) if log else loss


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
    for c, row in zip(curves, rows):
        y = np.where(c.diverged, np.nan, c.final)
        data.append({"type": "scatter", "mode": "lines+markers", "name": c.label, "legendgroup": c.label,
                     "x": c.lrs, "y": y, "line": {"color": c.color, "width": 3},
                     "marker": {"size": 6, "color": c.color}, "connectgaps": False,
                     "hovertemplate": f"{c.label}<br>t = %{{x:.3g}}<br>final: %{{y:.3g}}<extra></extra>"})
        bad = c.lrs[c.diverged]
        if len(bad):
            data.append({"type": "scatter", "mode": "markers", "name": f"{c.label} diverged",
                         "legendgroup": c.label, "showlegend": False, "x": bad, "y": np.full(len(bad), row),
                         "marker": {"symbol": "x-thin", "size": 10, "color": c.color,
                                    "line": {"color": c.color, "width": 2.5}},
                         "hovertemplate": f"{c.label}<br>t = %{{x:.3g}}: diverged<extra></extra>"})
        if c.current_lr is not None and c.current_final is not None:
            data.append({"type": "scatter", "mode": "markers", "name": f"{c.label} now", "legendgroup": c.label,
                         "showlegend": False, "x": [c.current_lr],
                         "y": [row if c.current_diverged else c.current_final],
                         "marker": {"symbol": "circle-open", "size": 18, "color": c.color,
                                    "line": {"color": c.color, "width": 3}},
                         "hovertemplate": f"{c.label}: your setting<br>t = %{{x:.3g}}<br>final: %{{y:.3g}}"
                                          "<extra></extra>"})
    axis = {"gridcolor": GRID_COLOR, "zeroline": False, "linecolor": GRID_COLOR, "ticks": "outside"}
    first_row = rows[0] if len(rows) else hi
    band = np.log10(first_row) if log_y else first_row
    layout = base_layout(
        height,
        xaxis={**axis, "type": "log", "title": {"text": "step size t (log)"}, "exponentformat": "power"},
        yaxis={**axis, "type": "log" if log_y else "linear", "title": {"text": f"final {y_title}", "standoff": 6},
               "range": y_range, "exponentformat": "power", **({"dtick": 1} if log_y else {})},
        margin={"l": 85, "r": 20, "t": 50, "b": 50},
        shapes=[{"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y",
                 "y0": (10 ** (band - 0.03 * span)) if log_y else band - 0.03 * span,
                 "y1": (10 ** y_range[1]) if log_y else y_range[1],
                 "fillcolor": "#F3F5F7", "line": {"width": 0}, "layer": "below"}],
        annotations=[{"xref": "paper", "x": 0.0, "yref": "y", "y": y_range[1], "text": "× = diverged",
                      "showarrow": False, "xanchor": "left", "yanchor": "top",
                      "font": {"size": 14, "color": "#555555"}}],
    )
    return go.Figure({"data": data, "layout": layout})


def divergence_rows(values: np.ndarray, n: int, log_y: bool) -> np.ndarray:
    """Heights of the n rows of × above the finite values (one row per optimizer, top-down in order)."""
    if log_y:
        lo, hi = np.log10(values.min()), np.log10(values.max())
        span = max(hi - lo, 1.0)
        return 10.0 ** (hi + span * (0.12 + 0.05 * np.arange(n)))
    lo, hi = float(values.min()), float(values.max())
    span = max(hi - lo, 1e-9)
    return hi + span * (0.12 + 0.05 * np.arange(n))


def tidy_log_axis(fig: go.Figure, log_y: bool) -> go.Figure:
    """One labelled tick per decade on a log y axis (no 2s and 5s), and room for the axis title."""
    fig.update_layout(margin={"l": 85})
    if log_y:
        fig.update_yaxes(dtick=1, title_standoff=6)
    return fig


def rules_latex(shown: list[str], hypers: dict[str, dict]) -> str:
    """One LaTeX array: each shown optimizer's name and its update rule, one line each."""
    rows = [rf"\text{{{display_name(name, hypers[name])}}} & {RULES[name]}" for name in shown]
    return r"\small\begin{array}{ll}" + r" \\[5pt] ".join(rows) + r"\end{array}"


_SYMBOL = {"lr": "t", "momentum": "μ", "rho": "ρ", "beta1": "β₁", "beta2": "β₂", "damping": "λ", "k": "k",
           "alpha": "α"}


def settings_text(name: str, hyper: dict) -> str:
    """``α = 0.1, β₁ = 0.9, β₂ = 0.999``: a setting in the rule's symbols (Adam's step size is α)."""
    symbols = {**_SYMBOL, "lr": "α"} if name in ("adam", "adamax") else _SYMBOL
    return ", ".join(f"{symbols[k]} = {v:g}" for k, v in hyper.items() if k in symbols)


def summary_markdown(rows: list[tuple[str, str, float, int | None]], what: str) -> str:
    """A table of (optimizer, settings, final value, diverged_at): the numbers behind the charts."""
    lines = [f"| optimizer | settings | final {what} | |", "|---|---|---|---|"]
    for name, settings, final, diverged_at in rows:
        note = f"diverged at step {diverged_at}" if diverged_at is not None else ""
        lines.append(f"| {name} | {settings} | {final:.3g} | {note} |")
    return "\n".join(lines)
