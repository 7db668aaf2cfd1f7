"""The app in a real browser: Debian's Chromium driven by Playwright, one server for the session.

Every page: it loads, shows no exception box, draws a chart, a slider key press
changes a chart, Play advances the animation while the surface picture stays
drawn, and axe-core finds no serious or critical accessibility violation. Each page
is loaded once (conftest's ``tabs``): the checks that read the page come first, the
phone check resizes the same tab, and the checks that change it come last.
"""

from __future__ import annotations

import pytest
from conftest import PHONE, PROJECTOR

from harness.server import PAGE_KEYS, ROOT, page_url, streamlit_server, wait_for_page
from ui import registry

pytestmark = pytest.mark.browser

PAGES = list(PAGE_KEYS)
STEPPING = [p.key for p in registry.PAGES if p.stepping]
# the main ("hero") chart's plotting area, from Plotly's own layout: the inside of the axes, in screen pixels
HERO_PLOT_JS = """() => { const gd = document.querySelector('.st-key-hero .js-plotly-plot');
    const r = gd.getBoundingClientRect(), s = gd._fullLayout._size;
    return {top: r.top + s.t, w: s.w, h: s.h}; }"""
SCENES_TOP_JS = "() => document.querySelector('.st-key-page_scenes').getBoundingClientRect().top"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# A fingerprint of every trace of every chart: lengths and sums of x and y.
SIGNATURE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    (gd._fullData || []).map(t => {
        const s = a => a ? Array.from(a, Number).filter(Number.isFinite).reduce((p, q) => p + q, 0) : 0;
        return `${t.x ? t.x.length : 0}:${s(t.x).toFixed(9)}:${t.y ? t.y.length : 0}:${s(t.y).toFixed(9)}`;
    }).join('|')).join('||')"""

TRACE_XY_JS = "gd => JSON.stringify(gd._fullData.map(t => [t.x && Array.from(t.x), t.y && Array.from(t.y)]))"


def _no_exception(tab):
    boxes = tab.locator("[data-testid='stException']")
    assert boxes.count() == 0, boxes.first.inner_text()


def _wait_idle(tab):
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


FONT_AND_OPACITY_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
    const L = gd._fullLayout;
    const axes = Object.keys(L).filter(k => /^[xy]axis\\d*$/.test(k) && L[k].visible !== false
                                             && L[k].showticklabels !== false);
    return {
        ticks: axes.map(k => L[k].tickfont ? L[k].tickfont.size : null),
        legend: L.showlegend && L.legend ? L.legend.font.size : null,
        paths: gd._fullData.filter(t => t.type === 'scatter' && t.visible !== false && t.meta === 'path')
                 .map(t => ({name: t.name, opacity: t.opacity, width: t.line.width})),
        heatmapText: gd._fullData.filter(t => t.type === 'heatmap' && t.texttemplate).map(t => t.textfont.size),
    };
})"""


# --- read the page as it opened ---------------------------------------------------------

@pytest.mark.parametrize("name", PAGES, scope="module")
def test_page_loads_and_draws_a_chart(tabs, name):
    page = tabs(name)
    # a deep link gets app.py's navigation, not Streamlit's legacy file list (wait_for_page checks the link)
    assert page.locator("[data-testid='stSidebarNavLink']").count() == len(PAGES)
    assert page.locator("[data-testid='stMain'] h1").first.inner_text().strip()
    _no_exception(page)
    drawn = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".map(gd => gd._fullData.filter(t => t.visible !== false).length)")
    assert drawn and max(drawn) > 0
    assert page.locator("[data-testid='stPlotlyChart'] svg.main-svg").count() > 0


@pytest.mark.parametrize("name", PAGES, scope="module")
def test_no_serious_accessibility_violations(tabs, name):
    page = tabs(name)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                           ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
                           " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not bad, bad


