"""A class on Streamlit's websocket protocol: phones on a room's join link, the lecturer's laptop, the proxy.

Built on ``harness.wsclient`` (one browser tab). What a tab of "predict, then reveal" (issue 20,
``ui.widgets.classroom``) adds, as the browser does it:

- the join link's query string (``?room=CODE``; the lecturer's ``&key=KEY&present=1``), sent with
  every rerun;
- the browser's answer id, the ``optim_sid`` cookie, on the websocket handshake (the app reads it
  with ``st.context.cookies``), and behind HAProxy the proxy's SERVERID cookie: taken from a plain
  GET of the page (as in tests/test_scale_out.py) and updated from any later Set-Cookie;
- the poll fragment's timer: ``run_every`` arrives as ForwardMsg.auto_rerun and the browser's
  setInterval sends a rerun_script with that fragment_id and is_auto_rerun every interval
  (``browse`` does that with a random phase and a little jitter, one run at a time per tab);
- a pills answer: st.pills is a ButtonGroup whose widget state is a string_array_value holding the
  option's label as the frontend shows it (``"<icon> <content>"``, trimmed; the python serde maps
  the label back to the option);
- a dropped websocket (a worker killed): the tab reconnects through the proxy with the same
  cookies, after a health GET, and reruns with its widget states (the new worker's session reads
  ``room`` from the query string and the answer id from the cookie).

``ClassServer`` runs scripts/serve_class.sh (N workers behind HAProxy) for the benchmark and the
tests. Loopback only; every wait has a timeout and every loop a bound.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from harness import wsclient
from harness.server import ROOT, free_port
from ui.widgets.classroom import COOKIE, POLL_S

CHOICE_KEY = "_class_choice_{qid}"  # ui.widgets.classroom.question_view's pills
ANSWERED = re.compile(r"\b(\d+) answered\**$")  # the lecturer's poll line, "**N answered**" (English catalog)
SCRIPT = ROOT / "scripts" / "serve_class.sh"
MAX_RECONNECTS = 6


def new_sid() -> str:
    """An answer id as the app makes one (``secrets.token_urlsafe(16)``: 22 characters of [A-Za-z0-9_-])."""
    return secrets.token_urlsafe(16)


def class_query(code: str, key: str | None = None) -> str:
    """The join link's query string; with ``key``, the lecturer's presenter link."""
    return urlencode({"room": code, "key": key, "present": 1} if key else {"room": code})


# ---------------------------------------------------------------- plain HTTP, as the browser sends it

async def http_get(base: str, path: str, cookies: dict[str, str], timeout: float = 20.0):
    """(status, headers as [(lower name, value)], body) of one GET with the tab's cookies, as a browser sends it."""
    parts = urlsplit(base)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), timeout)
    try:
        cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
        writer.write((f"GET {path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUser-Agent: class-load\r\n"
                      "Accept: text/html,*/*\r\nConnection: close\r\n"
                      + (f"Cookie: {cookie}\r\n" if cookie else "") + "\r\n").encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)  # until the server closes (Connection: close)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    raw, _, body = data.partition(b"\r\n\r\n")
    head = raw.decode("latin-1").split("\r\n")
    headers = [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in head[1:])]
    return int(head[0].split()[1]), headers, body


# ---------------------------------------------------------------- one tab of a class

@dataclass
class Timed:
    sent: float  # time.monotonic() when the rerun was sent
    run: wsclient.Run


