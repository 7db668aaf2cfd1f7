"""``make_optimizer(name, **hyper)``: every optimizer of the lecture by name."""

from __future__ import annotations

import inspect

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

    ``make_optimizer("lookahead", inner=..., k=5, alpha=0.5)`` also accepts the
    inner optimizer's name, which is then built with its defaults.
    """
    factory = FACTORIES[check_known("optimizer", name, OPTIMIZER_NAMES)]
    check_keywords(name, hyper, inspect.signature(factory).parameters)
    if name == "lookahead":
        inner = hyper.get("inner", "sgd")
        if isinstance(inner, str):
            if inner == "lookahead":
                raise ValueError("inner must be another optimizer than lookahead")
            inner = make_optimizer(inner)
        hyper["inner"] = inner
    return factory(**hyper)
