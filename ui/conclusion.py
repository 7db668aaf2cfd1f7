"""Conclusion page: the timeline of ideas (a Plotly figure that reveals them in order), the page's text and
references, and the last race (all nine optimizers at the Compare page's starting settings).

The timeline runs down the page, one row per idea in year order (the year on the left), so
every label has a row of its own and stays readable on a phone as on a projector. The
column of an idea's dot is what it changes: the basic step, a memory of the direction, a
per-parameter step size, both at once, or a wrapper around any optimizer. Ideas of the
same year keep the order of ``IDEAS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import plotly.graph_objects as go

import optim_core as oc

from . import compare as cmp
from . import notices
from .animation import button_row, pause_button, play_button, scrubber
from .figure import Figure
from .paths import Path, animated_paths, optimizer_path
from .scenes import Scene
from .specs import OptimizerSpec
from .theme import GRID_COLOR, axis, base_layout, color

RACE_MAX = 1000  # the race slider's top: runs are this long, and the page shows their first steps
DEFAULTS = MappingProxyType({"height": 660, "race_surface": "rosenbrock", "race_steps": 300, "race_frames": 40,
                             "race_height": 560, "presenter_race_height": 440})
SIDE_LEGEND = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top", "font": {"size": 15}}

LANES = ("the basic step", "a memory of the direction", "a step size per parameter", "both at once",
         "a wrapper around any optimizer")
LANE_SHORT = ("step", "memory", "per-param.", "both", "wrapper")  # the column names drawn on the chart
X_RIGHT = 10.5  # columns sit at x = 0..4; the rest of the width holds the labels (≤ 16 characters a line)
CAPTION_PX, HEADER_PX = 82, 64  # the caption band (up to 4 lines) and the slanted column names above the rows
CONTROLS_BELOW_PX = 150  # Play buttons, then the scrubber with its "up to" value and year ticks
CAPTION_LINE, CAPTION_LINES = 36, 4  # the caption wraps at 36 characters (≈ 300 px), four lines at most


@dataclass(frozen=True)
class Idea:
    """One milestone: when, which row, how it is drawn, and a line on what it fixed and what it kept."""

    key: str
    year: int
    name: str
    lane: int
    color: str
    fixed: str
    keeps: str
    refs: tuple[str, ...]
    short: str = ""  # the label drawn on the chart, if it differs from ``name`` (≤ 16 characters a line, <br>)


IDEAS = (
    Idea("gd", 1847, "Gradient descent", 0, color("sgd"),
         "Needs no formula for the minimum: from where you stand, step against the slope, −t∇L.",
         "The starting point: only the loss and its gradient at the current point.", ("cauchy",)),
    Idea("sgd", 1951, "SGD / mini-batch", 0, color("sgd"),
         "A full gradient costs a pass over all the data; one example or a small batch gives a cheap, "
         "noisy estimate that is right on average.",
         "Gradient descent's rule, unchanged; only the gradient is estimated.", ("robbins",)),
    Idea("momentum", 1964, "Momentum", 1, color("momentum"),
         "Zig-zagging across a narrow valley and crawling along it: a velocity v carries speed along "
         "directions where the gradients agree and cancels the ones that flip.",
         "The gradient step, plus a memory μ of the previous steps.", ("polyak",)),
    Idea("nesterov", 1983, "Nesterov", 1, color("nesterov"),
         "Momentum reacts late: taking the gradient at the point the velocity is about to reach "
         "corrects an overshoot one step earlier (and is provably faster on smooth convex problems).",
         "Momentum's velocity, with the gradient measured one step ahead.", ("nesterov",)),
    Idea("adagrad", 2011, "AdaGrad", 2, color("adagrad"),
         "One step size for every parameter: dividing by the root of each parameter's summed squared "
         "gradients gives rarely-moved parameters larger steps and busy ones smaller steps.",
         "The gradient direction, coordinate by coordinate.", ("duchi",)),
    Idea("rmsprop", 2012, "RMSProp", 2, color("rmsprop"),
         "AdaGrad's sum only grows, so its steps shrink towards zero; a decaying average of g² "
         "(forgetting rate ρ) keeps them alive.",
         "AdaGrad's per-parameter division by √(average g²).", ("tieleman",)),
    Idea("sutskever", 2013, "Momentum for deep nets", 1, color("momentum"),
         "The belief that plain first-order methods cannot train deep networks: with momentum (also in "
         "Nesterov's form) and a careful initialisation they can.",
         "Polyak's and Nesterov's momentum, written as v ← μv − t∇L, W ← W + v.", ("sutskever",),
         "Momentum for<br>deep nets"),
    Idea("adam", 2014, "Adam / AdaMax", 3, color("adam"),
         "Momentum and RMSProp each fix half of the problem: Adam keeps both averages, m and v, and "
         "corrects their bias towards the zero start; AdaMax swaps v for a running maximum of |g|.",
         "Momentum's m and RMSProp's v, together.", ("kingma",)),
    Idea("bottou", 2018, "Survey: SGD at scale", 0, "#7F7F7F",
         "A map of the field: why noisy, cheap steps suit large-scale learning, and how noise reduction "
         "and second-order ideas improve on them.",
         "Gradient descent and SGD as the baseline that every later method refines.", ("bottou",),
         "Survey:<br>SGD at scale"),
    Idea("lookahead", 2019, "Lookahead", 4, color("lookahead"),
         "Sensitivity to the step size and oscillation: k fast steps explore, then the slow weights φ move "
         "only a fraction α of the way, which damps the zig-zag and the noise.",
         "Any inner optimizer, untouched; one extra copy of the weights.", ("zhang",)),
    Idea("ranger", 2019, "Ranger = RAdam + Lookahead", 3, color("lookahead"),
         "Adam's first steps rest on a v estimated from very few gradients; RAdam rectifies that early "
         "variance, and Lookahead adds its stability on top.",
         "Adam's moments (via RAdam) inside Lookahead.", ("liu", "wright"), "Ranger =<br>RAdam + Lookahead"),
)

# predecessor -> successor links drawn as faint lines (only within a panel)
LINKS = (("gd", "sgd"), ("sgd", "momentum"), ("momentum", "nesterov"), ("adagrad", "rmsprop"),
         ("rmsprop", "adam"), ("sutskever", "adam"), ("adam", "ranger"), ("lookahead", "ranger"),
         ("sutskever", "bottou"))

REFERENCES = {
    "cauchy": "Cauchy, A.-L. (1847). Méthode générale pour la résolution des systèmes d'équations "
              "simultanées. *Comptes Rendus de l'Académie des Sciences*, 25, 536–538.",
    "robbins": "Robbins, H., & Monro, S. (1951). A stochastic approximation method. "
               "*The Annals of Mathematical Statistics*, 22(3), 400–407.",
    "polyak": "Polyak, B. T. (1964). Some methods of speeding up the convergence of iteration methods. "
              "*USSR Computational Mathematics and Mathematical Physics*, 4(5), 1–17.",
    "nesterov": "Nesterov, Y. (1983). A method for solving the convex programming problem with convergence "
                "rate O(1/k²). *Doklady Akademii Nauk SSSR*, 269(3), 543–547.",
    "duchi": "Duchi, J., Hazan, E., & Singer, Y. (2011). Adaptive subgradient methods for online learning and "
             "stochastic optimization. *Journal of Machine Learning Research*, 12, 2121–2159.",
    "tieleman": "Tieleman, T., & Hinton, G. (2012). Lecture 6.5 — RMSProp: divide the gradient by a running "
                "average of its recent magnitude. *COURSERA: Neural Networks for Machine Learning*.",
    "sutskever": "Sutskever, I., Martens, J., Dahl, G., & Hinton, G. (2013). On the importance of initialization "
                 "and momentum in deep learning. *Proceedings of the 30th International Conference on Machine "
                 "Learning (ICML)*, PMLR 28(3), 1139–1147.",
    "kingma": "Kingma, D. P., & Ba, J. (2015). Adam: A method for stochastic optimization. *International "
              "Conference on Learning Representations (ICLR)*. arXiv:1412.6980 (2014).",
    "bottou": "Bottou, L., Curtis, F. E., & Nocedal, J. (2018). Optimization methods for large-scale machine "
              "learning. *SIAM Review*, 60(2), 223–311.",
    "zhang": "Zhang, M. R., Lucas, J., Hinton, G., & Ba, J. (2019). Lookahead optimizer: k steps forward, 1 step "
             "back. *Advances in Neural Information Processing Systems 32 (NeurIPS 2019)*. arXiv:1907.08610.",
    "liu": "Liu, L., Jiang, H., He, P., Chen, W., Liu, X., Gao, J., & Han, J. (2020). On the variance of the "
           "adaptive learning rate and beyond (RAdam). *International Conference on Learning Representations "
           "(ICLR)*. arXiv:1908.03265 (2019).",
    "wright": "Wright, L. (2019). New deep learning optimizer, Ranger: synergistic combination of RAdam + "
              "LookAhead for the best of both. *Medium* (blog post, August 2019).",
}


# The page's prose, in the order it appears.
TIMELINE_CAPTION = ("One row per idea, oldest at the top. The column is what an idea changes: the basic step, a "
                    "memory of the direction, a step size per parameter, both at once, or a wrapper around any "
                    "optimizer. Press ▶ Play to reveal the ideas one by one, or hover a dot for the problem it "
                    "solved.")
REMEMBER = (
    "- **Every method here still steps along gradients.** What changes is the direction (momentum "
    "remembers it) and the length, per parameter (AdaGrad, RMSProp and Adam remember the gradients' size).\n"
    "- **Each idea contains its parent as a special case.** Momentum with μ = 0 is gradient descent; "
    "Adam with β₁ = 0 is RMSProp with a bias correction; Lookahead with k = 1 and α = 1 is its inner "
    "optimizer.\n"
    "- **The step size matters as much as the method.** Each one has a range that works and a cliff "
    "beyond it; the sweep on the Compare page shows how wide that range is.\n"
    "- **No method wins everywhere.** Newton lands on a bowl's minimum in one step, and just as happily "
    "on a saddle; Adam never explodes but keeps jittering near the end.\n"
    "- **Averaging pays off most with noise.** Real training sees mini-batch gradients; momentum, "
    "Adam's m and Lookahead's slow weights all smooth that noise out.")
SCHEMA_INTRO = "Schematically, every first-order update on the timeline fills in two blanks:"
SCHEMA = cmp.KEY_RULE  # the same two blanks the Compare page shows
REFERENCES_CAPTION = ("The lecture deck's own list: Kingma & Ba; Zhang et al.; Bottou, Curtis & Nocedal; "
                      "Sutskever et al.; and the Ranger blog post. The others are the original sources of the ideas "
                      "on the timeline.")


SCENES = (
    Scene("conclusion", "race", "Last race", "All nine down the Rosenbrock valley for 300 steps; the page opens here.",
          {"conclusion_surface": "rosenbrock", "conclusion_steps": 300}),
    Scene("conclusion", "saddle", "Last race on a saddle", "On x² − y² most methods run downhill off the map: "
          "escaped, the right thing to do where the loss has no bottom; Newton stops on the saddle point.",
          {"conclusion_surface": "saddle", "conclusion_steps": 300}),
    Scene("conclusion", "long", "Long race", "1000 steps on Rosenbrock: the slow starters catch up, and the "
          "adaptive methods' jitter near the minimum shows.",
          {"conclusion_surface": "rosenbrock", "conclusion_steps": RACE_MAX}),
)


def race_caption(steps: int) -> str:
    return (f"{steps} steps each, at the step size the Compare page starts with on this surface; "
            "try other surfaces and settings there.")


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
    text = ("Press ▶ Play to walk through the ideas in order." if idea is None
            else f"<b>{idea.year} · {idea.name}</b>: {idea.fixed}")
    lines = _wrap(text, CAPTION_LINE).split("<br>")
    if len(lines) > CAPTION_LINES:  # cut to the band, at a word, with an ellipsis that still fits the line
        last = lines[CAPTION_LINES - 1]
        while len(last) + 2 > CAPTION_LINE:
            last = last.rsplit(" ", 1)[0]
        lines = lines[: CAPTION_LINES - 1] + [last + " …"]
    return {"x": [0.0], "y": [0.0], "text": ["<br>".join(lines)]}


def _wrap(text: str, width: int = 60) -> str:
    """Break a long sentence into hover-sized lines."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
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
    data = [{**static, "mode": "lines", "name": "columns", "line": {"color": GRID_COLOR, "width": 1}, **lanes},
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
    buttons = [play_button("▶ Play", 1400, from_current=False), pause_button(),
               play_button("Fast", 500, from_current=False)]
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
                          prefix="up to ", pad_top=62, x=0.0, len=1.0, y=0,
                          currentvalue={"prefix": "up to ", "offset": 4, "font": {"size": 15, "color": "#111111"}})],
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
        statuses[name] = str(notices.run_status(run, surface))
        if statuses[name] == "diverged":
            notes.append(notices.divergence(name, run.diverged_at, "step size"))
    return paths, statuses, notes


