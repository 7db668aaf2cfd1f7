"""The Gradient & Taylor page's maths: the local models at W_c (tangent, 1/(2t) bowl, Newton), slices and level sets.

Pure NumPy, no figures: ``ui.pages.taylor_figures`` draws these, ``ui.pages.taylor`` says them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

import optim_core as oc

_TINY = 1e-10  # relative size below which an eigenvalue or a gradient counts as zero


@dataclass(frozen=True)
class LocalModel:
    """Everything the models need at ``w_c``; ``newton`` is None where H is singular."""

    w_c: np.ndarray
    loss: float
    grad: np.ndarray
    hessian: np.ndarray
    eigenvalues: np.ndarray  # ascending
    eigenvectors: np.ndarray  # columns
    newton: np.ndarray | None

    @property
    def grad_norm(self) -> float:
        return float(np.linalg.norm(self.grad))

    @property
    def stationary(self) -> bool:
        """∇L(W_c) = 0 exactly: the tangent plane is flat and no first-order method moves."""
        return self.grad_norm == 0.0

    @property
    def curvature(self) -> str:
        """'positive definite', 'negative definite', 'indefinite' or 'singular'."""
        lo, hi = self.eigenvalues
        if _singular(self.eigenvalues):
            return "singular"
        if lo > 0:
            return "positive definite"
        if hi < 0:
            return "negative definite"
        return "indefinite"


def _singular(eigenvalues: np.ndarray) -> bool:
    scale = max(1.0, float(np.max(np.abs(eigenvalues))))
    return bool(np.min(np.abs(eigenvalues)) <= _TINY * scale)


def local_model(surface: oc.Surface, w_c) -> LocalModel:
    """Value, gradient and Hessian at ``w_c``, and Newton's point from optim_core's ``newton`` update."""
    w_c = np.asarray(w_c, dtype=float)
    g, h = surface.grad(w_c), surface.hessian(w_c)
    eigenvalues, eigenvectors = np.linalg.eigh(h)
    newton = None
    if not _singular(eigenvalues):
        opt = oc.make_optimizer("newton")
        update, _ = opt.update(g, opt.init(w_c), w_c, hessian=h)
        newton = w_c + update
    return LocalModel(w_c, float(surface.value(w_c)), g, h, eigenvalues, eigenvectors, newton)


def gd_step(local: LocalModel, t: float) -> np.ndarray:
    """``W_c − t ∇L(W_c)``, the minimiser of the bowl, from optim_core's ``sgd`` update."""
    opt = oc.make_optimizer("sgd", lr=t)
    update, _ = opt.update(local.grad, opt.init(local.w_c), local.w_c)
    return local.w_c + update


def tangent_value(local: LocalModel, w) -> np.ndarray:
    """``L(W_c) + ∇Lᵀ(W − W_c)`` for points of shape (..., 2)."""
    d = np.asarray(w, dtype=float) - local.w_c
    return local.loss + d @ local.grad


def slice_direction(local: LocalModel) -> np.ndarray:
    """``−∇L/‖∇L‖``; where ∇L = 0, the Hessian's lowest-curvature direction instead."""
    if not local.stationary:
        return -local.grad / local.grad_norm
    v = local.eigenvectors[:, 0]
    return v if v[np.argmax(np.abs(v))] > 0 else -v


def t_frames(options) -> np.ndarray:
    """The animation's step sizes: the slider's values with geometric steps in between, ascending."""
    options = np.sort(np.asarray(options, dtype=float))
    k = DEFAULTS.frames_between + 1
    parts = [np.geomspace(a, b, k + 1)[:-1] for a, b in zip(options[:-1], options[1:], strict=True)]
    return np.concatenate(parts + [options[-1:]])


def _frame_index(frames: np.ndarray, t: float) -> int:
    return int(np.argmin(np.abs(np.log(frames) - np.log(t))))


@dataclass(frozen=True)
class Slice:
    """The line ``W_c + s·d`` for ``s`` in ``s``, and every model's value along it."""

    direction: np.ndarray
    s: np.ndarray
    loss: np.ndarray
    tangent: np.ndarray
    quadratic: np.ndarray
    slope: float  # ∇Lᵀd (= −‖∇L‖ when d = −∇L/‖∇L‖)
    curvature: float  # dᵀHd

    def bowl(self, t: float) -> np.ndarray:
        return self.tangent + self.s ** 2 / (2 * t)


