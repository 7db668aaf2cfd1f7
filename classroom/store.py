"""The one interface "predict, then reveal" talks to, whatever keeps the rooms.

A lecturer's room is shared by every student's session, and with several Streamlit workers
those sessions live in different processes (or on different machines): the state cannot
live in a process, so it lives in a store. SQLite serves one machine, Redis several. Both
backends keep the same contract, and ``tests/test_classroom_store.py`` runs the same tests
against each.

Reading a room never extends its life: only writes count as activity. Otherwise the
phones polling a forgotten room would keep it alive forever, and a poll would be a write.
"""

from __future__ import annotations

import os
from typing import NamedTuple, Protocol, runtime_checkable

PHASES = ("idle", "open", "closed", "revealed")
TTL = 24 * 3600.0  # seconds after the last write that a room and its answers are kept
INTERVAL = 0.5  # seconds one session must wait between two accepted answers in one room
REDIS_SCHEMES = ("redis", "rediss", "unix")


class RoomState(NamedTuple):
    """What every screen of a room draws from; ``version`` changes whenever anything else does."""

    code: str
    question: str | None
    phase: str  # one of PHASES
    version: int
    updated: float  # time.time() of the last write


class StoreError(Exception):
    """Base of every refusal; ``code`` is a short machine reason the app can translate."""

    code = "store"

    def __init__(self, detail: str = ""):
        super().__init__(detail or self.code)


class NoRoom(StoreError):
    code = "no_room"  # unknown or expired code


class Forbidden(StoreError):
    code = "forbidden"  # wrong presenter key


class Closed(StoreError):
    code = "closed"  # the question is not open, or is not the current one


class RateLimited(StoreError):
    code = "rate_limited"  # this session answered less than ``interval`` ago


class BadAnswer(StoreError):
    code = "bad_answer"  # refused by classroom.validate


class Unreachable(StoreError):
    code = "unreachable"  # the store did not answer (in time)


def transition(action: str, phase: str, question: str | None, new_question: str | None = None):
    """(phase, question) after a lecturer's ``action``, or None when it changes nothing.

    Both backends apply these rules, so they live here once. Opening always starts afresh
    (its answers are cleared), even for the question already open. Closing or revealing
    twice changes nothing, so two lecturer tabs pressing the same button cannot fight, and
    a revealed question stays revealed. With no question yet there is nothing to close.
    """
    if action == "open":
        return "open", new_question
    if phase == "idle":
        raise Closed("no question yet")
    target = {"close": "closed", "reveal": "revealed"}[action]
    if phase == target or phase == "revealed":
        return None
    return target, question


@runtime_checkable
class Store(Protocol):
    """Rooms, their current question and phase, and the answers to it.

    Codes are case-insensitive on input. Every write bumps the room's version, so one cheap
    ``version`` read tells a poll whether to redraw. Reads of an unknown or expired room give
    None, {} or 0; writes to one raise NoRoom.
    """

    def create_room(self) -> tuple[str, str]: ...  # (code, presenter key); only the key's sha256 is kept

    def room(self, code: str) -> RoomState | None: ...

    def version(self, code: str) -> int | None: ...

    def open_question(self, code: str, key: str, question: str) -> RoomState: ...

    def close_question(self, code: str, key: str) -> RoomState: ...

    def reveal(self, code: str, key: str) -> RoomState: ...

    def check_key(self, code: str, key: str) -> bool: ...

    def answer(self, code: str, session: str, question: str, value: object) -> None: ...

    def answers(self, code: str, question: str) -> dict[str, object]: ...

    def count(self, code: str, question: str) -> int: ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...


def open_store(url: str | None = None, *, ttl: float = TTL, interval: float = INTERVAL) -> Store:
    """A new store for ``url`` (None: env OPTIM_STORE; unset or empty: the default SQLite file).

    ``redis://host:port/db`` (or rediss://, unix://) picks Redis, ``sqlite:///path`` a SQLite
    file, ``sqlite://`` the default one. Nothing connects yet, so a dead store cannot hang the
    page that opens it. A new object every call: the app caches one with st.cache_resource.
    """
    url = os.environ.get("OPTIM_STORE", "") if url is None else url
    scheme = url.partition(":")[0].lower() if ":" in url else ""
    if scheme in REDIS_SCHEMES:
        from classroom.redis_store import RedisStore

        return RedisStore(url, ttl=ttl, interval=interval)
    if not url or scheme == "sqlite":
        from classroom.sqlite_store import SqliteStore

        path = url.partition(":")[2].removeprefix("//")
        return SqliteStore(path or None, ttl=ttl, interval=interval)
    raise ValueError("a store URL starts with sqlite:// or redis:// (rediss://, unix://)")
