"""Plain-language messages for what can go wrong in a run."""

from __future__ import annotations

import numpy as np


def divergence(label: str, diverged_at, what: str = "learning rate") -> str | None:
    """``"Adam diverged at step 37: try a smaller learning rate"``, or None if no run did.

    ``diverged_at`` is a ``Trajectory.diverged_at``: -1 where a run did not blow up,
    one number for one run or an array for a batch ("3 of 20 … runs diverged").
    """
    at = np.asarray(-1 if diverged_at is None else diverged_at)
    bad = at[at >= 0]
    if bad.size == 0:
        return None
    if at.ndim == 0:
        head = f"{label} diverged at step {int(at)}"
    else:
        head = f"{bad.size} of {at.size} {label} runs diverged, the first at step {int(bad.min())}"
    return f"{head}: try a smaller {what}. The chart shows the path up to the last finite point."
