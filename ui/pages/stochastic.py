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

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

import optim_core as oc
from ui.figures.paths import Path, animated_paths
from ui.i18n import t
from ui.pages.stochastic_drawing import (
    ARROW_FRACTION,
    COLORS,
    DASHES,
    FIT_COLOR,
    MAX_FRAMES,
    SET_LINE,
    SURFACE,
    SYMBOLS,
    WRAP_LINE,
    _name_axes,
    arrow_scale,
    example_arrows,
    gradient_arrows,
    labels,
    long_labels,
    mean_arrow,
)
from ui.pages.stochastic_spread import (
    SPREAD_POINTS,
    clouds,
    data_figure,
    loss_figure,
    spread_figure,
    spread_rows,
    spread_table,
)
from ui.pages.stochastic_steps import (
    draw_arrows,
    draw_names,
    examples_tex,
    step_caption,
    step_parts,
    step_point,
    step_table,
)
from ui.scenes import Scene


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


def arrows_caption(surface: oc.FiniteSumSurface, start) -> str:
    """How the arrows are scaled, and how long the full and the per-example gradients are at the start."""
    norms = np.linalg.norm(surface.example_grads(start), axis=1)
    return t("stochastic.arrows_caption", scale=f"{arrow_scale(surface, start):.3f}",
             full=f"{np.linalg.norm(surface.grad(start)):.3f}", low=f"{norms.min():.2f}", high=f"{norms.max():.2f}")


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


__all__ = [  # the page's public face, wherever each piece lives
    "ARROW_FRACTION",
    "COLORS",
    "DASHES",
    "DEFAULTS",
    "Defaults",
    "FIT_COLOR",
    "LOSS_LATEX",
    "LR_OPTIONS",
    "MAX_FRAMES",
    "SCENES",
    "SEEDS_HIGH",
    "SEED_HIGH",
    "SET_LINE",
    "SPREAD_POINTS",
    "STEPS_HIGH",
    "SURFACE",
    "SYMBOLS",
    "UPDATE_LATEX",
    "WRAP_LINE",
    "arrow_scale",
    "arrows_caption",
    "batch_sizes",
    "clouds",
    "data_caption",
    "data_figure",
    "divergence_note",
    "draw_arrows",
    "draw_names",
    "example_arrows",
    "examples_tex",
    "gradient_arrows",
    "gradient_latex",
    "labels",
    "long_labels",
    "loss_figure",
    "mean_arrow",
    "model_text",
    "noise_text",
    "paths_figure",
    "seed_starts",
    "spread_figure",
    "spread_rows",
    "spread_table",
    "spread_text",
    "step_caption",
    "step_parts",
    "step_point",
    "step_table",
    "surface",
    "update_text",
    "ways_text",
]
