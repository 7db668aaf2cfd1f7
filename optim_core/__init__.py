"""optim_core: the NumPy engine behind the optimizer lecture app.

Surfaces with analytic derivatives, the lecture's optimizers as optax-style pure
``init``/``update`` pairs, Lookahead around any of them, and ``run`` which records
a whole (batched) trajectory; ``custom_surface`` turns a typed f(x, y) into a surface
(``expression``). Imports NumPy only: SymPy is imported on the first typed f.
"""

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
from .status import STATUSES, status
from .surfaces import CUSTOM_PREFIX, SURFACE_NAMES, FiniteSumSurface, Surface, get_surface

__all__ = [
    "CUSTOM_PREFIX", "DIVERGENCE_FACTOR", "MAX_STEPS", "OPTIMIZER_NAMES", "STATUSES", "SURFACE_NAMES",
    "ExpressionError", "FiniteSumSurface", "Optimizer", "Parsed", "Surface", "Trajectory", "custom_name",
    "custom_surface", "derivative_latex", "get_surface", "gradient_latex", "hyper_defaults", "make_optimizer",
    "parse", "parse_custom_name", "run", "state_records", "status",
]
