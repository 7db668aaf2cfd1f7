"""Local models of the loss at an expansion point W_c: the tangent plane, the deck's bowl, Newton's quadratic.

At ``W_c`` we know the value ``L(W_c)``, the gradient ``g = ∇L(W_c)`` and the
Hessian ``H = ∇²L(W_c)``. With ``d = W − W_c``:

    tangent   L(W_c) + gᵀd
    bowl      L(W_c) + gᵀd + ‖d‖² / (2t)      minimiser d = −t g        (gradient descent)
    quadratic L(W_c) + gᵀd + ½ dᵀ H d          stationary d = −H⁻¹ g     (Newton)

This module is the page's face: its scenes, prose, LaTeX and step-through. The
maths is in ``taylor_models`` and the two charts (the 1-D slice along −g and the
2-D view with the models' level sets, animated over the step size t) are in
``taylor_figures``; ``__all__`` lists all of it, so the page script reads one
module. The page steps through gradient descent from the start: at step n, W_c
is θ_n, the n-th iterate of the engine's run, and the table writes that update's
numbers (``step_table``). Reference: Nocedal & Wright, Numerical Optimization (2006),
§2.2 and §3.3; the lecture deck, section 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.i18n import t as tr
from ui.pages.taylor_figures import gradient_name, plane_figure, slice_figure, slice_steps_figure
from ui.pages.taylor_models import (
    DEFAULTS,
    LocalModel,
    bowl_level_sets,
    gd_step,
    gradient_scale,
    local_model,
    nice_scale,
    plane_window,
    quadratic_level_sets,
    slice_direction,
    t_frames,
)
from ui.scenes import Scene

# --- the 1-D slice ---------------------------------------------------------------


# --- the 2-D view ----------------------------------------------------------------


# --- animation controls ------------------------------------------------------------


# --- the page's text: every word is in the catalogs, [taylor] -----------------------------------

def _scene(name: str, surface: str, t: float) -> Scene:
    """A scene on ``surface`` at its demo start point, with the step size ``t``, at step 0 (W_c = the start).

    Its title and caption are ``[taylor.scenes.<name>]`` in the catalogs.
    """
    x, y = (float(v) for v in oc.get_surface(surface).start)
    return Scene("taylor", name, {"surface": surface, "t": t, "x": x, "y": y, "step": 0})


SCENES = (
    _scene("small_t", "rosenbrock", 1e-3),  # the true loss falls from 24.2 to 5.35
    _scene("large_t", "rosenbrock", 3e-3),  # the step lands at 94.2 > 24.2
    _scene("newton_bowl", "elongated_quadratic", 0.02),
    _scene("newton_saddle", "saddle", 0.2),
)


def title() -> str:
    return tr("taylor.title")


def sidebar_note() -> str:
    return tr("taylor.sidebar_note")


def bowl_text() -> str:
    return tr("taylor.bowl_text")


def newton_text() -> str:
    return tr("taylor.newton_text")


def models_latex() -> tuple[str, ...]:
    """The three models as LaTeX; their names, inside ``text{…}``, are the catalog's words."""
    def word(key: str) -> str:
        return rf"\text{{{tr(f'taylor.models_{key}')}}}"

    return (
        rf"\begin{{aligned}}&{word('tangent')} L(W_c) + \nabla L(W_c)^\top d\\"
        rf"&{word('where')} d = W - W_c\end{{aligned}}",
        rf"\begin{{aligned}}&{word('bowl')} L(W_c) + \nabla L(W_c)^\top d + \tfrac{{1}}{{2t}}\lVert d\rVert^2\\"
        r"&\Rightarrow\ W_{c+1} = W_c - t\,\nabla L(W_c)\end{aligned}",
        rf"\begin{{aligned}}&{word('newton')} L(W_c) + \nabla L(W_c)^\top d + \tfrac12\, d^\top H d\\"
        r"&\Rightarrow\ W_{c+1} = W_c - H^{-1}\nabla L(W_c)\end{aligned}",
    )


@dataclass(frozen=True)
class Note:
    """A message about W_c for the page: ``level`` is "info" or "warning"."""

    level: str
    text: str


def notes(local: LocalModel) -> list[Note]:
    """What is special at W_c: a zero gradient, and a Hessian that is not positive definite."""
    lam = local.eigenvalues
    eig = rf"$\lambda_1 = {lam[0]:.4g},\ \lambda_2 = {lam[1]:.4g}$"
    out = []
    if local.stationary:
        out.append(Note("info", tr("taylor.note_stationary")))
    if local.curvature == "singular":
        out.append(Note("warning", tr("taylor.note_singular", eig=eig)))
    elif local.curvature == "indefinite":
        out.append(Note("info", tr("taylor.note_indefinite", eig=eig)))
    elif local.curvature == "negative definite":
        out.append(Note("info", tr("taylor.note_negative_definite", eig=eig)))
    return out


def facts(surface: oc.Surface, local: LocalModel, t: float) -> str:
    """The loss at W_c, after the GD step with this t, and at Newton's point."""
    loss_gd = float(surface.value(gd_step(local, t)))
    text = tr("taylor.facts", loss=f"{local.loss:.4g}", norm=f"{local.grad_norm:.4g}", t=f"{t:g}",
              after=f"{loss_gd:.4g}", verdict=tr("taylor.lower" if loss_gd < local.loss else "taylor.not_lower"))
    if local.newton is not None:
        (x0, x1), (y0, y1) = surface.bounds
        inside = x0 <= local.newton[0] <= x1 and y0 <= local.newton[1] <= y1
        text += " " + tr("taylor.facts_newton" if inside else "taylor.facts_newton_outside",
                         x=f"{local.newton[0]:.4g}", y=f"{local.newton[1]:.4g}",
                         loss=f"{float(surface.value(local.newton)):.4g}")
    return text


