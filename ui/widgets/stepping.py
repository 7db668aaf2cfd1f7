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

A picture with a ``view3d`` gets a "Contour | 3-D" switch (``ui.widgets.view3d``). The 3-D view is drawn by
the page's run, never by the fragment, so a step leaves it and its camera alone; it has no frames to play.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import links
from ui.figures.algorithm import compact_table
from ui.figures.tap import with_tap_grid
from ui.i18n import t
from ui.registry import widget_key
from ui.widgets import classroom
from ui.widgets.controls import HeroControls
from ui.widgets.downloads import export_buttons
from ui.widgets.frame import fragment
from ui.widgets.linking import seed, slider
from ui.widgets.pickers import start_from_tap
from ui.widgets.player import TAPPED, player
from ui.widgets.presenter import chart, presenting
from ui.widgets.view3d import show_solid, view_switch
from ui.widgets.viewport import is_phone


@dataclass(frozen=True)
class Chart:
    figure: Any
    key: str
    alt: str


@dataclass(frozen=True)
class Picture:
    """The hero chart as built at one step, and ``under(n)``: the lines under it at step ``n``, which may
    name what it draws as drawn (an arrow's scale)."""

    chart: Chart
    under: Callable[[int], Sequence[Block]] | None = None
    tap: Callable[[Any], None] | None = None  # a tap on the picture (ui.figures.tap), given {"points": [{x, y}]}
    view3d: Callable[[], Chart] | None = None  # the surface in 3-D: a "Contour | 3-D" switch shows it instead


@dataclass(frozen=True)
class Export:
    runs: Any  # {label: Trajectory}
    figure: Any = None
    fields: tuple[str, ...] = ()


# A block of the view: ("latex" | "markdown" | "caption" | "warning" | "info", text) or ("chart", Chart).
Block = tuple[str, Any]


@dataclass(frozen=True)
class StepParts:
    charts: Sequence[Chart] = ()  # the main chart as it is at this step (a page with no ``picture``)
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
    too wide for the column). On a phone the columns stack: the picture, the step row, the settings, the
    numbers."""

    side: float = 0.42
    present_side: float = 0.34
    numbers_below: bool = False
    beside_first: bool = False  # the ``beside`` blocks right under the step buttons, above the sliders


def step_controls(page: str, last: int, *, first: int = 0, default: int | None = None, container=None,
                  player_slot=None) -> int:
    """Previous / Next / Start buttons (keys ← → and Home) and a step slider, all one value: the ``step`` widget.

    One row: the buttons, then the slider, which is the scrubber of the page's stepping chart. With a list
    ``player_slot``, a container for the chart's ▶ Play is appended to it, placed after the buttons.
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
    return slider(row, page, "step", t("controls.step"), first, last, default, width="stretch",
                  help=t("controls.step_help"))


def _move(key: str, by: int | None, first: int, last: int, default: int) -> None:
    current = int(st.session_state.get(key, default))
    st.session_state[key] = first if by is None else min(max(current + by, first), last)


def step_view(page: str, last: int, parts: Callable[[int, Any], StepParts], *,
              picture: Callable[[int], Picture] | None = None, first: int = 0, default: int | None = None,
              layout: Layout = Layout(), controls: HeroControls | None = None) -> None:
    """The page's stepping view: ``picture(step)`` builds the hero chart at a step; ``parts(n, where)`` gives
    the rest at step ``n`` (it may draw its own widgets into ``where``); ``controls`` are the page's key
    settings, drawn beside the picture.

    The chart and the settings are drawn by the page's full run; the step's own things (the buttons, the
    player, the numbers, the captions) by a fragment, which writes them into slots (``st.empty``) made
    here, so a step reruns and resends only them. A step the chart has no frame for reruns the page.
    """
    present, phone = presenting(), is_phone()
    asked = classroom.question_here(page)  # a class's question on this page: the outcome stays hidden till the reveal
    if asked is not None and asked[1] != "revealed":
        drawn = picture(_current_step(page, last, first, default)) if picture is not None else None
        classroom.question_view(page, drawn.chart.figure if drawn is not None else None, *asked)
    hero = st.container(key="hero")  # the picture: on a phone it comes right after the title (ui.widgets.layout)
    revealed = st.container() if asked is not None else None  # the class's answers, right under the picture
    picture_col, side = hero.columns([1, layout.present_side if present else layout.side], gap="medium")
    n = _current_step(page, last, first, default)
    drawn = picture(n) if picture is not None else None
    if revealed is not None:
        answers = classroom.class_answers(asked[0])  # one read: the panel and the picture show the same answers
        with revealed:
            classroom.reveal_panel(asked[0], answers)
        if drawn is not None:
            drawn = replace(drawn, chart=replace(drawn.chart, figure=classroom.reveal_figure(drawn.chart.figure,
                                                                                                  asked[0], answers)))
    # the 3-D view is the full run's, never the fragment's: a step leaves it (and its camera) alone
    solid = drawn is not None and drawn.view3d is not None and view_switch(side, page) == "3d"
    if solid:
        show_solid(picture_col, page, drawn.view3d())
    elif drawn is not None:
        chart(picture_col, drawn.chart.figure, key=drawn.chart.key, alt=drawn.chart.alt)
    slots = _Slots(charts=picture_col.empty(), under=(side if phone else picture_col).empty())
    buttons = side.container()
    if layout.beside_first:
        slots.beside = side.empty()
    # presenter mode: beside the picture only the step buttons and the numbers; the sliders just under it
    knobs = hero.container(horizontal=True, gap="medium", key="hero_knobs") if present else side.container()
    if controls:
        controls.draw(knobs)
    if not layout.beside_first:
        slots.beside = side.empty()
    slots.numbers = (st.empty() if layout.numbers_below and not (present or phone) else side.empty())
    slots.after = st.empty()
    with buttons:
        _step_fragment(page, last, parts, first, default, drawn, slots, not solid)


