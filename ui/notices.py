"""Plain-language messages for what can go wrong in a run."""

from __future__ import annotations


def divergence(label: str, diverged_at, what: str = "learning rate") -> str | None:
    """``"Adam diverged at step 37: try a smaller learning rate"``, or None if it did not."""
    if diverged_at is None or (isinstance(diverged_at, int) and diverged_at < 0):
        return None
    return (f"{label} diverged at step {int(diverged_at)}: try a smaller {what}. "
            "The chart shows the path up to the last finite point.")
