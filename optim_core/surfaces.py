"""Two-parameter loss surfaces with analytic gradients and Hessians.

Every function is vectorised over points of shape ``(..., 2)``: a single point,
a batch of runs, or a whole plotting grid go through the same code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import ClassVar

import numpy as np

from ._validate import POSITIVE, check_known, check_number, closed

Bounds = tuple[tuple[float, float], tuple[float, float]]
CUSTOM_PREFIX = "custom:"  # names of surfaces typed by the user (optim_core.expression)


def _pack(first: np.ndarray, second: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """Stack two same-shaped arrays on a new last axis (cheaper than np.stack for tiny arrays)."""
    if out is None:
        out = np.empty(np.shape(first) + (2,))
    out[..., 0] = first
    out[..., 1] = second
    return out


def _pack_hessian(hxx, hxy, hyy) -> np.ndarray:
    hxx, hxy, hyy = np.broadcast_arrays(hxx, hxy, hyy)
    out = np.empty(hxx.shape + (2, 2))
    out[..., 0, 0] = hxx
    out[..., 0, 1] = hxy
    out[..., 1, 0] = hxy
    out[..., 1, 1] = hyy
    return out


@dataclass(frozen=True, eq=False)
class Surface:
    """A loss ``L(x, y)`` with its gradient and Hessian, plus what a plot needs.

    ``bounds`` is the plotted region, ``minima`` the known minimisers (shape
    ``(n, 2)``, possibly empty), ``start`` a start point that makes a good demo.
    ``is_finite_sum`` says whether it has per-example gradients (``batch_size`` in ``run``).
    """

    name: str
    title: str
    latex: str
    _value: Callable = field(repr=False)
    _grad: Callable = field(repr=False)
    _hessian: Callable = field(repr=False)
    bounds: Bounds
    minima: np.ndarray
    start: np.ndarray
    log_contours: bool = False
    is_finite_sum: ClassVar[bool] = False

    def value(self, xy) -> np.ndarray:
        """``L(xy)`` for points of shape (..., 2); returns shape (...)."""
        xy = np.asarray(xy, dtype=float)
        return self._value(xy[..., 0], xy[..., 1])

    def grad(self, xy, out: np.ndarray | None = None) -> np.ndarray:
        """``∇L(xy)``, shape (..., 2); written into ``out`` when given."""
        xy = np.asarray(xy, dtype=float)
        return _pack(*self._grad(xy[..., 0], xy[..., 1]), out=out)

    def hessian(self, xy) -> np.ndarray:
        """``∇²L(xy)``, shape (..., 2, 2)."""
        xy = np.asarray(xy, dtype=float)
        return _pack_hessian(*self._hessian(xy[..., 0], xy[..., 1]))

    @property
    def center(self) -> np.ndarray:
        return np.array([sum(self.bounds[0]) / 2, sum(self.bounds[1]) / 2])

    @property
    def half_width(self) -> np.ndarray:
        return np.array([(self.bounds[0][1] - self.bounds[0][0]) / 2,
                         (self.bounds[1][1] - self.bounds[1][0]) / 2])

    def scaled(self, factor: float) -> Surface:
        """The same landscape with the loss multiplied by ``factor`` > 0 (gradient and Hessian too).

        Same minima, same start, same picture: only the units of "how wrong" change.
        Adam's path is (up to ε) unchanged by this; gradient descent's is not.
        """
        factor = check_number("loss scale", factor, POSITIVE)
        if factor == 1.0:
            return self
        value, grad, hessian = self._value, self._grad, self._hessian
        return replace(
            self, title=f"{self.title} × {factor:g}", latex=rf"{factor:g}\cdot\left({self.latex}\right)",
            _value=lambda x, y: factor * value(x, y),
            _grad=lambda x, y: tuple(factor * g for g in grad(x, y)),
            _hessian=lambda x, y: tuple(factor * h for h in hessian(x, y)),
        )

    def grid(self, n: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Axes ``xs``, ``ys`` and values ``Z[j, i] = L(xs[i], ys[j])`` over the bounds."""
        xs = np.linspace(*self.bounds[0], n)
        ys = np.linspace(*self.bounds[1], n)
        gx, gy = np.meshgrid(xs, ys)
        return xs, ys, self._value(gx, gy)


