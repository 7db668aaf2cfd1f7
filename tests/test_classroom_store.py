"""The classroom store's contract, run unchanged against both backends: a SQLite file and a real redis-server.

The app only ever talks to ``classroom.store.Store``, so what a lecturer and sixty phones
see must not depend on which backend a deployment picked. Timings are kept short with the
constructor's ``ttl`` and ``interval``.
"""

from __future__ import annotations

import hashlib
import math
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import redis
from redis_server import redis_url  # noqa: F401  (a fixture: the module's redis-server)

from classroom import (
    BadAnswer,
    Closed,
    Forbidden,
    NoRoom,
    RateLimited,
    RoomState,
    Store,
    Unreachable,
    check_answer,
    open_store,
)
from classroom.ids import ALPHABET, CODE_LENGTH
from classroom.redis_store import RedisStore
from classroom.sqlite_store import SqliteStore

ROOT = Path(__file__).resolve().parent.parent
BOX = ((-1.0, 1.0), (-2.0, 2.0))
OPTIONS = ("faster", "slower", "same")

# One worker process: 30 threads answer once each in one room when the test writes "go".
WORKER = """
import sys, threading
from classroom import open_store
url, code, tag = sys.argv[1:4]
store = open_store(url)
gate, done, errors = threading.Event(), [], []
def one(i):
    gate.wait()
    try:
        store.answer(code, f"{tag}-{i}", "q", [i / 100, -i / 100])
        done.append(i)
    except Exception as exc:
        errors.append(repr(exc))
threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
for t in threads:
    t.start()
print("ready", flush=True)
sys.stdin.readline()
gate.set()
for t in threads:
    t.join()
store.close()
print(len(done), errors, flush=True)
"""


@pytest.fixture(params=["sqlite", "redis"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def url(backend, request, tmp_path) -> str:
    return str(request.getfixturevalue("redis_url")) if backend == "redis" else f"sqlite:///{tmp_path}/class.sqlite3"


@pytest.fixture
def make(url):
    """Stores on this test's backend (``ttl`` and ``interval`` in seconds), all closed at the end."""
    made = []

    def make_store(ttl: float = 60.0, interval: float = 0.05) -> Store:
        made.append(open_store(url, ttl=ttl, interval=interval))
        return made[-1]

    yield make_store
    for store in made:
        store.close()


@pytest.fixture
def store(make) -> Store:
    return make()


def opened(store: Store, question: str = "q") -> tuple[str, str]:
    code, key = store.create_room()
    store.open_question(code, key, question)
    return code, key


def stored_strings(backend: str, store: Store, code: str, redis_address: str | None) -> list[str]:
    """Every string the backend keeps for the room ``code``, read behind the store's back."""
    if backend == "sqlite":
        db = sqlite3.connect(store.path)
        try:
            rows = [row for table in ("rooms", "answers", "rate")
                    for row in db.execute(f"SELECT * FROM {table} WHERE code = ?", (code,))]
        finally:
            db.close()
        return [str(cell) for row in rows for cell in row]
    raw = redis.Redis.from_url(redis_address, decode_responses=True)
    try:
        out = []
        for name in raw.scan_iter(match=f"optim:room:{{{code}}}:*"):
            kind = raw.type(name)
            value = {"hash": raw.hgetall, "set": raw.smembers, "string": raw.get}[kind](name)
            out += [name, *(value.items() if kind == "hash" else [value] if kind == "string" else value)]
        return [str(v) for item in out for v in (item if isinstance(item, tuple) else (item,))]
    finally:
        raw.close()


# ---------------------------------------------------------------------------- rooms, codes, versions

def test_a_new_room_is_idle_at_version_one(store, backend):
    assert isinstance(store, Store)
    assert isinstance(store, SqliteStore if backend == "sqlite" else RedisStore)
    before = time.time()
    code, key = store.create_room()
    state = store.room(code)
    assert state == RoomState(code, None, "idle", 1, state.updated)
    assert before <= state.updated <= time.time()
    assert store.version(code) == 1
    assert len(key) == 24  # secrets.token_urlsafe(18)
    assert store.ping() is True
    if backend == "sqlite":  # WAL: polls read while an answer is written, across processes
        db = sqlite3.connect(store.path)
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        db.close()


def test_room_codes_are_short_unambiguous_distinct_and_case_insensitive(store):
    assert not set("0O1IL") & set(ALPHABET)
    codes = [store.create_room()[0] for _ in range(200)]
    assert len(set(codes)) == 200
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert store.room(codes[0].lower()).code == codes[0]
    assert store.version(f"  {codes[1].lower()} ") == 1
    assert store.room("!!!") is None and store.version("ABC") is None and store.room(None) is None


def test_every_change_bumps_the_version_and_nothing_else_does(store):
    code, key = store.create_room()
    assert store.version(code) == 1
    assert store.open_question(code, key, "q1").version == 2
    store.answer(code, "s1", "q1", "faster")
    store.answer(code, "s2", "q1", [0.5, -1])
    assert store.version(code) == 4
    closed = store.close_question(code, key)
    assert (closed.phase, closed.question, closed.version) == ("closed", "q1", 5)
    with pytest.raises(Closed):
        store.answer(code, "s3", "q1", "slower")
    assert store.version(code) == 5
    assert store.reveal(code, key)[2:4] == ("revealed", 6)
    assert store.reveal(code, key).version == 6  # revealing twice changes nothing
    assert store.close_question(code, key).phase == "revealed"  # and a revealed question stays revealed
    assert store.version(code) == 6
    assert store.open_question(code, key, "q2")[1:4] == ("q2", "open", 7)
    assert store.room(code)[1:4] == ("q2", "open", 7)
    assert store.version("ZZZZZ") is None and store.room("ZZZZZ") is None


# ---------------------------------------------------------------------------- many writers

def test_sixty_threads_answering_at_once_are_each_counted_once(store):
    code, _ = opened(store)
    start, errors = threading.Barrier(60), []

    def one(i):
        start.wait()
        try:
            store.answer(code, f"s{i}", "q", [i / 100, -i / 100])
        except Exception as exc:  # collected, and shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.count(code, "q") == 60
    assert store.answers(code, "q") == {f"s{i}": (i / 100, -i / 100) for i in range(60)}
    assert store.version(code) == 2 + 60


def test_two_processes_of_thirty_writers_are_each_counted_once(store, url):
    """What several Streamlit workers do: each process has its own store object on the same file or server."""
    code, _ = opened(store)
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, code, tag], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE) for tag in ("p1", "p2")]
    try:
        assert [p.stdout.readline().strip() for p in procs] == ["ready", "ready"]
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        reports = [p.communicate(timeout=30)[0].strip() for p in procs]
    finally:
        for p in procs:
            p.kill() if p.poll() is None else None
    assert reports == ["30 []", "30 []"]
    assert store.count(code, "q") == 60
    assert store.answers(code, "q") == {f"{tag}-{i}": (i / 100, -i / 100) for tag in ("p1", "p2") for i in range(30)}
    assert store.version(code) == 62


