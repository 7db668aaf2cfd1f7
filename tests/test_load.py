"""Many students at once, through Streamlit's own websocket protocol (harness.wsclient).

A fresh server takes a burst of ten tabs at once (every page, home twice): no client
error, no error box, a chart on every page. Then a slider moved through the protocol
reruns the page, and the chart's Plotly JSON changes. Counts only, no timings: the
timings are ``python -m bench.load``'s job.
"""

from __future__ import annotations

import asyncio
import json

import pytest

from harness import wsclient as load
from ui.registry import widget_key

START_X = widget_key("home", "x", "rosenbrock")  # Home's start x on its default surface

TIMEOUT = 75.0  # per rerun; a failure to answer is a client error, never a hang


@pytest.fixture(scope="module")
def server():
    """A fresh server for this module: the burst below is its first traffic (cold)."""
    with load.app_server(None, None) as (base, _pid, fresh):
        assert fresh
        yield base


def test_cold_burst_of_ten_tabs_every_page_draws_a_chart(server):
    pages = [*load.PAGE_KEYS, "home"]

    async def burst():
        sessions = [load.Session(server, page, TIMEOUT) for page in pages]
        try:
            return await asyncio.gather(*(s.load() for s in sessions))
        finally:
            await load.close_all(sessions)

    runs = load.run(burst())
    assert len(runs) == len(pages) and {r.page for r in runs} == set(load.PAGE_KEYS)
    assert [f"{r.page}: {r.error}" for r in runs if r.error] == []
    assert [f"{r.page}: {box}" for r in runs for box in r.error_boxes] == []
    assert sum(r.status == "ok" for r in runs) == len(pages)
    assert {r.page: r.charts for r in runs if r.charts < 1} == {}


def test_slider_move_through_the_protocol_redraws_the_chart(server):
    async def move():
        s = load.Session(server, "home", TIMEOUT)
        try:
            first = await s.load()
            before = s.chart_specs()
            slider = load.find_widget(s, START_X)
            assert slider is not None and slider.type == "slider"
            assert slider.id.startswith("$$ID-") and slider.id.endswith("-" + START_X)
            old = s.slider_value(slider)
            new = max(load.slider_grid(slider.proto), key=lambda v: abs(v - old))  # the far end of the range
            s.set_slider(slider, new)
            second = await s.rerun("slider")
            moved = load.find_widget(s, START_X)
            return first, before, second, s.chart_specs(), slider, moved, old, new
        finally:
            await s.close()

    first, before, second, after, slider, moved, old, new = load.run(move())
    for run in (first, second):
        assert (run.error, run.error_boxes, run.status) == (None, [], "ok")
        assert run.charts >= 1
    assert new != old
    assert moved is not None and moved.id == slider.id  # the same widget, not a fresh one at its default
    # A chart's id hashes its figure, so the chart is found by its key, the id's suffix.
    [old_chart] = [spec for k, spec in before.items() if k.endswith("-home_chart")]
    [new_chart] = [spec for k, spec in after.items() if k.endswith("-home_chart")]
    assert json.loads(new_chart) != json.loads(old_chart)
