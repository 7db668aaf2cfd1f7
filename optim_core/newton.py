"""Newton's method: the minimiser of the local quadratic model."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import NON_NEGATIVE, as_hyper, batch_shape_of, check_number
from .base import Optimizer, zeros_like
from .schedules import check_lr, lr_at


class NewtonState(NamedTuple):
    count: Any  # updates done: c, the index of the step size the next update uses
    step_size: np.ndarray


def newton(lr: float = 1.0, damping: float = 0.0) -> Optimizer:
    r"""(Damped) Newton's method: jump to the stationary point of the quadratic model.

    .. math::
        W_{c+1} = W_c - t_c\, (H_c + \lambda I)^{-1} \nabla L(W_c), \qquad H_c = \nabla^2 L(W_c)

    ``lr`` is :math:`t_c` (1 is the pure Newton step; a number, or a schedule read at :math:`c`),
    ``damping`` is :math:`\lambda \ge 0`.
    ``update`` reads the Hessian from its extra arguments: ``opt.update(g, state, params, hessian=H)``.

    Where :math:`H_c + \lambda I` is indefinite the model has no minimum: the step goes
    to the model's *saddle* point and can climb the loss (on :math:`x^2 - y^2` it lands
    on the saddle in one step). A damping larger than :math:`-\lambda_{\min}(H_c)`
    makes the matrix positive definite and the step a descent direction; a large
    :math:`\lambda` turns the method into gradient descent with step :math:`t/\lambda`.
    Where the matrix is singular the step is undefined: ``run`` reports that as a
    divergence. ``step_size`` records :math:`-\Delta W / g` per coordinate (the step
    size plain gradient descent would need to make the same move; 0 where g = 0).
    Reference: Nocedal & Wright, Numerical Optimization (2006), §3.3-3.4.
    """
    hyper = {"lr": check_lr(lr), "damping": check_number("damping", damping, NON_NEGATIVE)}
    lr, damping = lr_at(hyper["lr"]), as_hyper(hyper["damping"])

    def init(params):
        return NewtonState(0, zeros_like(params))

    def update(grads, state, params=None, **extra_args):
        hessian = extra_args.get("hessian")
        if hessian is None:
            raise ValueError("newton needs the Hessian: update(grads, state, params, hessian=H)")
        updates = -lr(state.count) * solve_2x2(hessian, grads, damping)
        step_size = np.divide(-updates, grads, out=np.zeros_like(updates), where=grads != 0)
        return updates, NewtonState(state.count + 1, step_size)

    return Optimizer("newton", init, update, hyper, batch_shape_of(*hyper.values()), needs_hessian=True)


def solve_2x2(matrix: np.ndarray, rhs: np.ndarray, shift=0.0) -> np.ndarray:
    """``(A + shift·I)⁻¹ b`` for a batch of 2×2 systems, by Cramer's rule."""
    a = matrix[..., 0, 0] + _squeeze(shift)
    b, c = matrix[..., 0, 1], matrix[..., 1, 0]
    d = matrix[..., 1, 1] + _squeeze(shift)
    det = a * d - b * c
    out = np.empty(np.broadcast_shapes(rhs.shape, det.shape + (2,)))
    out[..., 0] = (d * rhs[..., 0] - b * rhs[..., 1]) / det
    out[..., 1] = (a * rhs[..., 1] - c * rhs[..., 0]) / det
    return out


def _squeeze(shift):
    """A (B, 1) batched hyper-parameter as shape (B,) to match ``matrix[..., i, j]``."""
    return shift[..., 0] if np.ndim(shift) else shift