@pytest.mark.parametrize("name", PAGES, scope="module")
def test_on_a_projector_text_is_large_paths_are_opaque_and_the_chart_is_on_screen(tabs, name):
    tab_at = tabs(name, viewport=PROJECTOR)
    charts = tab_at.evaluate(FONT_AND_OPACITY_JS)
    assert charts
    for i, c in enumerate(charts):
        assert all(size >= 14 for size in c["ticks"]), (i, c["ticks"])
        assert c["legend"] is None or c["legend"] >= 14, (i, c["legend"])
        assert all(size >= 14 for size in c["heatmapText"]), (i, c["heatmapText"])
        thin = [p for p in c["paths"] if p["opacity"] < 1 or p["width"] < 3]
        assert not thin, (i, thin)
    # the chart is on the first screen (whole, and how much of it: tests/test_browser_layout.py)
    chart = tab_at.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").first.bounding_box()
    assert chart and chart["y"] < PROJECTOR["height"] - 200, chart



# --- in the room: a phone (390×844) and a projector (1280×720) ---------------------------

@pytest.mark.parametrize("name", PAGES, scope="module")
def test_on_a_phone_nothing_scrolls_sideways_and_a_main_column_control_changes_the_chart(tabs, name):
    tab = tabs(name, viewport=PHONE)  # the page's tab, resized to the phone
    width = tab.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"
    sidebar_open = tab.evaluate("() => { const s = document.querySelector('[data-testid=stSidebar]');"
                                " return !!s && s.getAttribute('aria-expanded') === 'true'; }")
    assert not sidebar_open  # the sidebar starts closed: the chart is not covered
    chart = tab.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").first
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    if name in STEPPING:  # the picture comes right after the title, before the scenes and the settings
        plot = tab.evaluate(HERO_PLOT_JS)
        assert plot["top"] <= 420, plot  # the title takes up to three lines of a 390 px phone
        assert plot["w"] * plot["h"] >= 0.12 * PHONE["width"] * PHONE["height"], plot
        assert plot["top"] < tab.evaluate(SCENES_TOP_JS), plot
    # the setting the page is about can be changed right there, in the main column
    controls = tab.locator("[data-testid='stMain'] [data-testid='stSlider'], "
                           "[data-testid='stMain'] [data-testid='stSelectSlider']")
    assert controls.count() >= 1
    # and moving it redraws the chart (one test per page: each page load costs seconds)
    before = tab.evaluate(SIGNATURE_JS)
    slider = tab.locator("[data-testid='stMain'] [data-testid='stSlider'] input[type=range], "
                         "[data-testid='stMain'] [data-testid='stSelectSlider'] input[type=range]").first
    if slider.count() == 0:
        slider = tab.locator("[data-testid='stMain'] [role='slider']").first
    _press_and_see_the_chart_change(tab, slider, before)


def _press_and_see_the_chart_change(tab, slider, before: str) -> None:
    """One arrow key on ``slider`` (left at its maximum), then the charts differ from ``before``, with no error."""
    at_max = slider.evaluate("el => Number(el.value ?? el.getAttribute('aria-valuenow')) >= "
                             "Number(el.max ?? el.getAttribute('aria-valuemax'))")
    slider.focus()
    tab.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    tab.wait_for_function(f"before => ({SIGNATURE_JS})() !== before", arg=before, timeout=15_000)
    _wait_idle(tab)
    _no_exception(tab)


# --- then change it ------------------------------------------------------------------------

@pytest.mark.parametrize("name", PAGES, scope="module")
def test_a_slider_key_press_changes_the_chart(tabs, name):
    page = tabs(name)
    before = page.evaluate(SIGNATURE_JS)
    _press_and_see_the_chart_change(page, page.locator("[data-testid='stSlider'] input[type=range]").first, before)


