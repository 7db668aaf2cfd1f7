"""Conclusion page: the timeline of ideas (a Plotly figure that reveals them in order), the page's text and
references, and the last race (all nine optimizers at the Compare page's starting settings).

The timeline runs down the page, one row per idea in year order (the year on the left), so
every label has a row of its own and stays readable on a phone as on a projector. The
column of an idea's dot is what it changes: the basic step, a memory of the direction, a
per-parameter step size, both at once, or a wrapper around any optimizer. Ideas of the
same year keep the order of ``IDEAS``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

import plotly.graph_objects as go

import optim_core as oc
from ui import catalog as cmp
from ui import notices
from ui.figures.animation import button_row, pause_button, play_button, scrubber
from ui.figures.figure import Figure
from ui.figures.paths import Path, animated_paths, optimizer_path
from ui.figures.theme import GRID_COLOR, axis, base_layout, color
from ui.i18n import has, t
from ui.scenes import Scene
from ui.specs import OptimizerSpec

RACE_MAX = 1000  # the race slider's top: runs are this long, and the page shows their first steps
DEFAULTS = MappingProxyType({"height": 660, "race_surface": "rosenbrock", "race_steps": 300, "race_frames": 40,
                             "race_height": 560, "presenter_race_height": 440})
SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top", "font": {"size": 15}}


class _Texts(Sequence):
    """Catalog strings read at use time, by position: ``LANES[1]`` is ``t("conclusion.lanes.memory")``."""

    def __init__(self, table: str, keys: tuple[str, ...]):
        self.table, self.keys = table, keys

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [t(f"{self.table}.{k}") for k in self.keys[i]]
        return t(f"{self.table}.{self.keys[i]}")

    def __len__(self) -> int:
        return len(self.keys)


LANE_KEYS = ("step", "memory", "per_parameter", "both", "wrapper")
LANES = _Texts("conclusion.lanes", LANE_KEYS)  # "the basic step", "a memory of the direction", …
LANE_SHORT = _Texts("conclusion.lanes_short", LANE_KEYS)  # the column names drawn on the chart
X_RIGHT = 10.5  # columns sit at x = 0..4; the rest of the width holds the labels (≤ 16 columns a line)
CAPTION_PX, HEADER_PX = 82, 64  # the caption band (up to 4 lines) and the slanted column names above the rows
CONTROLS_BELOW_PX = 150  # Play buttons, then the scrubber with its "up to" value and year ticks
CAPTION_LINE, CAPTION_LINES = 36, 4  # the caption wraps at 36 columns (≈ 300 px), four lines at most
# (a column is one Latin letter; a Hangul syllable is about twice as wide and counts as two)


@dataclass(frozen=True)
class Idea:
    """One milestone: when, which row, how it is drawn; its words (``name``, ``fixed``, ``keeps``, ``short``)
    are in the catalogs, ``[conclusion.ideas.<key>]``."""

    key: str
    year: int
    lane: int
    color: str
    refs: tuple[str, ...]

    def _text(self, field: str) -> str:
        return t(f"conclusion.ideas.{self.key}.{field}")

    @property
    def name(self) -> str:
        return self._text("name")

    @property
    def fixed(self) -> str:
        """What it fixed."""
        return self._text("fixed")

    @property
    def keeps(self) -> str:
        """What it keeps from before."""
        return self._text("keeps")

    @property
    def short(self) -> str:
        """The label drawn on the chart, if it differs from ``name`` (≤ 16 columns a line, <br>), else ""."""
        return self._text("short") if has(f"conclusion.ideas.{self.key}.short") else ""


IDEAS = (
    Idea("gd", 1847, 0, color("sgd"), ("cauchy",)),
    Idea("sgd", 1951, 0, color("sgd"), ("robbins",)),
    Idea("momentum", 1964, 1, color("momentum"), ("polyak",)),
    Idea("nesterov", 1983, 1, color("nesterov"), ("nesterov",)),
    Idea("adagrad", 2011, 2, color("adagrad"), ("duchi",)),
    Idea("rmsprop", 2012, 2, color("rmsprop"), ("tieleman",)),
    Idea("sutskever", 2013, 1, color("momentum"), ("sutskever",)),
    Idea("adam", 2015, 3, color("adam"), ("kingma",)),
    Idea("bottou", 2018, 0, "#7F7F7F", ("bottou",)),
    Idea("lookahead", 2019, 4, color("lookahead"), ("zhang",)),
    Idea("ranger", 2019, 3, color("lookahead"), ("liu", "wright")),
)

# predecessor -> successor links drawn as faint lines (only within a panel)
LINKS = (("gd", "sgd"), ("sgd", "momentum"), ("momentum", "nesterov"), ("adagrad", "rmsprop"),
         ("rmsprop", "adam"), ("sutskever", "adam"), ("adam", "ranger"), ("lookahead", "ranger"),
         ("sutskever", "bottou"))

# the sources, by key; each citation is in the catalogs, [conclusion.references]
REFERENCES = ("cauchy", "robbins", "polyak", "nesterov", "duchi", "tieleman", "sutskever", "kingma", "bottou",
              "zhang", "liu", "wright")


def reference(key: str) -> str:
    return t(f"conclusion.references.{key}")


def schema() -> str:
    """The one rule every idea on the timeline fills in: the Compare page's rule, the same two blanks."""
    return cmp.key_rule()


