"""The optimizer interface, after optax's ``GradientTransformation``.

An optimizer is a pair of pure functions::

    state = opt.init(params)
    updates, state = opt.update(grads, state, params, **extra_args)   # params + updates = next params

Every ``update`` takes the same arguments, as in optax: ``params`` may be None for
methods that do not need it, and ``extra_args`` carries what only some methods read
(Newton's ``hessian=H``); the others ignore it, and Lookahead hands it on to its inner
optimizer.

Hyper-parameters live in the factory's closure; the state is a small NamedTuple
passed in and out. Its array fields double as the per-step records that the
pictures draw (``m``, ``v_hat``, ``step_size`` …), so ``run`` needs no second
code path to explain a step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np


class Optimizer(NamedTuple):
    """``init(params) -> state`` and ``update(grads, state, params=None, **extra_args) -> (updates, state)``.

    ``params + updates`` are the next params. ``extra_args`` are keywords only some
    methods read: ``hessian`` (shape (..., 2, 2)) for those with ``needs_hessian``;
    every other method accepts and ignores them. ``batch_shape`` is ``(B,)`` when some
    hyper-parameter was given as a 1-D array of B settings: one call then advances B
    independent runs.
    """

    name: str
    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    hyper: Mapping[str, Any]
    batch_shape: tuple[int, ...] = ()
    needs_hessian: bool = False


def zeros_like(params) -> np.ndarray:
    return np.zeros(np.shape(params))


def full_like(params, value) -> np.ndarray:
    """``value`` (a float or a (B, 1) batch) broadcast to the shape of ``params``."""
    shape = np.broadcast_shapes(np.shape(params), np.shape(value))
    return np.broadcast_to(value, shape).astype(float)


def record_paths(state, prefix: str = "") -> list[tuple[str, str]]:
    """(record name, dotted attribute path) for every field of a (possibly nested) state.

    ``count`` is left out; a nested state (Lookahead's ``inner``) contributes its own fields.
    A field is either an array shaped like ``params`` or one number per run (a scalar, or
    a (B, 1) column when a hyper-parameter is batched).
    """
    out: list[tuple[str, str]] = []
    for key, val in state._asdict().items():
        if hasattr(val, "_fields"):
            out += record_paths(val, f"{prefix}{key}.")
        elif key != "count":
            out.append((key, prefix + key))
    return out


def state_records(state) -> dict[str, np.ndarray]:
    """The recordable fields of a (possibly nested) state, by record name."""
    return {key: attrgetter(path)(state) for key, path in record_paths(state)}