class ClassTab(wsclient.Session):
    """A phone on ``page?room=CODE`` (or, with ``key``, the lecturer's laptop), with its answer-id cookie."""

    def __init__(self, base: str, page: str, code: str, *, key: str | None = None, sid: str | None = None,
                 timeout: float = 60.0, proxy: bool = False):
        super().__init__(base, page, timeout, query=class_query(code, key), cookies={COOKIE: sid or new_sid()})
        self.code, self.proxy, self.lecturer = code, proxy, key is not None
        self.lock = asyncio.Lock()  # one run at a time on this websocket
        self.runs: list[Timed] = []
        self.workers: list[str] = []  # X-Worker of every response (proxy only)
        self.reconnects = 0  # websockets this tab opened again after one dropped
        self.counts: list[tuple[float, int]] = []  # the lecturer's "N answered", (when it was on screen, N)
        self.answer_sent: float | None = None
        self._closed: asyncio.Future | None = None

    @property
    def sid(self) -> str:
        return self.cookies[COOKIE]

    @property
    def worker(self) -> str | None:
        return self.workers[-1] if self.workers else None

    def _note(self, headers) -> None:
        for k, v in headers:
            if k == "set-cookie" and v.startswith("SERVERID="):
                self.cookies["SERVERID"] = v.split(";", 1)[0].split("=", 1)[1]
            elif k == "x-worker":
                self.workers.append(v)

    async def get(self, path: str) -> int:
        status, headers, _ = await http_get(self.base, path, self.cookies)
        self._note(headers)
        return status

    async def open_page(self) -> int:
        """The browser's GET of the page's HTML: behind the proxy it brings the SERVERID cookie."""
        return await self.get(f"/{self.page}?{self.query}")

    async def connect(self) -> None:
        await super().connect()
        self._note([(k.lower(), v) for k, v in self.ws.response.headers.raw_items()])
        self._closed = asyncio.ensure_future(self.ws.wait_closed())

    async def close(self, abrupt: bool = False) -> None:
        if self._closed is not None:
            self._closed.cancel()
            self._closed = None
        await super().close(abrupt)

    # -- runs, recorded with the moment they were sent
    async def timed(self, kind: str, coro_fn) -> wsclient.Run:
        async with self.lock:
            sent = time.monotonic()
            run = await coro_fn()
            run.kind = kind
            self.runs.append(Timed(sent, run))
            if self.lecturer and run.latency is not None and (n := self.answered_count()) is not None:
                self.counts.append((time.monotonic(), n))
            return run

    async def enter(self) -> wsclient.Run:
        """Open the join link: the page's GET (behind the proxy), then the first run."""
        if self.proxy:
            await self.open_page()
        return await self.timed("load", self.load)

    async def poll(self) -> list[wsclient.Run]:
        """What the browser's run_every timer sends: a rerun of each auto-rerun fragment."""
        return [await self.timed("poll", lambda fid=fid: self.rerun("poll", fragment_id=fid, auto=True))
                for fid in list(self.auto_reruns)]

    # -- the question view
    def choice(self, qid: str) -> wsclient.Widget | None:
        return self.find_widget(CHOICE_KEY.format(qid=qid), "button_group")

    def shown_choice(self, qid: str, options: tuple[str, ...]) -> str | None:
        """The option the pills show selected: this tab's own state, else the server's default (the stored answer)."""
        w = self.choice(qid)
        if w is None:
            return None
        labels = option_labels(w.proto)
        state = self.widget_states.get(w.id)
        if state is not None and state.string_array_value.data:
            label = state.string_array_value.data[0]
            return options[labels.index(label)] if label in labels else None
        if w.proto.set_value and w.proto.raw_values:
            return options[labels.index(w.proto.raw_values[0])] if w.proto.raw_values[0] in labels else None
        return options[w.proto.default[0]] if w.proto.default else None

    async def answer(self, qid: str, options: tuple[str, ...], option: str) -> wsclient.Run:
        """Tap ``option`` (an id of ``options``, the question's order) on the pills: the rerun that stores it."""
        async def tap() -> wsclient.Run:
            w = self.choice(qid)
            if w is None:
                return wsclient.Run(self.page, "answer", error=f"no pills {CHOICE_KEY.format(qid=qid)} on the page")
            set_button_group(self, w, option_labels(w.proto)[options.index(option)])
            self.answer_sent = time.monotonic()
            return await self.rerun("answer", fragment_id=w.fragment_id)
        return await self.timed("answer", tap)

    def answered_count(self) -> int | None:
        """N of the lecturer's poll line ("**N answered**", or "**<prompt>** · N answered" on another page), drawn
        by an auto-rerun fragment; None when it is not on screen."""
        for path, el in self.elements.items():
            if (self.fragment_of.get(path) in self.auto_reruns and el.WhichOneof("type") == "markdown"
                    and (m := ANSWERED.search(el.markdown.body))):
                return int(m.group(1))
        return None

    # -- a dropped websocket
    def dropped(self) -> bool:
        return self.dead is not None or (self._closed is not None and self._closed.done())

    async def reconnect(self, rng: random.Random) -> wsclient.Run | None:
        """As the browser does: a moment, a health check (with the cookies), a new websocket and a rerun."""
        run = None
        for attempt in range(MAX_RECONNECTS):
            await asyncio.sleep(min(0.25 * 2**attempt, 4.0) * rng.uniform(0.5, 1.5))
            await self.close(abrupt=True)
            self.dead = None
            self.auto_reruns.clear()  # the new session announces its fragments again
            with contextlib.suppress(OSError, TimeoutError):
                await self.get("/_stcore/health")
            run = await self.timed("reconnect", lambda: self.rerun("reconnect"))
            if run.latency is not None:
                self.reconnects += 1
                return run
        return run


