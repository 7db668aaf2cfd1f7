"""Checks for hyper-parameters and run settings, with messages that name the culprit.

Every check accepts a number or a 1-D array of numbers (a batch of settings) and
raises ``ValueError("<name> must be in <range>, got <value>")`` on the first bad
element, so a student who types ``beta1=1`` reads exactly what is wrong. Ranges are
named :class:`Interval` constants (``POSITIVE``, ``DECAY`` …), one call style everywhere::

    check_number("beta1", beta1, DECAY)
    check_number("k", k, closed(1, MAX_K), integer=True)
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np

_INF = math.inf


class Interval(NamedTuple):
    """The allowed range of a number: ``low`` .. ``high``, each end open or closed."""

    low: float
    high: float = _INF
    low_open: bool = False
    high_open: bool = True

    def __str__(self) -> str:
        return f"{'(' if self.low_open else '['}{_fmt(self.low)}, {_fmt(self.high)}{')' if self.high_open else ']'}"

    def contains(self, arr: np.ndarray) -> np.ndarray:
        """Elementwise membership; NaN is never inside."""
        above = arr > self.low if self.low_open else arr >= self.low
        below = arr < self.high if self.high_open else arr <= self.high
        return above & below


def closed(low: float, high: float) -> Interval:
    """``[low, high]``, both ends included."""
    return Interval(low, high, low_open=False, high_open=False)


POSITIVE = Interval(0.0, _INF, low_open=True)  # (0, inf): step sizes, scales
NON_NEGATIVE = Interval(0.0)  # [0, inf): eps, damping, noise
DECAY = Interval(0.0, 1.0)  # [0, 1): momentum, rho, beta1, beta2
FRACTION = Interval(0.0, 1.0, low_open=True, high_open=False)  # (0, 1]: Lookahead's alpha


def _fmt(x: float) -> str:
    if x == _INF:
        return "inf"
    return repr(int(x)) if float(x).is_integer() else repr(x)


def _as_float_array(name: str, value) -> np.ndarray:
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        raise ValueError(f"{name} must be a number, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if arr.ndim > 1:
        raise ValueError(f"{name} must be a number or a 1-D array of settings, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be an empty array")
    return arr


def check_number(name: str, value, interval: Interval, *, integer: bool = False):
    """Return ``value`` as a float (or a 1-D float array) after checking it lies in ``interval``.

    NaN and ±inf are always rejected; with ``integer=True`` the value must be whole
    and comes back as an int (or an int array).
    """
    arr = _as_float_array(name, value)
    finite = np.isfinite(arr)
    with np.errstate(invalid="ignore"):
        ok = finite & interval.contains(arr)
    if integer:
        ok &= np.where(finite, np.mod(np.where(finite, arr, 0.0), 1.0) == 0.0, False)
    if not ok.all():
        bad = arr[~ok].flat[0]
        kind = "a whole number in " if integer else "in "
        raise ValueError(f"{name} must be {kind}{interval}, got {float(bad)!r}")
    if arr.ndim == 0:
        return int(arr) if integer else float(arr)
    return arr.astype(int) if integer else arr


def check_bool(name: str, value) -> bool:
    """``value`` if it is a real boolean (not 0/1 or a string)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_known(kind: str, name, known: Iterable[str]) -> str:
    """Return ``name`` if it is one of ``known``; otherwise list the known names."""
    known = sorted(known)
    if not isinstance(name, str) or name not in known:
        raise ValueError(f"unknown {kind} {name!r}; known: {', '.join(known)}")
    return name


def check_keywords(owner: str, given: Iterable[str], known: Iterable[str]) -> None:
    """Reject keywords that ``owner`` does not take, listing the ones it does."""
    known = sorted(known)
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ValueError(
            f"unknown hyper-parameter {unknown[0]!r} for {owner}; known: {', '.join(known)}"
        )


def as_hyper(value):
    """A checked hyper-parameter ready to broadcast against params of shape (..., 2).

    Scalars stay Python floats (fast on a single run); a 1-D batch of B settings
    becomes shape (B, 1) so that it pairs with params of shape (B, 2).
    """
    if np.ndim(value) == 0:
        return value
    return np.asarray(value)[:, None]


def batch_shape_of(*values) -> tuple[int, ...]:
    """The batch shape implied by a set of (possibly batched) hyper-parameters."""
    shapes = [np.shape(v) for v in values if np.ndim(v) > 0]
    if not shapes:
        return ()
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise ValueError(
            f"batched hyper-parameters must have the same length, got shapes {shapes}"
        ) from None
