"""The store in one SQLite file: every worker process on one machine shares it.

WAL mode lets polls read while an answer is written; every read-modify-write runs in
BEGIN IMMEDIATE, so two processes cannot both pass the rate limit or lose a version bump,
and busy_timeout makes a writer wait its turn instead of failing. Connections sit in a
small pool, each used by one thread at a time, so one store object (st.cache_resource)
serves every session's thread. Expired rooms are treated as gone at once and deleted when
the next room is created.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import tempfile
import threading
import time
from contextlib import contextmanager

from classroom.backend import LecturerActions, answer_parts, room_code
from classroom.ids import check_id, key_hash, key_matches, new_code, new_key, normalise
from classroom.store import (
    INTERVAL,
    TTL,
    Closed,
    Forbidden,
    NoRoom,
    RateLimited,
    RoomState,
    StoreError,
    Unreachable,
    transition,
)
from classroom.validate import decode

SCHEMA = """
BEGIN IMMEDIATE;
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY, key_hash TEXT NOT NULL, question TEXT, phase TEXT NOT NULL,
    version INTEGER NOT NULL, updated REAL NOT NULL);
CREATE INDEX IF NOT EXISTS rooms_updated ON rooms (updated);
CREATE TABLE IF NOT EXISTS answers (
    code TEXT NOT NULL, question TEXT NOT NULL, session TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (code, question, session)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rate (
    code TEXT NOT NULL, session TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (code, session)) WITHOUT ROWID;
COMMIT;
"""
LIVE_ROOM = "SELECT key_hash, question, phase, version, updated FROM rooms WHERE code = ? AND updated >= ?"
POOL = 8  # idle connections kept; more threads at once each open their own, closed after use


def default_path() -> str:
    """Env OPTIM_STORE_PATH, else the temp dir (Community Cloud wipes it on restart: rooms are short-lived)."""
    return os.environ.get("OPTIM_STORE_PATH") or os.path.join(tempfile.gettempdir(), "optim-class.sqlite3")


class SqliteStore(LecturerActions):
    """classroom.store.Store on a SQLite file; ``ttl`` and ``interval`` in seconds, ``busy`` the lock wait."""

    def __init__(self, path: str | None = None, *, ttl: float = TTL, interval: float = INTERVAL, busy: float = 5.0):
        self.path = path or default_path()
        self.ttl, self.interval, self.busy = ttl, interval, busy
        self._idle: queue.Queue[sqlite3.Connection] = queue.Queue(POOL)
        self._schema_lock = threading.Lock()
        self._schema_ready = False
        self._closed = False

    # ------------------------------------------------------------------ connections

    def _connect(self) -> sqlite3.Connection:
        # timeout= is SQLite's busy_timeout; isolation_level=None: transactions are begun explicitly
        db = sqlite3.connect(self.path, timeout=self.busy, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")  # WAL stays consistent; a power cut may lose the last answers
            with self._schema_lock:
                if not self._schema_ready:
                    db.executescript(SCHEMA)
                    self._schema_ready = True
        except BaseException:
            db.close()
            raise
        return db

    def _give_back(self, db: sqlite3.Connection) -> None:
        if self._closed:
            db.close()
            return
        try:
            self._idle.put_nowait(db)
        except queue.Full:
            db.close()

    @contextmanager
    def _use(self, write: bool = False):
        """A connection for this thread alone; with ``write``, inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on error)."""
        db = None
        try:
            try:
                db = self._idle.get_nowait()
            except queue.Empty:
                db = self._connect()
            if write:
                db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            if write:
                db.execute("COMMIT")
        except sqlite3.Error as exc:
            if db is not None:
                db.close()
                db = None
            raise Unreachable(f"sqlite: {exc}") from exc
        finally:
            if db is not None:
                self._give_back(db)

    def _live(self, db, code: str):
        return db.execute(LIVE_ROOM, (code, time.time() - self.ttl)).fetchone()

    def _live_or_gone(self, db, code: str):
        """The room's row, for a write: an unknown or expired room is NoRoom."""
        row = self._live(db, code)
        if row is None:
            raise NoRoom(code)
        return row

    # ------------------------------------------------------------------ the lecturer

    def create_room(self) -> tuple[str, str]:
        key = new_key()
        with self._use(write=True) as db:
            now = time.time()
            expired = "SELECT code FROM rooms WHERE updated < ?"
            for table in ("answers", "rate"):
                db.execute(f"DELETE FROM {table} WHERE code IN ({expired})", (now - self.ttl,))
            db.execute("DELETE FROM rooms WHERE updated < ?", (now - self.ttl,))
            for _ in range(20):
                code = new_code()
                made = db.execute("INSERT OR IGNORE INTO rooms VALUES (?, ?, NULL, 'idle', 1, ?)",
                                  (code, key_hash(key), now))
                if made.rowcount == 1:
                    return code, key
        raise StoreError("no free room code")

    def _change(self, code: str, key: str, action: str, question: str | None = None) -> RoomState:
        room = room_code(code)
        with self._use(write=True) as db:
            row = self._live_or_gone(db, room)
            stored_hash, current, phase, version, updated = row
            if not key_matches(stored_hash, key):
                raise Forbidden(room)
            change = transition(action, phase, current, question)
            if change is None:
                return RoomState(room, current, phase, version, updated)
            phase, current = change
            now = time.time()
            if action == "open":
                db.execute("DELETE FROM answers WHERE code = ? AND question = ?", (room, current))
            db.execute("UPDATE rooms SET phase = ?, question = ?, version = version + 1, updated = ? WHERE code = ?",
                       (phase, current, now, room))
            return RoomState(room, current, phase, version + 1, now)

    def check_key(self, code: str, key: str) -> bool:
        room = normalise(code)
        if room is None:
            return False
        with self._use() as db:
            row = self._live(db, room)
        return row is not None and key_matches(row[0], key)

    # ------------------------------------------------------------------ the students

    def answer(self, code: str, session: str, question: str, value: object) -> None:
        room, stored = answer_parts(code, session, question, value)
        with self._use(write=True) as db:
            row = self._live_or_gone(db, room)
            if row[2] != "open" or row[1] != question:
                raise Closed(question)
            now = time.time()
            last = db.execute("SELECT at FROM rate WHERE code = ? AND session = ?", (room, session)).fetchone()
            if last is not None and 0 <= now - last[0] < self.interval:
                raise RateLimited(session)
            db.execute("INSERT INTO answers VALUES (?, ?, ?, ?) "
                       "ON CONFLICT (code, question, session) DO UPDATE SET value = excluded.value",
                       (room, question, session, stored))
            db.execute("INSERT INTO rate VALUES (?, ?, ?) ON CONFLICT (code, session) DO UPDATE SET at = excluded.at",
                       (room, session, now))
            db.execute("UPDATE rooms SET version = version + 1, updated = ? WHERE code = ?", (now, room))

    # ------------------------------------------------------------------ reads (they never extend a room's life)

    def room(self, code: str) -> RoomState | None:
        room = normalise(code)
        if room is None:
            return None
        with self._use() as db:
            row = self._live(db, room)
        return None if row is None else RoomState(room, *row[1:])

    def version(self, code: str) -> int | None:
        room = normalise(code)
        if room is None:
            return None
        with self._use() as db:
            row = db.execute("SELECT version FROM rooms WHERE code = ? AND updated >= ?",
                             (room, time.time() - self.ttl)).fetchone()
        return None if row is None else row[0]

    def _answer_rows(self, code: str, question: str, what: str) -> list:
        room = normalise(code)
        check_id("question", question)
        if room is None:
            return []
        with self._use() as db:
            return db.execute(f"SELECT {what} FROM answers JOIN rooms USING (code) "
                              "WHERE code = ? AND answers.question = ? AND rooms.updated >= ?",
                              (room, question, time.time() - self.ttl)).fetchall()

    def answers(self, code: str, question: str) -> dict[str, object]:
        return {session: decode(value) for session, value in self._answer_rows(code, question, "session, value")}

    def count(self, code: str, question: str) -> int:
        rows = self._answer_rows(code, question, "COUNT(*)")
        return rows[0][0] if rows else 0

    def ping(self) -> bool:
        try:
            with self._use() as db:
                return db.execute("SELECT 1").fetchone() == (1,)
        except StoreError:
            return False

    def close(self) -> None:
        """Close the idle connections; any in use are closed when handed back."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return
