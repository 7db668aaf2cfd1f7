"""The Stochastic page's step view: the examples drawn into I_c at step n, their arrows, and the update's numbers."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import numpy as np

import optim_core as oc
from ui.figures.algorithm import algorithm_table, tex_number
from ui.figures.arrows import arrow_style, arrow_xy
from ui.figures.theme import MIN_LINE_PX, tint
from ui.i18n import t
from ui.pages.stochastic_drawing import COLORS, DASHES, SET_LINE, WRAP_LINE, arrow_scale, mean_arrow


def draw_names() -> dict[str, str]:
    """Legend names of the step view's four arrow traces."""
    return {"drawn": "−∇Lⁱ, i ∈ I<sub>c</sub>", "left": "−∇Lⁱ, i ∉ I<sub>c</sub>",
            "minibatch": t("stochastic.figure.mean_drawn"), "full": t("stochastic.figure.mean_all")}


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
    and of the others (2 px, in an opaque lighter tint), their mean −g_c over I_c (dashed blue) and the full −∇L
    (black), all times the frame's ``arrow_scale``. Both per-example traces hold all m
    arrows, the ones that belong to the other trace left as gaps. At step 0 nothing is
    drawn yet: every example is light, beside the full gradient. ``meta.scale`` is the
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
        "drawn": arrow_style(names["drawn"], COLORS["one"], width=3.0, head=13, count=m, meta=meta),
        # secondary by a lighter colour and a thinner line, never by transparency (issue 16: a projector)
        "left": arrow_style(names["left"], tint(COLORS["one"], 0.5), width=MIN_LINE_PX, head=9, count=m, meta=meta),
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
