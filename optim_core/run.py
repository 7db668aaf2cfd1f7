"""``run``: step an optimizer on a surface and keep everything the pictures need."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import attrgetter
from typing import NamedTuple

import numpy as np

from ._validate import NON_NEGATIVE, POSITIVE, Interval, check_bool, check_number, closed
from .base import Optimizer, record_paths
from .surfaces import Surface

MAX_STEPS = 100_000
MAX_ELEMENTS = 10_000_000  # steps × runs: keeps a hosted app's memory bounded
DIVERGENCE_FACTOR = 20.0  # "far outside": this many half-widths from the plot's centre
_CHECK_EVERY = 64  # how often the loop looks for an all-diverged batch to stop early
ALL_RECORDS = None  # record=True: keep every record (an empty set keeps none)
BATCH_RECORD = "batch"  # the examples a mini-batch step drew (not optimizer state: recorded by run itself)


class Trajectory(NamedTuple):
    """What ``run`` returns. Shapes for a batch of B runs; drop the B axis for one run.

    - ``params``: (steps+1, B, 2), the start then each step's parameters;
    - ``loss``: (steps+1, B), the full loss at those parameters;
    - ``grads``: (steps, B, 2), the (possibly stochastic) gradient used by each step;
    - ``records``: name -> the optimizer's state after each step: (steps, B, 2) for a
      per-parameter record (``m``, ``slow``, ``fast`` …), (steps, B) for one number per
      run (``bias_correction1``, ``synced`` …); a run with ``batch_size`` also records
      ``batch``, (steps, B, batch_size): the (0-based) examples each step averaged;
    - ``diverged_at``: an int64 array of shape (B,) — shape () for one run — holding
      -1 where the run did not blow up, else the 1-based step that did. From that
      step on every array holds its last finite row. ``diverged`` is
      ``diverged_at >= 0``, a bool array of the same shape; for one run
      ``int(traj.diverged_at)`` and ``bool(traj.diverged)`` read them.
    - ``converged_at``: an int64 array of the same shape, -1 where the run did not stop
      by ``run``'s ``tol``, else the first row c with ‖∇L(params[c])‖ < tol. From row c
      on ``params`` and ``loss`` hold row c and ``grads`` the gradient seen at row c;
      from index c − 1 on ``records`` hold the state after the step that reached row c
      (for c = 0, after the first step, computed but not taken). ``converged`` is
      ``converged_at >= 0``. Without ``tol`` every run reads -1 (the
      default, a shared -1, also stands for "not stopped" in a Trajectory built by hand).
    """

    params: np.ndarray
    loss: np.ndarray
    grads: np.ndarray
    records: dict[str, np.ndarray]
    diverged_at: np.ndarray
    converged_at: np.ndarray = np.int64(-1)

    @property
    def converged(self) -> np.ndarray:
        return np.asarray(np.broadcast_to(self.converged_at, np.shape(self.diverged_at)) >= 0)

    @property
    def diverged(self) -> np.ndarray:
        return np.asarray(self.diverged_at >= 0)

    def head(self, steps: int) -> Trajectory:
        """The first ``steps`` steps: exactly what ``run`` would return for ``steps``.

        A run is a prefix of any longer run with the same settings and seed (the
        randomness is drawn step by step), so a long run answers every shorter one.
        """
        steps = check_number("steps", steps, closed(0, len(self.grads)), integer=True)
        at = np.where(self.diverged_at > steps, -1, self.diverged_at)
        stopped = np.where(self.converged_at > steps, -1, self.converged_at)
        return Trajectory(self.params[: steps + 1], self.loss[: steps + 1], self.grads[:steps],
                          {k: v[:steps] for k, v in self.records.items()} if steps else {}, at, stopped)


def run(
    opt: Optimizer,
    surface: Surface,
    start,
    steps: int,
    batch_size: int | None = None,
    noise: float = 0.0,
    seed: int = 0,
    record: bool | Iterable[str] = True,
    tol: float | None = None,
) -> Trajectory:
    """Run ``opt`` for ``steps`` steps on ``surface`` from ``start``.

    ``start`` is one point (2,) or a batch (B, 2); an optimizer whose
    hyper-parameters are batched runs B settings from one start. Gradients are
    exact unless ``batch_size`` (real mini-batches of a finite-sum surface) or
    ``noise`` (added Gaussian noise of that standard deviation) make them
    stochastic; ``seed`` fixes the randomness. ``record`` picks which state
    records to keep: all (``True``), none (``False``), one name or an iterable of
    names (names the optimizer does not record are ignored). With ``batch_size``
    the record ``batch`` holds the indices I_c each step drew, so that
    ``grads[c] == mean(surface.example_grads(params[c])[batch[c]])`` (before noise).

    ``tol`` (> 0) is a stop condition: each run stops, on its own, at the first row c
    with ‖∇L(params[c])‖ < tol (the exact gradient ``surface.grad``, even when the steps
    see a stochastic one), which ``converged_at`` records; its arrays then hold row c to
    the end, so shapes stay (steps+1, …) (see :class:`Trajectory`). When every run has
    stopped the loop ends early. ``tol=None`` (the default) never stops a run.
    """
    if not isinstance(opt, Optimizer):
        raise ValueError(f"opt must be an optimizer made by make_optimizer, got {opt!r}")
    if not isinstance(surface, Surface):
        raise ValueError(f"surface must come from get_surface, got {surface!r}")
    steps = check_number("steps", steps, closed(0, MAX_STEPS), integer=True)
    p = _start_points(start, opt.batch_shape)
    if steps * max(p.size // 2, 1) > MAX_ELEMENTS:
        raise ValueError(f"steps × runs must be at most {MAX_ELEMENTS:,}, got {steps * (p.size // 2):,}")
    gradient, draws = _gradient_source(surface, batch_size, noise, seed, p.shape)
    wanted = _wanted_records(record)
    stop = _Stop(surface, tol, p.shape, exact=gradient == surface.grad)  # bound methods: ==, not is

    params = np.empty((steps + 1,) + p.shape)
    params[0] = p
    grads = np.empty((steps,) + p.shape)
    records: dict[str, np.ndarray] = {}
    state = opt.init(p)
    store = None
    hessian = surface.hessian if opt.needs_hessian else None  # update's extra argument, when it reads one
    batches = None
    if draws is not None and steps and (wanted is ALL_RECORDS or BATCH_RECORD in wanted):
        batches = records[BATCH_RECORD] = np.empty((steps,) + draws.shape, dtype=np.intp)
    with np.errstate(all="ignore"):
        for i in range(steps):
            g = gradient(p, grads[i])
            stop.check(p, g, i)
            if batches is not None:
                batches[i] = draws.drawn
            if hessian is None:
                updates, state = opt.update(g, state, p)
            else:
                updates, state = opt.update(g, state, p, hessian=hessian(p))
            p = np.add(p, updates, out=params[i + 1])
            if store is None:
                store = _recorder(state, steps, p.shape, wanted, records)
            store(state, i)
            if stop.any:
                stop.hold(p, params[i])
                if stop.all:
                    params[i + 2:] = p
                    break
            if i % _CHECK_EVERY == _CHECK_EVERY - 1 and not (_alive(surface, p) & ~stop.stopped).any():
                params[i + 2:] = p
                break
        else:
            stop.check(p, None, steps)  # the last row may be the first below tol
        loss = surface.value(params)
        diverged_at = _first_bad_step(surface, params, loss)
        converged_at = stop.at
        converged_at[diverged_at >= 0] = -1  # blew up before it stopped (the held row is never out of bounds)
        if (converged_at >= 0).any():
            _freeze_stopped(grads, records, converged_at)
        if (diverged_at >= 0).any():
            _freeze(params, grads, records, diverged_at)
            loss = surface.value(params)
    return Trajectory(params, loss, grads, records, diverged_at, converged_at)


class _Stop:
    """The ``tol`` stop condition: which runs have stopped, and at which row (``at``, -1 for running ones)."""

    def __init__(self, surface: Surface, tol, shape: tuple, exact: bool) -> None:
        if tol is not None:
            if np.ndim(tol) != 0:
                raise ValueError(f"tol must be a number, got shape {np.shape(tol)}")
            tol = check_number("tol", tol, POSITIVE)
        self.surface, self.tol, self.exact = surface, tol, exact
        self.at = np.full(shape[:-1], -1, dtype=np.int64)
        self.stopped = np.zeros(shape[:-1], dtype=bool)
        self.any = self.all = False

    def check(self, p: np.ndarray, g: np.ndarray | None, row: int) -> None:
        """Mark the running runs with ‖∇L(p)‖ < tol as stopped at ``row`` (``g``: the exact ∇L(p), if known)."""
        if self.tol is None or self.all:
            return
        if g is None or not self.exact:
            g = self.surface.grad(p)
        new = (np.sqrt(g[..., 0] ** 2 + g[..., 1] ** 2) < self.tol) & ~self.stopped  # NaN compares False
        if new.any():
            self.at[new] = row
            self.stopped |= new
            self.any, self.all = True, bool(self.stopped.all())

    def hold(self, p: np.ndarray, previous: np.ndarray) -> None:
        """Put the stopped runs back where they stopped (``previous``: the row before ``p``)."""
        np.copyto(p, previous, where=self.stopped[..., None])


def _freeze_stopped(grads, records, stopped_at) -> None:
    """From the row a run stopped at on, ``grads`` repeat that row's gradient and ``records`` the last state."""
    stopped = stopped_at >= 0
    rows = np.arange(grads.shape[0]).reshape((-1,) + (1,) * stopped_at.ndim)
    hold = np.where(stopped, stopped_at, grads.shape[0])
    grads[...] = _take_rows(grads, np.minimum(rows, hold))
    for key, arr in records.items():
        records[key] = _take_rows(arr, np.minimum(rows, np.maximum(hold - 1, 0)))


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