@dataclass(frozen=True, eq=False)
class FiniteSumSurface(Surface):
    """A loss that is an average of per-example losses, ``L(w) = (1/m) Σᵢ Lⁱ(w)``.

    Here ``Lⁱ(w) = c · ½ (w₁ + w₂ tᵢ − yᵢ)²``: fitting a line to m points, which gives
    real per-example gradients for mini-batch SGD. ``loss_scale`` is c (1 unless
    :meth:`scaled`), so that mini-batch gradients scale with the loss.
    """

    is_finite_sum: ClassVar[bool] = True
    features: np.ndarray = field(default=None, repr=False)  # (m, 2): rows (1, tᵢ)
    targets: np.ndarray = field(default=None, repr=False)  # (m,)
    loss_scale: float = 1.0

    def scaled(self, factor: float) -> FiniteSumSurface:
        """:meth:`Surface.scaled`, with the per-example losses scaled too."""
        out = super().scaled(factor)
        return out if out is self else replace(out, loss_scale=self.loss_scale * float(factor))

    @property
    def n_examples(self) -> int:
        return len(self.targets)

    def residuals(self, xy) -> np.ndarray:
        """``rᵢ(w) = w·xᵢ − yᵢ`` for every example, shape (..., m)."""
        xy = np.asarray(xy, dtype=float)
        return xy @ self.features.T - self.targets

    def example_grads(self, xy) -> np.ndarray:
        """``∇Lⁱ(w) = c rᵢ(w) xᵢ`` for every example, shape (..., m, 2)."""
        return self.loss_scale * self.residuals(xy)[..., None] * self.features

    def minibatch_grad(self, xy, indices, out: np.ndarray | None = None) -> np.ndarray:
        """``(1/|I|) Σ_{i∈I} ∇Lⁱ(w)`` with ``indices`` of shape (..., b) chosen per point."""
        xy = np.asarray(xy, dtype=float)
        rows = self.features[indices]  # (..., b, 2)
        r = np.einsum("...bk,...k->...b", rows, xy) - self.targets[indices]
        g = self.loss_scale * np.einsum("...b,...bk->...k", r, rows) / indices.shape[-1]
        if out is None:
            return g
        out[...] = g
        return out


# --- the catalogue -------------------------------------------------------------


def _rosenbrock() -> Surface:
    def value(x, y):
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2

    def grad(x, y):
        r = y - x * x
        return -2 * (1 - x) - 400 * x * r, 200 * r

    def hessian(x, y):
        return 2 - 400 * (y - x * x) + 800 * x * x, -400 * x, np.full_like(x, 200.0)

    return Surface(
        "rosenbrock", "Rosenbrock valley", r"(1-x)^2 + 100\,(y-x^2)^2",
        value, grad, hessian, ((-2.0, 2.0), (-1.0, 3.0)),
        np.array([[1.0, 1.0]]), np.array([-1.2, 1.0]), log_contours=True,
    )


ELONGATED_CURVATURE = (1.0, 25.0)  # (λ₁, λₙ) of the default bowl: κ = 25
KAPPA_RANGE = closed(1, 1000)  # the condition numbers ``get_surface("elongated_quadratic", kappa=…)`` takes
LOG_CONTOURS_FROM_KAPPA = 100  # from this κ on the bowl's picture uses log-spaced contours (see _elongated_quadratic)


def _elongated_quadratic(kappa: float = ELONGATED_CURVATURE[1]) -> Surface:
    r"""The bowl :math:`L(x, y) = \tfrac12 (\lambda_1 x^2 + \lambda_n y^2)` with :math:`H = \mathrm{diag}(1, \kappa)`.

    λ₁ = 1 and λₙ = κ, so κ is the condition number λₙ/λ₁. The default κ = 25 is the lecture's bowl
    (named ``elongated_quadratic``); any other κ is named ``elongated_quadratic:kappa=<κ>``
    (:func:`surface_name`). Every κ shares the bounds and the start (−5, 1.5), so bowls of different κ
    compare on one picture: the level sets are ellipses with axes in the ratio √κ : 1, and at κ = 1000
    the valley is 1/√1000 ≈ 0.03 as wide as it is long (at x = ±6 the level set spans |y| ≤ 0.19).
    Evenly spaced bands would then show only horizontal stripes (κ y² is all the plot sees), so from
    κ = ``LOG_CONTOURS_FROM_KAPPA`` on the bands are log-spaced and the narrow ellipses stay visible.
    """
    a, b = ELONGATED_CURVATURE[0], float(kappa)

    def value(x, y):
        return 0.5 * (a * x * x + b * y * y)

    def grad(x, y):
        return a * x, b * y

    def hessian(x, y):
        return np.full_like(x, a), np.zeros_like(x), np.full_like(x, b)

    return Surface(
        _canonical_name("elongated_quadratic", {"kappa": b}), f"Elongated bowl (κ = {b:g})",
        rf"\tfrac12\,(x^2 + {b:g}\,y^2)",
        value, grad, hessian, ((-6.0, 6.0), (-3.0, 3.0)),
        np.array([[0.0, 0.0]]), np.array([-5.0, 1.5]), log_contours=b >= LOG_CONTOURS_FROM_KAPPA,
    )


