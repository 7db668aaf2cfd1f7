"""Step through an update: one row of step controls, and the one view every stepping page lays out.

A stepping page supplies its parts at step n (``StepParts``): the chart or charts,
the numbers (the algorithm's lines filled with that step's values), a caption and
what to export. ``step_view`` lays them out in a fragment, so a step reruns only
this part, inside the app's frame (``ui.widgets.frame.fragment``): its language,
its error guard and the link published after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.i18n import t
from ui.registry import widget_key
from ui.widgets.downloads import export_buttons
from ui.widgets.frame import fragment
from ui.widgets.linking import slider
from ui.widgets.presenter import chart, presenting


@dataclass(frozen=True)
class Chart:
    figure: Any
    key: str
    alt: str


@dataclass(frozen=True)
class Export:
    runs: Any  # {label: Trajectory}
    figure: Any = None
    fields: tuple[str, ...] = ()


# A block of the view: ("latex" | "markdown" | "caption" | "warning" | "info", text) or ("chart", Chart).
Block = tuple[str, Any]


@dataclass(frozen=True)
class StepParts:
    charts: Sequence[Chart] = ()  # the main chart(s), side by side
    numbers: Sequence[Block] = ()  # beside the chart (below it on a phone)
    under: Sequence[Block] = ()  # under the chart: badges, notes
    after: Sequence[Block] = ()  # full width, below everything
    export: Export | None = None


@dataclass(frozen=True)
class Layout:
    """Where the parts go: ``columns`` is the chart : numbers width ratio, or None for the numbers below the
    charts (Taylor's two wide charts) or, with ``numbers_on_top``, beside the step row above them; ``charts``
    the ratio of several charts; the step row on top, or at the head of the numbers column
    (``controls_beside``)."""

    columns: tuple[float, float] | None = (1.1, 1)
    charts: tuple[float, ...] = ()
    controls_beside: bool = False
    export_beside: bool = True
    numbers_on_top: bool = False
    present_controls_beside: bool = True  # presenter mode: the step row heads the numbers (else under the chart)


def step_controls(page: str, last: int, *, first: int = 0, default: int | None = None, container=None) -> int:
    """Previous / Next / Start buttons (keys ← → and Home) and a step slider, all one value: the ``step`` widget.

    One row: the buttons, then the slider, which is the scrubber of the page's stepping chart.
    """
    where = container or st
    key = widget_key(page, "step")
    default = first if default is None else min(max(default, first), last)
    if key in st.session_state:
        # Written back every run: a new step count gives the slider a new range, which Streamlit
        # treats as a new widget that forgets its value; and a shorter run must not leave the step
        # past its end.
        st.session_state[key] = min(max(int(st.session_state[key]), first), last)
    row = where.container(horizontal=True, vertical_alignment="bottom", gap="small")
    row.button(t("controls.previous"), key=f"_{page}_prev", icon=":material/chevron_left:", shortcut="Left",
               on_click=_move, args=(key, -1, first, last, default), help=t("controls.previous_help"))
    row.button(t("controls.next"), key=f"_{page}_next", icon=":material/chevron_right:", shortcut="Right",
               type="primary", on_click=_move, args=(key, +1, first, last, default), help=t("controls.next_help"))
    row.button(t("controls.start"), key=f"_{page}_first", icon=":material/first_page:", shortcut="Home",
               on_click=_move, args=(key, None, first, last, default), help=t("controls.start_help", first=first))
    return slider(row, page, "step", t("controls.step"), first, last, default, width="stretch",
                  help=t("controls.step_help"))


def _move(key: str, by: int | None, first: int, last: int, default: int) -> None:
    current = int(st.session_state.get(key, default))
    st.session_state[key] = first if by is None else min(max(current + by, first), last)


def step_view(page: str, last: int, parts: Callable[[int, Any], StepParts], *, first: int = 0,
              default: int | None = None, layout: Layout = Layout()) -> None:
    """The page's stepping view. ``parts(n, numbers)`` gives the parts at step ``n``; it may first draw its
    own widgets (a method to inspect) into ``numbers``, the numbers' column."""
    _step_fragment(page, last, parts, first, default, layout)


@fragment
def _step_fragment(page: str, last: int, parts, first: int, default: int | None, layout: Layout) -> None:
    hero = st.container(key="hero")  # the picture: on a phone it comes right after the title (ui.widgets.layout)
    top = hero.container() if layout.numbers_on_top else None
    if layout.columns is None:
        chart_col, numbers_col = hero, None
        if layout.numbers_on_top:  # step row | numbers, then the charts at full width
            top, numbers_col = top.columns([1, 1.15], gap="medium")
    else:
        chart_col, numbers_col = hero.columns(list(layout.columns), gap="medium")
    charts_slot = chart_col.container()
    # the step row sits under the picture it steps, like a player's controls; it heads the numbers' column
    # where the page asks, and in presenter mode, so that the picture can fill the screen's height
    beside = numbers_col is not None and (layout.controls_beside
                                          or presenting() and layout.present_controls_beside)
    row = top or (numbers_col if beside else chart_col.container())
    n = step_controls(page, last, first=first, default=default, container=row)
    view = parts(n, numbers_col or hero)
    columns = charts_slot.columns(list(layout.charts), gap="small") if len(view.charts) > 1 else [charts_slot]
    for col, item in zip(columns, view.charts):
        chart(col, item.figure, key=item.key, alt=item.alt)
    _blocks(chart_col, view.under)
    if numbers_col is None:
        numbers_col = hero.container()
    _blocks(numbers_col, view.numbers)
    if view.export is not None:
        export_buttons(page, view.export.runs, view.export.figure, view.export.fields,
                       container=numbers_col if layout.export_beside else hero)
    _blocks(hero, view.after)


def _blocks(where, blocks: Sequence[Block]) -> None:
    for kind, payload in blocks:
        if kind == "chart":
            chart(where, payload.figure, key=payload.key, alt=payload.alt)
        elif kind == "columns":  # (ratios, [blocks, blocks, …]): side by side
            ratios, groups = payload
            for col, group in zip(where.columns(list(ratios), gap="medium"), groups):
                _blocks(col, group)
        else:
            getattr(where, kind)(payload)


__all__ = ["Block", "Chart", "Export", "Layout", "StepParts", "step_controls", "step_view"]