def _gradient_source(surface, batch_size, noise, seed, shape) -> tuple[Callable, _MiniBatches | None]:
    """The gradient each step sees: exact, a real mini-batch, and/or with added noise.

    Returns ``(gradient, draws)``: ``gradient(p, out)``, and the mini-batch source
    whose ``drawn`` is the last call's examples (None without ``batch_size``).
    """
    noise = check_number("noise", noise, NON_NEGATIVE)
    seed = check_number("seed", seed, Interval(0, 2**32), integer=True)
    rng = np.random.default_rng(seed)
    base, draws = surface.grad, None
    if batch_size is not None:
        base = draws = _MiniBatches(surface, batch_size, rng, shape[:-1])
    if noise == 0.0:
        return base, draws

    def noisy(p, out):
        g = base(p, out)
        g += noise * rng.standard_normal(shape)
        return g

    return noisy, draws


class _MiniBatches:
    """Each run draws its own ``batch_size`` examples, without replacement, every step.

    ``drawn`` (shape runs + (batch_size,)) holds the examples of the last call; with
    ``batch_size`` = m every step takes all of them in order, and nothing is drawn.
    """

    def __init__(self, surface, batch_size, rng, runs: tuple) -> None:
        if not surface.is_finite_sum:
            raise ValueError(
                f"batch_size needs a finite-sum surface (least_squares), not {surface.name}; "
                "use noise= to model mini-batch noise instead")
        m = surface.n_examples
        self.size = check_number("batch_size", batch_size, closed(1, m), integer=True)
        self.surface, self.rng = surface, rng
        self.every = np.broadcast_to(np.arange(m), runs + (m,))
        self.shape = runs + (self.size,)
        self.drawn = self.every  # = the batch while it is the whole data set

    def __call__(self, p, out):
        if self.size == self.surface.n_examples:
            return self.surface.grad(p, out)
        self.drawn = self.rng.permuted(self.every, axis=-1)[..., : self.size]
        return self.surface.minibatch_grad(p, self.drawn, out)