def _saddle() -> Surface:
    def value(x, y):
        return x * x - y * y

    def grad(x, y):
        return 2 * x, -2 * y

    def hessian(x, y):
        return np.full_like(x, 2.0), np.zeros_like(x), np.full_like(x, -2.0)

    return Surface(
        "saddle", "Saddle", r"x^2 - y^2",
        value, grad, hessian, ((-2.0, 2.0), (-2.0, 2.0)),
        np.empty((0, 2)), np.array([1.8, 0.01]),
    )


def _beale() -> Surface:
    c = (1.5, 2.25, 2.625)

    def terms(x, y):
        return [(ci - x + x * y ** (i + 1), i + 1) for i, ci in enumerate(c)]

    def value(x, y):
        return sum(t * t for t, _ in terms(x, y))

    def grad(x, y):
        gx = sum(2 * t * (y ** p - 1) for t, p in terms(x, y))
        gy = sum(2 * t * p * x * y ** (p - 1) for t, p in terms(x, y))
        return gx, gy

    def hessian(x, y):
        hxx = hxy = hyy = 0.0
        for t, p in terms(x, y):
            dx, dy = y ** p - 1, p * x * y ** (p - 1)
            d2xy = p * y ** (p - 1)
            d2yy = p * (p - 1) * x * y ** (p - 2) if p > 1 else 0.0
            hxx = hxx + 2 * dx * dx
            hxy = hxy + 2 * (dx * dy + t * d2xy)
            hyy = hyy + 2 * (dy * dy + t * d2yy)
        return hxx + 0 * x, hxy + 0 * x, hyy + 0 * x

    return Surface(
        "beale", "Beale",
        r"(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
        value, grad, hessian, ((-4.5, 4.5), (-4.5, 4.5)),
        np.array([[3.0, 0.5]]), np.array([0.5, 2.5]), log_contours=True,
    )


HIMMELBLAU_MINIMA = np.array([
    [3.0, 2.0],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.283185991286170],
    [3.584428340330492, -1.848126526964404],
])


def _himmelblau() -> Surface:
    def value(x, y):
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def grad(x, y):
        a, b = x * x + y - 11, x + y * y - 7
        return 4 * x * a + 2 * b, 2 * a + 4 * y * b

    def hessian(x, y):
        a, b = x * x + y - 11, x + y * y - 7
        return 4 * a + 8 * x * x + 2, 4 * x + 4 * y, 2 + 4 * b + 8 * y * y

    return Surface(
        "himmelblau", "Himmelblau (four minima)", r"(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
        value, grad, hessian, ((-5.0, 5.0), (-5.0, 5.0)),
        HIMMELBLAU_MINIMA.copy(), np.array([-0.3, -0.9]), log_contours=True,
    )


LEAST_SQUARES_EXAMPLES = 20
LEAST_SQUARES_SEED = 2020


def least_squares_data(m: int = LEAST_SQUARES_EXAMPLES, seed: int = LEAST_SQUARES_SEED):
    """The generated data set: m points ``(tᵢ, yᵢ)`` near the line ``y = 1 + 0.5 t``.

    The features are ``(1, tᵢ)`` with ``tᵢ`` in [0.5, 3.5]; because t is not
    centred, intercept and slope are correlated and the level sets are long ellipses.
    """
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0.5, 3.5, m))
    y = 1.0 + 0.5 * t + rng.normal(0.0, 0.3, m)
    return np.column_stack([np.ones(m), t]), y


def _least_squares() -> FiniteSumSurface:
    features, targets = least_squares_data()
    gram = features.T @ features / len(targets)
    moment = features.T @ targets / len(targets)
    y2 = float(targets @ targets) / len(targets)
    w_star = np.linalg.solve(gram, moment)

    def value(x, y):
        # ½ wᵀGw − wᵀb + ½ mean(y²): the mean of ½ rᵢ² written without the m axis.
        return (0.5 * (gram[0, 0] * x * x + 2 * gram[0, 1] * x * y + gram[1, 1] * y * y)
                - moment[0] * x - moment[1] * y + 0.5 * y2)

    def grad(x, y):
        return (gram[0, 0] * x + gram[0, 1] * y - moment[0],
                gram[0, 1] * x + gram[1, 1] * y - moment[1])

    def hessian(x, y):
        return np.full_like(x, gram[0, 0]), np.full_like(x, gram[0, 1]), np.full_like(x, gram[1, 1])

    cx, cy = np.round(w_star, 1)
    return FiniteSumSurface(
        "least_squares", "Least squares (20 points)",
        r"\frac{1}{m}\sum_{i=1}^{m} \tfrac12\,(w_1 + w_2 t_i - y_i)^2",
        value, grad, hessian, ((cx - 3.0, cx + 3.0), (cy - 1.5, cy + 1.5)),
        w_star[None, :], np.array([cx - 2.5, cy + 1.2]),
        features=features, targets=targets,
    )


