"""Many students on one server: load scenarios through Streamlit's websocket protocol.

    python -m bench.load cold        [--n 30]                      # a fresh server, a burst of page loads
    python -m bench.load concurrent  [--n 10 --n 30 --n 60]        # N at once: load, then one slider move each
    python -m bench.load paced       [--n 60 --arrive 10 --duration 60]
    python -m bench.load soak        [--settings 1500 --workers 5]
    python -m bench.load disconnect  [--n 40]
    python -m bench.load class       [--n 60 --idle 30 --window 10 --kill-at 5 --parts idle,answer,kill]
    python -m bench.load all                                        # every scenario; a markdown table on stdout

    common options: --url http://127.0.0.1:PORT [--pid PID]  (default: a fresh server of our own),
                    --markdown, --seed 0, --timeout 180 (seconds per rerun)

Run from the repository root. The client itself (a browser tab, as Streamlit's protocol
sees it) is ``harness.wsclient``; the pages come from ``ui.registry.PAGES``.

Slider moves always go to a setting no session of the run has had (Explorer), so no
cache flatters them; a tab whose page failed before drawing a slider reruns instead
(kind "retry"), as a student pressing R would. Client errors are the client's own
failures (exceptions, refused connections, timeouts); error boxes are exception
elements and st.error alerts on the page.

The class scenario (predict, then reveal, issue 20) drives ``harness.classclient``: phones on
``momentum?room=CODE`` whose poll fragment runs as the browser's run_every timer does; idle on
one server, then answering through two workers behind HAProxy (scripts/serve_class.sh) sharing
one SQLite store (OPTIM_STORE: the caller's, else a temporary file), with and without a worker
SIGKILLed mid-answer.

Server CPU and memory come from /proc/PID (utime+stime, VmRSS sampled every 100 ms,
VmHWM); the PID is the process listening on the port. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import classroom
from harness import classclient
from harness.classclient import ClassServer, ClassTab, browse, runs_of
from harness.wsclient import PAGE_KEYS as PAGES
from harness.wsclient import (
    UNEXPECTED,
    Explorer,
    Run,
    Session,
    app_server,
    check_loopback,
    close_all,
    cpu_seconds,
    status_kb,
)
from ui import questions


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


class Monitor:
    """Server CPU and RSS over a scenario; RSS sampled every 100 ms. A no-op without a PID."""

    def __init__(self, pid: int | None, interval: float = 0.1, max_samples: int = 60_000):
        self.pid, self.interval, self.max_samples = pid, interval, max_samples
        self.samples: list[tuple[float, int, float]] = []  # (seconds since start, RSS kB, progress)
        self.progress = 0.0  # a caller-maintained counter stored with each sample (soak: settings done)
        self._task: asyncio.Task | None = None
        self.cpu0: float | None = None
        self.t0 = self.t1 = 0.0

    def _sample(self) -> None:
        with contextlib.suppress(OSError, KeyError, ValueError):
            self.samples.append((time.monotonic() - self.t0, status_kb(self.pid, "VmRSS"), self.progress))

    async def _loop(self) -> None:
        for _ in range(self.max_samples):
            self._sample()
            await asyncio.sleep(self.interval)

    def start(self) -> Monitor:
        self.t0 = time.monotonic()
        if self.pid:
            with contextlib.suppress(OSError):
                self.cpu0 = cpu_seconds(self.pid)
            self._task = asyncio.get_running_loop().create_task(self._loop())
        return self

    async def stop(self) -> dict:
        self.t1 = time.monotonic()
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if not self.pid:
            return {}
        self._sample()
        try:
            cpu1 = cpu_seconds(self.pid)
        except OSError:  # the server is gone (crashed, killed), or not ours to read
            cpu1 = None
        rss = [kb for _, kb, _ in self.samples]
        out = {"cpu_s": None if cpu1 is None or self.cpu0 is None else cpu1 - self.cpu0,
               "wall_s": self.t1 - self.t0, "gone": cpu1 is None and not os.path.exists(f"/proc/{self.pid}")}
        if rss:
            out.update(rss_start_mb=rss[0] / 1024, rss_peak_mb=max(rss) / 1024, rss_end_mb=rss[-1] / 1024)
        with contextlib.suppress(OSError, KeyError, ValueError):
            out["hwm_mb"] = status_kb(self.pid, "VmHWM") / 1024
        return out



# ---------------------------------------------------------------- numbers

def pct(values: Iterable[float], q: float) -> float | None:
    vals = sorted(values)
    if not vals:
        return None
    k = (len(vals) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (k - lo)


def fmt_s(x: float | None) -> str:
    return "–" if x is None else f"{x:.2f} s"


def fmt_mb(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f} MB"


def slope(points: list[tuple[float, float]]) -> float | None:
    if len(points) < 3 or len({x for x, _ in points}) < 2:
        return None
    return statistics.linear_regression([x for x, _ in points], [y for _, y in points]).slope


@dataclass
class Report:
    scenario: str
    sessions: int
    runs: list[Run]
    server: dict
    lines: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    measured: str = "slider"  # which runs the p50/p95 columns describe
    cpu_runs: int | None = None  # the reruns the server CPU was measured over (default: all completed)
    facts: dict = field(default_factory=dict)  # the scenario's own numbers, for tests (class: stored, ...)

    @property
    def errors(self) -> int:
        return sum(r.error is not None for r in self.runs)

    @property
    def error_boxes(self) -> int:
        return sum(len(r.error_boxes) for r in self.runs)

    def _boxes_by_kind(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.runs:
            if r.error_boxes:
                out[r.kind] = out.get(r.kind, 0) + len(r.error_boxes)
        return out

    def _guard_boxes(self) -> int:
        return sum(box.startswith(f"st.error: {UNEXPECTED}") for r in self.runs for box in r.error_boxes)

    def latencies(self, kind: str) -> list[float]:
        return [r.latency for r in self.runs if r.kind == kind and r.latency is not None]

    @property
    def completed(self) -> int:
        return sum(r.latency is not None for r in self.runs)

    @property
    def cpu_per_rerun(self) -> float | None:
        cpu = self.server.get("cpu_s") if self.server else None
        runs = self.completed if self.cpu_runs is None else self.cpu_runs
        return cpu / runs if cpu is not None and runs else None

    def common_lines(self) -> list[tuple[str, str]]:
        out = [("sessions", str(self.sessions)),
               ("reruns completed", f"{self.completed} of {len(self.runs)}"),
               ("client errors", str(self.errors)),
               ("error boxes", str(self.error_boxes) + "".join(
                   f", {k} {n}" for k, n in self._boxes_by_kind().items()) + f"; {self._guard_boxes()} from the "
                f"app's guard ('{UNEXPECTED}…')" if self.error_boxes else "0")]
        for kind in ("load", "slider", "retry", "poll", "answer", "reconnect"):
            lat = self.latencies(kind)
            if lat:
                out.append((f"{kind} latency p50 / p95 / max",
                            f"{fmt_s(pct(lat, 50))} / {fmt_s(pct(lat, 95))} / {fmt_s(max(lat))} (n={len(lat)})"))
        if self.server.get("gone"):
            out.append(("server process", "GONE by the end of the scenario (crashed or killed)"))
        if self.server.get("cpu_s") is not None:
            out.append(("server CPU", f"{self.server['cpu_s']:.1f} s over {self.server['wall_s']:.1f} s "
                                      f"({self.server['cpu_s'] / max(self.server['wall_s'], 1e-9):.0%} of one core)"))
        if self.server:
            if self.cpu_per_rerun is not None:
                out.append(("server CPU per rerun", f"{self.cpu_per_rerun * 1000:.0f} ms"))
            out.append(("server RSS start / peak / end",
                        f"{fmt_mb(self.server.get('rss_start_mb'))} / {fmt_mb(self.server.get('rss_peak_mb'))} / "
                        f"{fmt_mb(self.server.get('rss_end_mb'))} (VmHWM {fmt_mb(self.server.get('hwm_mb'))})"))
        else:
            out.append(("server CPU / RSS", "not measured (no PID)"))
        problems = {}
        for r in self.runs:
            for text in ([r.error] if r.error else []) + r.error_boxes:
                problems.setdefault(f"{r.page}: {text}", 0)
                problems[f"{r.page}: {text}"] += 1
        for text, count in list(problems.items())[:12]:
            out.append(("problem", f"{count}× {text}"))
        if len(problems) > 12:
            out.append(("problem", f"... and {len(problems) - 12} more distinct"))
        return out

    def print_lines(self, stream=sys.stdout) -> None:
        for name, value in self.common_lines() + self.lines:
            print(f"{self.scenario:<16} {name}: {value}", file=stream)

    def row(self) -> str:
        lat = self.latencies(self.measured)
        cpu = self.cpu_per_rerun
        cells = [self.scenario, str(self.sessions), f"{self.completed}/{len(self.runs)}", str(self.errors),
                 str(self.error_boxes), f"{self.measured} {fmt_s(pct(lat, 50))}", fmt_s(pct(lat, 95)),
                 "–" if cpu is None else f"{cpu * 1000:.0f} ms", fmt_mb(self.server.get("rss_peak_mb")),
                 "; ".join(self.notes)]
        return "| " + " | ".join(cells) + " |"


HEADER = ("| Scenario | Sessions | Reruns done | Client errors | Error boxes | p50 | p95 | Server CPU / rerun "
          "| Peak RSS | Notes |\n|---|---|---|---|---|---|---|---|---|---|")


# ---------------------------------------------------------------- scenarios


def charts_by_page(runs: list[Run]) -> dict[str, int]:
    """The fewest charts any successful load of each page drew (0 if no load finished)."""
    out = {}
    for r in runs:
        if r.kind == "load":
            out[r.page] = min(out.get(r.page, r.charts), r.charts) if r.latency is not None else 0
    return out


async def scenario_cold(base, pid, fresh, *, n=30, timeout=180.0, **_) -> list[Report]:
    sessions = [Session(base, PAGES[i % len(PAGES)], timeout) for i in range(n)]
    mon = Monitor(pid).start()
    runs = await asyncio.gather(*(s.load() for s in sessions))
    server = await mon.stop()
    await close_all(sessions)
    rep = Report("cold" if fresh else "cold (warm server)", n, list(runs), server, measured="load")
    per_page = charts_by_page(rep.runs)
    chartless = [p for p in PAGES[:n] if per_page.get(p, 0) < 1]
    rep.lines.append(("charts per page (fewest)", ", ".join(f"{p} {per_page.get(p, 0)}" for p in PAGES[:n])))
    rep.lines.append(("pages without a chart", ", ".join(chartless) or "none"))
    rep.notes.append(f"{n} loads at once on a fresh server, 9 pages round-robin" if fresh
                     else f"{n} loads at once (server not fresh)")
    rep.notes.append("every page ≥1 chart" if not chartless else "no chart: " + ", ".join(chartless))
    return [rep]


async def scenario_concurrent(base, pid, fresh, *, ns=(10, 30, 60), timeout=180.0, seed=0, **_) -> list[Report]:
    explorer = Explorer(random.Random(seed))
    reports = []
    for round_no, n in enumerate(ns):
        sessions = [Session(base, PAGES[(i + round_no) % len(PAGES)], timeout) for i in range(n)]
        loads = await asyncio.gather(*(s.load() for s in sessions))
        mon = Monitor(pid).start()
        moves = await asyncio.gather(*(explorer.move(s) for s in sessions))
        server = await mon.stop()
        await close_all(sessions)
        # CPU and RSS are measured over the slider phase only, so CPU per rerun is per slider rerun.
        rep = Report(f"concurrent {n}", n, list(loads) + list(moves), server,
                     cpu_runs=sum(r.latency is not None for r in moves))
        chartless = sum(1 for r in moves if r.latency is not None and r.charts < 1)
        rep.lines.append(("slider reruns without a chart", str(chartless)))
        rep.lines.append(("server CPU and RSS", "measured over the slider phase"))
        rep.notes.append(f"{n} loads, then {n} slider moves at once (fresh values)")
        reports.append(rep)
        log(f"[concurrent] {n} sessions done: slider p50 {fmt_s(pct(rep.latencies('slider'), 50))}")
    return reports


async def scenario_paced(base, pid, fresh, *, n=60, arrive=10.0, duration=60.0, think=(5.0, 15.0),
                         timeout=180.0, seed=0, **_) -> list[Report]:
    explorer = Explorer(random.Random(seed))
    runs: list[Run] = []
    sessions: list[Session] = []
    t_start = time.monotonic()
    max_moves = int(duration / think[0]) + 1

    async def student(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        await asyncio.sleep(i * arrive / n)
        s = Session(base, PAGES[i % len(PAGES)], timeout)
        sessions.append(s)
        runs.append(await s.load())
        for _ in range(max_moves):
            wait = rng.uniform(*think)
            if s.dead or time.monotonic() + wait - t_start > duration:
                break
            await asyncio.sleep(wait)
            runs.append(await explorer.move(s))

    mon = Monitor(pid).start()
    await asyncio.gather(*(student(i) for i in range(n)))
    server = await mon.stop()
    await close_all(sessions)
    rep = Report("paced", n, runs, server)
    rep.lines.append(("plan", f"{n} students arriving over {arrive:.0f} s, a slider move every "
                              f"{think[0]:.0f}–{think[1]:.0f} s, for {duration:.0f} s"))
    rep.notes.append(f"{n} arrive in {arrive:.0f} s, a move every {think[0]:.0f}–{think[1]:.0f} s "
                     f"for {duration:.0f} s")
    if server.get("cpu_s") is not None:
        rep.notes.append(f"server busy {server['cpu_s'] / max(server['wall_s'], 1e-9):.0%} of one core")
    return [rep]


async def scenario_soak(base, pid, fresh, *, settings=1500, workers=5, per_session=30, max_seconds=1800.0,
                        timeout=180.0, seed=0, **_) -> list[Report]:
    explorer = Explorer(random.Random(seed))
    runs: list[Run] = []
    mon = Monitor(pid)
    state = {"claimed": 0, "page": 0}
    t_end = time.monotonic() + max_seconds

    async def worker() -> None:
        for _ in range(settings):  # bounded: sessions this worker may open
            open_pages = [p for p in PAGES if p not in explorer.exhausted_pages]
            if state["claimed"] >= settings or time.monotonic() > t_end or not open_pages:
                return
            page = open_pages[state["page"] % len(open_pages)]
            state["page"] += 1
            s = Session(base, page, timeout)
            runs.append(await s.load())
            for _ in range(per_session):
                if state["claimed"] >= settings or time.monotonic() > t_end or s.dead:
                    break
                state["claimed"] += 1
                run = await explorer.move(s, exhausted_ok=True)
                if run is None:  # this page has had every setting it has: on to another page
                    state["claimed"] -= 1
                    break
                runs.append(run)
                if run.kind == "retry":  # the page had failed: a rerun, not a new setting
                    state["claimed"] -= 1
                mon.progress += run.kind == "slider" and run.latency is not None
            await s.close()

    mon.start()
    await asyncio.gather(*(worker() for _ in range(workers)))
    await asyncio.sleep(2.0)  # sessions closed: let the server drop them before the last samples
    server = await mon.stop()
    rep = Report("soak", workers, runs, server)
    done = sum(r.kind == "slider" and r.latency is not None for r in runs)
    rep.lines.append(("distinct settings completed", f"{done} of {settings} ({workers} at a time, "
                                                     f"{per_session} per session, sessions closed after)"))
    if mon.samples:
        t_last = mon.samples[-1][0]
        tail = [s for s in mon.samples if s[0] >= t_last * 2 / 3]
        per_min = slope([(t / 60, kb / 1024) for t, kb, _ in tail])
        per_100 = slope([(p / 100, kb / 1024) for _, kb, p in tail])
        rep.lines.append(("RSS slope over the last third", f"{per_min:+.2f} MB/min, "
                                                           f"{per_100:+.2f} MB per 100 settings"
                          if per_min is not None and per_100 is not None else "–"))
        rep.notes.append(f"{done} settings; RSS {fmt_mb(server.get('rss_start_mb'))} → "
                         f"{fmt_mb(server.get('rss_peak_mb'))} peak → {fmt_mb(server.get('rss_end_mb'))}"
                         + (f", last third {per_100:+.1f} MB/100 settings" if per_100 is not None else ""))
    if explorer.exhausted_pages:
        rep.lines.append(("pages that ran out of fresh settings (then skipped)",
                          ", ".join(sorted(explorer.exhausted_pages))))
    return [rep]


async def scenario_disconnect(base, pid, fresh, *, n=40, timeout=180.0, seed=0, **_) -> list[Report]:
    """Half the tabs die during their first load, half during a slider rerun; then a fresh load of every page."""
    explorer = Explorer(random.Random(seed))
    runs: list[Run] = []
    aborted = {"n": 0}
    errors: list[str] = []

    async def doomed(i: int) -> None:
        s = Session(base, PAGES[i % len(PAGES)], timeout)
        try:
            if i % 2:  # load fully, then die during a slider rerun
                run = await s.load()
                runs.append(run)
                move = explorer.next_move(s) if run.latency is not None else None
                if move is None:
                    return
                s.set_slider(*move)
                await s.send_only(first=False)
            else:  # die during the first load
                await s.send_only(first=True)
            await asyncio.wait_for(s.ws.recv(), timeout)  # the run has started (new_session)
            await s.close(abrupt=True)
            aborted["n"] += 1
        except Exception as err:  # noqa: BLE001
            errors.append(f"{type(err).__name__}: {err}"[:200])
        finally:
            await s.close()

    mon = Monitor(pid).start()
    await asyncio.gather(*(doomed(i) for i in range(n)))
    t_closed = time.monotonic()
    idle_after = None
    with contextlib.suppress(OSError):  # until orphaned runs finish: two quiet half-seconds, at most 120 s
        quiet, last = 0, cpu_seconds(pid) if pid else None
        for _ in range(240 if pid else 0):
            await asyncio.sleep(0.5)
            now = cpu_seconds(pid)
            quiet = quiet + 1 if now - last < 0.05 else 0
            last = now
            if quiet >= 2:
                idle_after = time.monotonic() - t_closed - 1.0
                break
    server = await mon.stop()
    checks = [Session(base, p, timeout) for p in PAGES]
    after = await asyncio.gather(*(s.load() for s in checks))
    await close_all(checks)
    for r in after:
        r.kind = "check"
    rep = Report("disconnect", n, runs + list(after), server, measured="check", cpu_runs=0)
    for e in errors:
        rep.runs.append(Run("?", "abort", error=e))
    bad = [r.page for r in after if r.latency is None or r.charts < 1 or r.error_boxes]
    rep.lines.append(("tabs closed abruptly mid-run", f"{aborted['n']} of {n}"))
    rep.lines.append(("server idle again after", "–" if idle_after is None else f"{max(idle_after, 0):.1f} s"))
    lat = [r.latency for r in after if r.latency is not None]
    rep.lines.append(("fresh load of every page afterwards",
                      "all 9 drew a chart, no error box" if not bad else "failed: " + ", ".join(bad)))
    rep.lines.append(("fresh load latency p50 / max", f"{fmt_s(pct(lat, 50))} / {fmt_s(max(lat) if lat else None)}"))
    rep.notes.append(f"{aborted['n']}/{n} tabs dropped mid-run; then all 9 pages "
                     + ("load clean" if not bad else "FAIL: " + ", ".join(bad)))
    return [rep]


# ---------------------------------------------------------------- a class: predict, then reveal (issue 20)

CLASS_PAGE = "momentum"
CLASS_QUESTION = "momentum.best_first"
CPU_TARGET, ANSWER_P95_TARGET, SEEN_TARGET = 0.15, 0.5, 3.0


@contextlib.contextmanager
def class_store():
    """The store every server of this run shares: the caller's OPTIM_STORE / OPTIM_STORE_PATH, else a fresh
    SQLite file (set in OPTIM_STORE for the servers started from here, removed after)."""
    if os.environ.get("OPTIM_STORE") or os.environ.get("OPTIM_STORE_PATH"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="class-store-") as tmp:
        os.environ["OPTIM_STORE"] = f"sqlite:///{tmp}/class.sqlite3"
        try:
            yield
        finally:
            os.environ.pop("OPTIM_STORE", None)


async def _until(condition, timeout: float, step: float = 0.2) -> bool:
    for _ in range(int(timeout / step) + 1):
        if condition():
            return True
        await asyncio.sleep(step)
    return condition()


async def _finish(tasks: list[asyncio.Task], tabs: list[ClassTab], timeout: float) -> None:
    """Wait for the tabs' tasks (they stop at their next wake-up), cancel stragglers, close every socket."""
    _, late = await asyncio.wait(tasks, timeout=timeout)
    for task in late:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await close_all(tabs)


