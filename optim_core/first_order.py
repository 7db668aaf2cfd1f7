"""Gradient descent and its momentum variants."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import DECAY, as_hyper, batch_shape_of, check_number
from .base import Optimizer, full_like, zeros_like
from .schedules import Schedule, check_lr, lr_at


class SgdState(NamedTuple):
    count: Any  # updates done: c, the index of the step size the next update uses
    step_size: np.ndarray


class MomentumState(NamedTuple):
    count: Any
    velocity: np.ndarray
    step_size: np.ndarray


def sgd(lr: float = 0.01) -> Optimizer:
    r"""Plain (stochastic) gradient descent.

    .. math::
        W_{c+1} = W_c - t_c \nabla L(W_c)

    ``lr`` is the step size :math:`t_c`, the same for every parameter: a number (:math:`t_c = t`) or a
    schedule (``make_schedule``) read at :math:`c` = the number of updates done before this one.
    Reference: Bottou, Curtis & Nocedal (2018), SIAM Review, §3.
    """
    hyper = {"lr": check_lr(lr)}
    lr, scheduled = lr_at(hyper["lr"]), isinstance(hyper["lr"], Schedule)

    def init(params):
        return SgdState(0, full_like(params, lr(0)))

    def update(grads, state, params=None, **extra_args):
        t = lr(state.count)
        step_size = full_like(grads, t) if scheduled else state.step_size
        return -t * grads, SgdState(state.count + 1, step_size)

    return Optimizer("sgd", init, update, hyper, batch_shape_of(*hyper.values()))


def momentum(lr: float = 0.01, momentum: float = 0.9) -> Optimizer:
    r"""Heavy-ball momentum in the lecture's (Sutskever et al.) form.

    .. math::
        v_c = \mu v_{c-1} - t_c \nabla L(W_c), \qquad W_{c+1} = W_c + v_c,
        \qquad v_0 = 0

    ``lr`` is :math:`t_c` (a number, or a schedule read at :math:`c`), ``momentum`` is
    :math:`\mu \in [0, 1)`. With a constant step size this equals
    ``torch.optim.SGD(momentum=μ, dampening=0)``, whose buffer is :math:`b = -v / t`; it
    differs from forms that scale the gradient by :math:`1-\mu`, and, under a schedule,
    from torch's, which scales the whole buffer by the current :math:`t_c`.
    Reference: Sutskever, Martens, Dahl & Hinton, ICML 2013, eq. (1)-(2).
    """
    return _momentum_family("momentum", lr, momentum, nesterov=False)


def nesterov(lr: float = 0.01, momentum: float = 0.9) -> Optimizer:
    r"""Nesterov's accelerated gradient, tracking the look-ahead point.

    Sutskever et al. write it with the gradient taken ahead of the current point:

    .. math::
        v_c = \mu v_{c-1} - t_c \nabla L(W_c + \mu v_{c-1}), \qquad W_{c+1} = W_c + v_c.

    Here ``params`` are the look-ahead points :math:`\tilde W_c = W_c + \mu v_{c-1}`,
    so the gradient is the one at ``params`` and the update reads

    .. math::
        v_c = \mu v_{c-1} - t_c \nabla L(\tilde W_c), \qquad
        \tilde W_{c+1} = \tilde W_c + \mu v_c - t_c \nabla L(\tilde W_c).

    This is ``torch.optim.SGD(nesterov=True)`` and optax's ``nesterov=True``.
    Reference: Sutskever et al., ICML 2013, eq. (3)-(4).
    """
    return _momentum_family("nesterov", lr, momentum, nesterov=True)


def _momentum_family(name: str, lr, mu, nesterov: bool) -> Optimizer:
    hyper = {"lr": check_lr(lr), "momentum": check_number("momentum", mu, DECAY)}
    lr, scheduled, mu = lr_at(hyper["lr"]), isinstance(hyper["lr"], Schedule), as_hyper(hyper["momentum"])

    def init(params):
        return MomentumState(0, zeros_like(params), full_like(params, lr(0)))

    def update(grads, state, params=None, **extra_args):
        t = lr(state.count)
        step = t * grads
        velocity = mu * state.velocity - step
        updates = mu * velocity - step if nesterov else velocity
        step_size = full_like(grads, t) if scheduled else state.step_size
        return updates, MomentumState(state.count + 1, velocity, step_size)

    return Optimizer(name, init, update, hyper, batch_shape_of(*hyper.values()))
