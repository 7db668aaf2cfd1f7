"""optim_core: the NumPy engine behind the optimizer lecture app.

Surfaces with analytic derivatives, the lecture's optimizers as optax-style pure
``init``/``update`` pairs, Lookahead around any of them, and ``run`` which records
a whole (batched) trajectory. Imports NumPy only.
"""

from .base import Optimizer, state_records
from .registry import OPTIMIZER_NAMES, hyper_defaults, make_optimizer
from .run import DIVERGENCE_FACTOR, MAX_STEPS, Trajectory, run
from .status import STATUSES, status
from .surfaces import SURFACE_NAMES, FiniteSumSurface, Surface, get_surface

__all__ = [
    "DIVERGENCE_FACTOR", "MAX_STEPS", "OPTIMIZER_NAMES", "STATUSES", "SURFACE_NAMES", "FiniteSumSurface",
    "Optimizer", "Surface", "Trajectory", "get_surface", "hyper_defaults", "make_optimizer",
    "run", "state_records", "status",
]
