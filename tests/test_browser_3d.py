"""The 3-D view keeps the student's camera, in Chromium (ui.widgets.view3d).

Since Streamlit 1.35 a 3-D chart opens at its figure's camera whenever it is drawn again, whatever ``uirevision``
says (streamlit #8882). Measured here on Home: a step (→) does not touch the 3-D chart at all (it is outside the
step's fragment); moving the step-size slider sends a new figure and Streamlit replaces the chart's element,
which without the keeper opens at the default camera. With the keeper the camera the student set is the one on
screen after both, and on every frame in between (no flash of the default view).
"""

from __future__ import annotations

import pytest
from conftest import PROJECTOR

from harness.server import page_url, wait_for_page

pytestmark = pytest.mark.browser

GD = "document.querySelector('[data-testid=stMain] .st-key-home_3d .js-plotly-plot')"
CAMERA_JS = f"""() => {{ const gd = {GD}; const s = gd && gd._fullLayout && gd._fullLayout.scene;
    return s && s._scene ? s._scene.getCamera() : null; }}"""
# every animation frame: the camera on screen, and which element shows it
RECORD_JS = f"""() => {{ window.__eyes = []; cancelAnimationFrame(window.__eyesFrame);
    const tick = () => {{ const c = ({CAMERA_JS})(); const gd = {GD};
        if (c) window.__eyes.push([c.eye.x, c.eye.y, c.eye.z, gd.__eyesId = gd.__eyesId || Math.random()]);
        window.__eyesFrame = requestAnimationFrame(tick); }};
    tick(); }}"""
PATH_JS = f"() => {{ const gd = {GD}; const p = gd && gd._fullData && gd._fullData.find(t => t.meta === 'path');" \
          " return p ? p.x.length + ':' + p.x[p.x.length - 1] : null; }"
SET = {"eye": {"x": 1.9, "y": 0.7, "z": 0.8}, "center": {"x": 0.05, "y": 0, "z": -0.1}, "up": {"x": 0, "y": 0, "z": 1}}


def _assert_camera(tab, where: str) -> int:
    """The camera on screen is SET, and was on every frame recorded since the last call; how many elements showed it."""
    camera = tab.evaluate(CAMERA_JS)
    for part, want in SET.items():
        for axis, value in want.items():
            assert abs(camera[part][axis] - value) < 1e-6, f"{where}: {part}.{axis} = {camera[part][axis]}"
    frames = tab.evaluate("() => window.__eyes.splice(0)")
    shown = {(round(x, 6), round(y, 6), round(z, 6)) for x, y, z, _ in frames}
    assert shown <= {(1.9, 0.7, 0.8)}, f"{where}: frames showed another camera: {sorted(shown)[:4]}"
    return len({gd for *_, gd in frames})


def test_stepping_and_a_slider_keep_the_camera_the_student_set(browser, app_server):
    context = browser.new_context(viewport=PROJECTOR)
    tab = context.new_page()
    tab.goto(page_url(app_server, "home"))
    wait_for_page(tab)
    tab.locator("[data-testid=stMain] .st-key-home_view button", has_text="3-D").click()
    tab.wait_for_function(f"() => ({CAMERA_JS})() !== null && {GD}.__optimCamera", timeout=30_000)
    wait_for_page(tab)
    assert "view=3d" in tab.url
    assert tab.locator(".optim-player button").count() == 0  # the 3-D view has no frames to play
    default = tab.evaluate(CAMERA_JS)["eye"]
    tab.evaluate(f"camera => window.Plotly.relayout({GD}, {{'scene.camera': camera}})", SET)
    tab.evaluate(RECORD_JS)
    _assert_camera(tab, "set")

    tab.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    tab.keyboard.press("ArrowRight")  # a step: the step's fragment reruns, the 3-D chart is not part of it
    tab.wait_for_function("() => new URLSearchParams(location.search).get('step') === '1'", timeout=15_000)
    wait_for_page(tab)
    assert _assert_camera(tab, "after a step") == 1  # the same element throughout

    before = tab.evaluate(PATH_JS)
    lr = tab.locator("[data-testid=stMain] .st-key-home_lr input[type=range]").first
    lr.focus()
    lr.press("ArrowRight")  # a larger step size: the page reruns and sends a new 3-D figure
    tab.wait_for_function(f"before => ({PATH_JS})() !== null && ({PATH_JS})() !== before", arg=before,
                          timeout=20_000)
    wait_for_page(tab)
    assert "lr=0.001" not in tab.url
    _assert_camera(tab, "after the step-size slider")
    assert abs(default["x"] - SET["eye"]["x"]) > 1  # the figure's own camera is far from the one kept
    assert tab.locator("[data-testid=stException]").count() == 0
    context.close()
