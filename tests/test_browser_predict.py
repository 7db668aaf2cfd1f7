"""Predict, then reveal, in Chromium: a lecturer and three students (one on a phone, in Korean, with a finger).

The lecturer opens Home's tap question; every student page hides the outcome and shows the question within
a poll; the students tap the picture (a finger, two mice); the lecturer's screen counts three; Reveal draws the
same picture, with the same three taps and the engine's answer, on all four screens.
"""

from __future__ import annotations

import json
import time

import pytest
from conftest import PHONE, PROJECTOR

import classroom
from harness.server import page_url, wait_for_page

pytestmark = pytest.mark.browser

QUESTION_CHART = "[data-testid=stMain] .st-key-class_question .js-plotly-plot"
HERO_CHART = "[data-testid=stMain] .st-key-hero .js-plotly-plot"
POINTS_JS = """sel => { const gd = document.querySelector(sel); if (!gd || !gd._fullData) return null;
    return JSON.stringify(gd._fullData.filter(t => t.meta !== 'tap' && t.x)
        .map(t => [t.mode || t.type, Array.from(t.x).map(Number), Array.from(t.y).map(Number)])); }"""
# the share of the plot's width and height where each student taps (Rosenbrock: −2 … 2 across, −1 … 3 up)
TAPS = [(0.30, 0.50), (0.55, 0.40), (0.75, 0.25)]
KO_ANSWERED = "3명 답함"


def _tab(browser, url: str, viewport=PROJECTOR, locale: str | None = None, finger: bool = False):
    context = browser.new_context(viewport=viewport, **({"locale": locale} if locale else {}),
                                  **({"is_mobile": True, "has_touch": True} if finger else {}))
    tab = context.new_page()
    tab.goto(url)
    wait_for_page(tab)
    return context, tab


def _tap(tab, share: tuple[float, float], finger: bool) -> None:
    tab.wait_for_selector(QUESTION_CHART, timeout=20_000)
    box = tab.locator(f"{QUESTION_CHART} rect.nsewdrag").first.bounding_box()
    x, y = box["x"] + share[0] * box["width"], box["y"] + share[1] * box["height"]
    tab.touchscreen.tap(x, y) if finger else tab.mouse.click(x, y)


def test_a_lecturer_and_three_students_predict_then_see_the_same_reveal(browser, app_server):
    store = classroom.open_store()  # the server's own default store: the same SQLite file
    code, key = store.create_room()
    lecturer, lect = _tab(browser, page_url(app_server, "home", f"room={code}&key={key}&present=1"))
    students = [_tab(browser, page_url(app_server, "home", f"room={code}&lang=ko"), PHONE, "ko-KR", finger=True),
                _tab(browser, page_url(app_server, "home", f"room={code}")),
                _tab(browser, page_url(app_server, "home", f"room={code}"))]
    assert all(tab.locator(HERO_CHART).count() == 1 for _, tab in students)  # no question yet: the page as usual

    lect.locator(".st-key-_class_open button").click()  # Home's first question: where is GD after 300 steps?
    opened = time.monotonic()
    for _, tab in students:  # within a poll (2.5 s) and a rerun: the question, and no path
        tab.wait_for_selector(QUESTION_CHART, timeout=15_000)
    print(f"[predict] the question on three students' screens {time.monotonic() - opened:.1f} s after the click")
    for _, tab in students:
        drawn = json.loads(tab.evaluate(POINTS_JS, QUESTION_CHART))
        assert all(len(x) <= 1 for _, x, _ in drawn)  # the start and the minimum: single points, no path
    for (_, tab), share, finger in zip(students, TAPS, (True, False, False), strict=True):
        _tap(tab, share, finger)
    lect.wait_for_function("() => document.body.innerText.includes('3 answered')", timeout=20_000)
    taps = sorted(tuple(v) for v in store.answers(code, "home.end").values())
    want = sorted((-2 + 4 * sx, 3 - 4 * sy) for sx, sy in TAPS)
    # the grid point under the finger: within one cell (0.1) of where it was aimed (a phone's cells are 8 px)
    assert all(abs(x - wx) <= 0.11 and abs(y - wy) <= 0.11 for (x, y), (wx, wy) in zip(taps, want, strict=True))

    lect.locator(".st-key-_class_reveal button").click()
    screens = [lect] + [tab for _, tab in students]
    for tab in screens:
        tab.wait_for_selector("[data-testid=stMain] .st-key-class_reveal", timeout=15_000)
        wait_for_page(tab)
    pictures = [tab.evaluate(POINTS_JS, HERO_CHART) for tab in screens]
    assert pictures[0] is not None and all(p == pictures[0] for p in pictures)  # one picture on every screen
    drawn = json.loads(pictures[0])
    assert any(sorted(zip(x, y)) == taps for _, x, y in drawn)  # the three taps, drawn where they were made
    answer = store.answers(code, "home.end")
    assert len(answer) == 3
    for tab in (lect, *screens[2:]):
        assert "3 answered" in tab.locator(".st-key-class_reveal").inner_text()
    assert KO_ANSWERED in screens[1].locator(".st-key-class_reveal").inner_text()  # the phone, in Korean
    for context, _ in [(lecturer, lect), *students]:
        context.close()
