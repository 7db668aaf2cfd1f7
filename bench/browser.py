"""In Chromium: page load to first chart, slider key and step key (→) to chart changed, playback ms per frame.

    python -m bench.browser [--pages home adam ...] [--loads 3] [--presses 5]

Starts the app on a free port (as Community Cloud runs it: client.showErrorDetails
false), opens each page in Debian's Chromium at 1280x720 and prints a markdown table.
Playback plays the page's main animated chart with no frame delay and divides the
elapsed time by the frames drawn, with the surface picture in the layout.

    python -m bench.browser --step [--presses 7]

The step key beside a trivial page, in one browser run (issue 16, item 5): a trivial
Streamlit + Plotly page (``bench/trivial_app.py``, its own server) timed from its
slider's ArrowRight to its chart changed, before and after the lecture pages; then
every stepping page's → key (the Next button's shortcut, pressed with the focus on
the page body) timed to its chart changed. Both are timed inside the page, from the
keydown event to the first poll that sees a chart's traces changed, and reported as
medians with the ratio to the trivial page (budget: 1.5×), plus the time Plotly.react
took and the chart JSON the step sent.
"""

from __future__ import annotations

import argparse
import statistics
import time

from harness.server import PAGE_KEYS, launch_chromium, page_url, streamlit_server, wait_for_page
from ui.registry import PAGES as REGISTRY

PAGES = list(PAGE_KEYS)
STEPPING = [p.key for p in REGISTRY if p.stepping]
TRIVIAL_APP = "bench/trivial_app.py"
STEP_RATIO_TARGET = 1.5
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


# --- the step key beside a trivial page ----------------------------------------------------

# Armed before each press: the keydown time, and every Plotly.react call (its time and its figure's size)
# until the chart changes. Streamlit's chart component calls the page's one Plotly object.
ARM_JS = """() => {
    window.__bench = {keyAt: null, changedAt: null, stepAt: null, react: [], reactEnd: [], bytes: 0};
    window.addEventListener('keydown', () => { window.__bench.keyAt = performance.now(); },
                            {capture: true, once: true});
    if (window.Plotly && !window.Plotly.__benchWrapped) {
        const react = window.Plotly.react;
        window.Plotly.react = function (gd, data, layout, config) {
            const t0 = performance.now();
            const done = r => { const b = window.__bench || {react: [], reactEnd: []};
                                b.react.push(performance.now() - t0); b.reactEnd.push(performance.now()); return r; };
            const out = react.apply(this, arguments);
            return out && out.then ? out.then(done) : done(out);
        };
        window.Plotly.__benchWrapped = true;
    }
}"""
CHANGED_JS = f"""before => {{
    if (({SIGNATURE_JS})() === before) return false;
    window.__bench.changedAt = performance.now();
    return true;
}}"""


STEP_VALUE_JS = """selector => {
    const thumb = document.querySelector(selector);
    return thumb ? String(thumb.value) : null;
}"""
STEP_MOVED_JS = f"""([selector, before]) => {{
    if (({STEP_VALUE_JS})(selector) === before) return false;
    window.__bench.stepAt = performance.now();
    return true;
}}"""


def _timed_press(tab, key: str, focus=None, step_slider: str | None = None) -> dict:
    """Press ``key`` (on ``focus``, or with the focus on the page body); ms from keydown to a chart changed,
    timed in the page, and the Plotly.react calls it caused. The page settles again before it returns.

    With ``step_slider`` (a stepping page's step slider thumb) also ``all_ms``: from keydown to the server's
    run shown (the step slider moved, so the numbers and captions have been written) and every chart redrawn.
    """
    if focus is None:
        tab.evaluate("() => { document.activeElement && document.activeElement.blur(); document.body.focus(); }")
    else:
        focus.focus()
    before = tab.evaluate(SIGNATURE_JS)
    step_before = tab.evaluate(STEP_VALUE_JS, step_slider) if step_slider else None
    tab.evaluate(ARM_JS)
    tab.keyboard.press(key)
    tab.wait_for_function(CHANGED_JS, arg=before, timeout=30_000, polling=5)
    if step_slider:
        tab.wait_for_function(STEP_MOVED_JS, arg=[step_slider, step_before], timeout=30_000, polling=5)
    tab.wait_for_timeout(300)  # let a trailing Plotly.react finish and be counted
    bench = tab.evaluate("() => window.__bench")
    out = {"ms": bench["changedAt"] - bench["keyAt"], "react_ms": sum(bench["react"]), "reacts": len(bench["react"])}
    if step_slider:
        out["all_ms"] = max([bench["stepAt"], bench["changedAt"], *bench["reactEnd"]]) - bench["keyAt"]
    return out


