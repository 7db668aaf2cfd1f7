"""A class through Streamlit's websocket protocol (harness.classclient): predict, then reveal (issue 20).

Quick (the default run): one fresh server, one SQLite store, a lecturer and ten phones on ``momentum?room=CODE``
with ``momentum.best_first`` open. Checked through the protocol alone, as a browser sends it: the
poll fragment reruns on its own (fragment_id, is_auto_rerun) and keeps the page; a pills tap
(string_array_value with the option's label) stores each phone's answer; a second tap after the
rate limit replaces the first; and a new connection with a phone's ``optim_sid`` cookie sees its
answer kept; the lecturer's poll line counts the answers. Counts only, no timings.

Perf (``-m perf``): a short ``python -m bench.load class`` (20 phones, 10 s idle; two workers behind
HAProxy, with and without a worker killed): every answer stored, no error box, and the lecturer's
screen reaching the count. Prints its numbers (pytest -s shows them).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil

import pytest

import classroom
from bench import load as bench
from harness import classclient, wsclient
from harness.classclient import ClassTab
from ui import questions

QID = "momentum.best_first"
PAGE = "momentum"
TIMEOUT = 60.0  # per rerun; a failure to answer is a client error, never a hang


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """A fresh server whose store is this module's own SQLite file (OPTIM_STORE, set for the server only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('class_load') / 'store.sqlite3'}"
    old = os.environ.get("OPTIM_STORE")
    os.environ["OPTIM_STORE"] = url
    with contextlib.ExitStack() as stack:
        try:
            base, _pid, fresh = stack.enter_context(wsclient.app_server(None, None))
        finally:  # the server has it; this process keeps its own environment
            os.environ.pop("OPTIM_STORE") if old is None else os.environ.update(OPTIM_STORE=old)
        assert fresh
        store = classroom.open_store(url)
        yield base, store
        store.close()


def problems(runs) -> list[str]:
    return [f"{r.kind}: {r.error or r.error_boxes or r.status}" for r in runs
            if r.error or r.error_boxes or r.status != "ok"]


def test_ten_phones_answer_through_the_protocol(class_server):
    base, store = class_server
    question = questions.by_id(QID)
    code, key = store.create_room()
    store.open_question(code, key, QID)
    picks = [question.options[i % len(question.options)] for i in range(10)]

    async def scenario():
        tabs = [ClassTab(base, PAGE, code, timeout=TIMEOUT) for _ in picks]
        lecturer = ClassTab(base, PAGE, code, key=key, timeout=TIMEOUT)
        again = None
        try:
            loads = await asyncio.gather(*(t.timed("load", t.load) for t in [lecturer, *tabs]))
            assert problems(loads) == []
            assert all(t.choice(QID) is not None for t in tabs), "the question view's pills are missing"
            assert all(len(t.auto_reruns) == 1 for t in tabs), [t.auto_reruns for t in tabs]
            assert all(list(t.auto_reruns.values()) == [classclient.POLL_S] for t in tabs)
            polls = [r for rs in await asyncio.gather(*(t.poll() for t in tabs)) for r in rs]
            # a fragment run: a few messages, and the page (its pills) is still there afterwards
            assert problems(polls) == [] and len(polls) == len(tabs)
            assert all(r.messages < loads[0].messages for r in polls), ([r.messages for r in polls], loads[0].messages)
            assert all(t.choice(QID) is not None for t in tabs)
            answers = await asyncio.gather(*(t.answer(QID, question.options, p) for t, p in zip(tabs, picks)))
            assert problems(answers) == []
            first = store.answers(code, QID)
            assert lecturer.answered_count() == 0 and problems(await lecturer.poll()) == []
            seen = lecturer.answered_count()  # the lecturer's poll line, redrawn by its fragment alone
            await asyncio.sleep(0.6)  # past the store's rate limit (0.5 s per phone)
            second = next(o for o in question.options if o != picks[0])
            changed = await tabs[0].answer(QID, question.options, second)
            latest = store.answers(code, QID)
            # the same browser on a new connection (a reload, another worker): its cookie, no widget state
            again = ClassTab(base, PAGE, code, sid=tabs[1].sid, timeout=TIMEOUT)
            reload = await again.timed("load", again.load)
            return tabs, first, seen, changed, latest, again, reload
        finally:
            await wsclient.close_all([lecturer, *tabs] + ([again] if again else []))

    tabs, first, seen, changed, latest, again, reload = wsclient.run(scenario())
    assert first == {t.sid: p for t, p in zip(tabs, picks)}, "every phone's tap stored under its own cookie"
    assert seen == len(tabs), "the lecturer's screen counts them"
    assert problems([changed]) == []
    second = next(o for o in question.options if o != picks[0])
    assert latest == {**first, tabs[0].sid: second}, "the latest answer wins"
    assert problems([reload]) == []
    assert again.shown_choice(QID, question.options) == picks[1], "the reloaded tab shows its kept answer"
    assert store.count(code, QID) == len(tabs) and list(store.answers(code, QID)).count(tabs[1].sid) == 1


@pytest.mark.perf
def test_a_short_class_stores_every_answer_and_the_lecturer_sees_them():
    assert shutil.which("haproxy"), "haproxy is needed: apt-get install -y haproxy"
    n = 20
    reports = bench.run_scenario("class", None, None, n=n, idle_s=10.0, window=10.0, kill_at=5.0, arrive=5.0,
                                 timeout=TIMEOUT, seed=0)
    for rep in reports:
        for name, value in rep.common_lines() + rep.lines:
            print(f"[class] {rep.scenario}: {name}: {value}")
    by_name = {rep.scenario: rep for rep in reports}
    assert set(by_name) == {"class idle", "class answer", "class answer, one worker killed"}
    idle = by_name["class idle"]
    assert idle.error_boxes == 0 and idle.errors == 0 and idle.facts["polls"] > 0, idle.common_lines()
    for name in ("class answer", "class answer, one worker killed"):
        rep = by_name[name]
        assert rep.error_boxes == 0, rep.common_lines()
        assert rep.facts["stored"] == n, (name, rep.facts)
        assert rep.facts["matching"] == n, (name, rep.facts)
        assert rep.facts["lecturer_max"] == n and rep.facts["seen_after"] is not None, (name, rep.facts)
    killed = by_name["class answer, one worker killed"]
    assert killed.facts["victims"] > 0 and killed.facts["reconnected"] == killed.facts["victims"], killed.facts
