"""Cached calls into optim_core, keyed by plain values (names, numbers, tuples).

``st.cache_data`` hashes arguments; small explicit settings make exact keys,
where big arrays would be hashed from a sample. Results are plain arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

import optim_core as oc

Hyper = tuple[tuple[str, Any], ...]


def freeze(hyper: dict) -> Hyper:
    """A hyper-parameter dict as a sorted tuple of pairs (hashable, order-free)."""
    return tuple(sorted((k, tuple(v) if isinstance(v, (list, np.ndarray)) else v) for k, v in hyper.items()))


def build_optimizer(name: str, hyper: Hyper, inner: str | None = None, inner_hyper: Hyper = ()) -> oc.Optimizer:
    kwargs = {k: (np.asarray(v) if isinstance(v, tuple) else v) for k, v in hyper}
    if name == "lookahead":
        kwargs["inner"] = build_optimizer(inner or "sgd", inner_hyper)
    return oc.make_optimizer(name, **kwargs)


@st.cache_data(max_entries=256, show_spinner=False)
def trajectory(name: str, hyper: Hyper, surface: str, start: tuple, steps: int, *,
               inner: str | None = None, inner_hyper: Hyper = (), batch_size: int | None = None,
               noise: float = 0.0, seed: int = 0, record: bool | tuple = True,
               loss_scale: float = 1.0) -> dict[str, Any]:
    """``optim_core.run`` as a dict of arrays: params, loss, grads, the records, diverged_at.

    ``start`` may be one point ``(x, y)`` or a tuple of points (a batch of runs).
    """
    opt = build_optimizer(name, hyper, inner, inner_hyper)
    traj = oc.run(opt, oc.get_surface(surface).scaled(loss_scale), np.asarray(start, dtype=float), steps,
                  batch_size=batch_size, noise=noise, seed=seed, record=record)
    return {"params": traj.params, "loss": traj.loss, "grads": traj.grads,
            "records": traj.records, "diverged_at": traj.diverged_at}


def run(name: str, hyper: dict, surface: str, start, steps: int, *, inner: str | None = None,
        inner_hyper: dict | None = None, **kwargs) -> dict[str, Any]:
    """The convenient front door to ``trajectory``: takes dicts and arrays, passes tuples."""
    start = np.asarray(start, dtype=float)
    start_key = tuple(start.tolist()) if start.ndim == 1 else tuple(map(tuple, start.tolist()))
    return trajectory(name, freeze(hyper), surface, start_key, int(steps), inner=inner,
                      inner_hyper=freeze(inner_hyper or {}), **kwargs)