def _wait_trivial(tab) -> None:
    tab.wait_for_function(FIRST_CHART_JS, timeout=60_000, polling=50)
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)
    tab.wait_for_timeout(300)


def trivial_slider_ms(browser, base: str, presses: int) -> list[float]:
    """The trivial page: its slider's ArrowRight (then ArrowLeft, and so on) to its chart changed."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.goto(base)
    _wait_trivial(tab)
    slider = tab.locator("[data-testid='stSlider'] input[type=range]").first
    times = []
    for i in range(presses + 1):  # the first press warms up, like the pages' first step
        press = _timed_press(tab, "ArrowRight" if i % 2 == 0 else "ArrowLeft", focus=slider)
        if i:
            times.append(press["ms"])
        _wait_trivial(tab)
    context.close()
    return times


def step_presses(browser, base: str, name: str, presses: int) -> list[dict]:
    """A stepping page: → with the focus on the page body, ``presses`` times after one warm-up press."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.goto(page_url(base, name))
    wait_for_page(tab)
    out = []
    for i in range(presses + 1):
        press = _timed_press(tab, "ArrowRight",
                             step_slider=f"[data-testid=stMain] .st-key-{name}_step input[type=range]")
        if i:
            out.append(press)
        wait_for_page(tab)
    context.close()
    return out


def step_vs_trivial(pages=STEPPING, presses: int = 7) -> dict:
    """One browser, two servers: the trivial page's slider key before and after every stepping page's → key."""
    from playwright.sync_api import sync_playwright

    with (streamlit_server(("--client.showErrorDetails", "false")) as base,
          streamlit_server(script=TRIVIAL_APP) as trivial, sync_playwright() as pw):
        browser = launch_chromium(pw)
        trivial_ms = trivial_slider_ms(browser, trivial, presses)
        steps = {name: step_presses(browser, base, name, presses) for name in pages}
        trivial_ms += trivial_slider_ms(browser, trivial, presses)
        browser.close()
    return {"trivial_ms": trivial_ms, "steps": steps}


def step_markdown(result: dict) -> str:
    trivial = statistics.median(result["trivial_ms"])
    lines = [f"| page | → to the picture (ms) | ratio | within {STEP_RATIO_TARGET:g}× | "
             "→ to numbers and every chart (ms) | ratio | Plotly.react per step (ms) |",
             "|---|---:|---:|---|---:|---:|---:|"]
    for name, presses in result["steps"].items():
        step = statistics.median(p["ms"] for p in presses)
        whole = statistics.median(p["all_ms"] for p in presses)
        react = statistics.median(p["react_ms"] for p in presses)
        lines.append(f"| {name} | {step:.0f} | {step / trivial:.2f}× | "
                     f"{'yes' if step / trivial <= STEP_RATIO_TARGET else 'NO'} | {whole:.0f} | "
                     f"{whole / trivial:.2f}× | {react:.0f} |")
    lines.append(f"| *trivial page, slider key to chart* | {trivial:.0f} | 1.00× | | | | |")
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
    parser.add_argument("--step", action="store_true",
                        help="only the stepping pages' → key beside a trivial page's slider key")
    args = parser.parse_args()
    if args.step:
        pages = [p for p in args.pages if p in STEPPING] if args.pages != PAGES else STEPPING
        print(step_markdown(step_vs_trivial(pages, max(args.presses, 5))))
        return
    print(markdown(run(args.pages, args.loads, args.presses)))


if __name__ == "__main__":
    main()
