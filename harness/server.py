"""Start `streamlit run app.py` on a free loopback port and stop it by its process; Chromium.

Used by the browser and load tests (tests/conftest.py), ``python -m scripts.screenshots``
and the benchmarks (``python -m bench.browser``, ``python -m bench.load``).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from ui.registry import BY_KEY, PAGES

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(extra_args: tuple[str, ...] = (), timeout: float = 60.0, script: str | Path = "app.py"):
    """Yield the base URL of a running app (``script``, relative to the repository: the lecture app unless
    told); the server is killed (with its group) on exit."""
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / script), "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra_args]
    log = tempfile.TemporaryFile()  # not a pipe: a chatty server must never block on a full pipe
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"streamlit exited early: {log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not answer /_stcore/health in time")
            time.sleep(0.2)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def launch_chromium(playwright):
    """Debian's Chromium, never a browser downloaded by a test tool."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def page_url(base: str, name: str, query: str = "") -> str:
    """The address of the page whose registry key is ``name``: the default page (Home) lives at the
    root URL, every other page at its ``url_path``; ``query`` (``present=1``) is appended."""
    entry = BY_KEY[name]
    url = f"{base}/" if entry.default else f"{base}/{entry.url_path}"
    return f"{url}?{query}" if query else url


PAGE_KEYS = tuple(p.key for p in PAGES)  # in the sidebar's order


PAGE_STATE_JS = """() => {
    const running = !!document.querySelector('[data-testid="stStatusWidget"]');
    const skeletons = document.querySelectorAll('[data-testid*="Skeleton"], [class*="Skeleton"]').length;
    const holders = document.querySelectorAll('[data-testid="stPlotlyChart"]').length;
    const drawn = [...document.querySelectorAll('.js-plotly-plot')]
        .filter(gd => gd._fullData && gd._fullData.length).length;
    return JSON.stringify({running, skeletons, holders, drawn});
}"""


def wait_for_page(page, timeout_s: float = 45.0) -> None:
    """Until the script has run and the page has settled: no skeletons, every chart drawn, stable."""
    # attached, not visible: presenter mode hides the sidebar
    page.wait_for_selector("[data-testid='stSidebarNavLink']:has-text('Home: what'), "
                           "[data-testid='stSidebarNavLink']:has-text('홈:')", timeout=30_000, state="attached")
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=30_000)
    deadline, last, stable = time.monotonic() + timeout_s, None, 0
    while time.monotonic() < deadline:
        state = page.evaluate(PAGE_STATE_JS)
        s = json.loads(state)
        settled = not s["running"] and s["skeletons"] == 0 and s["drawn"] >= s["holders"]
        stable = stable + 1 if settled and state == last else 0
        if stable >= 2:
            return
        last = state
        page.wait_for_timeout(400)
    raise TimeoutError(f"page did not settle: {last}")
