"""Step through an update: one row of step controls, and the one view every stepping page lays out.

A stepping page supplies its parts at step n (``StepParts``): the picture, the numbers (the algorithm's
lines filled with that step's values), a caption and what to export. ``step_view`` lays them out in a
fragment, so a step reruns only this part, inside the app's frame (``ui.widgets.frame.fragment``): its
language, its error guard and the link published after it.

A step moves the picture in the browser. The picture is an animation whose frames are steps; a step that
is one of its frames leaves the figure as it was (Streamlit keeps an identical chart as it is, without
redrawing it) and the player (``ui.widgets.player``) shows that frame. The figure is built again only at
a step it has no frame for, or when the page's settings change. So a step sends the numbers, not the
surface, and the chart is not rebuilt.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.figures.algorithm import compact_table
from ui.i18n import t
from ui.registry import widget_key
from ui.widgets.controls import HeroControls, rerun_page_if_asked
from ui.widgets.downloads import export_buttons
from ui.widgets.frame import fragment
from ui.widgets.linking import slider
from ui.widgets.player import player
from ui.widgets.presenter import chart, presenting
from ui.widgets.viewport import is_phone


@dataclass(frozen=True)
class Chart:
    figure: Any
    key: str
    alt: str


@dataclass(frozen=True)
class Picture:
    """The hero chart as built at one step, and the lines that describe it as drawn (an arrow's scale)."""

    chart: Chart
    under: Sequence[Block] = ()


@dataclass(frozen=True)
class Export:
    runs: Any  # {label: Trajectory}
    figure: Any = None
    fields: tuple[str, ...] = ()


# A block of the view: ("latex" | "markdown" | "caption" | "warning" | "info", text) or ("chart", Chart).
Block = tuple[str, Any]


@dataclass(frozen=True)
class StepParts:
    picture: Callable[[int], Picture] | None = None  # the hero, built at a step whose frames reach this one
    charts: Sequence[Chart] = ()  # or the main chart(s) as they are at this step, side by side
    numbers: Sequence[Block] = ()  # the algorithm's lines at this step: beside the chart, or below (Layout)
    beside: Sequence[Block] = ()  # beside the chart, under the controls (a second, smaller chart)
    under: Sequence[Block] = ()  # under the chart: badges, notes
    after: Sequence[Block] = ()  # full width, below everything
    export: Export | None = None


@dataclass(frozen=True)
class Layout:
    """The hero is the picture with a column beside it: the step row, the page's key settings, then its
    numbers. ``side`` is that column's width against the picture's (1) on a desktop, ``present_side`` in
    presenter mode; ``numbers_below`` puts the numbers under the hero, at full width, on a desktop (a table
    too wide for the column); ``charts`` is the ratio of several main charts. On a phone the columns stack:
    the picture, the step row, the settings, the numbers."""

    side: float = 0.42
    present_side: float = 0.34
    numbers_below: bool = False
    charts: tuple[float, ...] = ()
    beside_first: bool = False  # the ``beside`` blocks right under the step buttons, above the sliders


def step_controls(page: str, last: int, *, first: int = 0, default: int | None = None, container=None,
                  player_slot=None, slider_container=None) -> int:
    """Previous / Next / Start buttons (keys ← → and Home) and a step slider, all one value: the ``step`` widget.

    One row: the buttons, then the slider, which is the scrubber of the page's stepping chart (or the
    slider in ``slider_container``). With a list ``player_slot``, a container for the chart's ▶ Play is
    appended to it, placed after the buttons.
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
    if player_slot is not None:
        player_slot.append(row.container(width="content"))
    return slider(slider_container or row, page, "step", t("controls.step"), first, last, default, width="stretch",
                  help=t("controls.step_help"))


def _move(key: str, by: int | None, first: int, last: int, default: int) -> None:
    current = int(st.session_state.get(key, default))
    st.session_state[key] = first if by is None else min(max(current + by, first), last)


def step_view(page: str, last: int, parts: Callable[[int, Any], StepParts], *, first: int = 0,
              default: int | None = None, layout: Layout = Layout(), controls: HeroControls | None = None) -> None:
    """The page's stepping view. ``parts(n, numbers)`` gives the parts at step ``n``; it may first draw its
    own widgets (a method to inspect) into ``numbers``, the numbers' container. ``controls`` are the page's
    key settings, drawn beside the picture."""
    _step_fragment(page, last, parts, first, default, layout, controls)


@fragment
def _step_fragment(page: str, last: int, parts, first: int, default: int | None, layout: Layout,
                   controls: HeroControls | None) -> None:
    rerun_page_if_asked()
    present, phone = presenting(), is_phone()
    hero = st.container(key="hero")  # the picture: on a phone it comes right after the title (ui.widgets.layout)
    picture, side = hero.columns([1, layout.present_side if present else layout.side], gap="medium")
    buttons = side.container()
    beside = side.container() if layout.beside_first else None
    # presenter mode: beside the picture only the step buttons and the numbers; the sliders just under it
    knobs = hero.container(horizontal=True, gap="medium", key="hero_knobs") if present else side.container()
    beside = beside or side.container()
    below = st.container()
    slot: list = []
    n = step_controls(page, last, first=first, default=default, container=buttons, player_slot=slot,
                      slider_container=knobs if present or layout.beside_first else None)
    if controls:
        controls.draw(knobs)
    numbers = below if layout.numbers_below and not (present or phone) else side
    view = parts(n, knobs if present else numbers)  # the page's own choosers (a method to inspect) sit with the knobs
    hero_chart, under = None, list(view.under)
    if view.picture is not None:
        drawn = _picture(page, view.picture, n, last)
        hero_chart, under = drawn.chart, [*drawn.under, *under]
        chart(picture, hero_chart.figure, key=hero_chart.key, alt=hero_chart.alt)
        player(slot[0], page, hero_chart.key, _frames(hero_chart.figure), n, widget_key(page, "step"),
               font_px=20 if present else 15)
    charts = picture.columns(list(layout.charts), gap="small") if len(view.charts) > 1 else [picture]
    for col, item in zip(charts, view.charts):
        chart(col, item.figure, key=item.key, alt=item.alt)
    _blocks(beside, view.beside)
    _blocks(side if phone else picture, under)  # on a phone the step row stays right under the picture
    # presenter mode: the numbers' column is narrow, so each line of the algorithm keeps its name only
    _blocks(numbers, [(kind, compact_table(text)) if present and kind == "latex" else (kind, text)
                      for kind, text in view.numbers])
    if view.export is not None and not present:  # presenter mode shows the picture and what drives it only
        figure = view.export.figure if view.export.figure is not None or hero_chart is None else hero_chart.figure
        export_buttons(page, view.export.runs, figure, view.export.fields, container=numbers)
    _blocks(below, view.after)


def _frames(figure) -> list[str]:
    return [f["name"] for f in figure.to_dict().get("frames", [])]


def _picture(page: str, build: Callable[[int], Picture], n: int, last: int) -> Picture:
    """The hero as built at the step the last full run showed (its base), if it has a frame for ``n``;
    else built at ``n``, which becomes the base. A full run builds at ``n``: its settings changed anyway."""
    base_key = f"_{page}_picture_step"
    ctx = get_script_run_ctx()
    if ctx is None or not ctx.fragment_ids_this_run or base_key not in st.session_state:
        st.session_state[base_key] = n
    base = min(int(st.session_state[base_key]), last)
    drawn = build(base)
    if base != n and str(n) not in _frames(drawn.chart.figure):
        st.session_state[base_key] = base = n
        drawn = build(n)
    return drawn


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


__all__ = ["Block", "Chart", "Export", "HeroControls", "Layout", "Picture", "StepParts", "step_controls", "step_view"]