def slice_along(surface: oc.Surface, local: LocalModel, t_max: float, n: int | None = None) -> Slice:
    """The slice wide enough for the longest step of the slider: s from −0.3·S to S, S = 1.15·t_max‖∇L‖."""
    n = n or DEFAULTS.slice_points
    d = slice_direction(local)
    reach = 1.15 * t_max * local.grad_norm
    if reach <= _TINY * float(np.min(surface.half_width)):
        reach = 0.25 * float(np.min(surface.half_width))
    s = np.linspace(-0.3 * reach, reach, n)
    points = local.w_c + s[:, None] * d
    slope, curv = float(local.grad @ d), float(d @ local.hessian @ d)
    tangent = local.loss + slope * s
    return Slice(d, s, surface.value(points), tangent, tangent + 0.5 * curv * s * s, slope, curv)


def circle_points(center, radius: float, n: int = 73) -> np.ndarray:
    """``n`` points on a closed circle (first = last)."""
    a = np.linspace(0.0, 2 * np.pi, n)
    return np.asarray(center, dtype=float) + radius * np.column_stack([np.cos(a), np.sin(a)])


def bowl_level_sets(local: LocalModel, t: float, n: int = 73) -> np.ndarray:
    """Circles around the GD step; the one of radius t‖∇L‖ passes through W_c (level L(W_c)).

    The bowl equals its minimum plus ‖W − (W_c − t∇L)‖²/(2t), so its level sets are circles.
    Returned as one (k·(n+1), 2) array with NaN rows between the circles.
    """
    centre, r = gd_step(local, t), t * local.grad_norm
    return _join([circle_points(centre, f * r, n) for f in DEFAULTS.levels]) if r > 0 else np.empty((0, 2))


def quadratic_level_sets(local: LocalModel, reach: float, n: int = 97) -> np.ndarray:
    """Level sets of Newton's quadratic around its stationary point: ellipses, or hyperbolas and their asymptotes.

    With ``u`` the coordinates of ``W − W_newton`` in H's eigenvectors, the model is
    ``q* + ½ Σ λᵢ uᵢ²``. Levels are the one through W_c (Δ = ½ (W_c − W_N)ᵀ H (W_c − W_N))
    scaled by ``DEFAULTS.levels``. When H is indefinite the zero-level lines (asymptotes) are
    drawn too; ``reach`` is how far the open curves extend. Empty when H is singular.
    """
    if local.newton is None:
        return np.empty((0, 2))
    lam, vec, centre = local.eigenvalues, local.eigenvectors, local.newton
    offset = (local.w_c - centre) @ vec  # W_c in eigen-coordinates
    delta = 0.5 * float(lam @ offset ** 2)
    curves = []
    if lam[0] * lam[1] > 0:  # both positive (a bowl) or both negative (a dome): ellipses
        if abs(delta) > 0:
            a = np.linspace(0.0, 2 * np.pi, n)
            for f in DEFAULTS.levels:
                semi = f * np.sqrt(2 * abs(delta) / np.abs(lam))
                curves.append(centre + (semi * np.column_stack([np.cos(a), np.sin(a)])) @ vec.T)
        return _join(curves)
    neg, pos = -lam[0], lam[1]  # indefinite: λ₀ < 0 < λ₁
    for sign in (1.0, -1.0):  # the asymptotes u₁ = ±√(|λ₀|/λ₁) u₀, where the model equals q*
        direction = vec @ np.array([1.0, sign * np.sqrt(neg / pos)])
        direction /= np.linalg.norm(direction)
        curves.append(centre + np.outer([-reach, reach], direction))
    if abs(delta) > _TINY * max(1.0, abs(local.loss)):
        for f in DEFAULTS.levels:
            level = abs(delta) * f * f
            big, small = (np.sqrt(2 * level / pos), np.sqrt(2 * level / neg))
            span = np.arccosh(max(1.0, reach / min(big, small)))
            tau = np.linspace(-span, span, n)
            for branch in (1.0, -1.0):
                if delta > 0:  # λ₁u₁² dominates: branches open along u₀
                    u = np.column_stack([small * np.sinh(tau), branch * big * np.cosh(tau)])
                else:
                    u = np.column_stack([branch * small * np.cosh(tau), big * np.sinh(tau)])
                curves.append(centre + u @ vec.T)
    return _join(curves)


