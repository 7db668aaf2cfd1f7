"""optim_core: the NumPy engine behind the optimizer lecture app.

Surfaces with analytic derivatives, the lecture's optimizers as optax-style pure
``init``/``update`` pairs, Lookahead around any of them, step-size schedules for their
``lr`` (``make_schedule``), and ``run`` which records
a whole (batched) trajectory; ``custom_surface`` turns a typed f(x, y) into a surface
(``expression``). Imports NumPy only: SymPy is imported on the first typed f.
"""

from . import stability
from .base import Optimizer, state_records
from .expression import (
    ExpressionError,
    Parsed,
    custom_name,
    custom_surface,
    derivative_latex,
    gradient_latex,
    parse,
    parse_custom_name,
)
from .registry import OPTIMIZER_NAMES, hyper_defaults, make_optimizer
from .run import DIVERGENCE_FACTOR, MAX_STEPS, Trajectory, run
from .schedules import SCHEDULE_NAMES, Schedule, make_schedule
from .status import STATUSES, status
from .surfaces import CUSTOM_PREFIX, SURFACE_NAMES, FiniteSumSurface, Surface, get_surface, surface_name

__all__ = [
    "CUSTOM_PREFIX", "DIVERGENCE_FACTOR", "MAX_STEPS", "OPTIMIZER_NAMES", "SCHEDULE_NAMES", "STATUSES",
    "SURFACE_NAMES", "custom_name", "custom_surface", "derivative_latex", "ExpressionError", "FiniteSumSurface",
    "get_surface", "gradient_latex", "hyper_defaults", "make_optimizer", "make_schedule", "Optimizer", "parse",
    "parse_custom_name", "Parsed", "run", "Schedule", "stability", "state_records", "status", "Surface",
    "surface_name", "Trajectory",
]
