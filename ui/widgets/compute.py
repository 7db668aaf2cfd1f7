"""The one place that caches: optimizer runs, step-size sweeps and Lookahead grids, keyed by settings.

A page describes an optimizer with an ``OptimizerSpec`` (``ui.specs``) and asks
for a run; it gets an ``optim_core.Trajectory`` back. Every input of a run is
part of its key, and nothing is hashed from a sample of a big array.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

import optim_core as oc
from ui.specs import LookaheadGrid, OptimizerSpec, Sweep, pairs, point_key, spec

__all__ = ["LookaheadGrid", "OptimizerSpec", "Sweep", "lookahead_grid", "run", "spec", "sweep"]


def run(opt: OptimizerSpec, surface: str, start, steps: int, *, batch_size: int | None = None,
        noise: float = 0.0, seed: int = 0, record: bool | tuple[str, ...] = True,
        loss_scale: float = 1.0, tol: float | None = None) -> oc.Trajectory:
    """``optim_core.run`` of ``opt`` on the named surface, cached on its settings; ``tol`` stops it early."""
    return _run(opt, surface, point_key(start), int(steps), batch_size, float(noise), int(seed), record,
                float(loss_scale), None if tol is None else float(tol))


@st.cache_data(max_entries=256, show_spinner=False)
def _run(opt: OptimizerSpec, surface: str, start: tuple, steps: int, batch_size: int | None, noise: float,
         seed: int, record: bool | tuple[str, ...], loss_scale: float, tol: float | None) -> oc.Trajectory:
    return oc.run(opt.build(), oc.get_surface(surface).scaled(loss_scale), np.asarray(start), steps,
                  batch_size=batch_size, noise=noise, seed=seed, record=record, tol=tol)


def sweep(opt: OptimizerSpec, surface: str, start, steps: int, lrs) -> Sweep:
    """Final loss for every step size in ``lrs``; ``opt``'s own step size plays no part."""
    return _sweep(opt.without_lr(), surface, point_key(start), int(steps), tuple(map(float, lrs)))


@st.cache_data(max_entries=64, show_spinner=False)
def _sweep(opt: OptimizerSpec, surface: str, start: tuple, steps: int, lrs: tuple) -> Sweep:
    traj = oc.run(opt.with_lr(lrs).build(), oc.get_surface(surface), np.asarray(start), steps, record=False)
    return Sweep(np.asarray(lrs), traj.loss[-1], np.asarray(traj.diverged))


def lookahead_grid(inner: OptimizerSpec, surface: str, start, steps: int, alphas, ks) -> LookaheadGrid:
    """Every (α, k) of Lookahead around ``inner``, stepped together as one batched run."""
    return _lookahead_grid(inner, surface, point_key(start), int(steps), tuple(map(float, alphas)),
                           tuple(map(int, ks)))


@st.cache_data(max_entries=32, show_spinner=False)
def _lookahead_grid(inner: OptimizerSpec, surface: str, start: tuple, steps: int, alphas: tuple,
                    ks: tuple) -> LookaheadGrid:
    aa, kk = np.meshgrid(np.asarray(alphas), np.asarray(ks), indexing="ij")
    opt = OptimizerSpec("lookahead", pairs({"k": kk.ravel(), "alpha": aa.ravel()}), inner)
    traj = oc.run(opt.build(), oc.get_surface(surface), np.asarray(start), steps, record=False)
    return LookaheadGrid(aa[:, 0], kk[0], traj.loss[-1].reshape(aa.shape),
                         np.asarray(traj.diverged).reshape(aa.shape))
