"""What counts as an answer: a choice (one of the question's options) or a tap (a point on its plot).

Answers come from phones, through widgets the student's browser controls, so nothing is
trusted. The app checks an answer against its question with ``check_answer``; the store
checks only the shape again with ``plain_value`` (defence in depth: whatever it keeps is a
short string or two finite floats, never something that would break the lecturer's chart).
"""

from __future__ import annotations

import json
import math
import numbers

from classroom.store import BadAnswer

MAX_TEXT = 200  # characters in a choice; options are short labels


def _number(v: object) -> float | None:
    """``v`` as a finite float, or None (bools are refused: True is not a coordinate)."""
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        return None
    try:
        f = float(v)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def plain_value(value: object) -> str | tuple[float, float]:
    """The stored form of ``value``: a non-empty short str, or a pair of finite floats."""
    if isinstance(value, str):
        if 0 < len(value) <= MAX_TEXT:
            return value
        raise BadAnswer("a choice is 1-200 characters")
    if isinstance(value, (list, tuple)) and len(value) == 2:
        x, y = _number(value[0]), _number(value[1])
        if x is not None and y is not None:
            return (x, y)
    raise BadAnswer("an answer is a choice or two finite numbers")


def check_answer(value: object, *, options=None, box=None) -> str | tuple[float, float]:
    """``value`` as the store keeps it, if it answers a question with these ``options`` or this ``box``.

    ``box`` is ((x0, x1), (y0, y1)), edges included. A question has exactly one of the two.
    """
    if (options is None) == (box is None):
        raise ValueError("a question has options (a choice) or a box (a tap), not both or neither")
    value = plain_value(value)
    if options is not None:
        if isinstance(value, str) and value in options:
            return value
        raise BadAnswer("not one of the options")
    if isinstance(value, str):
        raise BadAnswer("a tap is two numbers")
    (x0, x1), (y0, y1) = box
    x, y = value
    if min(x0, x1) <= x <= max(x0, x1) and min(y0, y1) <= y <= max(y0, y1):
        return value
    raise BadAnswer("outside the plot")


def encode(value: str | tuple[float, float]) -> str:
    """A checked value as JSON text, the form both backends store."""
    return json.dumps(value if isinstance(value, str) else list(value), allow_nan=False)


def decode(text: str) -> str | tuple[float, float]:
    value = json.loads(text)
    return value if isinstance(value, str) else (float(value[0]), float(value[1]))