_BUILDERS = {
    "rosenbrock": _rosenbrock,
    "elongated_quadratic": _elongated_quadratic,
    "saddle": _saddle,
    "beale": _beale,
    "himmelblau": _himmelblau,
    "least_squares": _least_squares,
}

SURFACE_NAMES = tuple(_BUILDERS)
# the parameters a surface takes: name -> (interval, default); a surface not listed takes none
SURFACE_PARAMETERS = MappingProxyType(
    {"elongated_quadratic": MappingProxyType({"kappa": (KAPPA_RANGE, ELONGATED_CURVATURE[1])})})
PARAMETER_SEP = ":"  # between a surface's name and its parameters: ``elongated_quadratic:kappa=100``


def _format_parameter(value: float) -> str:
    """A parameter value in a name: an integer without ``.0``, any other float as ``repr`` (it reads back exactly)."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 2**53 else repr(float(value))


def _checked_parameters(base: str, params: dict) -> dict[str, float]:
    """``params`` checked against what surface ``base`` takes: ValueError naming the culprit."""
    allowed = SURFACE_PARAMETERS.get(base, {})
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        takes = ", ".join(sorted(allowed)) or "no parameters"
        raise ValueError(f"unknown parameter {unknown[0]!r} for surface {base!r}; it takes {takes}")
    out = {}
    for key, value in params.items():
        if np.ndim(value) != 0:
            raise ValueError(f"{key} must be a number, got shape {np.shape(value)}")
        out[key] = check_number(key, value, allowed[key][0])
    return out


def surface_name(name: str, **params) -> str:
    """The canonical name of surface ``name`` with ``params``: what ``get_surface(name, **params).name`` is.

    Format: the bare name when every parameter is at its default (``elongated_quadratic`` for κ = 25),
    else ``<name>:<key>=<value>[,<key>=<value>…]`` with the non-default parameters sorted by key and each
    value written so that it reads back exactly (``elongated_quadratic:kappa=100``,
    ``elongated_quadratic:kappa=12.5``). :func:`get_surface` takes this form too, so caches keyed by a
    surface's name (``ui``) tell bowls of different κ apart.
    """
    base = check_known("surface", name, SURFACE_NAMES)
    return _canonical_name(base, _checked_parameters(base, params))


def _canonical_name(base: str, values: dict[str, float]) -> str:
    """:func:`surface_name` for parameters already checked."""
    defaults = SURFACE_PARAMETERS.get(base, {})
    parts = [f"{k}={_format_parameter(v)}" for k, v in sorted(values.items()) if v != defaults[k][1]]
    return base + (PARAMETER_SEP + ",".join(parts) if parts else "")


def _parse_name(name: str) -> tuple[str, dict[str, float]]:
    """``"elongated_quadratic:kappa=100"`` -> ``("elongated_quadratic", {"kappa": 100.0})``."""
    base, sep, rest = name.partition(PARAMETER_SEP)
    check_known("surface", base, SURFACE_NAMES)
    params: dict[str, float] = {}
    for part in rest.split(",") if sep else ():
        key, eq, text = part.partition("=")
        try:
            value = float(text) if eq else None
        except ValueError:
            value = None
        if value is None or not key or key in params:
            raise ValueError(f"surface parameters must read {base}{PARAMETER_SEP}key=value[,key=value], got {name!r}")
        params[key] = value
    return base, params


def get_surface(name: str, **params) -> Surface:
    """The surface called ``name``; unknown names raise with the list of known ones.

    ``params`` are the surface's own settings: ``kappa`` in [1, 1000] for ``elongated_quadratic``
    (H = diag(1, κ); the default 25 is the lecture's bowl). They may also be written into the name,
    ``get_surface("elongated_quadratic:kappa=100")``, which is the returned surface's ``name``
    (:func:`surface_name`): a name read back gives the same surface. A surface refuses parameters it
    does not take (every one but the bowl takes none), with ValueError. Each call builds a fresh
    surface (microseconds; nothing shared, so nothing mutable at module level).

    A ``custom:`` name (``optim_core.expression.custom_name``) is a typed ``f(x, y)`` on its
    box, built (and cached) by ``optim_core.expression.custom_surface``.
    """
    if isinstance(name, str) and name.startswith(CUSTOM_PREFIX):
        if params:
            raise ValueError(f"a custom surface takes no parameters, got {', '.join(sorted(params))}")
        from .expression import surface_from_name  # noqa: PLC0415 - expression imports this module

        return surface_from_name(name)
    if not isinstance(name, str):
        check_known("surface", name, SURFACE_NAMES)  # raises with the known names
    base, named = _parse_name(name)
    if named and params:
        raise ValueError(f"give surface parameters in the name or as keywords, not both: {name!r} and {params}")
    return _BUILDERS[base](**_checked_parameters(base, named or params))