# ---------------------------------------------------------------------------- answers

def test_the_latest_answer_of_a_session_wins(make):
    store = make(interval=0.1)
    code, _ = opened(store)
    store.answer(code, "s1", "q", "faster")
    time.sleep(0.15)
    store.answer(code, "s1", "q", "slower")
    assert store.answers(code, "q") == {"s1": "slower"}
    assert store.count(code, "q") == 1
    assert store.version(code) == 4


def test_answers_go_only_to_the_open_current_question(store):
    code, key = store.create_room()
    with pytest.raises(Closed) as idle:
        store.answer(code, "s1", "q1", "faster")
    assert idle.value.code == "closed"
    store.open_question(code, key, "q1")
    with pytest.raises(Closed):
        store.answer(code, "s1", "q2", "faster")
    store.answer(code, "s1", "q1", "faster")
    version = store.close_question(code, key).version
    with pytest.raises(Closed):
        store.answer(code, "s2", "q1", "slower")
    store.reveal(code, key)
    with pytest.raises(Closed):
        store.answer(code, "s3", "q1", "slower")
    assert store.version(code) == version + 1
    assert store.answers(code, "q1") == {"s1": "faster"}
    store.open_question(code, key, "q2")
    assert store.answers(code, "q1") == {"s1": "faster"}  # another question keeps its answers
    store.open_question(code, key, "q1")
    assert store.answers(code, "q1") == {} and store.count(code, "q1") == 0  # opening again starts afresh
    with pytest.raises(NoRoom) as missing:
        store.answer("ZZZZZ", "s1", "q1", "faster")
    assert missing.value.code == "no_room"


BAD_FOR_THE_STORE = [[math.nan, 0.0], [0.0, math.inf], True, ["0.1", "0.2"], "", "x" * 201, [0.1, 0.2, 0.3],
                     list(range(10_000)), None, {"x": 0.1, "y": 0.2}, [True, 0.0], [10**400, 0.0], 3.5]