def option_labels(proto) -> list[str]:
    """A ButtonGroup's options as the frontend sends them: ``"<icon> <content>"``, trimmed."""
    return [f"{o.content_icon} {o.content}".strip() if o.content_icon else o.content for o in proto.options]


def set_button_group(session: wsclient.Session, widget: wsclient.Widget, label: str) -> None:
    """Select ``label`` on a pills / segmented control as the browser does (string_array_value)."""
    state = wsclient.WidgetState(id=widget.id)
    state.string_array_value.data.append(label)
    session.widget_states[widget.id] = state


async def browse(tab: ClassTab, until: float, rng: random.Random, *, answer_at=None, answer=None,
                 jitter: float = 0.1, stop: asyncio.Event | None = None) -> None:
    """An open tab until ``until`` (time.monotonic()) or ``stop``: its poll timer every POLL_S (random phase,
    ±``jitter``), ``answer()`` once at ``answer_at`` (a time, or a function giving one or None: not yet
    planned), and a reconnect whenever its websocket drops."""
    interval = next(iter(tab.auto_reruns.values()), POLL_S)
    next_poll = time.monotonic() + rng.uniform(0, interval)
    answered = answer is None
    for _ in range(2 * int((until - time.monotonic()) / (interval * (1 - jitter))) + 100):  # waits and runs
        now = time.monotonic()
        if now >= until or (stop is not None and stop.is_set()):
            return
        if tab.dropped():
            if await tab.reconnect(rng) is None or tab.dead:
                return  # it tried MAX_RECONNECTS times: the runs say why
            continue
        at = None if answered else answer_at() if callable(answer_at) else answer_at
        due = min(next_poll, at if at is not None else until, until)
        if due > now:
            if tab._closed is not None:
                await asyncio.wait({tab._closed}, timeout=due - now)
            else:
                await asyncio.sleep(due - now)
            continue
        if at is not None and now >= at:
            answered = True
            await answer()
        elif now >= next_poll:
            await tab.poll()
            next_poll = max(next_poll + interval * rng.uniform(1 - jitter, 1 + jitter), time.monotonic())


# ---------------------------------------------------------------- N workers behind HAProxy