@dataclass
class _Slots:
    """Where the fragment writes what is not its own: each an ``st.empty``, replaced on every run."""

    charts: Any = None
    under: Any = None
    beside: Any = None
    numbers: Any = None
    after: Any = None


def tappable(page: str, surface, chart_: Chart, *, per_surface: bool = True, **picture) -> Picture:
    """A ``Picture`` of ``chart_`` on ``surface`` where a tap (finger or mouse) moves the page's start there
    (``per_surface``: as ``start_picker`` keeps it)."""
    return Picture(Chart(with_tap_grid(chart_.figure, surface), chart_.key, chart_.alt),
                   tap=lambda selection: start_from_tap(page, surface, selection, per_surface=per_surface), **picture)


def _current_step(page: str, last: int, first: int, default: int | None) -> int:
    """The step the step row will show: a link's on a first run (taken now, for the picture), else the session's."""
    key = widget_key(page, "step")
    seed("step", key, lambda text: links.parse_number(text, first, last, integer=True))
    value = st.session_state.get(key, first if default is None else default)
    return min(max(int(value), first), last)


@fragment
def _step_fragment(page: str, last: int, parts, first: int, default: int | None, drawn: Picture | None,
                   slots: _Slots, playable: bool = True) -> None:
    present = presenting()
    slot: list = []
    n = step_controls(page, last, first=first, default=default, player_slot=slot)
    if drawn is not None and playable:  # the contour on screen: its frames play (the 3-D view has none)
        frames = _frames(drawn.chart.figure)
        ctx = get_script_run_ctx()
        if str(n) not in frames and ctx is not None and ctx.fragment_ids_this_run:
            st.rerun(scope="app")  # a step between thinned frames: the page builds the chart at it
        player(slot[0], page, drawn.chart.key, frames, n, widget_key(page, "step"), first=first, last=last,
               font_px=20 if present else 15, tap=drawn.tap)
        if st.session_state.pop(TAPPED, False) and ctx is not None and ctx.fragment_ids_this_run:
            st.rerun(scope="app")  # a tap moved the start: the run and its picture are the page's
    own = st.container()  # the page's own widgets (a method to inspect), and the export
    view = parts(n, own)
    _fill(slots.charts, [("chart", item) for item in view.charts])
    under = [*(drawn.under(n) if drawn is not None and drawn.under else ()), *view.under]
    _fill(slots.beside, view.beside)
    _fill(slots.under, under)
    # presenter mode: the numbers' column is narrow, so each line of the algorithm keeps its name only
    _fill(slots.numbers, [(kind, compact_table(text)) if present and kind == "latex" else (kind, text)
                          for kind, text in view.numbers])
    if view.export is not None and not present:  # presenter mode shows the picture and what drives it only
        figure = view.export.figure if view.export.figure is not None or drawn is None else drawn.chart.figure
        # one small button: beside the picture, the sliders come before the files
        export_buttons(page, view.export.runs, figure, view.export.fields,
                       container=own.popover(t("controls.export"), icon=":material/download:",
                                             help=t("controls.export_help")))
    _fill(slots.after, view.after)


def _fill(slot, blocks: Sequence[Block]) -> None:
    """Replace what ``slot`` shows with ``blocks`` (nothing: empty it)."""
    if blocks:
        _blocks(slot.container(), blocks)
    else:
        slot.empty()


def _frames(figure) -> list[str]:
    return [f["name"] for f in figure.to_dict().get("frames", [])]


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


__all__ = ["Block", "Chart", "Export", "HeroControls", "Layout", "Picture", "StepParts", "step_controls", "step_view",
           "tappable"]