def race_figure(surface: oc.Surface, paths: list[Path], height: int | None = None) -> go.Figure:
    """The last race: every path animated together, with a solid legend beside the map."""
    race = animated_paths(surface, paths, start=surface.start, height=height or DEFAULTS["race_height"],
                          max_frames=DEFAULTS["race_frames"])
    return solid_legend(race, [(p.label, p.color) for p in paths])


def export_runs(runs: dict[OptimizerSpec, oc.Trajectory]) -> dict[str, oc.Trajectory]:
    """The racers by the names the legend gives them: the CSV export's optimizer column."""
    return {cmp.display_name(opt): run for opt, run in runs.items()}


def solid_legend(fig: go.Figure, entries: list[tuple[str, str]]) -> go.Figure:
    """Replace a race figure's legend (faint path colours) by one solid line per ``(label, colour)``.

    The legend-only traces are appended, so the animation's trace indices stay valid.
    """
    fig.update_traces(showlegend=False)
    data = fig.to_dict()["data"]
    data += [{"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": name, "hoverinfo": "skip",
              "line": {"color": line_color, "width": 4}} for name, line_color in entries]
    return fig.update_layout(legend=dict(SIDE_LEGEND), showlegend=True)


def references_markdown(ideas=IDEAS) -> str:
    """The full citations, in the order the ideas appear, as a numbered markdown list."""
    keys = list(dict.fromkeys(k for i in sorted(ideas, key=lambda i: i.year) for k in i.refs))
    return "\n".join(f"{n}. {REFERENCES[k]}" for n, k in enumerate(keys, start=1))


def ideas_markdown(ideas=IDEAS) -> str:
    """A table: year, idea, what it fixed, what it keeps from before."""
    rows = ["| year | idea | what it fixed | what it keeps |", "|---|---|---|---|"]
    def cell(text: str) -> str:
        return text.replace("|", "\\|")  # a bare | would end the table cell

    rows += [f"| {i.year} | **{i.name}** | {cell(i.fixed)} | {cell(i.keeps)} |"
             for i in sorted(ideas, key=lambda i: i.year)]
    return "\n".join(rows)
