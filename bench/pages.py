"""Per page: full rerun time after a slider change, and Plotly JSON bytes per chart and page.

    python -m bench.pages [--repeats 7] [--pages home adam ...]

Runs every page under streamlit.testing.v1.AppTest (no browser), the way
Streamlit reruns a script when a student moves a slider: each repeat moves one
slider to a value not seen before (so caches do not flatter the figure), times
`at.run()`, and the table gives the median. Budgets: ≤ 250 ms, ≤ 1 MB per
chart, ≤ 2 MB per page.
"""

from __future__ import annotations

import argparse
import statistics
import time

from ui.registry import BY_KEY, PAGES, widget_key

PAGES = [p.key for p in PAGES]
RERUN_BUDGET_MS, CHART_BUDGET, PAGE_BUDGET = 250, 1_000_000, 2_000_000


def _start_x_key(at, page: str) -> str | None:
    """The key of ``page``'s start-point x slider as the session stands (e.g. ``home_x_rosenbrock``)."""
    entry = BY_KEY[page]
    if "x" not in entry.linked:
        return None
    scope = []
    for name in entry.linked["x"]:  # the widgets x is kept per (the surface): their current values
        held = widget_key(page, name)
        if held not in at.session_state:
            return None
        scope.append(at.session_state[held])
    return widget_key(page, "x", *scope)


def _moving_slider(at, page: str):
    """The slider the benchmark moves: the start point's x where the page has one, else the first."""
    sliders = list(at.slider)
    wanted = _start_x_key(at, page)
    for s in sliders:
        if wanted and s.key == wanted:
            return s
    return sliders[0] if sliders else None


def _next_values(slider, repeats: int) -> list:
    lo, hi, step = float(slider.min), float(slider.max), float(slider.step or 1)
    value = float(slider.value)
    direction = 1 if value + repeats * step <= hi else -1
    values = [value + direction * (i + 1) * step for i in range(repeats)]
    return [int(v) if isinstance(slider.value, int) else round(v, 10) for v in values if lo <= v <= hi]


def measure(page: str, repeats: int = 7) -> dict:
    from tests.pagetest import chart_bytes, open_page  # opened as the page tests open it

    at = open_page(page)
    sizes = chart_bytes(at)
    slider = _moving_slider(at, page)
    times = []
    moved = None
    if slider is not None:
        moved = slider.key or slider.label
        for value in _next_values(slider, repeats):
            slider = next(s for s in at.slider if (s.key or s.label) == moved)
            slider.set_value(value)
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1e3)
            assert not at.exception, [e.value for e in at.exception]
    return {"page": page, "slider": moved, "rerun_ms": statistics.median(times) if times else float("nan"),
            "charts": len(sizes), "max_chart": max(sizes, default=0), "page_bytes": sum(sizes)}


def markdown(rows: list[dict]) -> str:
    lines = ["| page | slider moved | rerun median (ms) | charts | largest chart (KB) | page JSON (KB) "
             "| within budget |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        ok = (r["rerun_ms"] <= RERUN_BUDGET_MS and r["max_chart"] <= CHART_BUDGET
              and r["page_bytes"] <= PAGE_BUDGET)
        lines.append(f"| {r['page']} | `{r['slider']}` | {r['rerun_ms']:.0f} | {r['charts']} | "
                     f"{r['max_chart'] / 1e3:.0f} | {r['page_bytes'] / 1e3:.0f} | {'yes' if ok else 'NO'} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--pages", nargs="*", default=PAGES)
    args = parser.parse_args()
    print(markdown([measure(p, args.repeats) for p in args.pages]))


if __name__ == "__main__":
    main()
