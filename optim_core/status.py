"""``status``: one word per run saying how it ended, for the app's badges."""

from __future__ import annotations

import numpy as np

from .run import Trajectory
from .surfaces import Surface

STATUSES = ("converged", "converging", "oscillating", "escaped", "diverged")
CONVERGED, CONVERGING, OSCILLATING, ESCAPED, DIVERGED = range(len(STATUSES))

GRAD_TOL = 1e-6  # converged: final ‖∇L‖ ≤ GRAD_TOL · max(1, ‖∇L(start)‖)
STALL_GRAD_TOL = 1e-4  # … or a stalled last step with ‖∇L‖ ≤ STALL_GRAD_TOL · max(1, ‖∇L(start)‖)
STALL_STEP_TOL = 1e-9  # stalled: |last step| ≤ STALL_STEP_TOL · half-width, on both axes
ESCAPE_WINDOW = 10  # escaped: the loss over this many last finite steps is non-increasing
FALL_TOL = 1e-6  # "non-increasing": each rise ≤ FALL_TOL · max(1, |loss| in the window)
MIN_QUARTER = 8  # oscillating: the last quarter of the run, but at least this many steps


def status(traj: Trajectory, surface: Surface) -> np.ndarray:
    r"""How each run of ``traj`` (made by ``run`` on ``surface``) ended: one of :data:`STATUSES`.

    Returns a ``'<U11'`` array of the run-batch shape (that of ``traj.diverged_at``):
    shape ``()`` for one run — ``str(status(traj, surface))`` reads it — or ``(B,)``.

    Let :math:`L_0, \dots, L_T` be a run's losses and :math:`p_0, \dots, p_T` its
    parameters, and :math:`n` its last finite step: :math:`n = \text{diverged\_at} - 1`
    for a run that blew up (from there on ``run`` repeats row :math:`n`), else :math:`n = T`.
    Let :math:`g_0 = \lVert\nabla L(p_0)\rVert`, :math:`g_n = \lVert\nabla L(p_n)\rVert`
    (exact gradients, ``surface.grad``) and :math:`s = \max(1, g_0)`. The first rule that
    applies wins:

    1. **falling** (used below): :math:`L_n < L_0` and, over the last
       :math:`w = \min(10, n)` finite steps,
       :math:`L_{k+1} - L_k \le 10^{-6} \max(1, \max_{n-w \le j \le n} |L_j|)` for every
       :math:`n-w \le k < n`.
    2. ``escaped``: the run blew up (``traj.diverged``: non-finite or more than
       ``DIVERGENCE_FACTOR`` half-widths from the plot's centre) and was *falling* —
       it ran downhill out of the picture, as on the saddle :math:`x^2 - y^2`.
    3. ``diverged``: the run blew up and was not falling (the loss rose, e.g. a step
       too large for the curvature).
    4. ``converged``: the run stopped by ``run``'s ``tol`` (``traj.converged_at`` ≥ 0:
       :math:`\lVert\nabla L\rVert` fell below the tolerance the caller asked for), or
       :math:`g_n \le 10^{-6} s`, or :math:`n \ge 1`,
       :math:`|p_n - p_{n-1}| \le 10^{-9} \cdot \text{half\_width}` on both axes and
       :math:`g_n \le 10^{-4} s` — it stopped at a stationary point.
    5. ``escaped``: :math:`p_n` lies outside ``surface.bounds`` and the run was falling.
    6. ``oscillating``: over the last quarter :math:`q = \min(n, \max(8, \lceil n/4 \rceil))`
       steps, with :math:`d_k = L_{k+1} - L_k` for :math:`n-q \le k < n`, the sign
       flips (:math:`d_k d_{k+1} < 0`) at least :math:`q/3` times, or
       :math:`q \ge 1` and :math:`L_n \ge L_{n-q}`.
    7. ``converging``: otherwise — not there yet, the loss still falling steadily.

    The rules read the loss, not the path: gradient descent on a quadratic with
    ``lr`` < 2/λ_max zig-zags across the valley, yet its loss falls every step, so it
    is ``converging``. A run that leaves in one huge step shows only its finite part,
    so rules 2-3 judge the path up to that step.
    """
    loss = _flat_runs(traj.loss)
    params = _flat_runs(traj.params, point=True)
    runs = np.shape(traj.diverged_at)
    blew_up = np.reshape(traj.diverged, -1)
    n = np.maximum(np.where(blew_up, np.reshape(traj.diverged_at, -1) - 1, loss.shape[0] - 1), 0)
    falling = _falling(loss, n)
    stopped = np.reshape(traj.converged, -1)  # by tol: never together with a blow-up (run sees to that)
    outside = _outside(surface, params[n, np.arange(n.size)])
    converged = stopped | _converged(surface, params, n)
    code = np.select(
        [blew_up & falling, blew_up, converged, outside & falling, _oscillating(loss, n)],
        [ESCAPED, DIVERGED, CONVERGED, ESCAPED, OSCILLATING],
        CONVERGING,
    )
    return np.asarray(STATUSES)[code].reshape(runs)


