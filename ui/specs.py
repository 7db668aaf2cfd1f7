"""Settings as values: an optimizer by name and hyper-parameters, and the results of batched runs.

Pure (no Streamlit): figure builders may take these, and ``ui.widgets.compute`` uses
them as cache keys. A frozen dataclass hashes through its fields and a point
as a tuple, so every input of a run can be part of a key.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

import optim_core as oc

Pairs = tuple[tuple[str, Any], ...]


def pairs(hyper: dict) -> Pairs:
    """Settings as sorted ``(name, value)`` pairs; lists and arrays become tuples."""
    return tuple(sorted((k, tuple(np.ravel(v).tolist()) if isinstance(v, (list, tuple, np.ndarray)) else v)
                        for k, v in hyper.items()))


@dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer by name and settings; Lookahead's ``inner`` is another spec."""

    name: str
    hyper: Pairs = ()
    inner: OptimizerSpec | None = None
    schedule: Pairs = ()  # t_c: ``("name", "cosine"), ("steps", 200)``; empty for a constant step size

    @property
    def settings(self) -> dict[str, Any]:
        """The settings as keyword arguments (tuples become arrays: a batch of settings)."""
        return {k: np.asarray(v) if isinstance(v, tuple) else v for k, v in self.hyper}

    def build(self) -> oc.Optimizer:
        inner = {} if self.inner is None else {"inner": (self.inner.name, self.inner.optimizer_settings)}
        return oc.make_optimizer(self.name, **inner, **self.optimizer_settings)

    @property
    def optimizer_settings(self) -> dict[str, Any]:
        """``settings`` with ``lr`` made the schedule's base step size when there is a schedule."""
        settings = self.settings
        if self.schedule and "lr" in settings:
            settings["lr"] = schedule_of(self.schedule, settings["lr"])
        return settings

    def scheduled(self, schedule: Pairs) -> OptimizerSpec:
        """The same optimizer with its step size ``t`` following ``schedule`` (Lookahead's inner one's)."""
        if self.inner is not None:
            return replace(self, inner=self.inner.scheduled(schedule))
        return replace(self, schedule=tuple(schedule))

    @property
    def lr(self) -> float | None:
        """The step size: the inner optimizer's for Lookahead."""
        return (self.inner or self).settings.get("lr")

    def with_lr(self, lr) -> OptimizerSpec:
        """The same optimizer with another step size (or a batch of them); Lookahead's goes to its inner."""
        if self.inner is not None:
            return replace(self, inner=self.inner.with_lr(lr))
        return replace(self, hyper=pairs({**dict(self.hyper), "lr": lr}))

    def without_lr(self) -> OptimizerSpec:
        """Everything but the step size: what a step-size sweep depends on."""
        if self.inner is not None:
            return replace(self, inner=self.inner.without_lr())
        return replace(self, hyper=tuple(p for p in self.hyper if p[0] != "lr"))


def spec(name: str, inner: str | OptimizerSpec | None = None, inner_hyper: dict | None = None,
         **hyper) -> OptimizerSpec:
    """``spec("adam", lr=0.1)``; ``spec("lookahead", inner="sgd", inner_hyper={"lr": 0.05}, k=5, alpha=0.5)``."""
    if isinstance(inner, str):
        inner = OptimizerSpec(inner, pairs(inner_hyper or {}))
    return OptimizerSpec(name, pairs(hyper), inner)


def schedule_of(schedule: Pairs, base):
    """``optim_core.make_schedule`` from a spec's schedule pairs and the base step size ``base`` (or a batch).

    ``warmup`` ramps up over ``warmup_steps``, then follows a cosine over the remaining ``steps``."""
    settings = dict(schedule)
    name = settings.pop("name")
    if name == "warmup":
        then = oc.make_schedule("cosine", base=base, steps=settings.pop("steps"))
        return oc.make_schedule("warmup", then=then, **settings)
    return oc.make_schedule(name, base=base, **settings)


def point_key(start) -> tuple:
    """A start point, or a batch of them, as (nested) tuples of floats."""
    start = np.asarray(start, dtype=float)
    return tuple(start.tolist()) if start.ndim == 1 else tuple(map(tuple, start.tolist()))


@dataclass(frozen=True)
class Sweep:
    """Final loss of one optimizer at each step size, all run as one batch."""

    lrs: np.ndarray
    final: np.ndarray
    diverged: np.ndarray


@dataclass(frozen=True)
class LookaheadGrid:
    """Lookahead's final loss over α (rows) × k (columns), every cell with the same number of fast steps."""

    alphas: np.ndarray
    ks: np.ndarray
    loss: np.ndarray
    diverged: np.ndarray
