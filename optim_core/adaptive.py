"""Methods with a step size per parameter: AdaGrad, RMSProp, Adam and AdaMax."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import as_hyper, batch_shape_of, check_bool, check_number
from .base import Optimizer, zeros_like


class AccumulatorState(NamedTuple):
    accumulator: np.ndarray
    step_size: np.ndarray


class AdamState(NamedTuple):
    count: Any  # steps taken: an int, or an array once Lookahead resets some runs
    m: np.ndarray
    v: np.ndarray
    m_hat: np.ndarray
    v_hat: np.ndarray
    step_size: np.ndarray


class AdamaxState(NamedTuple):
    count: Any
    m: np.ndarray
    u: np.ndarray
    m_hat: np.ndarray
    step_size: np.ndarray


def _checked(**specs) -> tuple[dict, list]:
    """Check each ``name=(value, low, high, low_open, high_open)``; return originals and shaped."""
    hyper = {name: check_number(name, value, low, high, low_open=lo, high_open=ho)
             for name, (value, low, high, lo, ho) in specs.items()}
    return hyper, [as_hyper(v) for v in hyper.values()]


_INF = float("inf")


def adagrad(lr: float = 0.1, eps: float = 1e-8) -> Optimizer:
    r"""AdaGrad: each parameter's step shrinks with its summed squared gradients.

    .. math::
        s_c = s_{c-1} + g_c^2, \qquad
        \tilde t_c = \frac{t}{\sqrt{s_c} + \epsilon}, \qquad
        W_{c+1} = W_c - \tilde t_c \odot g_c, \qquad s_0 = 0

    ``lr`` is :math:`t`, ``eps`` is :math:`\epsilon` (outside the root, as in
    ``torch.optim.Adagrad`` with ``initial_accumulator_value=0``). The record
    ``accumulator`` is :math:`s_c`; ``step_size`` is :math:`\tilde t_c`.
    Reference: Duchi, Hazan & Singer, JMLR 2011.
    """
    hyper, (lr, eps) = _checked(lr=(lr, 0.0, _INF, True, True), eps=(eps, 0.0, _INF, False, True))

    def init(params):
        return AccumulatorState(zeros_like(params), zeros_like(params))

    def update(grads, state, params=None, hessian=None):
        acc = state.accumulator + grads * grads
        step_size = lr / (np.sqrt(acc) + eps)
        return -step_size * grads, AccumulatorState(acc, step_size)

    return Optimizer("adagrad", init, update, hyper, batch_shape_of(*hyper.values()))


def rmsprop(lr: float = 0.01, rho: float = 0.9, eps: float = 1e-8) -> Optimizer:
    r"""RMSProp: AdaGrad with a decaying (exponential moving) average of g².

    .. math::
        s_c = \rho\, s_{c-1} + (1-\rho)\, g_c^2, \qquad
        W_{c+1} = W_c - \frac{t}{\sqrt{s_c} + \epsilon} \odot g_c, \qquad s_0 = 0

    ``rho`` is :math:`\rho` (``alpha`` in ``torch.optim.RMSprop``), ``eps`` sits
    outside the root. Reference: Tieleman & Hinton, Coursera lecture 6.5 (2012).
    """
    hyper, (lr, rho, eps) = _checked(
        lr=(lr, 0.0, _INF, True, True), rho=(rho, 0.0, 1.0, False, True),
        eps=(eps, 0.0, _INF, False, True))

    def init(params):
        return AccumulatorState(zeros_like(params), zeros_like(params))

    def update(grads, state, params=None, hessian=None):
        acc = state.accumulator + (1 - rho) * (grads * grads - state.accumulator)
        step_size = lr / (np.sqrt(acc) + eps)
        return -step_size * grads, AccumulatorState(acc, step_size)

    return Optimizer("rmsprop", init, update, hyper, batch_shape_of(*hyper.values()))


def adam(lr: float = 0.001, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
         bias_correction: bool = True) -> Optimizer:
    r"""Adam, Algorithm 1 of Kingma & Ba.

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2 \\
        \hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha\, \hat m_t}{\sqrt{\hat v_t} + \epsilon}

    ``lr`` is :math:`\alpha`, ``beta1``/``beta2`` are :math:`\beta_1, \beta_2 \in [0, 1)`,
    ``eps`` is :math:`\epsilon`, added *outside* the square root as in the paper and
    ``torch.optim.Adam``. ``bias_correction=False`` uses :math:`m_t, v_t` in place of
    :math:`\hat m_t, \hat v_t` (the ablation of the paper's §3). ``step_size`` records
    :math:`\alpha / (\sqrt{\hat v_t} + \epsilon)`, the factor applied to :math:`\hat m_t`.
    Reference: Kingma & Ba, ICLR 2015 (arXiv:1412.6980), Algorithm 1.
    """
    hyper, (lr, b1, b2, eps) = _checked(
        lr=(lr, 0.0, _INF, True, True), beta1=(beta1, 0.0, 1.0, False, True),
        beta2=(beta2, 0.0, 1.0, False, True), eps=(eps, 0.0, _INF, False, True))
    hyper["bias_correction"] = check_bool("bias_correction", bias_correction)

    def init(params):
        z = zeros_like(params)
        return AdamState(0, z, z, z, z, z)

    def update(grads, state, params=None, hessian=None):
        # In-place arithmetic on fresh arrays: the same maths with fewer temporaries,
        # which is what keeps a 4096-run sweep quick.
        t = state.count + 1
        m = np.subtract(grads, state.m)
        m *= 1 - b1
        m += state.m
        v = np.multiply(grads, grads)
        v -= state.v
        v *= 1 - b2
        v += state.v
        if bias_correction:
            m_hat, v_hat = m * (1 / (1 - b1**t)), v * (1 / (1 - b2**t))
        else:
            m_hat, v_hat = m, v
        step_size = np.sqrt(v_hat)
        step_size += eps
        np.divide(lr, step_size, out=step_size)
        updates = np.multiply(step_size, m_hat)
        np.negative(updates, out=updates)
        return updates, AdamState(t, m, v, m_hat, v_hat, step_size)

    return Optimizer("adam", init, update, hyper, batch_shape_of(*hyper.values()))


def adamax(lr: float = 0.002, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    r"""AdaMax, Adam's infinity-norm variant (Algorithm 2 of Kingma & Ba).

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \qquad
        u_t = \max(\beta_2 u_{t-1},\ |g_t| + \epsilon), \qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\, \frac{m_t}{u_t}

    The paper has no :math:`\epsilon`; like ``torch.optim.Adamax`` we add it inside
    the max so that a zero gradient never divides by zero (``eps=0`` is the paper).
    ``m_hat`` records :math:`m_t/(1-\beta_1^t)` and ``step_size`` :math:`\alpha/u_t`.
    Reference: Kingma & Ba, ICLR 2015, §7.1, Algorithm 2.
    """
    hyper, (lr, b1, b2, eps) = _checked(
        lr=(lr, 0.0, _INF, True, True), beta1=(beta1, 0.0, 1.0, False, True),
        beta2=(beta2, 0.0, 1.0, False, True), eps=(eps, 0.0, _INF, False, True))

    def init(params):
        z = zeros_like(params)
        return AdamaxState(0, z, z, z, z)

    def update(grads, state, params=None, hessian=None):
        t = state.count + 1
        m = state.m + (1 - b1) * (grads - state.m)
        u = np.maximum(b2 * state.u, np.abs(grads) + eps)
        m_hat = m / (1 - b1**t)
        step_size = lr / u
        return -step_size * m_hat, AdamaxState(t, m, u, m_hat, step_size)

    return Optimizer("adamax", init, update, hyper, batch_shape_of(*hyper.values()))