SCENES = (
    Scene("conclusion", "race", {"surface": "rosenbrock", "steps": 300}),
    Scene("conclusion", "saddle", {"surface": "saddle", "steps": 300}),
    Scene("conclusion", "long", {"surface": "rosenbrock", "steps": RACE_MAX}),
)


def race_caption(steps: int) -> str:
    return t("conclusion.race_caption", steps=steps)


def _points(ideas, **style) -> dict:
    return {"x": [float(i.lane) for i in ideas], "y": [float(_row(i)) for i in ideas], **style}


def _row(idea: Idea) -> int:
    """The idea's row: its place in year order (ties keep the order of ``IDEAS``)."""
    return next(j for j, i in enumerate(sorted(IDEAS, key=lambda i: i.year)) if i.key == idea.key)


_NOTHING = {"x": [None], "y": [None]}  # an invisible point: plotly.js drops the other traces while animating
# (redraw=False) when a frame empties a trace, so "nothing yet" is one null point, never []


def _revealed(ideas: list[Idea]) -> dict:
    """The x/y/text/colour data of the ideas shown so far."""
    if not ideas:
        return {**_NOTHING, "text": [""], "hovertext": [""],
                "marker": {"color": ["#FFFFFF"], "size": 18, "line": {"color": "white", "width": 2}}}
    return {**_points(ideas), "text": [i.short or i.name for i in ideas],
            "hovertext": [f"<b>{i.name}</b> ({i.year}), {LANES[i.lane]}<br>{_wrap(i.fixed)}" for i in ideas],
            "marker": {"color": [i.color for i in ideas], "size": 18, "line": {"color": "white", "width": 2}}}


def _caption(idea: Idea | None) -> dict:
    text = (t("conclusion.timeline_start") if idea is None
            else f"<b>{idea.year} · {idea.name}</b>: {idea.fixed}")
    lines = _wrap(text, CAPTION_LINE).split("<br>")
    if len(lines) > CAPTION_LINES:  # cut to the band, at a word, with an ellipsis that still fits the line
        last = lines[CAPTION_LINES - 1]
        while _width(last) + 2 > CAPTION_LINE:
            last = last.rsplit(" ", 1)[0]
        lines = lines[: CAPTION_LINES - 1] + [last + " …"]
    return {"x": [0.0], "y": [0.0], "text": ["<br>".join(lines)]}