def _wanted_records(record) -> frozenset[str] | None:
    """The record names to keep: ``ALL_RECORDS`` (None) keeps every one, an empty set none."""
    if isinstance(record, (bool, np.bool_)):
        return ALL_RECORDS if check_bool("record", record) else frozenset()
    if isinstance(record, str):
        return frozenset([record])
    return frozenset(record)


def _recorder(state, steps: int, params_shape: tuple, wanted: frozenset | None, records: dict) -> Callable:
    """Allocate ``records`` for the wanted state fields; return ``store(state, i)``.

    A field shaped like ``params`` is recorded as (steps,) + params shape. Any other
    field is one number per run — a scalar shared by all runs, a (B, 1) column from
    batched hyper-parameters, Lookahead's ``synced`` — and is recorded as (steps,) + runs;
    in a batch it is written through a view with a trailing unit axis, which takes both.
    """
    getters = []
    for key, path in record_paths(state):
        if wanted is not ALL_RECORDS and key not in wanted:
            continue
        value = attrgetter(path)(state)
        per_parameter = np.shape(value) == params_shape
        runs = params_shape[:-1]
        records[key] = np.zeros((steps,) + (params_shape if per_parameter else runs), dtype=np.result_type(value))
        # one run's per-run record is written as plain numbers; a batch's through a (steps, B, 1) view
        target = records[key] if per_parameter or not runs else records[key][..., None]
        getters.append((target, attrgetter(path)))

    def store(state, i):
        for arr, get in getters:
            arr[i] = get(state)

    return store


def _alive(surface: Surface, p: np.ndarray) -> np.ndarray:
    """True where a point is finite and not far outside the plotted region."""
    distance = np.abs(p - surface.center) / surface.half_width
    return (distance <= DIVERGENCE_FACTOR).all(axis=-1)  # NaN compares False


def _first_bad_step(surface: Surface, params: np.ndarray, loss: np.ndarray) -> np.ndarray:
    """Per run (shape ``runs``), the first row of ``params`` that blew up, or -1: a point far outside the
    plotted region, or one where the loss is not a finite number (a typed f undefined there, log of a
    negative, say: the run stops at the step that stepped there)."""
    first_bad = np.full(params.shape[1:-1], -1, dtype=np.int64)
    # Extremes over time settle most runs with two reductions; only suspects are
    # searched row by row (NaN propagates through min/max and lands there too).
    suspect = ~(_alive(surface, params.min(axis=0)) & _alive(surface, params.max(axis=0))
                & np.isfinite(loss).all(axis=0))
    if suspect.any():
        alive = _alive(surface, params[:, suspect]) & np.isfinite(loss[:, suspect])
        first_bad[suspect] = np.where(alive.all(axis=0), -1, np.argmin(alive, axis=0))
    return first_bad


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
