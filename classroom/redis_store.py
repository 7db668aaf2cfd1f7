"""The store in Redis: workers on several machines share it (chosen by OPTIM_STORE=redis://host:port/db).

A room is a few keys named ``optim:room:{CODE}:…``; the braces are a Redis hash tag, so all
of a room's keys sit together (one slot on a cluster) and one Lua script can change them
atomically. Every write renews the expiry of every key of the room. The rate limit is a key
set with NX and a lifetime of ``interval``: it needs no clock, and holds across workers.

Lecturer actions are compare-and-set: the phase rules (``classroom.store.transition``) and
the key check (``hmac.compare_digest``) run here in Python, and the script applies the change
only if the phase and question are still what was read. Short socket timeouts and one retry
make a dead server an ``Unreachable`` within about a second instead of a hung page.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

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

# Renew every key of the room (ARGV[1] is its prefix): the state, the set of answered questions, their answers.
TOUCH = """
local function touch(prefix, ttl)
  redis.call('PEXPIRE', prefix .. 'state', ttl)
  redis.call('PEXPIRE', prefix .. 'questions', ttl)
  for _, q in ipairs(redis.call('SMEMBERS', prefix .. 'questions')) do
    redis.call('PEXPIRE', prefix .. 'answers:' .. q, ttl)
  end
end
"""
# KEYS: state. ARGV: key hash, now, ttl ms. 0 when the code is taken.
CREATE = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'key', ARGV[1], 'question', '', 'phase', 'idle', 'version', 1, 'updated', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
"""
# KEYS: state, questions, answers of the new question. ARGV: prefix, key hash, phase and question read,
# phase and question to set, '1' to clear that question's answers, now, ttl ms.
CHANGE = TOUCH + """
local cur = redis.call('HMGET', KEYS[1], 'key', 'phase', 'question')
if not cur[1] then return {'no_room'} end
if cur[1] ~= ARGV[2] then return {'forbidden'} end
if cur[2] ~= ARGV[3] or cur[3] ~= ARGV[4] then return {'conflict'} end
if ARGV[7] == '1' then
  redis.call('DEL', KEYS[3])
  redis.call('SREM', KEYS[2], ARGV[6])
end
redis.call('HSET', KEYS[1], 'phase', ARGV[5], 'question', ARGV[6], 'updated', ARGV[8])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
touch(ARGV[1], ARGV[9])
return {'ok', tostring(version)}
"""
# KEYS: state, the session's rate key, answers of the question, questions.
# ARGV: prefix, question, session, value, now, ttl ms, interval ms (0: no limit).
ANSWER = TOUCH + """
local cur = redis.call('HMGET', KEYS[1], 'phase', 'question')
if not cur[1] then return 'no_room' end
if cur[1] ~= 'open' or cur[2] ~= ARGV[2] then return 'closed' end
if tonumber(ARGV[7]) > 0 and not redis.call('SET', KEYS[2], '1', 'PX', ARGV[7], 'NX') then return 'rate_limited' end
redis.call('HSET', KEYS[3], ARGV[3], ARGV[4])
redis.call('SADD', KEYS[4], ARGV[2])
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'updated', ARGV[5])
touch(ARGV[1], ARGV[6])
return 'ok'
"""
REFUSALS = {"no_room": NoRoom, "forbidden": Forbidden, "closed": Closed, "rate_limited": RateLimited}


def prefix(code: str) -> str:
    return f"optim:room:{{{code}}}:"


