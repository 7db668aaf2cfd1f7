"""The choices that more than one page offers, so that a β₁ slider reads the same everywhere."""

BETA1_OPTIONS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BETA2_OPTIONS = (0.0, 0.5, 0.9, 0.99, 0.999, 0.9999)
RHO_OPTIONS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)


def option_label(x: float) -> str:
    """Select-slider labels: ``0``, ``1e-08``, ``0.05``."""
    return "0" if x == 0 else f"{x:g}"
