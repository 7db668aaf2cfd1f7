"""``make_optimizer(name, **hyper)``: every optimizer of the lecture by name."""

from __future__ import annotations

import inspect
from collections.abc import Mapping

from ._validate import check_keywords, check_known
from .adaptive import adagrad, adam, adamax, rmsprop
from .base import Optimizer
from .first_order import momentum, nesterov, sgd
from .lookahead import lookahead
from .newton import newton

FACTORIES = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamax": adamax,
    "newton": newton,
    "lookahead": lookahead,
}

OPTIMIZER_NAMES = tuple(FACTORIES)


def hyper_defaults(name: str) -> dict:
    """The default hyper-parameters of optimizer ``name`` (``inner`` has none)."""
    params = inspect.signature(FACTORIES[check_known("optimizer", name, OPTIMIZER_NAMES)]).parameters
    return {k: p.default for k, p in params.items() if p.default is not inspect.Parameter.empty}


def make_optimizer(name: str, **hyper) -> Optimizer:
    """Build optimizer ``name`` with the given hyper-parameters.

    This is the one place that builds nested optimizers: for
    ``make_optimizer("lookahead", inner=X, k=5, alpha=0.5)`` the inner optimizer ``X``
    may be an :class:`Optimizer`, a name (built with its defaults) or a
    ``(name, hyper_dict)`` pair such as ``("adam", {"lr": 0.1})``. Without ``inner``
    Lookahead wraps ``"sgd"``. The caller's dicts are never modified.
    """
    factory = FACTORIES[check_known("optimizer", name, OPTIMIZER_NAMES)]
    check_keywords(name, hyper, inspect.signature(factory).parameters)
    if name == "lookahead":
        hyper = {**hyper, "inner": _inner_optimizer(hyper.get("inner", "sgd"))}
    return factory(**hyper)


def _inner_optimizer(inner) -> Optimizer:
    """Lookahead's inner optimizer from an Optimizer, a name or a ``(name, hyper_dict)`` pair."""
    if isinstance(inner, str):
        inner = (inner, {})
    if not isinstance(inner, Optimizer):  # (an Optimizer is a tuple too: test it first)
        if not (isinstance(inner, tuple) and len(inner) == 2 and isinstance(inner[1], Mapping)):
            raise ValueError("inner must be an optimizer, an optimizer name or a (name, hyper-parameters) "
                             f"pair, got {inner!r}")
        inner_name, inner_hyper = inner
        inner = make_optimizer(inner_name, **inner_hyper)
    if inner.name == "lookahead":
        raise ValueError("inner must be another optimizer than lookahead")
    return inner
