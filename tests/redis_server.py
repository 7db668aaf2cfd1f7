"""A real redis-server (Debian's) on a free port for the store tests: no fakes, nothing saved to disk.

Import ``redis_url`` into a test module to use it; it lives here, not in conftest.py, so
only the modules that need Redis start one.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    """Whether something on ``port`` replies to a RESP PING (no client library needed)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@contextmanager
def running_redis(workdir, tries: int = 3):
    """``redis://127.0.0.1:<port>/0`` of a fresh redis-server, stopped on exit.

    A port found free can be taken before the server binds it, so a server that dies at
    start is tried again on another port.
    """
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    for _ in range(tries):
        port = free_port()
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                 "no", "--dir", str(workdir), "--daemonize", "no", "--loglevel", "warning"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while proc.poll() is None and time.monotonic() < deadline and not _answers(port):
            time.sleep(0.02)
        if proc.poll() is None and _answers(port):
            break
        proc.kill()
        proc.wait()
    else:
        raise RuntimeError(f"{binary} did not start")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """One redis-server for the module that asks for it."""
    with running_redis(tmp_path_factory.mktemp("redis")) as url:
        yield url
