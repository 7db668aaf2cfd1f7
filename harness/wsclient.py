"""A client that speaks Streamlit's websocket protocol, as a browser tab does.

The load tests, the scale-out tests and the load benchmark (``python -m bench.load``)
drive the app through it.

Each session does what a browser tab does after it has the page's HTML (the client
code is streamlit/static/static/js/index.*.js, `sendRerunBackMsg`; the server side is
web/server/starlette/starlette_websocket.py and runtime/app_session.py):

1. open ws://127.0.0.1:PORT/_stcore/stream with the subprotocols ["streamlit",
   "PLACEHOLDER_AUTH_TOKEN"] (the second entry carries the XSRF token; a tab without
   the cookie sends this placeholder) and an Origin header of the app's own address;
2. send a BackMsg whose rerun_script is a ClientState. On the first load:
   page_name = the url_path ("" for home), page_script_hash = "", query_string = "",
   no widget_states, no cached_message_hashes, and context_info (timezone, offset,
   locale, url, is_embedded, color_scheme). Later reruns: page_script_hash from the
   Navigation message, page_name = "", widget_states of the widgets this client has
   set that are still on the page (a browser sends every widget's value; the server
   keeps the values of widgets left out, so the run is the same), and
   cached_message_hashes;
3. read ForwardMsgs until script_finished. The server first sends new_session (the
   main script's hash), then navigation (the page's hash), then deltas. Deltas at
   least global.minCachedMessageSize large (big Plotly specs) carry
   metadata.cacheable; the tab keeps them by hash and lists the hashes on the next
   rerun, and the server then sends ref_hash stubs for the unchanged ones. This
   client keeps the same cache and resolves the stubs.

A slider's widget state is a double_array_value ([x]; a select_slider sends
string_array_value with the option's label), and a value outside [min, max] is
silently replaced by the default. Widget ids are "$$ID-<hash>-<user key>".

Explorer hands out slider moves to settings no session of the run has had, so no
cache flatters them. Client errors are the client's own failures (exceptions,
refused connections, timeouts); error boxes are exception elements and st.error
alerts on the page. Loopback only.

A tab may carry a query string (``?room=CODE``: sent with every rerun, and updated from
page_info_changed as the browser's address bar is) and cookies on its websocket. A
fragment with ``run_every`` announces itself with ForwardMsg.auto_rerun (interval,
fragment_id); ``auto_reruns`` keeps them (stop_auto_rerun drops them) and
``rerun(fragment_id=…, auto=True)`` runs one as the browser's timer does. A fragment run's
new_session keeps the page (only the fragment's deltas change) and it ends with
FINISHED_FRAGMENT_RUN_SUCCESSFULLY, or with a full run when the fragment calls
st.rerun(scope="app"). A widget drawn by a fragment reruns that fragment. The class client
(a room's phones and the lecturer, pills, the proxy) is ``harness.classclient``.

``run(coro)`` runs a coroutine to the end on a thread of its own, so that a caller
whose thread already has an event loop (Playwright's sync API keeps one running
while a browser is open) can still use this client.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import ipaddress
import os
import random
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Imported for the protobuf classes only (this also imports streamlit itself, ~1 s).
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

from harness.server import streamlit_server
from ui.registry import BY_KEY, PAGES, widget_key

PAGE_KEYS = [p.key for p in PAGES]
UNEXPECTED = "This page hit a problem it did not expect"
ALERT_ERROR = 1  # Alert.Format.ERROR
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY: "ok", ForwardMsg.FINISHED_WITH_COMPILE_ERROR: "compile error"}
FRAGMENT_FINISHED = {**FINISHED, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY: "ok"}
MAX_MESSAGES_PER_RUN = 20_000
CACHE_ENTRIES = 256  # cached Plotly specs a tab keeps (the browser ages them out after a few runs)


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def run(coro):
    """``asyncio.run(coro)`` on a thread of its own: safe where this thread already runs an event loop."""
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="wsclient") as pool:
        return pool.submit(asyncio.run, coro).result()


# ---------------------------------------------------------------- addresses and the server process

def check_loopback(url: str) -> str:
    """The base http URL, or ValueError for anything but a loopback address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "ws") or not parts.hostname or not parts.port:
        raise ValueError(f"expected http://127.0.0.1:PORT, got {url!r}")
    host = parts.hostname
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"refusing {url!r}: this load client only talks to a loopback address (127.0.0.1)")
    host = "127.0.0.1" if host == "localhost" else f"[{host}]" if ":" in host else host
    return f"http://{host}:{parts.port}"


