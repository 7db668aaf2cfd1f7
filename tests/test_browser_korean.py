"""The app in Korean, in Chromium: every page at 1280×720 and 390×844, real Hangul glyphs, nothing overflowing.

Each page is opened once with ``?lang=ko`` (conftest's ``tabs``) and resized to the phone.
"""

from __future__ import annotations

import pytest
from conftest import PHONE, PROJECTOR

from harness.server import PAGE_KEYS, page_url, wait_for_page

pytestmark = pytest.mark.browser

PAGES = list(PAGE_KEYS)
VIEWPORTS = {"projector": PROJECTOR, "phone": PHONE}

# Labels, buttons and tabs whose text is cut or spills: scrollWidth beyond the box (KaTeX's hidden MathML aside).
OVERFLOW_JS = """() => [...document.querySelectorAll(
    '[data-testid=stMain] button, [data-testid=stMain] label, [data-testid=stWidgetLabel], ' +
    '[data-testid=stSidebarNavLink], [data-testid=stMain] h1')]
    .filter(el => el.offsetParent && !el.closest('.katex-mathml') && el.innerText.trim())
    .filter(el => el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflowX !== 'visible'
                  || el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.innerText.trim().slice(0, 40))"""
HANGUL_SHARE_JS = """() => {
    const main = document.querySelector('[data-testid=stMain]').cloneNode(true);
    main.querySelectorAll('.katex, .js-plotly-plot, code').forEach(n => n.remove());
    const text = main.innerText.replace(/Adam|AdaGrad|RMSProp|AdaMax|CSV|HTML/g, '');
    const hangul = (text.match(/[\\uac00-\\ud7a3]/g) || []).length;
    const latin = (text.match(/[A-Za-z]/g) || []).length;
    return hangul / Math.max(1, hangul + latin);
}"""


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", PAGES, scope="module")
def test_every_page_in_korean_fits_and_is_mostly_hangul(tabs, name, viewport):
    size = VIEWPORTS[viewport]
    tab = tabs(name, "lang=ko", viewport=size, locale="en-US")  # the link, not the browser, asks for Korean
    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= size["width"]
    assert tab.evaluate(OVERFLOW_JS) == []
    assert tab.evaluate(HANGUL_SHARE_JS) > 0.5
    # a real Hangul face is installed and used (fonts-noto-cjk): no empty boxes in screenshots
    assert tab.evaluate("() => document.fonts.check('16px \"Noto Sans CJK KR\"', '경사 하강법')")


def test_the_browser_language_chooses_korean_and_the_choice_travels_with_links(browser, app_server):
    context = browser.new_context(viewport=VIEWPORTS["projector"], locale="ko-KR")
    tab = context.new_page()
    tab.goto(page_url(app_server, "momentum"))
    wait_for_page(tab)
    assert "모멘텀" in tab.locator("[data-testid='stMain'] h1").first.inner_text()
    tab.wait_for_function("() => new URLSearchParams(location.search).get('lang') === 'ko'", timeout=15_000)
    context.close()
    context = browser.new_context(viewport=VIEWPORTS["projector"], locale="ko-KR")
    tab = context.new_page()
    tab.goto(page_url(app_server, "momentum", "lang=en"))  # the link wins over the browser's language
    wait_for_page(tab)
    assert "Momentum" in tab.locator("[data-testid='stMain'] h1").first.inner_text()
    context.close()