def is_worker(pid: int, port: int) -> bool:
    """``pid`` is still a live streamlit worker on ``port`` (not a reused pid, not a zombie)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().split(b"\0")
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z" and b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd


class ClassServer:
    """`scripts/serve_class.sh N PORT` in its own session group, with ``env`` added (e.g. OPTIM_STORE);
    ``stop()`` ends it and every worker. tests/test_scale_out.py drives the same class."""

    def __init__(self, n: int, env: dict[str, str] | None = None, rundir: str | None = None):
        self.n, self.port, self.env = n, free_port(), dict(env or {})
        self.base = f"http://127.0.0.1:{self.port}"
        self._tmp = None if rundir else tempfile.TemporaryDirectory(prefix="class-load-")
        self.rundir = Path(rundir or self._tmp.name)
        self.logpath = self.rundir / "serve_class.log"
        self.proc: subprocess.Popen | None = None
        self.workers: dict[str, tuple[int, int]] = {}  # name -> (port, pid); pid is also the pgid

    def start(self, timeout: float = 120.0, wait: bool = True) -> ClassServer:
        self.rundir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env, "PYTHON": sys.executable, "CLASS_RUN_DIR": str(self.rundir / "run")}
        env.pop("CLASS_BIND", None)
        with open(self.logpath, "wb") as out:  # a file, not a pipe: nothing blocks on a full pipe
            self.proc = subprocess.Popen(["bash", str(SCRIPT), str(self.n), str(self.port)], cwd=ROOT, env=env,
                                         stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        if wait:
            try:
                self.wait_ready(timeout)
            except RuntimeError:
                self.stop()
                raise
        return self

    def wait_ready(self, timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        while f"class of {self.n} workers at {self.base}/" not in self.output():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"serve_class.sh {self.n} not ready ({self.proc.returncode}):\n"
                                   f"{self.output()[-3000:]}")
            time.sleep(0.2)
        self.workers = self.read_workers()
        if len(self.workers) != self.n:
            raise RuntimeError(f"serve_class.sh {self.n} wrote {len(self.workers)} workers")

    def read_workers(self) -> dict[str, tuple[int, int]]:
        out = {}
        with contextlib.suppress(OSError):
            for line in (self.rundir / "run" / "workers.tsv").read_text().splitlines():
                name, port, pid = line.split("\t")
                out[name] = (int(port), int(pid))
        return out

    def output(self) -> str:
        return self.logpath.read_text(errors="replace") if self.logpath.exists() else ""

    def worker_base(self, name: str) -> str:
        return f"http://127.0.0.1:{self.workers[name][0]}"

    def haproxy_pids(self) -> list[int]:
        """HAProxy's PID (a child of the script), from /proc."""
        if self.proc is None:
            return []
        out = []
        with contextlib.suppress(OSError):
            with open(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children") as f:
                children = [int(p) for p in f.read().split()]
            for pid in children:
                with contextlib.suppress(OSError), open(f"/proc/{pid}/comm") as f:
                    if f.read().strip() == "haproxy":
                        out.append(pid)
        return out

    def alive(self, name: str) -> bool:
        port, pid = self.workers[name]
        return is_worker(pid, port)

    def cpu_seconds(self) -> float:
        """utime+stime of the live workers (a killed worker's CPU is gone with it)."""
        total = 0.0
        for name, (_, pid) in self.workers.items():
            if self.alive(name):
                with contextlib.suppress(OSError):
                    total += wsclient.cpu_seconds(pid)
        return total

    def kill_worker(self, name: str) -> None:
        _, pid = self.workers[name]
        if self.alive(name) and os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGTERM)  # the script's trap stops haproxy and the workers
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # anything left in the script's group
                os.killpg(self.proc.pid, signal.SIGKILL)
        for port, pid in (self.workers or self.read_workers()).values():  # each worker is its own group
            if is_worker(pid, port):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        if self._tmp is not None:
            self._tmp.cleanup()


def runs_of(tabs: list[ClassTab], kind: str | None = None, since: float = 0.0,
            until: float = float("inf")) -> list[wsclient.Run]:
    """The runs of ``tabs`` (of ``kind``) sent in [since, until) (time.monotonic())."""
    return [t.run for tab in tabs for t in tab.runs if (kind is None or t.run.kind == kind) and since <= t.sent < until]
