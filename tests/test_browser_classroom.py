"""Classroom mode in Chromium: a copied link rebuilds the scene, → steps, presenter mode fits the projector.

The step key and presenter checks use the session's tab of each page (conftest's ``tabs``); a
copied link and a link with junk in it are opened in fresh contexts, as a student opens them.
"""

from __future__ import annotations

import statistics
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import PROJECTOR

from bench.browser import NEXT_BUTTON, SIGNATURE_JS, step_key_ms
from harness.server import PAGE_KEYS, page_url, wait_for_page
from ui.registry import PAGES as REGISTRY

pytestmark = pytest.mark.browser

PAGES = list(PAGE_KEYS)
STEPPING = [p.key for p in REGISTRY if p.stepping]
# The step budget is 300 ms (python -m bench.browser measures it against that). This perf check
# only guards against a step that reruns the whole page or rebuilds every chart: those took over
# a second. It is a wall-clock assertion, so it runs with -m perf (python -m bench.run_all).
STEP_CEILING_MS = 900


def _open(browser, url: str, viewport=PROJECTOR):
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    tab.goto(url)
    wait_for_page(tab)
    return context, tab


def _wait_for_url(tab, **params):
    tab.wait_for_function("want => Object.entries(want).every(([k, v]) => "
                          "new URLSearchParams(location.search).get(k) === v)", arg=params, timeout=15_000)


def test_a_copied_link_opened_in_a_fresh_context_shows_the_same_chart_data(browser, app_server):
    context, tab = _open(browser, page_url(app_server, "momentum"))
    slider = tab.locator("[data-testid='stMain'] .st-key-momentum_mu input[type=range]").first  # μ
    slider.focus()
    tab.keyboard.press("ArrowRight")
    _wait_for_url(tab, mu="0.11")
    wait_for_page(tab)
    for _ in range(3):
        step_key_ms(tab, 1)
    _wait_for_url(tab, step="3", mu="0.11")
    tab.locator("[data-testid='stMain'] [data-testid='stPopover'] button").first.click()
    field = tab.locator("#scene-link-url")
    field.wait_for(state="visible")
    tab.wait_for_function("() => document.getElementById('scene-link-url').value.includes('step=3')")
    shown = field.input_value()
    assert parse_qs(urlparse(shown).query) == parse_qs(urlparse(tab.url).query)
    picture = tab.evaluate(SIGNATURE_JS)
    numbers = tab.locator("[data-testid='stMain'] .katex-mathml").all_inner_texts()
    context.close()

    fresh, copy = _open(browser, shown)
    assert copy.evaluate(SIGNATURE_JS) == picture
    assert copy.locator("[data-testid='stMain'] .katex-mathml").all_inner_texts() == numbers
    assert parse_qs(urlparse(copy.url).query)["step"] == ["3"]
    assert copy.locator("[data-testid='stAlert']").count() == 0  # nothing in the link was refused
    fresh.close()


def test_junk_in_a_link_gives_one_notice_and_the_default_picture(browser, app_server):
    context, clean = _open(browser, page_url(app_server, "adam"))
    picture = clean.evaluate(SIGNATURE_JS)
    context.close()
    context, tab = _open(browser, page_url(app_server, "adam", "lr=abc&steps=-5&k=" + "x" * 20_000 + "&eps=nan"))
    alerts = tab.locator("[data-testid='stMain'] [data-testid='stAlert']")
    assert alerts.count() == 1
    text = alerts.first.inner_text()
    assert "lr=abc" in text and "steps=-5" in text and "eps=nan" in text and "k=xxx" in text
    assert tab.evaluate(SIGNATURE_JS) == picture
    context.close()


def _step_presses(tab, presses: int = 3) -> list[float]:
    """Press → ``presses`` times on the page's tab; the link's step follows. The ms of each press."""
    assert tab.locator(NEXT_BUTTON).first.is_visible()
    first = int(parse_qs(urlparse(tab.url).query)["step"][0])  # 0, or 1 where the page opens on update 1
    times = step_key_ms(tab, presses)
    _wait_for_url(tab, step=str(first + presses))
    return times


@pytest.mark.parametrize("name", STEPPING, scope="module")
def test_the_step_key_moves_the_chart_and_the_link(tabs, name):
    _step_presses(tabs(name))


@pytest.mark.perf
@pytest.mark.parametrize("name", STEPPING, scope="module")
def test_the_step_key_s_median_is_under_its_ceiling(tabs, name):
    times = _step_presses(tabs(name))
    assert statistics.median(times) <= STEP_CEILING_MS, times


@pytest.mark.parametrize("name", PAGES, scope="module")
def test_presenter_mode_fits_the_projector(tabs, name):
    tab = tabs(name, "present=1")
    assert not tab.locator("[data-testid='stSidebar']").is_visible()
    body = tab.evaluate("() => Math.min(...[...document.querySelectorAll("
                        "'[data-testid=stMain] [data-testid=stMarkdownContainer] p')]"
                        ".filter(p => p.offsetParent && p.innerText.trim().length > 20)"
                        ".map(p => parseFloat(getComputedStyle(p).fontSize)))")
    assert body >= 24, body
    fonts = tab.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
        const L = gd._fullLayout;
        const axes = Object.keys(L).filter(k => /^[xy]axis\\d*$/.test(k) && L[k].visible !== false
                                                 && L[k].showticklabels !== false);
        return Math.min(L.font.size, ...axes.map(k => L[k].tickfont.size),
                        ...(L.showlegend ? [L.legend.font.size] : []));
    })""")
    assert fonts and min(fonts) >= 18, fonts
    chart = tab.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']").first
    if name not in STEPPING:  # the first chart starts on the first screen
        assert chart.bounding_box()["y"] <= PROJECTOR["height"] - 200, chart.bounding_box()
    else:  # the stepping chart's plot, its step buttons and the step's numbers fit one screen
        plot = chart.locator("rect.nsewdrag").first.bounding_box()
        assert plot["y"] + plot["height"] <= PROJECTOR["height"], plot
        step = tab.locator(NEXT_BUTTON).first.bounding_box()
        assert step["y"] + step["height"] <= PROJECTOR["height"], step
        numbers = tab.locator("[data-testid='stMain'] .st-key-hero .katex-display >> visible=true")
        if numbers.count():  # the step's numbers, beside the picture
            maths = numbers.first.bounding_box()
            assert maths["y"] + maths["height"] <= PROJECTOR["height"], maths