@pytest.mark.parametrize("value", BAD_FOR_THE_STORE, ids=repr)
def test_the_store_refuses_what_is_neither_a_choice_nor_a_pair_of_finite_numbers(store, value):
    code, _ = opened(store)
    with pytest.raises(BadAnswer) as refused:
        store.answer(code, "s1", "q", value)
    assert refused.value.code == "bad_answer"
    assert store.version(code) == 2 and store.count(code, "q") == 0


@pytest.mark.parametrize("value, question", [
    ([math.nan, 0.0], {"box": BOX}), ([1.5, 0.0], {"box": BOX}), ([0.0, -2.01], {"box": BOX}),
    ("1.0, 0.5", {"box": BOX}), ([0.0, 0.0, 0.0], {"box": BOX}), (False, {"box": BOX}), ([1, True], {"box": BOX}),
    ("maybe", {"options": OPTIONS}), (True, {"options": OPTIONS}), ([0.1, 0.2], {"options": OPTIONS}),
    (["faster"], {"options": OPTIONS}),
], ids=repr)
def test_check_answer_refuses_what_does_not_answer_the_question(value, question):
    with pytest.raises(BadAnswer):
        check_answer(value, **question)


def test_check_answer_gives_what_the_store_keeps():
    assert check_answer("same", options=OPTIONS) == "same"
    assert check_answer([1, -2], box=BOX) == (1.0, -2.0)  # edges are inside
    assert check_answer((0.25, 0.5), box=BOX) == (0.25, 0.5)
    with pytest.raises(ValueError):
        check_answer("same", options=OPTIONS, box=BOX)


def test_the_app_checks_against_the_question_and_a_refusal_changes_nothing(store):
    code, _ = opened(store)
    for value in ([0.0, 5.0], [math.nan, 0.0], "1,2"):
        with pytest.raises(BadAnswer):
            store.answer(code, "s1", "q", check_answer(value, box=BOX))
    store.answer(code, "s1", "q", check_answer([0.5, 1.5], box=BOX))
    assert store.answers(code, "q") == {"s1": (0.5, 1.5)} and store.version(code) == 3


def test_a_flood_from_one_session_is_refused_and_changes_nothing(make):
    store = make(interval=0.5)
    code, _ = opened(store)
    accepted, refused = [], 0
    t0 = time.monotonic()
    for i in range(10):  # 10 answers at 10 a second
        time.sleep(max(0.0, t0 + i / 10 - time.monotonic()))
        try:
            store.answer(code, "flood", "q", OPTIONS[i % 3])
            accepted.append(i)
        except RateLimited as exc:
            assert exc.code == "rate_limited"
            refused += 1
    assert accepted[0] == 0 and len(accepted) <= 2 and refused == 10 - len(accepted)
    assert store.version(code) == 2 + len(accepted)
    assert store.answers(code, "q") == {"flood": OPTIONS[accepted[-1] % 3]}
    store.answer(code, "calm", "q", "same")  # the limit is per session: another one is not held up
    other, _ = opened(store)
    store.answer(other, "flood", "q", "same")  # and per room
    assert store.count(code, "q") == 2 and store.count(other, "q") == 1


# ---------------------------------------------------------------------------- expiry

def test_rooms_expire_after_the_last_write_and_reading_does_not_extend_them(make):
    store = make(ttl=1.0, interval=0.0)
    quiet, quiet_key = opened(store)
    busy, busy_key = opened(store)
    store.answer(busy, "s1", "q", "faster")
    time.sleep(0.6)
    assert store.room(quiet).phase == "open" and store.version(quiet) == 2  # a poll, not activity
    store.answer(busy, "s2", "q", "slower")  # activity: the busy room lives another second
    time.sleep(0.9)
    assert store.room(quiet) is None and store.version(quiet) is None
    assert store.answers(quiet, "q") == {} and store.count(quiet, "q") == 0
    assert store.check_key(quiet, quiet_key) is False
    with pytest.raises(NoRoom):
        store.answer(quiet, "s3", "q", "same")
    with pytest.raises(NoRoom):
        store.close_question(quiet, quiet_key)
    assert store.answers(busy, "q") == {"s1": "faster", "s2": "slower"}  # all of a live room's answers live on
    assert store.room(busy).version == 4
    store.create_room()  # the SQLite backend purges expired rooms here