async def class_idle(base, pid, *, n, idle_s, arrive, timeout, seed) -> Report:
    """n phones on the join link, no question open: each polls every POLL_S; the server's CPU over idle_s."""
    store = classroom.open_store()
    code, _ = store.create_room()
    tabs = [ClassTab(base, CLASS_PAGE, code, timeout=timeout) for _ in range(n)]
    stop = asyncio.Event()
    end = time.monotonic() + arrive + 4 * timeout + idle_s

    async def phone(i: int, tab: ClassTab) -> None:
        await asyncio.sleep(i * arrive / n)
        await tab.timed("load", tab.load)
        await browse(tab, end, random.Random(seed * 1000 + i), stop=stop)

    tasks = [asyncio.create_task(phone(i, t)) for i, t in enumerate(tabs)]
    loaded = await _until(lambda: all(t.runs for t in tabs), arrive + 3 * timeout)
    await asyncio.sleep(classclient.POLL_S + 1.0)  # the last loads' work is done; every timer has ticked
    mon = Monitor(pid).start()
    t0 = time.monotonic()
    await asyncio.sleep(idle_s)
    t1 = time.monotonic()
    server = await mon.stop()
    stop.set()
    await _finish(tasks, tabs, classclient.POLL_S * 2 + timeout)
    polls = runs_of(tabs, "poll", t0, t1)
    rep = Report("class idle", n, runs_of(tabs, "load") + polls, server, measured="poll",
                 cpu_runs=sum(r.latency is not None for r in polls))
    share = server["cpu_s"] / server["wall_s"] if server.get("cpu_s") is not None else None
    rep.facts = {"cpu_share": share, "polls": len(polls), "loaded": loaded,
                 "poll_p95": pct([r.latency for r in polls if r.latency is not None], 95)}
    rep.lines.append(("plan", f"{n} phones on {CLASS_PAGE}?room=CODE (no question open), arriving over {arrive:.0f} s; "
                              f"each polls every {classclient.POLL_S} s ±10 %; measured over {idle_s:.0f} s"))
    rep.lines.append(("polls in the window", f"{len(polls)} ({len(polls) / max(t1 - t0, 1e-9):.1f}/s)"))
    rep.notes.append(f"{n} idle phones polling every {classclient.POLL_S} s for {idle_s:.0f} s, one server")
    if share is not None:
        rep.notes.append(f"server CPU {share:.1%} of a core ({'≤' if share <= CPU_TARGET else 'ABOVE'} "
                         f"{CPU_TARGET:.0%} target)")
    return rep


