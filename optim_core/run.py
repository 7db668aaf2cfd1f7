"""``run``: step an optimizer on a surface and keep everything the pictures need."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import Any, NamedTuple

import numpy as np

from ._validate import check_bool, check_number
from .base import Optimizer, record_paths
from .surfaces import FiniteSumSurface, Surface

MAX_STEPS = 100_000
MAX_ELEMENTS = 10_000_000  # steps × runs: keeps a hosted app's memory bounded
DIVERGENCE_FACTOR = 20.0  # "far outside": this many half-widths from the plot's centre
_CHECK_EVERY = 64  # how often the loop looks for an all-diverged batch to stop early


class Trajectory(NamedTuple):
    """What ``run`` returns. Shapes for a batch of B runs; drop the B axis for one run.

    - ``params``: (steps+1, B, 2), the start then each step's parameters;
    - ``loss``: (steps+1, B), the full loss at those parameters;
    - ``grads``: (steps, B, 2), the (possibly stochastic) gradient used by each step;
    - ``records``: name -> (steps, B, …), the optimizer's state after each step;
    - ``diverged_at``: for one run ``None`` or the 1-based step that blew up; for a
      batch an int array with -1 where the run did not diverge. From that step on
      every array holds its last finite row.
    """

    params: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    records: dict[str, np.ndarray]
    diverged_at: Any

    @property
    def diverged(self) -> np.ndarray | bool:
        if self.diverged_at is None or np.ndim(self.diverged_at) == 0:
            return self.diverged_at is not None
        return self.diverged_at >= 0


def run(
    opt: Optimizer,
    surface: Surface,
    start,
    steps: int,
    batch_size: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
    record: bool | Iterable[str] = True,
) -> Trajectory:
    """Run ``opt`` for ``steps`` steps on ``surface`` from ``start``.

    ``start`` is one point (2,) or a batch (B, 2); an optimizer whose
    hyper-parameters are batched runs B settings from one start. Gradients are
    exact unless ``batch_size`` (real mini-batches of a finite-sum surface) or
    ``noise`` (added Gaussian noise of that standard deviation) make them
    stochastic; ``seed`` fixes the randomness. ``record`` picks which state
    records to keep: all (``True``), none (``False``) or the named ones.
    """
    if not isinstance(opt, Optimizer):
        raise ValueError(f"opt must be an optimizer made by make_optimizer, got {opt!r}")
    if not isinstance(surface, Surface):
        raise ValueError(f"surface must come from get_surface, got {surface!r}")
    steps = check_number("steps", steps, 0, MAX_STEPS, high_open=False, integer=True)
    p = _start_points(start, opt.batch_shape)
    if steps * max(p.size // 2, 1) > MAX_ELEMENTS:
        raise ValueError(f"steps × runs must be at most {MAX_ELEMENTS:,}, got {steps * (p.size // 2):,}")
    gradient = _gradient_source(surface, batch_size, noise, seed, p.shape)
    wanted = _wanted_records(record)

    params = np.empty((steps + 1,) + p.shape)
    params[0] = p
    grads = np.empty((steps,) + p.shape)
    records: dict[str, np.ndarray] = {}
    state = opt.init(p)
    store = None
    hessian = surface.hessian if opt.needs_hessian else None
    with np.errstate(all="ignore"):
        for i in range(steps):
            g = gradient(p, grads[i])
            if hessian is None:
                updates, state = opt.update(g, state, p)
            else:
                updates, state = opt.update(g, state, p, hessian=hessian(p))
            p = np.add(p, updates, out=params[i + 1])
            if store is None:
                store = _recorder(state, steps, p.shape[:-1], wanted, records)
            store(state, i)
            if i % _CHECK_EVERY == _CHECK_EVERY - 1 and not _alive(surface, p).any():
                params[i + 2:] = p
                break
        first_bad = _first_bad_step(surface, params)
        if first_bad is not None:
            _freeze(params, grads, records, first_bad)
        loss = surface.value(params)
    return Trajectory(params, loss, grads, records, _diverged_at(first_bad, p.shape))


def _start_points(start, batch_shape) -> np.ndarray:
    try:
        start = np.asarray(start, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"start must be a point (x, y) or an array of points, got {start!r}") from None
    if start.ndim not in (1, 2) or start.shape[-1] != 2:
        raise ValueError(f"start must have shape (2,) or (B, 2), got {start.shape}")
    if not np.isfinite(start).all():
        raise ValueError("start must be finite, got a NaN or inf coordinate")
    try:
        shape = np.broadcast_shapes(start.shape[:-1], batch_shape) + (2,)
    except ValueError:
        raise ValueError(
            f"{start.shape[0]} start points do not match {batch_shape[0]} hyper-parameter settings"
        ) from None
    return np.broadcast_to(start, shape).copy()


def _gradient_source(surface, batch_size, noise, seed, shape) -> Callable[[np.ndarray], np.ndarray]:
    """The gradient each step sees: exact, a real mini-batch, and/or with added noise."""
    noise = check_number("noise", noise, 0.0)
    seed = check_number("seed", seed, 0, 2**32, integer=True)
    rng = np.random.default_rng(seed)
    base = surface.grad
    if batch_size is not None:
        base = _minibatch_gradient(surface, batch_size, rng, shape[:-1])
    if noise == 0.0:
        return base

    def noisy(p, out):
        g = base(p, out)
        g += noise * rng.standard_normal(shape)
        return g

    return noisy


def _minibatch_gradient(surface, batch_size, rng, runs) -> Callable[[np.ndarray], np.ndarray]:
    """Each run draws its own ``batch_size`` examples, without replacement, every step."""
    if not isinstance(surface, FiniteSumSurface):
        raise ValueError(
            f"batch_size needs a finite-sum surface (least_squares), not {surface.name}; "
            "use noise= to model mini-batch noise instead")
    m = surface.n_examples
    batch_size = check_number("batch_size", batch_size, 1, m, high_open=False, integer=True)
    if batch_size == m:
        return surface.grad
    every = np.broadcast_to(np.arange(m), runs + (m,))
    return lambda p, out: surface.minibatch_grad(p, rng.permuted(every, axis=-1)[..., :batch_size], out)


def _wanted_records(record) -> frozenset[str] | None:
    if isinstance(record, (bool, np.bool_)):
        return frozenset() if check_bool("record", record) else None
    if isinstance(record, str):
        return frozenset([record])
    return frozenset(record) or None


def _recorder(state, steps: int, runs: tuple, wanted: frozenset | None, records: dict) -> Callable:
    """Allocate ``records`` for the wanted state fields; return ``store(state, i)``.

    A field that is one flag for all runs (Lookahead's ``synced`` with a scalar k)
    is recorded per run, shape ``runs``, like every other record.
    """
    if wanted is None:
        return lambda state, i: None
    getters = []
    for key, path in record_paths(state):
        if wanted and key not in wanted:
            continue
        value = attrgetter(path)(state)
        shape = np.shape(value) if np.ndim(value) else runs
        records[key] = np.zeros((steps,) + shape, dtype=np.result_type(value))
        getters.append((records[key], attrgetter(path)))

    def store(state, i):
        for arr, get in getters:
            arr[i] = get(state)

    return store


def _alive(surface: Surface, p: np.ndarray) -> np.ndarray:
    """True where a point is finite and not far outside the plotted region."""
    distance = np.abs(p - surface.center) / surface.half_width
    return (distance <= DIVERGENCE_FACTOR).all(axis=-1)  # NaN compares False


def _first_bad_step(surface: Surface, params: np.ndarray) -> np.ndarray | None:
    """Per run, the first row of ``params`` that blew up, or -1; None if none did."""
    # Extremes over time settle most runs with two reductions; only suspects are
    # searched row by row (NaN propagates through min/max and lands there too).
    suspect = ~(_alive(surface, params.min(axis=0)) & _alive(surface, params.max(axis=0)))
    if not suspect.any():
        return None
    first_bad = np.full(params.shape[1:-1], -1)
    alive = _alive(surface, params[:, suspect])
    first_bad[suspect] = np.where(alive.all(axis=0), -1, np.argmin(alive, axis=0))
    return first_bad if (first_bad >= 0).any() else None


def _freeze(params, grads, records, first_bad) -> None:
    """From the blow-up on, repeat each array's last finite row (in place)."""
    bad = first_bad >= 0
    rows = np.arange(params.shape[0]).reshape((-1,) + (1,) * first_bad.ndim)
    last_good = np.where(bad, first_bad - 1, params.shape[0])
    params[...] = _take_rows(params, np.minimum(rows, last_good))
    step_rows = rows[:-1]
    last_step = np.where(bad, np.maximum(first_bad - 2, 0), params.shape[0])
    grads[...] = _take_rows(grads, np.minimum(step_rows, last_step))
    for key, arr in records.items():
        records[key] = _take_rows(arr, np.minimum(step_rows, last_step))
        if np.issubdtype(arr.dtype, np.floating):
            np.nan_to_num(records[key], copy=False, nan=0.0, posinf=0.0, neginf=0.0)
    np.nan_to_num(grads, copy=False, nan=0.0, posinf=0.0, neginf=0.0)


def _take_rows(arr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return np.take_along_axis(arr, rows.reshape(rows.shape + (1,) * (arr.ndim - rows.ndim)), axis=0)


def _diverged_at(first_bad, shape: tuple[int, ...]):
    if len(shape) == 1:
        return None if first_bad is None else int(first_bad)
    return np.full(shape[:-1], -1) if first_bad is None else first_bad
