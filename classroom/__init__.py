"""Predict, then reveal: the rooms a lecturer opens and the answers students send from their phones.

Pure Python (no Streamlit), so the same store serves every worker and can be tested alone.
The Redis backend is imported only when a redis:// store is asked for.
"""

from classroom.store import (
    BadAnswer,
    Closed,
    Forbidden,
    NoRoom,
    RateLimited,
    RoomState,
    Store,
    StoreError,
    Unreachable,
    open_store,
)
from classroom.validate import check_answer

__all__ = ["BadAnswer", "Closed", "Forbidden", "NoRoom", "RateLimited", "RoomState", "Store", "StoreError",
           "Unreachable", "check_answer", "open_store"]