def stream_url(base: str) -> str:
    return "ws" + base[len("http"):] + "/_stcore/stream"


def pid_listening_on(port: int) -> int | None:
    """The PID of the process with a listening TCP socket on ``port`` (same user), from /proc."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in list(f)[1:]:
                cols = line.split()
                if len(cols) > 9 and cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{cols[9]}]")
    if not inodes:
        return None
    for pid in sorted((p for p in os.listdir("/proc") if p.isdigit()), key=int):
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                with contextlib.suppress(OSError):
                    if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                        return int(pid)
    return None


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    return (int(rest[11]) + int(rest[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, all threads


def status_kb(pid: int, field_name: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise KeyError(field_name)


@contextlib.contextmanager
def app_server(url: str | None, pid: int | None):
    """(base URL, PID or None, fresh?) of the server to load: the given one, or a fresh one of our own."""
    if url:
        base = check_loopback(url)
        listener = pid_listening_on(urlsplit(base).port)
        if pid and listener and pid != listener:
            log(f"warning: --pid {pid} is not the process listening on {base} (PID {listener}); measuring {pid}")
        yield base, pid or listener, False
        return
    with streamlit_server() as base:
        found = None
        for _ in range(50):  # the socket is listening once /_stcore/health answered; /proc may lag a moment
            if found := pid_listening_on(urlsplit(base).port):
                break
            time.sleep(0.1)
        yield base, found, True


# ---------------------------------------------------------------- one browser tab

@dataclass
class Run:
    """One script run as the tab saw it: sent rerun_script to script_finished."""

    page: str
    kind: str  # "load" or "slider"
    ok: bool = False
    latency: float | None = None
    status: str = ""
    error: str | None = None  # a client-side failure: exception, timeout, closed socket
    error_boxes: list[str] = field(default_factory=list)
    charts: int = 0
    messages: int = 0
    bytes: int = 0
    refs: int = 0  # deltas the server sent as ref_hash stubs


@dataclass
class Widget:
    id: str
    type: str  # the Element oneof name: "slider", "selectbox", ...
    proto: object
    fragment_id: str = ""  # the fragment that drew it: changing it reruns that fragment only


class Session:
    """One browser tab on one page."""

    def __init__(self, base: str, page: str, timeout: float = 180.0, query: str = "",
                 cookies: dict[str, str] | None = None):
        self.base, self.page, self.timeout = base, page, timeout
        self.query = query.lstrip("?")  # the address bar's query string, without "?"
        self.cookies = dict(cookies or {})  # sent with the websocket handshake
        self.ws = None
        self.page_script_hash = ""
        self.elements: dict[tuple[int, ...], Element] = {}
        self.fragment_of: dict[tuple[int, ...], str] = {}  # delta path -> the fragment that wrote it
        self.fresh: set[tuple[int, ...]] = set()  # delta paths written by the current run
        self.auto_reruns: dict[str, float] = {}  # fragment_id -> run_every interval (s)
        self.cache: dict[str, ForwardMsg] = {}
        self.widget_states: dict[str, WidgetState] = {}
        self.dead: str | None = None

    # -- connection
    async def connect(self) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await connect(stream_url(self.base), subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN"],
                                origin=self.base, additional_headers={"Cookie": cookie} if cookie else None,
                                max_size=256 * 2**20, ping_interval=None, proxy=None,
                                open_timeout=min(60.0, self.timeout), close_timeout=5)
        if self.ws.subprotocol != "streamlit":
            raise ConnectionError(f"server chose subprotocol {self.ws.subprotocol!r}")

    async def close(self, abrupt: bool = False) -> None:
        ws, self.ws = self.ws, None
        if ws is None:
            return
        if abrupt:  # a tab killed mid-run: no close frame, the TCP connection just goes away
            ws.transport.abort()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(), 10)

    # -- the BackMsg a tab sends
    def _rerun_msg(self, first: bool, fragment_id: str = "", auto: bool = False) -> BackMsg:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.fragment_id, cs.is_auto_rerun = fragment_id, auto
        if first:
            cs.page_name = "" if self.page == "home" else self.page
            cs.page_script_hash = ""
        else:
            cs.page_script_hash = self.page_script_hash
            cs.widget_states.widgets.extend(self.widget_states.values())
            cs.cached_message_hashes.extend(self.cache)
        ci = cs.context_info
        ci.timezone, ci.timezone_offset, ci.locale = "UTC", 0, "en-US"
        ci.url = (f"{self.base}/" if self.page == "home" else f"{self.base}/{self.page}") + (
            f"?{self.query}" if self.query else "")
        ci.is_embedded, ci.color_scheme = False, "light"
        return msg

    async def load(self) -> Run:
        """Connect (if needed) and load the page as a fresh tab does."""
        return await self._guarded("load", first=True)

    async def rerun(self, kind: str = "rerun", fragment_id: str = "", auto: bool = False) -> Run:
        """A rerun with the tab's widget states; with ``fragment_id`` that fragment's alone (``auto``: by its timer)."""
        return await self._guarded(kind, first=False, fragment_id=fragment_id, auto=auto)

    async def _guarded(self, kind: str, first: bool, fragment_id: str = "", auto: bool = False) -> Run:
        run = Run(self.page, kind)
        if self.dead:
            run.error = f"session already failed: {self.dead}"
            return run
        try:
            if self.ws is None:
                await self.connect()
            await self._run(run, self._rerun_msg(first, fragment_id, auto), fragment=bool(fragment_id))
        except Exception as err:  # noqa: BLE001 - a load client reports, it does not crash
            run.ok = False
            run.error = run.error or f"{type(err).__name__}: {err}"[:300]
            self.dead = run.error
            with contextlib.suppress(Exception):
                await self.close(abrupt=True)
        return run

    async def send_only(self, first: bool) -> None:
        """Send a rerun without waiting for it (the disconnect scenario)."""
        if self.ws is None:
            await self.connect()
        await self.ws.send(self._rerun_msg(first).SerializeToString())

    async def _run(self, run: Run, msg: BackMsg, fragment: bool = False) -> None:
        finished = FRAGMENT_FINISHED if fragment else FINISHED
        self.fresh, running = set(), set()
        t0 = time.perf_counter()
        deadline = t0 + self.timeout
        await self.ws.send(msg.SerializeToString())
        for _ in range(MAX_MESSAGES_PER_RUN):
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                raise TimeoutError(f"no script_finished within {self.timeout:.0f} s") from None
            run.messages += 1
            run.bytes += len(data)
            fm = ForwardMsg()
            fm.ParseFromString(data)
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":
                run.refs += 1
                cached = self.cache.get(fm.ref_hash)
                if cached is None:
                    raise RuntimeError(f"server referred to a message this tab never had: {fm.ref_hash}")
                cached_copy = ForwardMsg()
                cached_copy.CopyFrom(cached)
                cached_copy.metadata.CopyFrom(fm.metadata)
                fm, kind = cached_copy, cached_copy.WhichOneof("type")
            if kind == "new_session":  # a script run starts: a full run rebuilds the page, a fragment run its part
                running = set(fm.metadata.run.fragment_ids)
                if not running:
                    self.elements, self.fragment_of, self.fresh = {}, {}, set()
                if fm.new_session.page_script_hash:
                    self.page_script_hash = fm.new_session.page_script_hash
            elif kind == "navigation":
                self.page_script_hash = fm.navigation.page_script_hash
            elif kind == "page_not_found":
                run.error_boxes.append(f"page not found: {fm.page_not_found.page_name!r}")
            elif kind == "session_event" and fm.session_event.HasField("script_compilation_exception"):
                exc = fm.session_event.script_compilation_exception
                run.error_boxes.append(f"compile error: {exc.type}: {exc.message}"[:300])
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                if fm.metadata.cacheable and fm.hash:
                    self.cache[fm.hash] = fm
                    while len(self.cache) > CACHE_ENTRIES:
                        self.cache.pop(next(iter(self.cache)))
                path = tuple(fm.metadata.delta_path)
                self.elements[path], self.fragment_of[path] = fm.delta.new_element, fm.delta.fragment_id
                self.fresh.add(path)
            elif kind == "auto_rerun":
                self.auto_reruns[fm.auto_rerun.fragment_id] = fm.auto_rerun.interval
            elif kind == "stop_auto_rerun":
                for fid in fm.stop_auto_rerun.fragment_ids:
                    self.auto_reruns.pop(fid, None)
            elif kind == "page_info_changed":  # the app rewrote the address bar's query string
                self.query = fm.page_info_changed.query_string
            elif kind == "script_finished":
                status = fm.script_finished
                if status in finished:
                    run.latency = time.perf_counter() - t0
                    run.status = finished[status]
                    break
                # FINISHED_EARLY_FOR_RERUN (st.rerun) or a fragment run: the full run goes on
        else:
            raise RuntimeError(f"more than {MAX_MESSAGES_PER_RUN} messages without script_finished")
        if running and run.status:  # as the browser does: what the rerun fragment did not draw again is gone
            for path in [p for p, fid in self.fragment_of.items() if fid in running and p not in self.fresh]:
                del self.elements[path], self.fragment_of[path]
        self._after_run(run)

    def _after_run(self, run: Run) -> None:
        for path, el in self.elements.items():
            kind = el.WhichOneof("type")
            if kind == "plotly_chart":
                run.charts += 1
            elif path not in self.fresh:  # an error box counts once, in the run that drew it
                continue
            elif kind == "exception" and not el.exception.is_warning:
                run.error_boxes.append(f"exception: {el.exception.type}: {el.exception.message}"[:300])
            elif kind == "alert" and el.alert.format == ALERT_ERROR:
                run.error_boxes.append(f"st.error: {el.alert.body}"[:300])
        run.ok = run.status == "ok" and not run.error_boxes
        # As the browser's widget manager does: forget the states of widgets no longer drawn.
        live = {w.id for w in self.widgets()}
        self.widget_states = {k: v for k, v in self.widget_states.items() if k in live}

    # -- the page's widgets and charts
    def widgets(self) -> list[Widget]:
        out = []
        for path, el in self.elements.items():
            kind = el.WhichOneof("type")
            proto = getattr(el, kind) if kind else None
            wid = getattr(proto, "id", "") if proto is not None and "id" in proto.DESCRIPTOR.fields_by_name else ""
            if wid.startswith("$$ID"):
                out.append(Widget(wid, kind, proto, self.fragment_of.get(path, "")))
        return out

    def find_widget(self, key_substring: str, type: str | None = None) -> Widget | None:
        """The widget whose user key is ``key_substring`` (id ends "-key"), else whose id contains it."""
        found = [w for w in self.widgets() if key_substring in w.id and (type is None or w.type == type)]
        exact = [w for w in found if w.id.endswith("-" + key_substring)]
        return (exact or found or [None])[0]

    def chart_specs(self) -> dict[str, str]:
        """Plotly JSON of every chart on the page, by element id (the key is its suffix)."""
        return {el.plotly_chart.id: el.plotly_chart.spec for el in self.elements.values()
                if el.WhichOneof("type") == "plotly_chart"}

    def slider_value(self, w: Widget):
        """The value the tab shows: an option index for a select_slider, else the number."""
        state = self.widget_states.get(w.id)
        p = w.proto
        if is_select_slider(p):
            if state is not None and state.string_array_value.data:
                return list(p.options).index(state.string_array_value.data[0])
            return int((p.value if p.set_value else p.default)[0])
        if state is not None and state.double_array_value.data:
            return state.double_array_value.data[0]
        return (p.value if p.set_value else p.default)[0]

    def set_slider(self, w: Widget, value) -> None:
        """Set a single-value slider as the browser does: double_array_value, or the option label."""
        ws = WidgetState(id=w.id)
        if is_select_slider(w.proto):
            ws.string_array_value.data.append(w.proto.options[int(value)])
        else:
            ws.double_array_value.data.append(float(value))
        self.widget_states[w.id] = ws

    async def move_slider(self, key_substring: str, value) -> Run:
        w = self.find_widget(key_substring, "slider")
        if w is None:
            return Run(self.page, "slider", error=f"no slider with key {key_substring!r} on {self.page}")
        self.set_slider(w, value)
        return await self.rerun("slider")


def find_widget(session: Session, key_substring: str, type: str | None = None) -> Widget | None:
    return session.find_widget(key_substring, type)


def user_key(widget: Widget) -> str:
    """The key the page gave the widget: the part of its id after "$$ID-<hash>-"."""
    return widget.id.split("-", 2)[-1]


def is_start_point(page: str, widget: Widget) -> bool:
    """The widget is ``page``'s start x or y slider (``widget_key(page, "x", *scope)``), whatever its scope."""
    entry = BY_KEY.get(page)
    key = user_key(widget)
    return entry is not None and any(
        name in entry.linked and (key == widget_key(page, name) or key.startswith(widget_key(page, name) + "_"))
        for name in ("x", "y"))