# ---------------------------------------------------------------------------- the presenter key

def test_only_the_presenter_key_drives_the_room_and_it_is_kept_only_hashed(store, backend, request):
    code, key = store.create_room()
    for action in (lambda k: store.open_question(code, k, "q"), lambda k: store.close_question(code, k),
                   lambda k: store.reveal(code, k)):
        for wrong in (key[:-1] + ("A" if key[-1] != "A" else "B"), "", key.upper(), "x" * 500):
            with pytest.raises(Forbidden) as refused:
                action(wrong)
            assert refused.value.code == "forbidden"
    assert store.room(code)[1:4] == (None, "idle", 1)
    assert store.check_key(code, key) and store.check_key(code.lower(), key)
    assert not store.check_key(code, key[:-1]) and not store.check_key("ZZZZZ", key)
    assert not store.check_key(code, None)
    assert store.open_question(code.lower(), key, "q").phase == "open"
    store.answer(code, "s1", "q", "faster")
    kept = stored_strings(backend, store, code, request.getfixturevalue("redis_url") if backend == "redis" else None)
    assert hashlib.sha256(key.encode()).hexdigest() in kept
    assert not any(key in s for s in kept)


# ---------------------------------------------------------------------------- a store that is not there

def _all_calls(store: Store) -> dict:
    return {"create_room": store.create_room, "room": lambda: store.room("ABCDE"),
            "version": lambda: store.version("ABCDE"), "open": lambda: store.open_question("ABCDE", "k", "q"),
            "close": lambda: store.close_question("ABCDE", "k"), "reveal": lambda: store.reveal("ABCDE", "k"),
            "check_key": lambda: store.check_key("ABCDE", "k"), "answer": lambda: store.answer("ABCDE", "s", "q", "a"),
            "answers": lambda: store.answers("ABCDE", "q"), "count": lambda: store.count("ABCDE", "q")}


def _assert_unreachable(store: Store, calls: dict, within: float) -> None:
    t = time.monotonic()
    assert store.ping() is False
    assert time.monotonic() - t < within
    for name, call in calls.items():
        t = time.monotonic()
        with pytest.raises(Unreachable) as failed:
            call()
        assert failed.value.code == "unreachable", name
        assert time.monotonic() - t < within, name


def test_a_redis_nothing_listens_on_fails_fast():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        store = open_store(f"redis://127.0.0.1:{port}/0")
        try:
            _assert_unreachable(store, _all_calls(store), within=2.0)
        finally:
            store.close()


def test_a_redis_that_never_answers_does_not_hang_the_page():
    """A server that accepts connections and then says nothing: the socket timeout ends the wait."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        store = open_store(f"redis://127.0.0.1:{s.getsockname()[1]}/0")
        try:
            calls = _all_calls(store)
            _assert_unreachable(store, {name: calls[name] for name in ("version", "answer")}, within=2.0)
        finally:
            store.close()


def test_a_sqlite_file_that_cannot_be_opened_is_unreachable(tmp_path):
    store = open_store(f"sqlite:///{tmp_path}/no/such/dir/class.sqlite3")
    try:
        _assert_unreachable(store, _all_calls(store), within=2.0)
    finally:
        store.close()


# ---------------------------------------------------------------------------- choosing a backend

def test_open_store_reads_the_environment_and_makes_a_new_store_each_time(monkeypatch, tmp_path):
    monkeypatch.delenv("OPTIM_STORE", raising=False)
    monkeypatch.setenv("OPTIM_STORE_PATH", str(tmp_path / "env.sqlite3"))
    first, second, default = open_store(), open_store(), open_store("sqlite://")
    assert isinstance(first, SqliteStore) and first.path == str(tmp_path / "env.sqlite3")
    assert first is not second and default.path == first.path
    monkeypatch.setenv("OPTIM_STORE", "redis://127.0.0.1:1/0")
    on_redis = open_store()
    assert isinstance(on_redis, RedisStore)
    for store in (first, second, default, on_redis):
        store.close()
    with pytest.raises(ValueError):
        open_store("ftp://example.org/rooms")


def test_the_package_needs_neither_streamlit_nor_redis_for_sqlite(tmp_path):
    probe = (f"import sys, classroom; s = classroom.open_store('sqlite:///{tmp_path}/p.sqlite3'); "
             "s.create_room(); s.close(); print(sorted(m for m in ('streamlit', 'redis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert out.stdout.strip() == "[]", out.stderr
