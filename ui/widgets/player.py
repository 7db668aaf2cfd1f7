"""▶ Play for a stepping page: the browser animates the chart, and the step follows where it stopped.

It also shows the page's step: the chart may be a figure built at an earlier step whose frames reach
this one (``ui.widgets.stepping``), so on every run the player jumps the chart to the step's frame.

Plotly's animation runs in the browser and its events never reach Python, so a Play button inside the
figure leaves the page's step, its numbers and its link behind: the next → jumped back. This small
component plays the hero chart's frames with ``Plotly.animate`` from the page's current step, and when
the animation is paused or reaches its end it reports the frame on screen. Its callback moves the step
there, so the numbers, the link and the next → go on from the picture the class is looking at.
A report costs one fragment run; playing costs the server nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ui.figures.animation import FRAME_MS
from ui.i18n import t

_PLAYER_CSS = """
.optim-player { display: flex; gap: 0.35rem; flex-wrap: wrap; align-items: center; }
.optim-player button { font: inherit; font-size: var(--player-font, 16px); line-height: 1.2;
  padding: 0.35em 0.8em; border-radius: 0.5rem; border: 1px solid rgba(49, 51, 63, 0.3);
  background: #fff; color: #262730; cursor: pointer; min-height: 2.4em; }
.optim-player button:hover { border-color: #0068c9; color: #0068c9; }
.optim-player button[aria-pressed="true"] { background: #e8f1fb; border-color: #0068c9; }
"""

_PLAYER_JS = """
export default function ({ data, parentElement, setTriggerValue }) {
  const { chart, frames, step, labels, ms, font, page, firstStep, lastStep } = data;
  let root = parentElement.querySelector("div.optim-player");
  if (!root) {
    root = document.createElement("div");
    root.className = "optim-player";
    parentElement.appendChild(root);
  }
  root.style.setProperty("--player-font", font + "px");
  root.replaceChildren();
  const chartDiv = () => document.querySelector(`.st-key-${chart} .js-plotly-plot`);
  const first = frames.find(name => Number(name) >= step) ?? frames[frames.length - 1];
  const state = { current: first, playing: false };
  // a tap (finger or mouse) on the picture's invisible grid (ui.figures.tap) reports the point: the start moves
  state.tap = data.tap ? (x, y) => setTriggerValue("tap", { x, y }) : null;
  const watch = gd => {  // one listener per chart div, reading the state of the player drawn last
    gd.__optimPlayer = state;
    if (gd.__optimWatched) return;
    gd.__optimWatched = true;
    gd.on("plotly_animatingframe", event => { if (gd.__optimPlayer) gd.__optimPlayer.current = event.name; });
    gd.on("plotly_click", event => {
      const hit = (event.points || []).find(p => p.data && p.data.meta === "tap");
      if (hit && gd.__optimPlayer && gd.__optimPlayer.tap) gd.__optimPlayer.tap(hit.x, hit.y);
    });
  };
  const report = () => setTriggerValue("frame", Number(state.current));
  const buttons = [];
  const press = which => buttons.forEach(([b, name]) => b.setAttribute("aria-pressed", String(name === which)));
  const play = (name, duration) => {
    const gd = chartDiv();
    if (!gd || !window.Plotly) return;
    watch(gd);
    let from = frames.indexOf(state.current);
    if (from < 0 || from >= frames.length - 1) from = 0;  // at the end: play again from the start
    state.playing = true;
    press(name);
    window.Plotly.animate(gd, frames.slice(from), {
      frame: { duration, redraw: false }, transition: { duration: 0 }, mode: "immediate",
    }).then(() => {
      if (state.playing) { state.playing = false; press(null); report(); }
    }, () => {});
  };
  const pause = () => {
    const gd = chartDiv();
    const was = state.playing;
    state.playing = false;
    press(null);
    if (gd && window.Plotly) {
      window.Plotly.animate(gd, [null], { frame: { duration: 0, redraw: false }, transition: { duration: 0 },
                                          mode: "immediate" });
    }
    if (was) report();
  };
  for (const [name, label] of labels) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.setAttribute("aria-pressed", "false");
    b.dataset.player = name;
    b.addEventListener("click", () => (name === "pause" ? pause() : play(name, ms[name])));
    root.appendChild(b);
    buttons.push([b, name]);
  }
  // show the page's step: the figure may have been built at an earlier step (ui.widgets.stepping), and
  // Streamlit keeps an unchanged chart as it is, so the step is a frame to jump to, not a new figure
  let tries = 0;
  const show = () => {
    const gd = chartDiv();
    if (gd && gd.on) watch(gd);  // taps count as soon as the chart is there, before its frames are
    const ready = gd && window.Plotly && gd._transitionData && (gd._transitionData._frameHash || {})[first];
    if (!ready) { if (tries++ < 100) setTimeout(show, 30); return; }
    watch(gd);
    if (state.playing) return;
    window.Plotly.animate(gd, [first], { frame: { duration: 0, redraw: false }, transition: { duration: 0 },
                                         mode: "immediate" }).catch(() => {});
  };
  show();
  // ← → Home and the step buttons move the picture at once: the step's frame is already here, so the chart
  // need not wait for the server's run, which follows with the numbers and the link and shows the same frame.
  // If no run follows (the key went to something else), the chart goes back to the page's step.
  let alive = true;
  const ahead = { shown: frames.includes(String(step)) ? step : null };
  const stepTo = target => {
    const gd = chartDiv();
    const name = String(target);
    if (ahead.shown === null || state.playing || !gd || !window.Plotly) return;
    if (!(gd._transitionData && (gd._transitionData._frameHash || {})[name])) return;
    ahead.shown = target;
    state.current = name;
    window.Plotly.animate(gd, [name], { frame: { duration: 0, redraw: false }, transition: { duration: 0 },
                                        mode: "immediate" }).catch(() => {});
    setTimeout(() => { if (alive && ahead.shown !== step) { ahead.shown = step; state.current = String(step);
      window.Plotly.animate(gd, [String(step)], { frame: { duration: 0, redraw: false },
                                                  transition: { duration: 0 }, mode: "immediate" }).catch(() => {}); }
    }, 4000);
  };
  const move = { ArrowRight: +1, ArrowLeft: -1 };
  const typing = el => el && el.closest && el.closest(
    "input, textarea, select, [contenteditable=''], [contenteditable='true'], [role=slider], [role=combobox]");
  const onKey = event => {
    if (event.defaultPrevented || event.repeat || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey
        || typing(event.target) || ahead.shown === null) return;
    if (event.key in move) stepTo(Math.min(Math.max(ahead.shown + move[event.key], firstStep), lastStep));
    else if (event.key === "Home") stepTo(firstStep);
  };
  const onClick = event => {
    const button = event.target.closest && event.target.closest("button");
    if (!button || button.disabled || ahead.shown === null) return;
    const holder = button.closest(`.st-key-_${page}_next, .st-key-_${page}_prev, .st-key-_${page}_first`);
    if (!holder) return;
    const cls = holder.className;
    if (cls.includes(`_${page}_next`)) stepTo(Math.min(ahead.shown + 1, lastStep));
    else if (cls.includes(`_${page}_prev`)) stepTo(Math.max(ahead.shown - 1, firstStep));
    else stepTo(firstStep);
  };
  if (window.__optimStepAhead) window.__optimStepAhead();
  document.addEventListener("keydown", onKey, true);
  document.addEventListener("click", onClick, true);
  // a newer render of the player (the server's run after the key) retires this one and its pending revert:
  // Streamlit may draw the component again without calling the cleanup returned below
  // Streamlit may replace the chart's element (a rerun that changes its size) without drawing the player
  // again: the new element gets the listeners too
  const keep = setInterval(() => { const gd = chartDiv(); if (gd && gd.on && gd.__optimPlayer !== state) watch(gd); },
                           200);
  const forget = () => { alive = false;
                         clearInterval(keep);
                         document.removeEventListener("keydown", onKey, true);
                         document.removeEventListener("click", onClick, true); };
  window.__optimStepAhead = forget;
  return () => { state.playing = false; tries = 1000; alive = false; forget(); };
}
"""

_player = st.components.v2.component("optim_player", html="", css=_PLAYER_CSS, js=_PLAYER_JS)


def player_key(page: str) -> str:
    return f"_{page}_player"


TAPPED = "_player_tapped"  # set by a tap's callback: the step's fragment then reruns the page


def player(where, page: str, chart_key: str, frames: Sequence[str], step: int, step_key: str, *,
           first: int, last: int, font_px: int = 16, tap: Callable[[dict], None] | None = None) -> None:
    """Play / Pause / Slow / Fast for the chart drawn with ``chart_key``, from ``step``; a stop moves ``step_key``."""
    if len(frames) < 2:
        return
    labels = [("play", t("figure.play")), ("pause", t("figure.pause")),
              ("slow", t("figure.slow")), ("fast", t("figure.fast"))]
    ms = {"play": FRAME_MS["Play"], "slow": FRAME_MS["Slow"], "fast": FRAME_MS["Fast"]}
    key = player_key(page)
    with where:
        _player(key=key, data={"chart": chart_key, "frames": list(frames), "step": int(step), "labels": labels,
                               "ms": ms, "font": font_px, "page": page, "firstStep": int(first), "lastStep": int(last),
                               "tap": tap is not None},
                on_frame_change=lambda: _follow(key, step_key, frames),
                on_tap_change=lambda: _tapped(key, tap))


def _tapped(key: str, tap: Callable[[dict], None] | None) -> None:
    """A tap on the picture: the page's ``tap`` gets the point; the fragment then reruns the whole page."""
    result = st.session_state.get(key)
    point = result.get("tap") if isinstance(result, dict) else getattr(result, "tap", None)
    if tap is not None and isinstance(point, dict):
        tap({"points": [point]})
        st.session_state[TAPPED] = True


def _follow(key: str, step_key: str, frames: Sequence[str]) -> None:
    """The player stopped on a frame: the step moves there (a frame's name is its step)."""
    result = st.session_state.get(key)
    frame = result.get("frame") if isinstance(result, dict) else getattr(result, "frame", None)
    if isinstance(frame, (int, float)) and str(int(frame)) in frames:
        st.session_state[step_key] = int(frame)


__all__ = ["TAPPED", "player", "player_key"]