def _width(text: str) -> int:
    """Columns ``text`` takes: two for a wide (Hangul) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int = 60) -> str:
    """Break a long sentence into hover-sized lines of at most ``width`` columns (see ``_width``)."""
    lines, line = [], ""
    for word in text.split():
        if line and _width(line) + 1 + _width(word) > width:
            lines.append(line)
            line = ""
        line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def timeline_figure(ideas=IDEAS, height: int | None = None) -> go.Figure:
    """One row per idea, oldest at the top, its dot in the column of what it changes; frames reveal the
    ideas one by one.

    Every label sits on its own row, right of its dot, so labels never meet whatever the chart's width
    (a phone's 360 px or a projector's 1200); the Play buttons and the scrubber sit under the rows.
    """
    ideas = sorted(ideas, key=lambda i: i.year)
    by_key = {i.key: i for i in ideas}
    last = len(ideas) - 0.5
    lanes = {"x": [v for lane in range(len(LANES)) for v in (lane, lane, None)],
             "y": [v for _ in LANES for v in (-0.5, last, None)]}
    links = {"x": [], "y": []}
    for a, b in LINKS:
        if a in by_key and b in by_key:
            links["x"] += [by_key[a].lane, by_key[b].lane, None]
            links["y"] += [_row(by_key[a]), _row(by_key[b]), None]
    static = {"type": "scatter", "hoverinfo": "skip", "showlegend": False}
    data = [{**static, "mode": "lines", "name": "columns", "line": {"color": GRID_COLOR, "width": 2}, **lanes},
            {**static, "mode": "lines", "name": "links", "line": {"color": "#B8C2CC", "width": 2, "dash": "dot"},
             **links},
            {**static, "mode": "markers", "name": "ahead", "marker": {"color": "#D3DAE1", "size": 16},
             **_points(ideas)}]
    moving = len(data)
    data.append({"type": "scatter", "mode": "markers+text", "showlegend": False, "name": "ideas",
                 "cliponaxis": False, "textposition": "middle right", "textfont": {"size": 15},
                 "hovertemplate": "%{hovertext}<extra></extra>", **_revealed(ideas)})
    data.append({**static, "mode": "markers", "name": "newest", **_NOTHING,
                 "marker": {"symbol": "circle-open", "size": 26, "color": "#111111", "line": {"width": 3}}})
    data.append({**static, "mode": "text", "xaxis": "x2", "yaxis": "y2", "name": "caption",
                 "textposition": "middle right", "cliponaxis": False, "textfont": {"size": 15, "color": "#333333"},
                 **_caption(None)})
    frames = []
    for j, idea in enumerate(ideas):
        frames.append({"name": str(j), "traces": list(range(moving, moving + 3)),
                       "data": [_revealed(ideas[: j + 1]), _points([idea]), _caption(idea)]})
    return Figure({"data": data, "layout": _layout(ideas, height or DEFAULTS["height"]), "frames": frames})


def _layout(ideas: list[Idea], height: int) -> dict:
    """Pixel budget, top to bottom: the caption band, the column names, the rows, then buttons and scrubber."""
    top, bottom = 10, CONTROLS_BELOW_PX
    plot = height - top - bottom
    rows_top = 1 - (CAPTION_PX + HEADER_PX) / plot
    buttons = [play_button(t("figure.play"), 1400, from_current=False), pause_button(),
               play_button(t("figure.fast"), 500, from_current=False)]
    up_to, after = t("conclusion.up_to").split("{year}")  # "up to 2014" / "2014년까지": the year's words
    return base_layout(
        height,
        margin={"l": 58, "r": 10, "t": top, "b": bottom},
        showlegend=False,
        xaxis=axis(showgrid=False, fixedrange=True, side="top", range=[-0.5, X_RIGHT], tickmode="array",
                   tickvals=list(range(len(LANES))), ticktext=list(LANE_SHORT), tickangle=-40,
                   tickfont={"size": 14, "color": "#556070"}, ticks=""),
        yaxis=axis(showgrid=False, fixedrange=True, range=[len(ideas) - 0.2, -0.5], domain=[0.0, rows_top],
                   tickmode="array", tickvals=list(range(len(ideas))), ticktext=[str(i.year) for i in ideas],
                   ticks="", linecolor="rgba(0,0,0,0)"),
        xaxis2={"domain": [0.0, 1.0], "range": [0, 1], "visible": False, "fixedrange": True, "anchor": "y2"},
        yaxis2={"domain": [1 - CAPTION_PX / plot, 1.0], "range": [-1, 1], "visible": False, "fixedrange": True,
                "anchor": "x2"},
        updatemenus=[button_row(buttons, pad_top=12, y=0)],
        sliders=[scrubber([str(j) for j in range(len(ideas))], [str(i.year) for i in ideas], active=len(ideas) - 1,
                          prefix=up_to, pad_top=62, x=0.0, len=1.0, y=0,
                          currentvalue={"prefix": up_to, "suffix": after, "offset": 4,
                                        "font": {"size": 15, "color": "#111111"}})],
    )


def race_specs(surface: oc.Surface) -> list[OptimizerSpec]:
    """All nine optimizers at the Compare page's starting settings on ``surface``."""
    return [cmp.default_spec(name, surface.name) for name in cmp.OPTIMIZER_NAMES]


