"""In Chromium: page load to first chart, slider key and step key (→) to chart changed, playback ms per frame.

    python -m bench.browser [--pages home adam ...] [--loads 3] [--presses 5]

Starts the app on a free port (as Community Cloud runs it: client.showErrorDetails
false), opens each page in Debian's Chromium at 1280x720 and prints a markdown table.
Playback plays the page's main animated chart with no frame delay and divides the
elapsed time by the frames drawn, with the surface picture in the layout.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness.server import PAGE_KEYS, launch_chromium, page_url, streamlit_server, wait_for_page

PAGES = list(PAGE_KEYS)
LOAD_TARGET_S, SLIDER_TARGET_MS, FRAME_TARGET_MS, STEP_TARGET_MS = 4.0, 600.0, 50.0, 300.0
NEXT_BUTTON = "[data-testid='stMain'] [class*='st-key-_'][class*='_next'] button"  # step_controls' Next

FIRST_CHART_JS = ("() => [...document.querySelectorAll('.js-plotly-plot')]"
                  ".some(gd => gd._fullData && gd._fullData.length)")
SIGNATURE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    (gd._fullData || []).map(t => `${t.x ? t.x.length : 0}:${t.x ? Array.from(t.x, Number).slice(0, 64).join(',') : ''}`
    ).join('|')).join('||')"""
PLAYBACK_JS = """async () => {
    const gds = [...document.querySelectorAll('.js-plotly-plot')]
        .filter(gd => (gd._transitionData || {})._frames && gd._transitionData._frames.length > 1);
    const gd = gds.find(g => (g._fullLayout.images || []).length) || gds[0];
    if (!gd) return null;
    let frames = 0;
    gd.on('plotly_animatingframe', () => { frames += 1; });
    const t0 = performance.now();
    await Plotly.animate(gd, null, {frame: {duration: 0, redraw: false}, transition: {duration: 0},
                                     mode: 'immediate'});
    const elapsed = performance.now() - t0;
    return {frames, ms_per_frame: elapsed / Math.max(frames, 1),
            background: (gd._fullLayout.images || []).length > 0
                && !!gd.querySelector('g.layer-below image, .imagelayer image')};
}"""


def step_key_ms(tab, presses: int) -> list[float]:
    """Press → (the Next button's shortcut) ``presses`` times; ms from key to the chart changed, each time.

    The focus is moved off any slider first: there → would move the slider instead.
    """
    times = []
    for _ in range(presses):
        tab.evaluate("() => document.activeElement && document.activeElement.blur()")
        before = tab.evaluate(SIGNATURE_JS)
        t0 = time.perf_counter()
        tab.keyboard.press("ArrowRight")
        tab.wait_for_function(f"before => ({SIGNATURE_JS})() !== before", arg=before, timeout=30_000, polling=10)
        times.append((time.perf_counter() - t0) * 1e3)
        wait_for_page(tab)
    return times


def measure_page(browser, base: str, name: str, loads: int, presses: int) -> dict:
    load_times = []
    for _ in range(loads):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        tab = context.new_page()
        t0 = time.perf_counter()
        tab.goto(page_url(base, name))
        tab.wait_for_function(FIRST_CHART_JS, timeout=60_000, polling=50)
        load_times.append(time.perf_counter() - t0)
        context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.goto(page_url(base, name))
    wait_for_page(tab)
    slider_ms = []
    slider = tab.locator("[data-testid='stSlider'] input[type=range]").first
    for i in range(presses):
        key = "ArrowRight" if i % 2 == 0 else "ArrowLeft"  # step out and back: nothing drifts
        if slider.evaluate("el => Number(el.value) >= Number(el.max)"):
            key = "ArrowLeft"
        before = tab.evaluate(SIGNATURE_JS)
        slider.focus()
        t0 = time.perf_counter()
        tab.keyboard.press(key)
        tab.wait_for_function(f"before => ({SIGNATURE_JS})() !== before", arg=before, timeout=30_000,
                              polling=10)
        slider_ms.append((time.perf_counter() - t0) * 1e3)
        wait_for_page(tab)
    wait_for_page(tab)
    step_ms = step_key_ms(tab, presses) if tab.locator(NEXT_BUTTON).count() else []
    tab.evaluate("() => window.scrollTo(0, 0)")
    playback = tab.evaluate(PLAYBACK_JS)
    context.close()
    return {"page": name, "load_s": statistics.median(load_times), "slider_ms": statistics.median(slider_ms),
            "step_ms": statistics.median(step_ms) if step_ms else None,
            "frame_ms": playback["ms_per_frame"] if playback else float("nan"),
            "frames": playback["frames"] if playback else 0,
            "background": bool(playback and playback["background"])}


def markdown(rows: list[dict]) -> str:
    lines = ["| page | load to first chart (s) | slider key to chart (ms) | step key → to chart (ms) | "
             "playback (ms/frame) | frames | background drawn | within target |",
             "|---|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        ok = (r["load_s"] <= LOAD_TARGET_S and r["slider_ms"] <= SLIDER_TARGET_MS and r["frame_ms"] <= FRAME_TARGET_MS
              and (r["step_ms"] is None or r["step_ms"] <= STEP_TARGET_MS))
        step = "—" if r["step_ms"] is None else f"{r['step_ms']:.0f}"
        lines.append(f"| {r['page']} | {r['load_s']:.2f} | {r['slider_ms']:.0f} | {step} | {r['frame_ms']:.1f} | "
                     f"{r['frames']} | {'yes' if r['background'] else '—'} | {'yes' if ok else 'NO'} |")
    return "\n".join(lines)


def run(pages=PAGES, loads: int = 3, presses: int = 5) -> list[dict]:
    from playwright.sync_api import sync_playwright

    with streamlit_server(("--client.showErrorDetails", "false")) as base, sync_playwright() as pw:
        browser = launch_chromium(pw)
        rows = [measure_page(browser, base, name, loads, presses) for name in pages]
        browser.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", default=PAGES)
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--presses", type=int, default=5)
    args = parser.parse_args()
    print(markdown(run(args.pages, args.loads, args.presses)))


if __name__ == "__main__":
    main()
