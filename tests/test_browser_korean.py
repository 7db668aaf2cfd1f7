"""The app in Korean, in Chromium: the browser's language chooses it, and the choice travels with links.

Every page in Korean at 1280×720 and 390×844 (real Hangul glyphs, nothing overflowing) is checked by
tests/test_browser_layout.py, on the same tabs that measure its picture.
"""

from __future__ import annotations

import pytest
from conftest import PHONE, PROJECTOR

from harness.server import page_url, wait_for_page

pytestmark = pytest.mark.browser

VIEWPORTS = {"projector": PROJECTOR, "phone": PHONE}


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