def tex_vector(v) -> str:
    """A column vector with 4 significant digits."""
    return r"\begin{pmatrix}" + r"\\".join(f"{x:.4g}" for x in v) + r"\end{pmatrix}"


def numbers_latex(local: LocalModel, t: float) -> list[str]:
    """W_c, ∇L, H with its eigenvalues, and where the GD and Newton steps land, as LaTeX lines."""
    h, lam = local.hessian, local.eigenvalues
    newton = tex_vector(local.newton) if local.newton is not None else rf"\text{{{tr('taylor.undefined')}}}"
    return [rf"W_c = {tex_vector(local.w_c)},\ \nabla L(W_c) = {tex_vector(local.grad)}",
            rf"H = \begin{{pmatrix}}{h[0, 0]:.4g} & {h[0, 1]:.4g}\\{h[1, 0]:.4g} & {h[1, 1]:.4g}\end{{pmatrix}},\ "
            rf"\lambda = {lam[0]:.4g},\ {lam[1]:.4g}",
            rf"W_c - t\nabla L = {tex_vector(gd_step(local, t))}",
            rf"W_c - H^{{-1}}\nabla L = {newton}"]

# The page's rule in one line, shown under the title: on a projector it sits above the fold.
KEY_RULE = (r"\begin{aligned} W_{c+1} &= \arg\min_{W}\ \nabla L(W_c)^\top d + \tfrac{1}{2t}\lVert d\rVert^2 \\ "
            r"&= W_c - t\,\nabla L(W_c), \qquad d = W - W_c \end{aligned}")


# --- step-through: gradient descent from the start, one update at a time -------------------------
# Step n shows the models at W_c = θ_n, the n-th iterate of the engine's run: the bowl's bottom
# is the next iterate θ_{n+1}. Every number in the table is read from the run (params, grads, loss).


def last_step(run: oc.Trajectory, steps: int | None = None) -> int:
    """The last step n whose W_c = θ_n, ∇L(θ_n) and θ_{n+1} the run recorded in full.

    ``steps`` (default ``DEFAULTS.steps``), unless the run blew up at step d: then d − 2, the
    last update before it (from d − 1 on the engine repeats its last finite rows), and 0 if d = 1.
    """
    steps = DEFAULTS.steps if steps is None else steps
    d = int(run.diverged_at)
    return steps if d < 0 else max(0, min(steps, d - 2))


def next_point(run: oc.Trajectory, n: int) -> np.ndarray | None:
    """θ_{n+1} from the run; None when that update is the one that left the plot (d = n + 1)."""
    d = int(run.diverged_at)
    return None if 0 <= d <= n + 1 else run.params[n + 1]


def step_table(run: oc.Trajectory, t: float, n: int) -> str:
    """Gradient descent's update at step ``n`` with the run's numbers; the update line is marked."""
    nxt = next_point(run, n)
    update = rf"W_{{c+1}} = W_c - {tex_number(t)}\,\nabla L(W_c)"
    losses = [(rf"L(W_c) = {tex_number(run.loss[n])}", None)]  # one line each: a phone's column is narrow
    if nxt is None:
        update += rf"\ \text{{{tr('taylor.leaves_plot')}}}"
    else:
        losses.append((rf"L(W_{{c+1}}) = {tex_number(run.loss[n + 1])}", None))
    rows = [(rf"W_c = \theta_{{{n}}}", run.params[n]), (r"\nabla L(W_c)", run.grads[n]), (update, nxt), *losses]
    return algorithm_table(rows, 2, header=rf"\text{{{tr('taylor.table_header')}}} c = {n}")


def step_caption(n: int, last: int, scale: float, local: LocalModel) -> str:
    """What step ``n`` shows, and how the gradient arrow is drawn."""
    where = (tr("taylor.where_start") if n == 0 else tr("taylor.where_one") if n == 1
             else tr("taylor.where_many", n=n))
    text = tr("taylor.step_caption", n=n, last=last, where=where)
    if local.stationary:
        return text + " " + tr("taylor.caption_stationary")
    arrows = tr("taylor.caption_arrows_true") if scale == 1 else tr("taylor.caption_arrows_scaled", scale=f"{scale:g}")
    return text + " " + arrows + " " + tr("taylor.press_next" if n < last else "taylor.last_step")


def run_note(run: oc.Trajectory, surface: oc.Surface, t: float) -> Note | None:
    """Where a run that blew up stops the step slider: a warning if it diverged, a plain note if it escaped."""
    d = int(run.diverged_at)
    if d < 0:
        return None
    stop = max(0, d - 2)
    tail = tr("taylor.tail_stop", stop=stop) if d > 1 else tr("taylor.tail_first")
    if str(oc.status(run, surface)) == "escaped":
        return Note("caption", tr("taylor.run_escaped", d=d) + " " + tail)
    return Note("warning", tr("taylor.run_diverged", t=f"{t:g}", d=d) + " " + tail)


__all__ = [  # the page's public face: its text and steps here, its maths and charts beside it
    "DEFAULTS",
    "KEY_RULE",
    "LocalModel",
    "Note",
    "SCENES",
    "bowl_level_sets",
    "bowl_text",
    "facts",
    "gd_step",
    "gradient_name",
    "gradient_scale",
    "last_step",
    "local_model",
    "models_latex",
    "newton_text",
    "next_point",
    "nice_scale",
    "notes",
    "numbers_latex",
    "plane_figure",
    "plane_window",
    "quadratic_level_sets",
    "run_note",
    "sidebar_note",
    "slice_direction",
    "slice_figure",
    "slice_steps_figure",
    "step_caption",
    "step_table",
    "t_frames",
    "tex_vector",
    "title",
]