def race_paths(runs: dict[OptimizerSpec, oc.Trajectory], surface: oc.Surface
               ) -> tuple[list[Path], dict[str, str], list[str]]:
    """A path per racer, each racer's status by label, and a divergence note for each that diverged.

    A run that leaves the map downhill (Adam on the saddle) is ``escaped``: no note, it did right.
    """
    paths, statuses, notes = [], {}, []
    for opt, run in runs.items():
        name = cmp.display_name(opt)
        paths.append(optimizer_path(opt.name, name, run.params, marker_size=12))
        statuses[name] = str(oc.status(run, surface))
        if statuses[name] == "diverged":
            notes.append(notices.divergence(name, run.diverged_at, t("notices.step_size")))
    return paths, statuses, notes


def race_figure(surface: oc.Surface, paths: list[Path], height: int | None = None) -> go.Figure:
    """The last race: every path animated together, with a solid legend beside the map."""
    race = animated_paths(surface, paths, start=surface.start, height=height or DEFAULTS["race_height"],
                          max_frames=DEFAULTS["race_frames"])
    return solid_legend(race, [(p.label, p.color) for p in paths])


def export_runs(runs: dict[OptimizerSpec, oc.Trajectory]) -> dict[str, oc.Trajectory]:
    """The racers by the names the legend gives them: the CSV export's optimizer column."""
    return {cmp.display_name(opt): run for opt, run in runs.items()}


def race_title(surface: oc.Surface) -> str:
    return t("conclusion.race_title", surface=cmp.surface_title(surface.name))


def solid_legend(fig: go.Figure, entries: list[tuple[str, str]]) -> go.Figure:
    """Replace a race figure's legend (faint path colours) by one solid line per ``(label, colour)``.

    The legend-only traces are appended, so the animation's trace indices stay valid.
    """
    fig.update_traces(showlegend=False)
    fig.append_traces([{"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": name,
                        "hoverinfo": "skip", "line": {"color": line_color, "width": 4}}
                       for name, line_color in entries])
    return fig.update_layout(legend=dict(SIDE_LEGEND), showlegend=True)


def references_markdown(ideas=IDEAS) -> str:
    """The full citations, in the order the ideas appear, as a numbered markdown list."""
    keys = list(dict.fromkeys(k for i in sorted(ideas, key=lambda i: i.year) for k in i.refs))
    return "\n".join(f"{n}. {reference(k)}" for n, k in enumerate(keys, start=1))


def ideas_markdown(ideas=IDEAS, *, stacked: bool = False) -> str:
    """A table: year, idea, what it fixed, what it keeps from before; ``stacked``, one item per idea with
    its two cells under it (a phone: four columns would reach past its edge)."""
    head = (t("conclusion.table.year"), t("conclusion.table.idea"), t("conclusion.table.fixed"),
            t("conclusion.table.keeps"))
    if stacked:
        return "\n".join(f"- **{i.year} · {i.name}**  \n{head[2]}: {i.fixed}  \n{head[3]}: {i.keeps}"
                         for i in sorted(ideas, key=lambda i: i.year))
    rows = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
    def cell(text: str) -> str:
        return text.replace("|", "\\|")  # a bare | would end the table cell

    rows += [f"| {i.year} | **{i.name}** | {cell(i.fixed)} | {cell(i.keeps)} |"
             for i in sorted(ideas, key=lambda i: i.year)]
    return "\n".join(rows)
