"""Gradient descent and its momentum variants."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validate import DECAY, POSITIVE, as_hyper, batch_shape_of, check_number
from .base import Optimizer, full_like, zeros_like


class SgdState(NamedTuple):
    step_size: np.ndarray


class MomentumState(NamedTuple):
    velocity: np.ndarray
    step_size: np.ndarray


def sgd(lr: float = 0.01) -> Optimizer:
    r"""Plain (stochastic) gradient descent.

    .. math::
        W_{c+1} = W_c - t_c \nabla L(W_c)

    ``lr`` is the step size :math:`t_c`, the same for every parameter.
    Reference: Bottou, Curtis & Nocedal (2018), SIAM Review, §3.
    """
    hyper = {"lr": check_number("lr", lr, POSITIVE)}
    lr = as_hyper(hyper["lr"])

    def init(params):
        return SgdState(full_like(params, lr))

    def update(grads, state, params=None, **extra_args):
        return -lr * grads, state

    return Optimizer("sgd", init, update, hyper, batch_shape_of(*hyper.values()))


def momentum(lr: float = 0.01, momentum: float = 0.9) -> Optimizer:
    r"""Heavy-ball momentum in the lecture's (Sutskever et al.) form.

    .. math::
        v_c = \mu v_{c-1} - t_c \nabla L(W_c), \qquad W_{c+1} = W_c + v_c,
        \qquad v_0 = 0

    ``lr`` is :math:`t_c`, ``momentum`` is :math:`\mu \in [0, 1)`. With a constant
    step size this equals ``torch.optim.SGD(momentum=μ, dampening=0)``, whose buffer
    is :math:`b = -v / t`; it differs from forms that scale the gradient by
    :math:`1-\mu`. Reference: Sutskever, Martens, Dahl & Hinton, ICML 2013, eq. (1)-(2).
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
    hyper = {"lr": check_number("lr", lr, POSITIVE), "momentum": check_number("momentum", mu, DECAY)}
    lr, mu = as_hyper(hyper["lr"]), as_hyper(hyper["momentum"])

    def init(params):
        return MomentumState(zeros_like(params), full_like(params, lr))

    def update(grads, state, params=None, **extra_args):
        step = lr * grads
        velocity = mu * state.velocity - step
        updates = mu * velocity - step if nesterov else velocity
        return updates, MomentumState(velocity, state.step_size)

    return Optimizer(name, init, update, hyper, batch_shape_of(*hyper.values()))
