"""The Adam page's pieces: defaults, the live Algorithm 1 table, its text and its figures.

Numbers shown for a step come from ``optim_core.run``'s records (``m``, ``v``,
``m_hat``, ``v_hat``, ``u``, ``step_size``, ``bias_correction1``/``2``), its
gradients and its parameters: nothing here performs an Adam update. Figure
builders are pure (no Streamlit).

Step t is the state after t updates (t = 0: Algorithm 1's initialisation). At
t ≥ 1 the map draws update t as arrows from θ_{t−1}: the move Δθ_t (magnified
by a nice factor when short), and the directions of −g_t and −m̂_t drawn as long
as the drawn move, so the angle between steepest descent, the averaged gradient
and Adam's per-coordinate step is what one sees.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.catalog import option_label
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.charts import Series, line_chart
from ui.figures.paths import Path, animated_paths
from ui.figures.theme import MIN_LINE_PX, PARAMETER_COLORS, START_COLOR, color, label, tint
from ui.i18n import num, t
from ui.scenes import Scene


@dataclass(frozen=True)
class Defaults:
    """Where the Adam page opens. Frozen: one session cannot change what another one starts from."""

    surface: str = "rosenbrock"
    lr: float = 0.05          # the paper's 0.001 barely moves on a 4 × 4 plot; 0.05 shows the path
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    steps: int = 300
    step: int = 1             # the step whose numbers are written out
    inspect: str = "adam"
    loss_scale: float = 10.0  # GD at t = 1e-4 on the loss × 10 moves like t = 1e-3, and stays on the map
    gd_lr: float = 1e-4
    first_steps: int = 20     # how many first steps the bias-correction chart shows
    noise: float = 0.0        # σ of the Gaussian noise added to every gradient (0: the exact gradient)
    seed: int = 0             # which noise draws


DEFAULTS = Defaults()
LR_OPTIONS = (1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
EPS_OPTIONS = (0.0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1.0)
SCALE_OPTIONS = (0.01, 0.1, 1.0, 10.0, 100.0)
GD_LR_OPTIONS = (1e-5, 1e-4, 3e-4, 1e-3, 2e-3, 1e-2)
# σ for g_t = ∇L(θ_{t−1}) + σξ_t, ξ_t ~ N(0, I): the surfaces' gradients run from below 1 to a few hundred
NOISE_OPTIONS = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
SEED_HIGH = 99

# The three runs of the top picture and how each is drawn (the page maps each to an optimizer spec).
VARIANT_STYLE = {"adam": (color("adam"), None), "adam_nobc": (color("adam"), "dot"),
                 "adamax": (color("adamax"), None)}


def variant_label(variant: str) -> str:
    """A run's name in the session's language: "Adam", "Adam, no correction", "AdaMax"."""
    return t(f"adam.variant.{variant}")


def step_numbers(run: oc.Trajectory, t: int) -> dict[str, np.ndarray]:
    """Everything about step ``t`` of a run, read from its records.

    ``theta_prev``/``theta`` are θ_{t−1}/θ_t, ``g`` is g_t, ``update`` θ_t − θ_{t−1};
    ``m_prev``, ``m``, ``m_hat``, ``step_size``, ``bias_correction1`` (1 − β₁ᵗ) and, as
    the run has them, ``v_prev``, ``v``, ``v_hat``, ``bias_correction2`` (1 − β₂ᵗ; Adam)
    or ``u_prev``, ``u`` (AdaMax). Before step 1 the averages are zero, as Algorithm 1
    initialises them: step 0 is only that, ``theta`` = θ₀ and ``m``, ``v`` (or ``u``) = 0.
    """
    steps = len(run.grads)
    if not 0 <= t <= steps:
        raise ValueError(f"step must be in [0, {steps}], got {t}")
    i, rec, params = t - 1, run.records, run.params
    if t == 0:
        return {"theta": params[0], **{key: np.zeros_like(params[0]) for key in ("m", "v", "u") if key in rec}}
    out = {"theta_prev": params[i], "theta": params[i + 1], "update": params[i + 1] - params[i],
           "g": run.grads[i]}
    for key in ("m", "v", "u", "m_hat", "v_hat", "step_size", "bias_correction1", "bias_correction2"):
        if key in rec:
            out[key] = rec[key][i]
    for key in ("m", "v", "u"):
        if key in rec:
            out[key + "_prev"] = rec[key][i - 1] if i > 0 else np.zeros_like(rec[key][i])
    return out


def algorithm_latex(variant: str, nums: dict, step: int, hyper: dict, k: int | None = None,
                    noise: float = 0.0) -> str:
    """Algorithm 1 (or AdaMax's Algorithm 2) for step ``step`` (t): one row per line, a column per parameter.

    ``nums`` is ``step_numbers`` of that step: the divisors 1 − β₁ᵗ and 1 − β₂ᵗ are the run's records.
    The line being executed is marked (``algorithm_table``): θ_t's, the one that moves the point; at
    t = 0 the initialisation θ₀ = start, m₀ = v₀ = 0. With ``k`` (0 or 1) only parameter W_{k+1}'s
    column: two such narrow tables, one under the other, fit a phone where the wide one runs off the screen.
    With ``noise`` > 0 the gradient line reads g_t = ∇f_t(θ_{t−1}), the paper's stochastic objective: the run's
    g_t is ∇L plus that step's noise draw.
    """
    b1, b2, lr, eps = (hyper[key] for key in ("beta1", "beta2", "lr", "eps"))
    n1, n2, a, e = (tex_number(x) for x in (b1, b2, lr, eps))
    if k is not None:  # narrow: ε by name in the rows (its value in the header), and a smaller type
        e = r"\epsilon"
    if step == 0:
        second = "u_0" if variant == "adamax" else "v_0"
        lines = [(rf"\theta_0 = \text{{{t('adam.tex.start')}}},\ m_0 = {second} = 0", "theta")]
    else:
        off = rf"\ \text{{{t('adam.tex.off')}}}"
        c1 = tex_number(nums["bias_correction1"])
        grad = rf"g_t = \nabla {'f_t' if noise else 'L'}(\theta_{{t-1}})"  # f_t: L plus this step's noise
        lines = [(r"\theta_{t-1}", "theta_prev"), (grad, "g"), (r"m_{t-1}", "m_prev"),
                 (rf"m_t = {n1}\,m_{{t-1}} + {tex_number(1 - b1)}\,g_t", "m")]
        if variant == "adamax":
            lines += [(r"u_{t-1}", "u_prev"), (rf"u_t = \max({n2}\,u_{{t-1}},\ |g_t| + {e})", "u"),
                      (rf"\hat m_t = m_t / {c1}", "m_hat"),
                      (rf"\Delta\theta_t = -{a}\,\dfrac{{\hat m_t}}{{u_t}}", "update")]
        else:
            corrected = variant == "adam"
            c2 = tex_number(nums["bias_correction2"])
            lines += [(r"v_{t-1}", "v_prev"), (rf"v_t = {n2}\,v_{{t-1}} + {tex_number(1 - b2)}\,g_t^2", "v"),
                      (rf"\hat m_t = m_t / {c1}" if corrected else r"\hat m_t = m_t" + off, "m_hat"),
                      (rf"\hat v_t = v_t / {c2}" if corrected else r"\hat v_t = v_t" + off, "v_hat"),
                      (rf"\Delta\theta_t = -{a}\,\dfrac{{\hat m_t}}{{\sqrt{{\hat v_t}} + {e}}}", "update")]
        lines.append((r"\theta_t = \theta_{t-1} + \Delta\theta_t", "theta"))
    cols = [0, 1] if k is None else [k]
    rows = [(line, np.asarray(nums[key])[cols]) for line, key in lines]
    if k is None:
        header = t("adam.tex.header", variant=variant_label(variant))
        return algorithm_table(rows, len(rows) - 1, header=rf"\text{{{header}}} t = {step}")
    return algorithm_table(rows, len(rows) - 1, header=rf"t = {step},\ \epsilon = {tex_number(eps)}",
                           columns=(f"W_{k + 1}",), size=r"\footnotesize")


def algorithm_1() -> str:
    """Algorithm 1 of the paper, the general rule (its one word, "for", in the session's language)."""
    return r"""\begin{aligned}
&m_0 = v_0 = 0; \quad \text{""" + t("adam.tex.loop") + r""" } t = 1, 2, \dots:\\
&\qquad g_t = \nabla L(\theta_{t-1})\\
&\qquad m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t\\
&\qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2\\
&\qquad \hat m_t = m_t/(1-\beta_1^t)\\
&\qquad \hat v_t = v_t/(1-\beta_2^t)\\
&\qquad \theta_t = \theta_{t-1} - \alpha\,\hat m_t/(\sqrt{\hat v_t}+\epsilon)
\end{aligned}"""


ADAMAX = (r"\begin{aligned} u_t &= \max(\beta_2 u_{t-1},\ |g_t|) \\ "
          r"\theta_t &= \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\,\frac{m_t}{u_t} \end{aligned}")


def scale_rule() -> str:
    """Adam and gradient descent on c·L, side by side (the row names in the session's language)."""
    return (r"\begin{aligned}\text{Adam: }& \frac{\alpha\,c\,\hat m_t}{c\sqrt{\hat v_t}+\epsilon}"
            r" = \frac{\alpha\,\hat m_t}{\sqrt{\hat v_t}+\epsilon/c}\\"
            r"\text{" + t("adam.tex.gd") + r": }& t\,\nabla(c\,L) = (c\,t)\,\nabla L\end{aligned}")


def bias_text(beta1: float, beta2: float) -> str:
    """Why m₀ = 0 biases the averages, and what the chosen β's do to the uncorrected first steps."""
    factor = uncorrected_factor(beta1, beta2, np.arange(1, 1001))
    peak = int(np.nanargmax(factor))
    first = tex_number(factor[0], 3)
    if peak > 0 and factor[peak] > 1.05 * max(factor[0], 1.0):  # it overshoots α further after step 1
        steps = t("adam.bias.first_peak", first=first, peak=tex_number(factor[peak], 3), step=peak + 1)
    else:
        steps = t("adam.bias.first", first=first)
    return " ".join((t("adam.bias.zero_start"),
                     t("adam.bias.beta2", beta2=option_label(beta2), share=tex_number(1 - beta2, 3)),
                     t("adam.bias.fair"))) + "\n\n" + " ".join((t("adam.bias.uncorrected"), steps,
                                                                t("adam.bias.chart")))


def scale_text(scale: float, gap_adam: float, gap_gd: float) -> str:
    """What the loss-scale picture shows, with this run's largest path differences."""
    if scale == 1:
        return t("adam.scale.pick")
    return t("adam.scale.larger" if scale > 1 else "adam.scale.smaller", scale=f"{scale:g}",
             ratio=f"{max(scale, 1 / scale):g}", gap_adam=num(gap_adam, 2), gap_gd=num(gap_gd, 3))


def path_gaps(paths: dict[tuple[str, float], np.ndarray], scale: float) -> dict[str, float]:
    """Per optimizer, the largest distance (max norm) between its paths on the loss × 1 and × ``scale``."""
    return {name: float(np.abs(paths[(name, scale)] - paths[(name, 1.0)]).max()) for name, c in paths if c == 1.0}


def step_sizes(run: oc.Trajectory, lr: float) -> dict[str, float | int]:
    """How long a run's steps are in units of α, per coordinate: |θ_t,i − θ_{t−1},i| / α.

    ``largest`` over the whole run; ``early`` the mean over its first ``early_n`` = min(20, T/2) steps and
    ``late`` over its last ``late_n`` = min(100, T/2) (T steps). Adam's bound (Kingma & Ba, section 2.1) is
    about α whatever the gradient's size, and with noise |m̂_t|/√v̂_t, the paper's signal-to-noise ratio,
    makes the steps shrink where g_t is mostly noise.
    """
    moves = np.abs(np.diff(np.asarray(run.params, dtype=float), axis=0)) / lr
    early_n = late_n = max(len(moves) // 2, 1)
    early_n, late_n = min(20, early_n), min(100, late_n)
    return {"largest": float(moves.max()), "early": float(moves[:early_n].mean()), "early_n": early_n,
            "late": float(moves[-late_n:].mean()), "late_n": late_n}


def noise_text(run: oc.Trajectory, lr: float, sigma: float) -> str:
    """Under the picture when the gradient is noisy: the run's step lengths in units of α (``step_sizes``)."""
    sizes = step_sizes(run, lr)
    alphas = {key: f"{sizes[key]:.2f}" if sizes[key] < 10 else num(sizes[key]) for key in ("largest", "early", "late")}
    return t("adam.noise_text", sigma=f"{sigma:g}", steps=len(run.grads), early_n=sizes["early_n"],
             late_n=sizes["late_n"], **alphas)


def divergence_remedy(eps: float) -> str:
    """What to change when a run of the top picture blows up (the end of its warning)."""
    return t("adam.remedy_eps" if eps == 0 else "adam.remedy")


def blew_up_text(step: int, status: str = "diverged") -> str:
    """Under the table once the inspected step is past the run's blow-up (or, on the saddle, its escape)."""
    return t("adam.ran_off" if status == "escaped" else "adam.blew_up", step=step)


def uncorrected_factor(beta1: float, beta2: float, t) -> np.ndarray:
    """How much longer than α an uncorrected step is while the gradient stays the same:
    (1 − β₁ᵗ)/√(1 − β₂ᵗ). At t = 1 this is (1 − β₁)/√(1 − β₂) (3.16 for 0.9, 0.999)."""
    t = np.asarray(t, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (1 - beta1**t) / np.sqrt(1 - beta2**t)


# Update t drawn from θ_{t−1}, told apart by dash as well as colour (the Momentum page's colours for the same roles).
ARROW_STYLE = {"update": ("#B50030", "solid"), "grad": ("#111111", "dash"), "m_hat": ("#7A4A00", "dot")}
ARROW_ROOM = 0.5  # the longest drawn move is at most this share of the plot's smaller half-width
def arrow_name(part: str) -> str:
    """An arrow's legend name, short: the legend shares a narrow column."""
    return {"grad": "−g_t", "m_hat": "−m̂_t"}.get(part) or t("adam.arrow_move")


def move_scale(run: oc.Trajectory, surface: oc.Surface) -> float:
    """How much the move arrow is magnified: 1, or the largest of 2, 5, 10, 20, … that keeps the run's
    longest move θ_t − θ_{t−1} within ``ARROW_ROOM`` of the plot's smaller half-width (Adam's moves are all
    about α long, so the ×10 arrows of the default α = 0.05 never crowd the map)."""
    updates = np.diff(np.asarray(run.params, dtype=float), axis=0)
    lengths = np.linalg.norm(updates[np.all(np.isfinite(updates), axis=-1)], axis=-1)
    longest = float(np.max(lengths, initial=0.0))
    room = ARROW_ROOM * float(np.min(surface.half_width))
    fits = [n * 10.0 ** p for p in range(7) for n in (1, 2, 5) if longest > 0 and n * 10.0 ** p * longest <= room]
    return max(fits, default=1.0)


def step_arrows(run: oc.Trajectory, t: int, scale: float) -> dict | None:
    """Update ``t``'s arrows as offsets from ``at`` = θ_{t−1}; None at t = 0 (nothing has moved yet).

    ``update`` is ``scale``·Δθ_t; ``grad`` and ``m_hat`` are −g_t and −m̂_t rescaled to the drawn move's
    length, by the factors ``factor["grad"]`` and ``factor["m_hat"]`` (NaN where that vector or the move
    is zero: it has no direction to draw). All read from ``step_numbers``.
    """
    if t <= 0:
        return None
    nums = step_numbers(run, t)
    move = scale * np.asarray(nums["update"], dtype=float)
    length = float(np.linalg.norm(move))
    out = {"at": nums["theta_prev"], "update": move, "factor": {}}
    for key, vector in (("grad", -nums["g"]), ("m_hat", -nums["m_hat"])):
        size = float(np.linalg.norm(vector))
        factor = length / size if size > 0 and length > 0 and np.isfinite(size * length) else np.nan
        out["factor"][key] = factor
        out[key] = factor * np.asarray(vector, dtype=float)
    return out


def _arrow_at(run: oc.Trajectory, scale: float, part: str):
    """``at(step)`` for ``moving_extras``: arrow ``part`` of update ``step`` (none where it has no length)."""
    def at(step: int) -> dict:
        arrows = step_arrows(run, min(int(step), len(run.grads)), scale)
        if arrows is None or not np.all(np.isfinite(arrows[part])) or not np.any(arrows[part]):
            return {"x": [None], "y": [None]}
        return arrow_xy(arrows["at"], arrows["at"] + arrows[part])
    return at


@dataclass(frozen=True)
class StepFigure:
    """The map at one step, and the factor its move arrow is drawn at (for the caption)."""

    figure: go.Figure
    scale: float


def family_figure(surface: oc.Surface, runs: dict[str, oc.Trajectory], start, variant: str, at_step: int,
                  height: int = 540) -> StepFigure:
    """Adam, Adam without bias correction and AdaMax animated together, opened at step ``at_step``.

    ``variant``'s point θ_t is ringed and its update t is drawn from θ_{t−1} (``step_arrows``); the
    ring and the arrows move with Play like the markers. The page's step slider is the scrubber.
    """
    drawn = [Path(variant_label(v), r.params, VARIANT_STYLE[v][0], dash=VARIANT_STYLE[v][1], width=4.0,
                  marker_size=11 if v == "adam_nobc" else 14) for v, r in runs.items()]
    run = runs[variant]
    points, scale = np.asarray(run.params), move_scale(run, surface)
    ring = {"type": "scatter", "mode": "markers", "name": "θ_t",
            "hovertemplate": t("adam.ring_hover", variant=variant_label(variant))
                             + "<br>x=%{x:.4g}<br>y=%{y:.4g}<extra></extra>",
            "marker": {"symbol": "diamond-open", "size": 18, "color": START_COLOR, "line": {"width": 3}}}
    extras = [(ring, lambda k: {"x": [float(points[min(k, len(points) - 1), 0])],
                                "y": [float(points[min(k, len(points) - 1), 1])]})]
    drawn_at = "" if scale == 1 else f" (×{scale:g})"
    for part in ("grad", "m_hat", "update"):
        paint, dash = ARROW_STYLE[part]
        name = arrow_name(part) + (drawn_at if part == "update" else "")
        extras.append((arrow_style(name, paint, line={"color": paint, "width": 4, "dash": dash}),
                       _arrow_at(run, scale, part)))
    fig = animated_paths(surface, drawn, start=start, moving_extras=extras, height=height,
                         landmarks_in_legend=False, at_step=at_step)
    fig.update_layout(legend={"font": {"size": 14}, "entrywidth": 0, "itemwidth": 30})
    return StepFigure(fig, scale)


def _factor(x: float) -> str:
    return t("adam.no_direction") if not np.isfinite(x) else f"×{x:.2g}"


def step_caption(variant: str, run: oc.Trajectory, step: int, scale: float) -> str:
    """What the ring and the arrows at step ``step`` are, and how much each arrow is scaled."""
    if step == 0:
        return t("adam.caption.step0", second="u_0" if variant == "adamax" else "v_0", next=t("controls.next"))
    arrows = step_arrows(run, step, scale)
    size = t("adam.caption.true_length") if scale == 1 else t("adam.caption.drawn_longer", scale=f"{scale:g}")
    return t("adam.caption.step", t=step, prev=step - 1, size=size, grad=_factor(arrows["factor"]["grad"]),
             m_hat=_factor(arrows["factor"]["m_hat"]))


def first_steps_figure(with_bc: np.ndarray, without_bc: np.ndarray, lr: float, n: int = 20,
                       height: int = 340) -> go.Figure:
    """|ΔW_k| / α for the first ``n`` steps of two paths (params arrays), per parameter."""
    series = []
    for k, name in enumerate(("W₁", "W₂")):
        for params, tag, dash in ((with_bc, t("adam.corrected"), None), (without_bc, t("adam.uncorrected"), "dot")):
            y = np.abs(np.diff(params[: n + 1, k])) / lr
            series.append(Series(f"{name}, {tag}", y, PARAMETER_COLORS[k], x=np.arange(1, len(y) + 1), dash=dash))
    fig = line_chart(series, x_title=t("adam.step_axis"), y_title="|ΔW| / α", height=height)
    one_alpha = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": 1.0, "y1": 1.0,
                 "line": {"color": "#777777", "width": MIN_LINE_PX, "dash": "dash"}}
    fig.update_traces(mode="lines+markers", marker={"size": 6})
    return fig.update_layout(legend={"font": {"size": 14}}, margin={"t": 80}, shapes=[one_alpha],
                             xaxis={"range": [0.5, len(series[0].y) + 0.5]})


def scale_figure(surface: oc.Surface, runs: dict[tuple[str, float], np.ndarray], start,
                 height: int = 440) -> go.Figure:
    """Gradient descent and Adam on the loss × 1 (wide, solid, a light opaque tint) and × c (dashed, in the
    optimizer's own colour, on top), drawn whole (no frames: the top picture is the moving one, and four more
    animated paths would double the page's rerun time). No path is see-through: a projector washes it out."""
    drawn = [Path(f"{label(name)} ×{scale:g}", p, tint(color(name), 0.35) if scale == 1 else color(name), animate=False,
                  **({"width": 7.0, "full_width": 7.0} if scale == 1 else {"width": 4.0, "dash": "dash"}))
             for (name, scale), p in runs.items()]
    fig = animated_paths(surface, drawn, start=start, height=height, landmarks_in_legend=False)
    fig.update_layout(legend={"font": {"size": 14}})
    return fig


def _scene(surface: str, start: tuple[float, float], *, beta1: float = DEFAULTS.beta1, inspect: str = DEFAULTS.inspect,
           step: int = DEFAULTS.step, noise: float = DEFAULTS.noise, seed: int = DEFAULTS.seed) -> dict:
    """Every widget of the page: the defaults, with the surface, start, β₁, the inspected run and step and the
    gradient noise given (no noise unless a scene asks for it)."""
    return {"surface": surface, "x": start[0], "y": start[1], "lr": DEFAULTS.lr, "beta1": beta1,
            "beta2": DEFAULTS.beta2, "eps": DEFAULTS.eps, "steps": DEFAULTS.steps, "variant": inspect, "step": step,
            "c": DEFAULTS.loss_scale, "gd_lr": DEFAULTS.gd_lr, "noise": noise, "seed": seed}


# The elongated bowl ½(x² + 25y²) from (−5, 1.5), α = 0.05, 300 steps, σ = 3, seed 0. Measured with optim_core.run:
# the largest step is 1.00 α per coordinate; the first 20 steps average 0.93 α (the slope, up to 37.5, outweighs
# σ = 3), the last 100 only 0.11 α, where the true gradient is a few tenths and g_t mostly noise (step 250:
# g = (−3.87, 0.74), ∇L = (0.14, −0.35), |m̂|/√v̂ = (0.24, 0.09)). Over seeds 0-49 and σ = 1 … 10 the largest step
# stays ≤ 1.05 α, the first 20 average 0.59-0.97 α and the last 100 0.04-0.24 α. Without noise the run ends
# 9e-4 from the minimum; with it, 0.064 (seed 0; 0.02-0.51 over seeds 0-49).
NOISY = {"surface": "elongated_quadratic", "start": (-5.0, 1.5), "noise": 3.0, "seed": 0, "step": 250}

SCENES = (  # titles and captions: [adam.scenes.<name>] in the catalogs
    Scene("adam", "bias_off", _scene("rosenbrock", (-1.2, 1.0), inspect="adam_nobc")),
    Scene("adam", "saddle", _scene("saddle", (1.8, 0.01), step=60)),
    Scene("adam", "beta1_zero", _scene("rosenbrock", (-1.2, 1.0), beta1=0.0, step=2)),
    Scene("adam", "noisy", _scene(NOISY["surface"], NOISY["start"], noise=NOISY["noise"], seed=NOISY["seed"],
                                  step=NOISY["step"])),
)
