"""Tolerances for comparing two computations of the same numbers, derived from scale and work, not from a machine.

A batched run and the same run alone take different NumPy loops: the batch goes through the vectorised
(SIMD) ones, the single run through short or scalar ones. For ``+ − × ÷`` and ``sqrt`` both are correctly
rounded, so they agree to the bit; but ``b1**t`` (Adam's bias correction), ``y**3`` (Beale) and the sums
inside ``einsum``/``@`` are not, and the two paths may differ in the last bit. Each step can add such a
difference, and the iteration carries it on. So the error allowed grows with the number of steps, and is
measured against the scale of the whole series: a moment that passes through zero keeps the absolute error
of the large values it was computed from (−0.00295 from gradients of size 50 is such a case).
"""

import os

import numpy as np

EPS = np.finfo(float).eps  # 2.2e-16: one unit in the last place of 1.0
# How much one step's last-bit difference may grow as later steps carry it on. The suite's runs are
# contracting or short (≤ 300 steps); the largest growth seen is printed with TOLERANCE_REPORT=1.
GROWTH = 100.0


def run_atol(scale, steps: int) -> float:
    """``GROWTH · steps · ε · (1 + max|scale|)``: a hundred ulp of the series' scale per step."""
    finite = np.abs(np.asarray(scale, dtype=float))
    finite = finite[np.isfinite(finite)]
    return GROWTH * max(steps, 1) * EPS * (1.0 + (finite.max() if finite.size else 0.0))


def assert_same_run(actual, desired, steps: int, err_msg: str = "", scale=None) -> None:
    """``actual`` (a column of a batched run) equals ``desired`` (the run alone) up to ``run_atol``.

    ``scale`` is the series the compared numbers come from (default: ``desired`` itself); give the whole
    loss curve when comparing only its last value."""
    atol = run_atol(desired if scale is None else scale, steps)
    if os.environ.get("TOLERANCE_REPORT"):
        diff = np.abs(np.asarray(actual, dtype=float) - np.asarray(desired, dtype=float))
        worst = float(np.nanmax(diff)) if diff.size else 0.0
        with open(os.environ["TOLERANCE_REPORT"], "a") as f:
            f.write(f"{worst / atol * GROWTH:.3g} {err_msg}\n")
    np.testing.assert_allclose(actual, desired, rtol=0, atol=atol, err_msg=err_msg)


def ulps(n: int, scale=1.0) -> float:
    """An absolute tolerance of ``n`` units in the last place at ``scale``."""
    return n * EPS * float(np.max(np.abs(scale)))