def _flat_runs(arr: np.ndarray, point: bool = False) -> np.ndarray:
    """(steps+1, *runs[, 2]) -> (steps+1, R[, 2])."""
    arr = np.asarray(arr, dtype=float)
    return arr.reshape((arr.shape[0], -1, 2) if point else (arr.shape[0], -1))


def _window(values: np.ndarray, n: np.ndarray, width: np.ndarray):
    """Rows ``n - width … n`` of each run's column, padded at the front: (rows, valid), (max width + 1, R)."""
    span = int(width.max(initial=0))
    rows = n - span + np.arange(span + 1)[:, None]
    valid = rows >= n - width
    return np.take_along_axis(values, np.maximum(rows, 0), axis=0), valid


def _falling(loss: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Rule 1: below the start, and non-increasing over the last ``ESCAPE_WINDOW`` finite steps."""
    tail, valid = _window(loss, n, np.minimum(ESCAPE_WINDOW, n))
    scale = np.maximum(1.0, np.max(np.where(valid, np.abs(tail), 0.0), axis=0))
    rises = np.diff(tail, axis=0) > FALL_TOL * scale
    last = np.take_along_axis(loss, n[None], axis=0)[0]
    return ~(rises & valid[1:]).any(axis=0) & (last < loss[0])


def _outside(surface: Surface, p: np.ndarray) -> np.ndarray:
    (x0, x1), (y0, y1) = surface.bounds
    x, y = p[..., 0], p[..., 1]
    return ~((x0 <= x) & (x <= x1) & (y0 <= y) & (y <= y1))


def _converged(surface: Surface, params: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Rule 4: a (near-)zero gradient, or a stalled last step with a small gradient."""
    cols = np.arange(n.size)
    with np.errstate(all="ignore"):
        scale = np.maximum(1.0, np.linalg.norm(surface.grad(params[0]), axis=-1))
        g = np.linalg.norm(surface.grad(params[n, cols]), axis=-1)
        step = np.abs(params[n, cols] - params[np.maximum(n - 1, 0), cols])
    stalled = (n >= 1) & (step <= STALL_STEP_TOL * surface.half_width).all(axis=-1)
    return (g <= GRAD_TOL * scale) | (stalled & (g <= STALL_GRAD_TOL * scale))


def _oscillating(loss: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Rule 6: over the last quarter the loss flips direction often, or does not go down."""
    q = np.minimum(n, np.maximum(MIN_QUARTER, -(-n // 4)))
    tail, valid = _window(loss, n, q)
    d = np.diff(tail, axis=0)
    flips = ((d[1:] * d[:-1] < 0) & valid[:-2]).sum(axis=0)
    first = np.take_along_axis(tail, (len(tail) - 1 - q)[None], axis=0)[0]
    return (q >= 1) & ((3 * flips >= q) | (tail[-1] >= first))