@pytest.mark.parametrize("name", PAGES, scope="module")
def test_play_advances_the_animation_and_the_surface_stays(tabs, name):
    page = tabs(name)
    index = page.evaluate("""() => {
        const gds = [...document.querySelectorAll('.js-plotly-plot')];
        const animated = gds.map((gd, i) => [gd, i]).filter(([gd]) => (gd._transitionData || {})._frames
            && gd._transitionData._frames.length > 1);
        const withImage = animated.find(([gd]) => (gd._fullLayout.images || []).length);
        return (withImage || animated[0] || [null, -1])[1];
    }""")
    assert index >= 0, "no animated chart on this page"
    player = page.locator(".optim-player button[data-player=play]")
    # the page's player plays the hero chart (ui.widgets.player); elsewhere the chart's own ▶
    chart = (page.locator("[data-testid=stMain] .st-key-hero .js-plotly-plot").first if player.count()
             else page.locator(".js-plotly-plot").nth(index))
    chart.scroll_into_view_if_needed()
    has_image = chart.evaluate("gd => (gd._fullLayout.images || []).length > 0")
    before = chart.evaluate(TRACE_XY_JS)
    if player.count():
        player.first.click()
    else:
        chart.locator("g.updatemenu-button", has_text="▶").first.click()
    moved = page.wait_for_function(f"([gd, before]) => ({TRACE_XY_JS})(gd) !== before",
                                   arg=[chart.element_handle(), before], timeout=10_000, polling=50)
    assert moved, "the animation did not move"
    if player.count():
        _pause_and_the_step_follows(page, name)
    if has_image:
        picture = chart.locator("g.layer-below image, .imagelayer image").first
        assert picture.get_attribute("href").startswith("data:image/png")
        box = picture.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 100
    _no_exception(page)


STEP_JS = ("key => { const s = document.querySelector(`[data-testid=stMain] .st-key-${key} input[type=range]`);"
           " return s ? Number(s.value) : null; }")
SHOWN_FRAME_JS = "gd => gd.__optimPlayer ? gd.__optimPlayer.current : null"


def _pause_and_the_step_follows(page, name):
    """Pause where the animation is: the step, its link and the next → go on from the frame on screen."""
    key = f"{name}_step"
    first = page.evaluate(STEP_JS, key)
    page.wait_for_timeout(400)
    page.locator(".optim-player button[data-player=pause]").first.click()
    page.wait_for_function(f"([key, first]) => ({STEP_JS})(key) > first", arg=[key, first], timeout=15_000)
    _wait_idle(page)
    step = page.evaluate(STEP_JS, key)
    hero = page.locator("[data-testid=stMain] .st-key-hero .js-plotly-plot").first
    page.wait_for_function(f"([gd, step]) => String(({SHOWN_FRAME_JS})(gd)) === String(step)",
                           arg=[hero.element_handle(), step], timeout=10_000)
    assert f"step={step}" in page.url
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); document.body.focus(); }")
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"([key, step]) => ({STEP_JS})(key) === step + 1", arg=[key, step], timeout=15_000)
    page.wait_for_function(f"([gd, step]) => String(({SHOWN_FRAME_JS})(gd)) === String(step + 1)",
                           arg=[hero.element_handle(), step], timeout=10_000)


# --- fresh sessions of their own -------------------------------------------------------------

class HeldReplies:
    """The page's websocket to the server, with the server's messages held back on demand: what the
    browser does alone, before the server answers, can be seen."""

    def __init__(self, tab) -> None:
        self.held: list | None = None
        tab.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.ws = ws
        ws.on_message(server.send)
        server.on_message(lambda message: self.held.append(message) if self.held is not None else ws.send(message))

    def hold(self) -> None:
        self.held = []

    def release(self) -> None:
        held, self.held = self.held or [], None
        for message in held:
            self.ws.send(message)


