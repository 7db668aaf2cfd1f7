"""The picture is the page (issue 16): measured in Chromium on every page, in both languages.

The share is the main chart's plotting area (the inside of its axes, from Plotly's ``_fullLayout._size``)
over the window's area, and the plot must be whole on the first screen:

- desktop, 1280×720 with the sidebar open: at least 25 %;
- presenter mode at 1280×720 and at 1920×1080: at least 45 %, and every text in the picture and beside it
  at least 18 px;
- a phone, 390×844: at least 30 %, and nothing in the main column past the right edge;
- in Korean, on the desktop and the phone: real Hangul glyphs, most of the text Hangul, no label or button
  cut or spilling. Presenter mode at 1920×1080 is measured in English only: its Korean at 1280×720 has the
  longer lines on the smaller screen.
"""

from __future__ import annotations

import pytest
from conftest import PHONE, PROJECTOR

from harness.server import PAGE_KEYS

pytestmark = pytest.mark.browser

PAGES = list(PAGE_KEYS)
FULL_HD = {"width": 1920, "height": 1080}
SCREENS = {  # kind: (viewport, link query, least share of the screen that is plot)
    "desktop": (PROJECTOR, "", 0.25),
    "presenter": (PROJECTOR, "present=1", 0.45),
    "presenter_1080": (FULL_HD, "present=1", 0.45),
    "phone": (PHONE, "", 0.30),
}

# the main chart: the hero's first, or the page's first chart
PLOT_JS = """() => {
    const gd = document.querySelector('[data-testid=stMain] .st-key-hero .js-plotly-plot')
        || document.querySelector('[data-testid=stMain] .js-plotly-plot');
    const r = gd.getBoundingClientRect(), s = gd._fullLayout._size;
    return {left: r.left + s.l, top: r.top + s.t, w: s.w, h: s.h};
}"""

# every text of the picture and of the column beside it, in CSS pixels: the chart's (Plotly's SVG text),
# the controls' and the numbers' (a KaTeX formula's own size; its sub- and superscripts are smaller by design)
PRESENTER_TEXT_JS = """() => {
    const hero = document.querySelector('[data-testid=stMain] .st-key-hero')
        || document.querySelector('[data-testid=stMain]');
    const sizes = [];
    const gd = hero.querySelector('.js-plotly-plot');
    for (const el of gd.querySelectorAll('text')) {
        if (!el.textContent.trim() || getComputedStyle(el).display === 'none') continue;
        const box = el.getBoundingClientRect();
        if (!box.width) continue;
        const px = parseFloat(el.style.fontSize || getComputedStyle(el).fontSize);
        sizes.push(['chart', el.textContent.slice(0, 24), px]);
    }
    for (const el of hero.querySelectorAll('label p, button p, .stMarkdown p, [data-testid=stSliderThumbValue]')) {
        if (!el.textContent.trim() || !el.getBoundingClientRect().width) continue;
        sizes.push(['html', el.textContent.slice(0, 24), parseFloat(getComputedStyle(el).fontSize)]);
    }
    for (const el of hero.querySelectorAll('.katex-html')) {  // its main text: the largest (sub- and
        if (!el.getBoundingClientRect().width) continue;          // superscripts are smaller by design)
        let px = 0;
        for (const span of el.querySelectorAll('span')) {
            if ([...span.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                px = Math.max(px, parseFloat(getComputedStyle(span).fontSize));
        }
        if (px) sizes.push(['maths', el.textContent.slice(0, 24), px]);
    }
    return sizes;
}"""

# anything in the main column that reaches past the window's right edge (KaTeX's hidden MathML and a chart's
# clipped SVG internals aside), or a formula cut by its own box
PAST_THE_EDGE_JS = """() => {
    const edge = document.documentElement.clientWidth, out = [];
    for (const el of document.querySelectorAll('[data-testid=stMain] *')) {
        if (el.closest('.katex-mathml, svg, .js-plotly-plot')) continue;
        if (el.tagName === 'INPUT' && el.type === 'range') continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || style.display === 'none') continue;
        const r = el.getBoundingClientRect();
        const text = el.textContent.slice(0, 40);
        if (r.width && r.right > edge + 1) out.push(`${el.tagName} ${Math.round(r.right)}: ${text}`);
    }
    const boxes = '[data-testid=stMain] .katex-display, [data-testid=stMain] .stMarkdown';
    for (const el of document.querySelectorAll(boxes)) {
        const text = el.textContent.slice(0, 40);
        if (el.scrollWidth > el.clientWidth + 2) out.push(`cut ${el.scrollWidth} > ${el.clientWidth}: ${text}`);
    }
    return out.slice(0, 5);
}"""


def _screen(tabs, name: str, kind: str, lang: str):
    viewport, query, least = SCREENS[kind]
    query = "&".join(q for q in (query, f"lang={lang}") if q)
    return tabs(name, query, viewport=viewport), viewport, least


SCREEN_LANGS = [(kind, lang) for kind in SCREENS for lang in ("en", "ko") if (kind, lang) != ("presenter_1080", "ko")]

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


@pytest.mark.parametrize(("kind", "lang"), SCREEN_LANGS, ids=[f"{k}-{lang}" for k, lang in SCREEN_LANGS])
@pytest.mark.parametrize("name", PAGES, scope="module")
def test_the_main_chart_fills_its_share_of_the_screen_whole(tabs, name, kind, lang):
    tab, viewport, least = _screen(tabs, name, kind, lang)
    plot = tab.evaluate(PLOT_JS)
    share = plot["w"] * plot["h"] / (viewport["width"] * viewport["height"])
    assert share >= least, f"{name} {kind} {lang}: the plot is {share:.1%} of the screen, {plot}"
    # whole: on the first screen, inside the window
    assert plot["top"] >= 0 and plot["top"] + plot["h"] <= viewport["height"], plot
    assert plot["left"] >= 0 and plot["left"] + plot["w"] <= viewport["width"], plot
    if kind.startswith("presenter"):
        small = [s for s in tab.evaluate(PRESENTER_TEXT_JS) if s[2] < 18 - 0.05]
        assert not small, f"{name} {kind} {lang}: text under 18 px: {small[:6]}"
    if kind == "phone":
        past = tab.evaluate(PAST_THE_EDGE_JS)
        assert not past, f"{name} {lang}: past a phone's right edge: {past}"
    if lang == "ko" and kind in ("desktop", "phone"):  # the page in Korean: fits, is Korean, and shows Hangul
        assert tab.locator("[data-testid='stException']").count() == 0
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
        assert tab.evaluate(OVERFLOW_JS) == []
        assert tab.evaluate(HANGUL_SHARE_JS) > 0.5
        # a real Hangul face is installed and used (fonts-noto-cjk): no empty boxes in screenshots
        assert tab.evaluate("() => document.fonts.check('16px \"Noto Sans CJK KR\"', '경사 하강법')")
