"""What the SQLite and Redis backends share: the lecturer's three actions over one ``_change``, and the
checks made before anything is written (a room code that cannot exist, ids that cannot be keys, a value
that is neither a choice nor a pair of finite numbers).
"""

from __future__ import annotations

from classroom.ids import check_id, normalise
from classroom.store import NoRoom, RoomState
from classroom.validate import encode, plain_value


def room_code(code: str) -> str:
    """``code`` normalised; a code no room can have is NoRoom, as an expired one is."""
    room = normalise(code)
    if room is None:
        raise NoRoom(str(code))
    return room


def answer_parts(code: str, session: str, question: str, value: object) -> tuple[str, str]:
    """(the room's code, the value as stored): what every backend checks before an answer touches the store."""
    stored = encode(plain_value(value))
    check_id("session", session)
    check_id("question", question)
    return room_code(code), stored


class LecturerActions:
    """Open, close and reveal, for a backend whose ``_change(code, key, action, question)`` checks the key and
    applies ``classroom.store.transition``."""

    def _change(self, code: str, key: str, action: str, question: str | None = None) -> RoomState:
        raise NotImplementedError

    def open_question(self, code: str, key: str, question: str) -> RoomState:
        return self._change(code, key, "open", check_id("question", question))

    def close_question(self, code: str, key: str) -> RoomState:
        return self._change(code, key, "close")

    def reveal(self, code: str, key: str) -> RoomState:
        return self._change(code, key, "reveal")
