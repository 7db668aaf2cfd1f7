"""The picture's two views: the contour from above (the default: it steps, plays and takes taps) or the surface
in 3-D with the whole path lifted onto it (``ui.figures.surface3d``), and a keeper of the 3-D camera.

The 3-D chart is drawn by the page's full run, never by the step's fragment, so a step leaves it alone
(measured: its element is not touched). A full run (a slider moved) sends a new figure, and Streamlit then
replaces the chart's element (``Plotly.purge``, then ``Plotly.react`` on a new one): it opens at the figure's
camera whatever ``uirevision`` says (streamlit #8882). The keeper, a small component, keeps the student's
camera: it records ``scene.camera`` from every ``plotly_relayout`` of the 3-D chart in the tab's
``sessionStorage``; it wraps ``Plotly.react`` / ``newPlot`` so that the 3-D chart is drawn with the recorded
camera from its first frame; and after any redraw (``plotly_afterplot``) that still shows another camera it
applies the recorded one with ``Plotly.relayout``. ``tests/test_browser_3d.py`` measures it in Chromium.
"""

from __future__ import annotations

import streamlit as st

from ui import links
from ui.i18n import t
from ui.registry import widget_key
from ui.widgets.linking import seed
from ui.widgets.presenter import chart, presenting
from ui.widgets.viewport import is_phone

VIEWS = ("contour", "3d")
PHONE_ZOOM_OUT = 1.6  # a phone's chart is narrower than tall: the camera steps back so the box fits across
CAMERA_STORE = "optim-camera:"  # sessionStorage key prefix; the page's key follows

# presenter mode: the switch's words as large as the step buttons' (ui.widgets.presenter)
_PRESENT_CSS = """<style>
[data-testid="stMain"] .st-key-{key} button p {{ font-size: 22px !important; }}
[data-testid="stMain"] .st-key-{key} button {{ min-height: 2.8rem; }}
</style>"""

_CAMERA_JS = """
export default function ({ data }) {
  const { chart, store } = data;
  const read = key => { try { return JSON.parse(sessionStorage.getItem(key)); } catch (e) { return null; } };
  const keep = window.__optimCameraKeep = window.__optimCameraKeep || {};
  keep[chart] = store;
  // 1. Streamlit draws a chart with Plotly.react (a new figure, or a new element): the 3-D chart is drawn with
  //    the recorded camera from its first frame, not the figure's
  const wrap = () => {
    const P = window.Plotly;
    if (!P || P.__optimCameraWrapped) return;
    P.__optimCameraWrapped = true;
    for (const name of ["react", "newPlot"]) {
      const original = P[name];
      P[name] = function (gd, figure, ...rest) {
        const el = typeof gd === "string" ? document.getElementById(gd) : gd;
        const holder = el && el.closest && el.closest("[class*='st-key-']");
        const key = holder && Object.keys(keep).find(c => holder.classList.contains(`st-key-${c}`));
        const saved = key && read(keep[key]);
        if (saved) {
          const whole = figure && !Array.isArray(figure) && typeof figure === "object";  // react(gd, {data, layout})
          const layout = whole ? figure.layout : rest[0];
          if (layout && layout.scene) {
            const moved = { ...layout, scene: { ...layout.scene, camera: saved } };
            if (whole) figure = { ...figure, layout: moved }; else rest[0] = moved;
          }
        }
        return original.call(this, gd, figure, ...rest);
      };
    }
  };
  // 2. the student turns the chart: record its camera; and after any redraw that shows another, put it back
  const find = () => document.querySelector(`.st-key-${chart} .js-plotly-plot`);
  const near = (a, b) => !!(a && b) && ["eye", "center", "up"].every(p => a[p] && b[p]
    && ["x", "y", "z"].every(c => Math.abs(Number(a[p][c]) - Number(b[p][c])) < 1e-9));
  const shown = gd => {
    const scene = gd._fullLayout && gd._fullLayout.scene;
    if (scene && scene._scene && scene._scene.getCamera) return scene._scene.getCamera();
    return scene && scene.camera;
  };
  const apply = gd => {
    const saved = read(store);
    if (!saved || !window.Plotly || near(shown(gd), saved)) return;
    window.Plotly.relayout(gd, { "scene.camera": saved }).catch(() => {});
  };
  const hook = gd => {
    if (gd.__optimCamera === store) return;
    gd.__optimCamera = store;
    gd.on("plotly_relayout", event => {
      const camera = event && event["scene.camera"];
      if (camera && camera.eye) sessionStorage.setItem(store, JSON.stringify(camera));
    });
    gd.on("plotly_afterplot", () => apply(gd));
    apply(gd);
  };
  const watch = () => { wrap(); const gd = find(); if (gd && gd.on && gd._fullLayout) hook(gd); };
  if (window.__optimCameraStop) window.__optimCameraStop();
  const timer = setInterval(watch, 150);
  watch();
  const stop = () => clearInterval(timer);
  window.__optimCameraStop = stop;
  return stop;
}
"""

_keeper = st.components.v2.component("optim_camera", js=_CAMERA_JS)


def view_switch(where, page: str) -> str:
    """"Contour | 3-D", linked as ``view``: the view the page shows (``"contour"`` or ``"3d"``)."""
    key = widget_key(page, "view")
    seed("view", key, lambda text: links.parse_choice(text, VIEWS))
    held = st.session_state.get(key, VIEWS[0])  # the session's value is the default too (ui.widgets.linking._held)
    if presenting():
        where.html(_PRESENT_CSS.format(key=key))
    names = {"contour": t("view3d.contour"), "3d": t("view3d.solid")}
    value = where.segmented_control(t("view3d.label"), VIEWS, default=held if held in VIEWS else VIEWS[0],
                                    required=True, format_func=names.get, key=key, help=t("view3d.help"),
                                    label_visibility="collapsed")
    return value if value in VIEWS else VIEWS[0]


def show_solid(where, page: str, solid) -> None:
    """The 3-D chart ``solid`` (a ``Chart``), the words under it, and the keeper of its camera."""
    figure = solid.figure
    if is_phone():
        eye = figure.to_dict()["layout"]["scene"]["camera"]["eye"]
        figure = figure.update_layout(scene={"camera": {"eye": {k: v * PHONE_ZOOM_OUT for k, v in eye.items()}}})
    chart(where, figure, key=solid.key, alt=solid.alt)
    where.caption(t("view3d.caption"))
    keep_camera(page, solid.key)


def keep_camera(page: str, chart_key: str) -> None:
    """Keep the camera the student set on the 3-D chart ``chart_key`` across reruns (mounted in the sidebar:
    it takes no room beside the picture, and stays mounted while presenter mode hides the sidebar)."""
    with st.sidebar:
        _keeper(key=f"_{page}_camera", data={"chart": chart_key, "store": CAMERA_STORE + page})


__all__ = ["CAMERA_STORE", "VIEWS", "keep_camera", "show_solid", "view_switch"]