def _join(curves: list[np.ndarray]) -> np.ndarray:
    if not curves:
        return np.empty((0, 2))
    gap = np.full((1, 2), np.nan)
    return np.concatenate([np.concatenate([c, gap]) for c in curves])[:-1]


def plane_window(surface: oc.Surface, local: LocalModel, t_max: float) -> tuple[list[float], list[float]]:
    """A square view around W_c holding the longest GD step and Newton's point; the whole surface if that is big.

    Zooming in is the point of a *local* model; the square keeps the bowl's circles round.
    W_c is always in view: a gradient-descent iterate that has left the plotted region
    gets a window centred on it.
    """
    (x0, x1), (y0, y1) = surface.bounds
    half = 1.15 * t_max * local.grad_norm
    if local.newton is not None:
        half = max(half, 1.15 * float(np.max(np.abs(local.newton - local.w_c))))
    half = max(half, 0.15 * float(np.min(surface.half_width)))
    inside = x0 <= local.w_c[0] <= x1 and y0 <= local.w_c[1] <= y1
    if inside and half >= 0.8 * float(np.max(surface.half_width)):
        return [x0, x1], [y0, y1]

    def place(c: float, lo: float, hi: float) -> list[float]:
        if 2 * half >= hi - lo or not inside:
            return [c - half, c + half]
        c = min(max(c, lo + half), hi - half)  # slide the window inside the surface where it fits
        return [c - half, c + half]

    return place(float(local.w_c[0]), x0, x1), place(float(local.w_c[1]), y0, y1)


NICE = (1, 2, 5)


GRADIENT_ROOM = 0.45  # the gradient arrow is at most this share of the view's half-width


def nice_scale(length: float, room: float) -> float:
    """The largest of …, 0.01, 0.02, 0.05, 0.1, …, 1, 2, 5, 10, … that keeps ``scale · length ≤ room``."""
    if not (length > 0 and np.isfinite(length) and room > 0):
        return 1.0
    power = 10.0 ** np.floor(np.log10(room / length))
    fits = [n * power for n in NICE if n * power * length <= room * (1 + 1e-12)]
    return float(max(fits, default=power / 2))


def gradient_scale(surface: oc.Surface, local: LocalModel, t_options) -> float:
    """How much the ∇L arrow of the 2-D view is scaled so that it fits the view (``nice_scale``)."""
    xr, _ = plane_window(surface, local, float(max(t_options)))
    return nice_scale(local.grad_norm, GRADIENT_ROOM * (xr[1] - xr[0]) / 2)


@dataclass(frozen=True)
class Defaults:
    """The page's settings; per-surface values are keyed by surface name."""

    surface: str
    surfaces: tuple[str, ...]
    t_options: Mapping[str, tuple[float, ...]]  # the step sizes t offered by the slider
    t: Mapping[str, float]  # the one it starts at
    frames_between: int  # animation frames between two neighbouring slider values
    slice_points: int
    levels: tuple[float, ...]  # level sets drawn: radii as multiples of the one through W_c
    height: int
    present_height: int  # in presenter mode: the charts, the step buttons and the numbers fit 1280×720
    steps: int  # gradient-descent steps the step slider walks through


DEFAULTS = Defaults(
    surface="rosenbrock",
    surfaces=("rosenbrock", "elongated_quadratic", "saddle", "beale", "himmelblau", "least_squares"),
    t_options=MappingProxyType({
        "rosenbrock": (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 3e-3),
        "elongated_quadratic": (0.005, 0.01, 0.02, 0.04, 0.06, 0.08),
        "saddle": (0.05, 0.1, 0.2, 0.3, 0.5, 0.8),
        "beale": (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3),
        "himmelblau": (0.002, 0.005, 0.01, 0.02, 0.03, 0.05),
        "least_squares": (0.02, 0.05, 0.1, 0.2, 0.3, 0.5),
        "custom": (0.005, 0.01, 0.02, 0.05, 0.1, 0.2),
    }),
    t=MappingProxyType({"rosenbrock": 1e-3, "elongated_quadratic": 0.02, "saddle": 0.2, "beale": 2e-3,
                        "himmelblau": 0.01, "least_squares": 0.1, "custom": 0.02}),
    frames_between=4,
    slice_points=161,
    levels=(0.5, 1.0, 1.5),
    height=440,
    present_height=330,
    steps=30,  # every one a single step of the slider; the first 30 are where a student watches each update
)
