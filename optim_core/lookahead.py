"""Lookahead: k fast steps of an inner optimizer, then one step back towards them."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import as_hyper, batch_shape_of, check_bool, check_number
from .base import Optimizer

MAX_K = 1000


class LookaheadState(NamedTuple):
    count: int  # fast steps taken so far
    slow: np.ndarray  # φ, the slow weights after this step
    synced: Any  # True where this step was a synchronisation (a bool, or per run)
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
    across synchronisations, the paper's default; ``reset_inner=True`` restarts it.
    ``k`` and ``alpha`` may be 1-D arrays: a whole α × k grid then runs as one batch.
    With k = 1 and α = 1 the method is exactly its inner optimizer.
    Reference: Zhang, Lucas, Hinton & Ba, NeurIPS 2019, Algorithm 1.
    """
    if not isinstance(inner, Optimizer):
        raise ValueError(f"inner must be an optimizer made by make_optimizer, got {inner!r}")
    hyper = {"inner": inner,
             "k": check_number("k", k, 1.0, MAX_K, high_open=False, integer=True),
             "alpha": check_number("alpha", alpha, 0.0, 1.0, low_open=True, high_open=False),
             "reset_inner": check_bool("reset_inner", reset_inner)}
    k_, alpha_ = hyper["k"], as_hyper(hyper["alpha"])
    k_is_scalar = np.ndim(k_) == 0
    k_col = k_ if k_is_scalar else k_[:, None]
    batch_shape = batch_shape_of(hyper["k"], hyper["alpha"], np.empty(inner.batch_shape))

    def init(params):
        synced = False if k_is_scalar else np.zeros(np.shape(params)[:-1], dtype=bool)
        return LookaheadState(0, np.asarray(params, dtype=float).copy(), synced, inner.init(params))

    def update(grads, state, params, hessian=None):
        inner_updates, inner_state = inner.update(grads, state.inner, params, hessian)
        count = state.count + 1
        if k_is_scalar:  # every run synchronises at once: plain Python control flow
            if count % k_:
                return inner_updates, LookaheadState(count, state.slow, False, inner_state)
            slow = params + inner_updates  # θ_{t,k}, then φ_t in place
            slow -= state.slow
            slow *= alpha_
            slow += state.slow
            if reset_inner:
                inner_state = inner.init(slow)
            return slow - params, LookaheadState(count, slow, True, inner_state)
        sync = count % k_col == 0  # (B, 1)
        fast = params + inner_updates
        slow = np.where(sync, state.slow + alpha_ * (fast - state.slow), state.slow)
        if reset_inner:
            inner_state = _reset_where(sync, inner.init(slow), inner_state)
        new_params = np.where(sync, slow, fast)
        return new_params - params, LookaheadState(count, slow, sync[..., 0], inner_state)

    reset_inner = hyper["reset_inner"]
    return Optimizer("lookahead", init, update, hyper, batch_shape, inner.needs_hessian)


def _reset_where(mask, fresh, current):
    """Field by field, ``fresh`` where ``mask`` holds and ``current`` elsewhere."""
    fields = []
    for new, old in zip(fresh, current):
        if hasattr(new, "_fields"):
            fields.append(_reset_where(mask, new, old))
        elif np.ndim(old) == 0 and np.ndim(new) == 0:  # a shared step count
            fields.append(np.where(mask, new, old))
        else:
            fields.append(np.where(mask if np.ndim(old) == mask.ndim else mask[..., 0], new, old))
    return type(current)(*fields)

