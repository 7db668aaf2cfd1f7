"""How a run uses its step size over time, and when it stops: a schedule for t_c and "stop when ‖∇L‖ < tol".

One sidebar expander on every page that steps a run (``run_options``). Both settings travel in the link
(``schedule``, ``tol``). The page applies them to its specs and runs (``RunOptions.apply`` and ``tol``),
and shows the schedule's curve beside its picture with the current step marked (``schedule_blocks``).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui import schedules
from ui.figures.schedule import schedule_figure
from ui.i18n import t
from ui.specs import OptimizerSpec, Pairs
from ui.widgets.linking import select_slider, selectbox
from ui.widgets.stepping import Chart

TOLS = (0.0, 1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8)  # 0: never stop early


@dataclass(frozen=True)
class RunOptions:
    name: str  # one of ``schedules.CHOICES``
    schedule: Pairs  # the spec's pairs; empty for a constant step size
    tol: float | None  # stop at the first step with ‖∇L‖ < tol; None: never

    def apply(self, spec: OptimizerSpec) -> OptimizerSpec:
        return spec.scheduled(self.schedule) if self.schedule else spec


def _tol_label(tol: float) -> str:
    return t("run_options.never") if tol == 0 else f"{tol:g}"


def run_options(page: str, steps: int, *, schedule: bool = True) -> RunOptions:
    """The sidebar's schedule and stop condition for a run of ``steps`` updates (``schedule`` False: the stop
    only, on a page whose tables write the step size as one number)."""
    name = "constant"
    with st.sidebar.expander(t("run_options.heading" if schedule else "run_options.stop_heading"),
                             icon=":material/schedule:"):
        if schedule:
            name = selectbox(st, page, "schedule", t("run_options.schedule"), schedules.CHOICES,
                             format_func=lambda n: t(f"run_options.names.{n}"), help=t("run_options.schedule_help"))
        tol = select_slider(st, page, "tol", t("run_options.tol"), TOLS, 0.0, format_func=_tol_label,
                            help=t("run_options.tol_help"))
    return RunOptions(name, schedules.pairs(name, steps), float(tol) or None)


def schedule_blocks(options: RunOptions, base: float | None, steps: int, at_step: int, *,
                    height: int = 200) -> list:
    """The schedule's curve with step ``at_step`` marked, and its rule: nothing for a constant step size.

    ``base`` None: several racers, each with its own t, so the curve is t_c / t."""
    if not options.schedule:
        return []
    sizes = schedules.step_sizes(options.schedule, 1.0 if base is None else base, steps)
    figure = schedule_figure(sizes, at_step, height=height, relative=base is None)
    c = max(min(int(at_step) - 1, len(sizes) - 1), 0)  # the update that made the step on screen
    words = dict(rule=f"${schedules.LATEX[options.name]}$", settings=schedules.settings_text(options.schedule),
                 c=c, now=f"{sizes[c]:.3g}")
    caption = (t("run_options.curve_caption_relative", **words) if base is None
               else t("run_options.curve_caption", t=f"{base:g}", **words))
    return [("chart", Chart(figure, "schedule_curve", t("run_options.curve_alt"))), ("caption", caption)]
