r"""The step-size schedules a page offers, as data: each one's settings follow from the page's number of steps.

Pure (no Streamlit). A page's spec carries the choice as pairs (``OptimizerSpec.scheduled``), so the choice
is part of every cache key; ``optim_core.make_schedule`` does the maths (its factories hold the formulas and
their torch equivalents). The settings are chosen so that every schedule is worth looking at over a run of
N steps:

- ``step``: halve t every N/4 steps, so four plateaus;
- ``exponential``: γ = 0.01^{1/N}, so t falls to 1 % of its start by the last step;
- ``inverse_time``: d = 9/N, so t falls to a tenth by the last step;
- ``cosine``: from t to 0 over the N steps;
- ``warmup``: a linear ramp over the first N/10 steps (the first at t/w), then a cosine over the rest.
"""

from __future__ import annotations

import numpy as np

from ui.specs import Pairs, schedule_of

CHOICES = ("constant", "step", "exponential", "inverse_time", "cosine", "warmup")

LATEX = {  # t_c for each choice, with the settings of ``pairs``
    "constant": r"t_c = t",
    "step": r"t_c = t\,\gamma^{\lfloor c/s \rfloor}",
    "exponential": r"t_c = t\,\gamma^{c}",
    "inverse_time": r"t_c = \frac{t}{1 + d\,c}",
    "cosine": r"t_c = \frac{t}{2}\Bigl(1 + \cos\frac{\pi c}{T}\Bigr)",
    "warmup": r"t_c = t\,\Bigl(\tfrac{1}{w} + \bigl(1 - \tfrac{1}{w}\bigr)\tfrac{c}{w}\Bigr)\ (c < w),"
              r"\ \text{then cosine from } t \text{ over } T",
}


def pairs(name: str, steps: int) -> Pairs:
    """The schedule ``name`` for a run of ``steps`` updates, as a spec's pairs (empty: a constant step size)."""
    steps = max(int(steps), 1)
    if name == "constant":
        return ()
    settings = {
        "step": {"step_size": max(steps // 4, 1), "gamma": 0.5},
        "exponential": {"gamma": 0.01 ** (1 / steps)},
        "inverse_time": {"decay": 9 / steps},
        "cosine": {"steps": steps},
        "warmup": {"warmup_steps": max(steps // 10, 1), "steps": max(steps - max(steps // 10, 1), 1)},
    }[name]
    return tuple(sorted({"name": name, **settings}.items()))


def step_sizes(schedule: Pairs, base: float, steps: int) -> np.ndarray:
    """t_0 … t_{steps−1}: the step size each update of the run uses."""
    count = np.arange(max(int(steps), 1))
    if not schedule:
        return np.full(count.shape, float(base))
    return np.asarray(schedule_of(schedule, float(base))(count), dtype=float)


def settings_text(schedule: Pairs) -> str:
    """The settings in the schedule's symbols (``s = 75, γ = 0.5``), empty for a constant step size."""
    symbols = {"step_size": "s", "gamma": "γ", "decay": "d", "warmup_steps": "w", "steps": "T"}
    settings = dict(schedule)
    return ", ".join(f"{symbol} = {settings[k]:.4g}" for k, symbol in symbols.items() if k in settings)