class RedisStore(LecturerActions):
    """classroom.store.Store on Redis; ``ttl`` and ``interval`` in seconds, ``timeout`` per socket operation."""

    def __init__(self, url: str, *, ttl: float = TTL, interval: float = INTERVAL, timeout: float = 0.5):
        self.ttl_ms = max(1, round(ttl * 1000))
        self.interval_ms = max(1, round(interval * 1000)) if interval > 0 else 0
        self._r = redis.Redis.from_url(url, decode_responses=True, socket_timeout=timeout,
                                       socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 1))
        self._create = self._r.register_script(CREATE)
        self._change_script = self._r.register_script(CHANGE)
        self._answer = self._r.register_script(ANSWER)

    @contextmanager
    def _guard(self):
        """Any Redis failure (refused, timed out, out of memory, read-only replica) is ``Unreachable``."""
        try:
            yield
        except redis.RedisError as exc:
            raise Unreachable(f"redis: {type(exc).__name__}") from exc

    def _state(self, room: str) -> list:
        return self._r.hmget(prefix(room) + "state", "key", "question", "phase", "version", "updated")

    # ------------------------------------------------------------------ the lecturer

    def create_room(self) -> tuple[str, str]:
        key = new_key()
        with self._guard():
            for _ in range(20):
                code = new_code()
                if self._create(keys=[prefix(code) + "state"], args=[key_hash(key), repr(time.time()), self.ttl_ms]):
                    return code, key
        raise StoreError("no free room code")

    def _change(self, code: str, key: str, action: str, question: str | None = None) -> RoomState:
        room = room_code(code)
        p = prefix(room)
        with self._guard():
            for _ in range(20):  # a conflict means another lecturer tab acted in between: read again
                stored_hash, current, phase, version, updated = self._state(room)
                if stored_hash is None:
                    raise NoRoom(room)
                if not key_matches(stored_hash, key):
                    raise Forbidden(room)
                change = transition(action, phase, current or None, question)
                if change is None:
                    return RoomState(room, current or None, phase, int(version), float(updated))
                new_phase, new_question = change
                now = time.time()
                status, *rest = self._change_script(
                    keys=[p + "state", p + "questions", p + f"answers:{new_question}"],
                    args=[p, stored_hash, phase, current, new_phase, new_question, "1" if action == "open" else "0",
                          repr(now), self.ttl_ms])
                if status == "ok":
                    return RoomState(room, new_question, new_phase, int(rest[0]), now)
                if status != "conflict":
                    raise REFUSALS[status](room)
        raise Unreachable("redis: the room kept changing")

    def check_key(self, code: str, key: str) -> bool:
        room = normalise(code)
        if room is None:
            return False
        with self._guard():
            return key_matches(self._r.hget(prefix(room) + "state", "key"), key)

    # ------------------------------------------------------------------ the students

    def answer(self, code: str, session: str, question: str, value: object) -> None:
        room, stored = answer_parts(code, session, question, value)
        p = prefix(room)
        with self._guard():
            status = self._answer(
                keys=[p + "state", p + f"rate:{session}", p + f"answers:{question}", p + "questions"],
                args=[p, question, session, stored, repr(time.time()), self.ttl_ms, self.interval_ms])
        if status != "ok":
            raise REFUSALS[status](question)

    # ------------------------------------------------------------------ reads (they never extend a room's life)

    def room(self, code: str) -> RoomState | None:
        room = normalise(code)
        if room is None:
            return None
        with self._guard():
            _, question, phase, version, updated = self._state(room)
        if version is None:
            return None
        return RoomState(room, question or None, phase, int(version), float(updated))

    def version(self, code: str) -> int | None:
        room = normalise(code)
        if room is None:
            return None
        with self._guard():
            version = self._r.hget(prefix(room) + "state", "version")
        return None if version is None else int(version)

    def answers(self, code: str, question: str) -> dict[str, object]:
        room = normalise(code)
        check_id("question", question)
        if room is None:
            return {}
        with self._guard():
            stored = self._r.hgetall(prefix(room) + f"answers:{question}")
        return {session: decode(value) for session, value in stored.items()}

    def count(self, code: str, question: str) -> int:
        room = normalise(code)
        check_id("question", question)
        if room is None:
            return 0
        with self._guard():
            return self._r.hlen(prefix(room) + f"answers:{question}")

    def ping(self) -> bool:
        try:
            with self._guard():
                return bool(self._r.ping())
        except StoreError:
            return False

    def close(self) -> None:
        self._r.close()