async def _warm(c: ClassServer, code: str) -> None:
    """One load of the class page on every worker (pinned by its cookie): a fresh process's first run imports."""
    async def one(name: str) -> None:
        tab = ClassTab(c.base, CLASS_PAGE, code)
        tab.cookies["SERVERID"] = name
        try:
            await tab.load()
        finally:
            await tab.close()
    await asyncio.gather(*(one(name) for name in c.workers))


async def class_answer(*, n, window, kill_at, arrive, timeout, seed, kill: bool) -> Report:
    """Two workers behind HAProxy, one store: the lecturer's room has the question open, n phones answer once
    each within ``window`` s while every tab polls; with ``kill``, one worker is SIGKILLed ``kill_at`` s in."""
    name = "class answer, one worker killed" if kill else "class answer"
    question = questions.by_id(CLASS_QUESTION)
    store = classroom.open_store()
    code, key = store.create_room()
    store.open_question(code, key, CLASS_QUESTION)
    c = ClassServer(2)
    await asyncio.to_thread(c.start)
    rng = random.Random(seed + (7 if kill else 0))
    try:
        await _warm(c, code)
        lecturer = ClassTab(c.base, CLASS_PAGE, code, key=key, proxy=True, timeout=timeout)
        students = [ClassTab(c.base, CLASS_PAGE, code, proxy=True, timeout=timeout) for _ in range(n)]
        await lecturer.enter()
        for tab in students:  # the GETs one after another, as phones arriving: the proxy deals them out in turn
            await tab.open_page()
        picks = [rng.choice(question.options) for _ in students]
        plan: dict[int, float] = {}
        stop = asyncio.Event()
        end = time.monotonic() + arrive + 4 * timeout + window + 60

        async def phone(i: int, tab: ClassTab) -> None:
            await asyncio.sleep(i * arrive / n)
            await tab.timed("load", tab.load)
            await browse(tab, end, random.Random(seed * 1000 + i), answer_at=lambda: plan.get(i), stop=stop,
                         answer=lambda: tab.answer(CLASS_QUESTION, question.options, picks[i]))

        tasks = [asyncio.create_task(browse(lecturer, end, random.Random(seed), stop=stop))]
        tasks += [asyncio.create_task(phone(i, t)) for i, t in enumerate(students)]
        await _until(lambda: all(t.runs for t in students), arrive + 3 * timeout)
        # every timer ticks once before the first answer is due, so every phone has seen its plan
        t0 = time.monotonic() + classclient.POLL_S * 1.1 + 0.3
        plan.update({i: t0 + rng.uniform(0, window) for i in range(n)})
        cpu0 = c.cpu_seconds()
        victim, victims, t_kill = None, [], None
        if kill:
            await asyncio.sleep(max(t0 + kill_at - time.monotonic(), 0))
            victim = next(w for w in c.workers if w != lecturer.cookies.get("SERVERID"))
            victims = [t for t in students if t.cookies.get("SERVERID") == victim]
            t_kill = time.monotonic()
            c.kill_worker(victim)
        answered = lambda: all(any(r.run.kind == "answer" for r in t.runs) for t in students)  # noqa: E731
        await _until(answered, max(t0 + window - time.monotonic(), 0) + 4 * timeout)
        seen = lambda: lecturer.counts and lecturer.counts[-1][1] >= n  # noqa: E731
        await _until(seen, 30.0)
        t1 = time.monotonic()
        cpu = None if kill else c.cpu_seconds() - cpu0
        stop.set()
        await _finish(tasks, [lecturer, *students], classclient.POLL_S * 2 + timeout)
        stored = store.answers(code, CLASS_QUESTION)
    finally:
        await asyncio.to_thread(c.stop)

    sent = [t.answer_sent for t in students if t.answer_sent is not None]
    t_last = max(sent) if sent else None
    shown = [at for at, count in lecturer.counts if count >= n and t_last is not None and at >= t_last]
    seen_after = shown[0] - t_last if shown else None
    everyone = [lecturer, *students]
    cut = [t.run for tab in victims for t in tab.runs if t.run.error and t_kill is not None and t.sent < t_kill + 30]
    runs = [r for r in runs_of(everyone) if not any(r is x for x in cut)]
    window_runs = runs_of(everyone, None, t0, t1)
    rep = Report(name, n + 1, runs, {"cpu_s": cpu, "wall_s": t1 - t0} if cpu is not None else {}, measured="answer",
                 cpu_runs=sum(r.latency is not None for r in window_runs))
    matching = sum(stored.get(t.sid) == picks[i] for i, t in enumerate(students))
    lost = [i for i, t in enumerate(students) if t.sid not in stored]
    lat = rep.latencies("answer")
    rep.facts = {"stored": len(stored), "matching": matching, "seen_after": seen_after,
                 "lecturer_max": max((count for _, count in lecturer.counts), default=None),
                 "answer_p95": pct(lat, 95), "reconnected": sum(t.reconnects > 0 for t in victims),
                 "victims": len(victims), "cut": len(cut)}
    rep.lines.append(("plan", f"2 workers behind HAProxy, one SQLite store; a lecturer and {n} phones on "
                              f"{CLASS_PAGE}?room=CODE, {CLASS_QUESTION} open; each phone answers once at a random "
                              f"time within {window:.0f} s; every tab polls every {classclient.POLL_S} s"
                      + (f"; worker {victim} (not the lecturer's) SIGKILLed {kill_at:.0f} s in" if kill else "")))
    rep.lines.append(("answers stored", f"{len(stored)} of {n}; {matching} the option the phone tapped"
                      + (f"; lost: phones {lost}" if lost else "")))
    rep.lines.append(("lecturer saw all answers", "never" if seen_after is None else
                      f"{seen_after:.2f} s after the last answer was tapped (its poll every {classclient.POLL_S} s)"))
    rep.lines.append(("lecturer's counts", " → ".join(str(k) for k in dict.fromkeys(k for _, k in lecturer.counts))))
    if cpu is not None:
        rep.lines.append(("server CPU", "both workers together, from the first planned answer until the lecturer "
                                        "showed them all"))
    if kill:
        back = sum(t.reconnects > 0 for t in victims)
        rep.lines.append(("killed worker's tabs", f"{len(victims)}; reconnected (same cookies) {back}, now on "
                          + ", ".join(sorted({t.worker or "?" for t in victims}))))
        rep.lines.append(("runs cut by the kill", f"{len(cut)} (not counted above): "
                          + ", ".join(sorted({r.kind for r in cut})) if cut else "0"))
    rep.notes.append(f"{len(stored)}/{n} answers stored")
    rep.notes.append(f"lecturer never showed {n} answered" if seen_after is None else
                     f"lecturer showed {n} answered {seen_after:.1f} s after the last")
    rep.notes.append(f"answer p95 {fmt_s(pct(lat, 95))} (target ≤ {ANSWER_P95_TARGET} s)")
    if kill:
        rep.notes.append(f"{victim} killed at {kill_at:.0f} s: {rep.facts['reconnected']}/{len(victims)} of its tabs "
                         "reconnected")
    return rep