def is_select_slider(p) -> bool:
    return p.type == Slider.SELECT_SLIDER or len(p.options) > 0


def slider_grid(p) -> list:
    """Every value the slider can take (option indices for a select_slider)."""
    if is_select_slider(p):
        return list(range(len(p.options)))
    n = int(round((p.max - p.min) / p.step)) if p.step > 0 else 0
    vals = [round(p.min + i * p.step, 10) for i in range(min(n, 100_000) + 1)]
    return [v for v in vals if p.min - 1e-9 <= v <= p.max + 1e-9]


class Explorer:
    """Hands out slider moves that give a page a setting no session on this run has had,
    so no cache (st.cache_data or the tab's message cache) can flatter the measurement."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: dict[tuple, set[tuple]] = {}
        self.exhausted = 0
        self.exhausted_pages: set[str] = set()

    def tracked(self, s: Session) -> list[Widget]:
        """The sliders a move changes: the start point where the page has one, else plain sliders."""
        sliders = [w for w in s.widgets() if w.type == "slider" and len(slider_grid(w.proto)) > 1
                   and len(w.proto.value if w.proto.set_value else w.proto.default) == 1]
        preferred = [w for w in sliders if is_start_point(s.page, w)]
        plain = [w for w in sliders if not is_select_slider(w.proto)]
        return (preferred or plain or sliders)[:2]

    def next_move(self, s: Session) -> tuple[Widget, float] | None:
        tracked = self.tracked(s)
        if not tracked:
            return None
        key = (s.page, *(w.id for w in tracked))
        seen = self.seen.setdefault(key, set())
        current = [s.slider_value(w) for w in tracked]
        seen.add(tuple(current))
        for _ in range(400):
            i = self.rng.randrange(len(tracked))
            value = self.rng.choice(slider_grid(tracked[i].proto))
            state = tuple(value if j == i else v for j, v in enumerate(current))
            if state not in seen:
                seen.add(state)
                return tracked[i], value
        self.exhausted += 1
        self.exhausted_pages.add(s.page)
        return None

    async def move(self, s: Session, exhausted_ok: bool = False) -> Run | None:
        """A slider move to a fresh setting; None if there is none left and ``exhausted_ok``."""
        if s.dead:
            return Run(s.page, "slider", error=f"session already failed: {s.dead}")
        if not self.tracked(s):  # the page failed before drawing a slider: the student presses R instead
            return await s.rerun("retry")
        move = self.next_move(s)
        if move is None:
            return None if exhausted_ok else Run(s.page, "slider", error=f"no fresh slider value left on {s.page}")
        w, value = move
        s.set_slider(w, value)
        return await s.rerun("slider")



async def close_all(sessions: list[Session]) -> None:
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)