def test_a_step_moves_the_picture_before_the_server_answers(browser, app_server):
    """→, ← and the Next button show the step's frame at once (ui.widgets.player); the server's run then
    brings the numbers and the link and leaves the picture where it is. With no run after the key, the
    picture goes back to the page's step."""
    context = browser.new_context(viewport=PROJECTOR)
    tab = context.new_page()
    replies = HeldReplies(tab)
    tab.goto(page_url(app_server, "momentum"))
    wait_for_page(tab)
    hero = tab.locator("[data-testid=stMain] .st-key-hero .js-plotly-plot").first.element_handle()
    key = "momentum_step"
    start = tab.evaluate(STEP_JS, key)

    def frame(name: str) -> str:  # the frame's traces as the chart shows them once it has jumped there
        return tab.evaluate(f"""([gd, name]) => Plotly.animate(gd, [name], {{frame: {{duration: 0, redraw: false}},
            transition: {{duration: 0}}, mode: 'immediate'}}).then(() => ({TRACE_XY_JS})(gd))""", [hero, name])

    expected = {n: frame(str(n)) for n in (start + 1, start + 2, start)}
    shown = start
    next_button = tab.locator("[data-testid=stMain] .st-key-_momentum_next button").first
    for press, to in [(lambda: tab.keyboard.press("ArrowRight"), start + 1),
                      (lambda: next_button.click(), start + 2),
                      (lambda: tab.keyboard.press("ArrowLeft"), start + 1)]:
        tab.evaluate("() => { document.activeElement && document.activeElement.blur(); document.body.focus(); }")
        before = tab.evaluate(TRACE_XY_JS, hero)
        replies.hold()
        press()
        tab.wait_for_function(f"([gd, before]) => ({TRACE_XY_JS})(gd) !== before", arg=[hero, before], timeout=5_000)
        assert tab.evaluate(TRACE_XY_JS, hero) == expected[to]
        assert tab.evaluate(STEP_JS, key) == shown, "the server answered while its replies were held"
        replies.release()
        tab.wait_for_function(f"([key, to]) => ({STEP_JS})(key) === to", arg=[key, to], timeout=15_000)
        _wait_idle(tab)
        assert tab.evaluate(TRACE_XY_JS, hero) == expected[to], "the server's run moved the picture again"
        assert f"step={to}" in tab.url
        shown = to
    tab.wait_for_timeout(4_500)  # past the player's revert delay: a run came, so nothing goes back
    assert tab.evaluate(TRACE_XY_JS, hero) == expected[shown], "an earlier key's revert moved the picture back"
    # a key with no run after it: the picture goes back to the page's step
    tab.evaluate("() => { document.activeElement && document.activeElement.blur(); document.body.focus(); }")
    replies.hold()
    tab.keyboard.press("ArrowLeft")
    tab.wait_for_function(f"([gd, shown]) => ({TRACE_XY_JS})(gd) === shown", arg=[hero, expected[start]],
                          timeout=5_000)
    tab.wait_for_function(f"([gd, shown]) => ({TRACE_XY_JS})(gd) === shown", arg=[hero, expected[start + 1]],
                          timeout=8_000)
    replies.release()
    tab.wait_for_function(f"([key, to]) => ({STEP_JS})(key) === to", arg=[key, start], timeout=15_000)
    _wait_idle(tab)
    assert tab.evaluate(TRACE_XY_JS, hero) == expected[start]
    _no_exception(tab)
    context.close()


def test_a_deep_link_as_the_very_first_request_of_a_fresh_server(browser):
    """On Community Cloud every wake-up is a new process and students arrive by deep link.

    A first request for /adam must get app.py's navigation (nine titled links) and the
    Adam page itself, not Streamlit's legacy file-name list. The session fixture loads
    pages in one process for the whole run, which would hide this; here nothing has
    been loaded before.
    """
    with streamlit_server(("--client.showErrorDetails", "false")) as base:
        context = browser.new_context(viewport=PROJECTOR)
        tab = context.new_page()
        tab.goto(f"{base}/adam")
        wait_for_page(tab)
        links = tab.locator("[data-testid='stSidebarNavLink']")
        assert links.count() == len(PAGES)
        assert "Home: what an optimizer does" in links.first.inner_text()
        assert tab.locator("[data-testid='stMain'] h1").first.inner_text().strip().startswith("Adam")
        _no_exception(tab)
        context.close()


@pytest.mark.parametrize("path, notice", [("home", False), ("no-such-page", True), ("Adam", True)])
def test_unknown_paths_land_on_home_with_one_line(browser, app_server, path, notice):
    context = browser.new_context(viewport=PROJECTOR)
    tab = context.new_page()
    tab.goto(f"{app_server}/{path}")
    wait_for_page(tab)
    assert tab.locator("[data-testid='stMain'] h1").first.inner_text().strip() == "How optimizers find the bottom"
    assert tab.locator("[role='dialog']").count() == 0  # no "Page not found" dialog over it
    said = tab.locator("[data-testid='stAlert']", has_text="There is no page called")
    assert said.count() == (1 if notice else 0)
    context.close()