async def scenario_class(base, pid, fresh, *, n=60, idle_s=30.0, window=10.0, kill_at=5.0, arrive=10.0,
                         timeout=60.0, seed=0, parts=("idle", "answer", "kill"), **_) -> list[Report]:
    reports = []
    if "idle" in parts:
        reports.append(await class_idle(base, pid, n=n, idle_s=idle_s, arrive=arrive, timeout=timeout, seed=seed))
    for kill in [k for k, part in ((False, "answer"), (True, "kill")) if part in parts]:
        reports.append(await class_answer(n=n, window=window, kill_at=kill_at, arrive=arrive, timeout=timeout,
                                          seed=seed, kill=kill))
    return reports


SCENARIOS = {"cold": scenario_cold, "concurrent": scenario_concurrent, "paced": scenario_paced,
             "soak": scenario_soak, "disconnect": scenario_disconnect, "class": scenario_class}


def run_scenario(name: str, url: str | None, pid: int | None, **kw) -> list[Report]:
    with contextlib.ExitStack() as stack:
        if name == "class":
            stack.enter_context(class_store())
        return _run_scenario(name, url, pid, **kw)


def _run_scenario(name: str, url: str | None, pid: int | None, **kw) -> list[Report]:
    with app_server(url, pid) as (base, server_pid, fresh):
        log(f"[{name}] server {base}, PID {server_pid or 'unknown'}{' (fresh)' if fresh else ''}")
        t0 = time.perf_counter()
        c0 = time.process_time()
        reports = asyncio.run(SCENARIOS[name](base, server_pid, fresh, **kw))
        wall, client_cpu = time.perf_counter() - t0, time.process_time() - c0
    for rep in reports:
        rep.lines.append(("client", f"{wall:.1f} s wall, {client_cpu:.1f} s CPU in this load client"))
    return reports


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("scenario", choices=[*SCENARIOS, "all"])
    ap.add_argument("--url", help="a running app on 127.0.0.1 (default: start a fresh one)")
    ap.add_argument("--pid", type=int, help="the server's PID (default: the process listening on the port)")
    ap.add_argument("--n", type=int, action="append",
                    help="sessions (concurrent: repeatable; default 30 cold, 10/30/60 concurrent, 60 paced, "
                         "40 disconnect, 60 class)")
    ap.add_argument("--arrive", type=float, default=10.0, help="paced, class: arrival window, s")
    ap.add_argument("--duration", type=float, default=60.0, help="paced: how long students keep moving sliders, s")
    ap.add_argument("--settings", type=int, default=1500, help="soak: distinct settings")
    ap.add_argument("--workers", type=int, default=5, help="soak: sessions at a time")
    ap.add_argument("--max-seconds", type=float, default=1800.0, help="soak: stop after this long")
    ap.add_argument("--idle", type=float, default=30.0, help="class: the idle window, s")
    ap.add_argument("--window", type=float, default=10.0, help="class: every phone answers within this, s")
    ap.add_argument("--kill-at", type=float, default=5.0, help="class: a worker is killed this long into the window")
    ap.add_argument("--parts", default="idle,answer,kill", help="class: which parts to run (comma-separated)")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds a rerun may take before it is an error")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--markdown", action="store_true", help="also print a markdown table row per result")
    args = ap.parse_args(argv)
    if args.url:
        try:
            check_loopback(args.url)
        except ValueError as err:
            ap.error(str(err))

    def kwargs(name: str) -> dict:
        kw = {"timeout": args.timeout, "seed": args.seed}
        if name == "concurrent":
            kw["ns"] = tuple(args.n or (10, 30, 60))
        elif args.n:
            kw["n"] = args.n[0]
        if name == "paced":
            kw.update(arrive=args.arrive, duration=args.duration)
        if name == "soak":
            kw.update(settings=args.settings, workers=args.workers, max_seconds=args.max_seconds)
        if name == "class":
            kw.update(idle_s=args.idle, window=args.window, kill_at=args.kill_at, parts=tuple(args.parts.split(",")),
                      arrive=args.arrive, timeout=min(args.timeout, 60.0))
        return kw

    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    reports: list[Report] = []
    for name in names:
        try:
            got = run_scenario(name, args.url, args.pid, **kwargs(name))
        except Exception as err:  # noqa: BLE001 - e.g. the server did not start: report, go on
            log(f"[{name}] could not run: {type(err).__name__}: {err}")
            got = [Report(name, 0, [Run("-", "setup", error=f"{type(err).__name__}: {err}"[:300])], {})]
        for rep in got:
            rep.print_lines(sys.stderr if args.scenario == "all" else sys.stdout)
        reports += got
    if args.markdown or args.scenario == "all":
        print(HEADER)
        for rep in reports:
            print(rep.row())
    return 1 if any(r.errors or r.error_boxes for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
