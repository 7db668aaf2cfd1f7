"""Play / Pause buttons and a scrubber for Plotly animations whose frames move traces only.

Every animation in the app changes only trace data (``redraw: False``): the
surface picture lives in the layout and stays put, and no frame pays for a full
redraw. These are the arguments that say so, in one place.
"""

from __future__ import annotations

from collections.abc import Sequence

from ui.i18n import t

FRAME_MS = {"Slow": 220, "Play": 90, "Fast": 35}
# Play buttons' and scrubber's offsets below the x axis, and the bottom margin (px): pinned
# in pixels, not in fractions of the plot, so they clear the axis title whatever the height.
CONTROLS_PX = (52, 100, 165)
SCRUBBER_FONT_PX = 14  # the scrubber's current value and tick labels: never smaller
MAX_TICK_LABELS = 10  # more stops than this and the scrubber's tick labels are hidden
HIDDEN = "rgba(0,0,0,0)"


def frame_args(duration_ms: int = 0, *, from_current: bool | None = None) -> dict:
    """``Plotly.animate`` options: trace-only frames, no transition, ``duration_ms`` per frame."""
    args = {"frame": {"duration": duration_ms, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    if from_current is not None:
        args["fromcurrent"] = from_current
    return args


def play_button(label: str, duration_ms: int, frames: Sequence[str] | None = None, *,
                from_current: bool = True) -> dict:
    """Play ``frames`` (all of them when None) at ``duration_ms`` per frame."""
    return {"label": label, "method": "animate",
            "args": [None if frames is None else list(frames), frame_args(duration_ms, from_current=from_current)]}


def jump_button(label: str, frame: str) -> dict:
    """Show one frame at once: a Pause when ``frame`` is None."""
    return {"label": label, "method": "animate", "args": [[frame], frame_args()]}


def pause_button(label: str | None = None) -> dict:
    return jump_button(label or t("figure.pause"), None)


def button_row(buttons: list[dict], *, pad_top: int = CONTROLS_PX[0], x: float = 0.0, y: float = 0.0) -> dict:
    """An ``updatemenus`` entry: the buttons in a row under the plot, pinned ``pad_top`` px below its bottom."""
    return {"type": "buttons", "direction": "left", "showactive": False, "x": x, "y": y,
            "xanchor": "left", "yanchor": "top", "pad": {"r": 4, "t": pad_top}, "buttons": buttons,
            "font": {"size": 14}}


def play_buttons(frames: Sequence[str] | None = None) -> dict:
    """Play at three speeds, and Pause; each play resumes from the current frame.

    ``frames`` (names) restricts the play to those frames, e.g. from a page's current step on.
    """
    return button_row([play_button(t("figure.play"), FRAME_MS["Play"], frames), pause_button(),
                       play_button(t("figure.slow"), FRAME_MS["Slow"], frames),
                       play_button(t("figure.fast"), FRAME_MS["Fast"], frames)])


def scrubber(names: Sequence[str], labels: Sequence[str] | None = None, *, active: int = 0,
             prefix: str | None = None, pad_top: int = CONTROLS_PX[1], tick_labels: bool | None = None,
             **extra) -> dict:
    """A slider with one stop per frame (``names``), labelled ``labels`` (the names by default).

    Tick labels are 14 px (legible from the back row) or hidden: ``tick_labels`` None shows
    them when there are at most ``MAX_TICK_LABELS`` stops, which fit side by side even on a
    phone; more would pile into a smear. Hidden labels keep their text (the current value
    above the slider prints it), drawn in a transparent colour.
    """
    labels = list(names) if labels is None else list(labels)
    if tick_labels is None:
        tick_labels = len(labels) <= MAX_TICK_LABELS
    slider = {"active": active, "x": 0.0, "len": 1.0, "y": 0.0, "yanchor": "top", "xanchor": "left",
              "pad": {"t": pad_top, "b": 0},
              # the readout names its colour: it would inherit the hidden ticks' transparent one
              "currentvalue": {"prefix": t("figure.step_prefix") if prefix is None else prefix,
                               "font": {"size": SCRUBBER_FONT_PX, "color": "#111111"}, "offset": 4},
              "ticklen": 3, "minorticklen": 0,
              "font": {"size": SCRUBBER_FONT_PX} if tick_labels else {"size": SCRUBBER_FONT_PX, "color": HIDDEN},
              "steps": [{"label": label, "method": "animate", "args": [[name], frame_args()]}
                        for name, label in zip(names, labels)]}
    slider.update(extra)
    return slider
