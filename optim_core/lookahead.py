"""Lookahead: k fast steps of an inner optimizer, then one step back towards them."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import FRACTION, as_hyper, batch_shape_of, check_bool, check_number, closed
from .base import Optimizer

MAX_K = 1000


class LookaheadState(NamedTuple):
    count: int  # fast steps taken so far
    slow: np.ndarray  # φ, the slow weights after this step
    fast: np.ndarray  # θ_{t,i}, what this step's inner update reached, before any pull-back
    synced: Any  # True where this step synchronised: a bool, or a (B, 1) column when k is batched
    inner: Any  # the inner optimizer's state


def lookahead(inner: Optimizer, k: int = 5, alpha: float = 0.5, reset_inner: bool = False) -> Optimizer:
    r"""Lookahead around any inner optimizer :math:`A` (Algorithm 1 of Zhang et al.).

    .. math::
        \theta_{t,0} = \phi_{t-1}, \qquad
        \theta_{t,i} = \theta_{t,i-1} + A(L, \theta_{t,i-1}, d) \quad (i = 1..k), \qquad
        \phi_t = \phi_{t-1} + \alpha\,(\theta_{t,k} - \phi_{t-1})

    ``params`` are the fast weights θ. Every k-th step the slow weights φ move a
    fraction ``alpha`` (:math:`\alpha \in (0, 1]`) towards them and the fast weights
    restart from φ. The inner optimizer's state (momentum, Adam's moments) is kept
    across synchronisations, the paper's default; ``reset_inner=True`` restarts it from
    φ at the step after each synchronisation (so a sync step's records still show the
    inner state that step used).
    ``k`` and ``alpha`` may be 1-D arrays: a whole α × k grid then runs as one batch.
    An inner optimizer with a step-size schedule (``make_schedule``) reads it at its own step
    count: every fast step advances it, so without ``reset_inner`` it runs over the whole
    trajectory; ``reset_inner=True`` restarts it with the rest of the inner state.
    With k = 1 and α = 1 the method is exactly its inner optimizer.

    ``update(grads, state, params, **extra_args)`` needs ``params`` and passes
    ``extra_args`` (a Hessian) on to the inner optimizer. Records: ``slow`` (φ),
    ``fast`` (:math:`\theta_{t,i}` before any pull-back: at a sync step the point
    :math:`\theta_{t,k}` that φ moves towards, otherwise the step's params), ``synced``,
    and the inner optimizer's own records. Build it with
    ``make_optimizer("lookahead", inner=..., k=..., alpha=...)``.
    Reference: Zhang, Lucas, Hinton & Ba, NeurIPS 2019, Algorithm 1.
    """
    if not isinstance(inner, Optimizer):
        raise ValueError(f"inner must be an optimizer made by make_optimizer, got {inner!r}")
    hyper = {"inner": inner,
             "k": check_number("k", k, closed(1, MAX_K), integer=True),
             "alpha": check_number("alpha", alpha, FRACTION),
             "reset_inner": check_bool("reset_inner", reset_inner)}
    k_, alpha_, reset_inner = hyper["k"], as_hyper(hyper["alpha"]), hyper["reset_inner"]
    k_is_scalar = np.ndim(k_) == 0
    k_col = k_ if k_is_scalar else k_[:, None]
    batch_shape = batch_shape_of(hyper["k"], hyper["alpha"], np.empty(inner.batch_shape))

    def init(params):
        params = np.asarray(params, dtype=float)
        synced = False if k_is_scalar else np.zeros(params.shape[:-1] + (1,), dtype=bool)
        return LookaheadState(0, params.copy(), params.copy(), synced, inner.init(params))

    def update(grads, state, params=None, **extra_args):
        if params is None:
            raise ValueError("lookahead needs params: update(grads, state, params)")
        inner_state = state.inner
        if reset_inner and np.any(state.synced):  # the last step synced: restart the inner optimizer at φ
            fresh = inner.init(params)
            inner_state = fresh if k_is_scalar else _reset_where(state.synced, fresh, inner_state)
        inner_updates, inner_state = inner.update(grads, inner_state, params, **extra_args)
        fast = params + inner_updates  # θ_{t,i}
        count = state.count + 1
        if k_is_scalar:  # every run synchronises at once: plain Python control flow
            if count % k_:
                return inner_updates, LookaheadState(count, state.slow, fast, False, inner_state)
            slow = state.slow + alpha_ * (fast - state.slow)  # φ_t
            return slow - params, LookaheadState(count, slow, fast, True, inner_state)
        sync = count % k_col == 0  # (B, 1)
        slow = np.where(sync, state.slow + alpha_ * (fast - state.slow), state.slow)
        new_params = np.where(sync, slow, fast)
        return new_params - params, LookaheadState(count, slow, fast, sync, inner_state)

    return Optimizer("lookahead", init, update, hyper, batch_shape, inner.needs_hessian)


def _reset_where(mask, fresh, current):
    """Field by field, ``fresh`` where the (B, 1) ``mask`` holds and ``current`` elsewhere."""
    fields = [_reset_where(mask, new, old) if hasattr(new, "_fields") else np.where(mask, new, old)
              for new, old in zip(fresh, current)]
    return type(current)(*fields)
