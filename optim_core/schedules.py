r"""Step-size schedules :math:`t_c`: ``make_schedule(name, **settings)``, usable wherever an optimizer takes ``lr``.

A schedule is an immutable callable: ``schedule(c)`` is the step size of update number ``c``, where
:math:`c = 0, 1, 2, \dots` counts the updates done *before* this one (the first update uses ``schedule(0)``).
This is optax's ``count`` and torch's ``last_epoch`` after ``c`` calls of ``scheduler.step()``, each made
after ``optimizer.step()``::

    sched = make_schedule("cosine", base=0.05, steps=200)
    opt = make_optimizer("adam", lr=sched)       # update c uses lr = sched(c)
    sched(0), sched(np.arange(300))              # 0.05; an array of 300 step sizes

It is vectorised over ``c`` and over a batch of settings: any numeric setting (``base`` above all) may be a
1-D array of B values, and ``schedule(c)`` then has shape ``np.shape(c) + (B,)``. An optimizer given such a
schedule runs B settings as one batch, like ``lr=np.array([...])``: ``np.shape(schedule)`` is its batch
shape ``(B,)``, the shape of the array of step sizes it stands for.

================  ==============================================  ===================================
name              :math:`t_c`                                     torch.optim.lr_scheduler
================  ==============================================  ===================================
``constant``      :math:`t`                                       none (or ``ConstantLR(factor=1)``)
``step``          :math:`t\,\gamma^{\lfloor c/s \rfloor}`         ``StepLR(step_size=s, gamma=γ)``
``exponential``   :math:`t\,\gamma^{c}`                           ``ExponentialLR(gamma=γ)``
``inverse_time``  :math:`t / (1 + d\,c)`                          ``LambdaLR(lambda c: 1/(1+d·c))``
``cosine``        cosine from :math:`t` down to a floor           ``CosineAnnealingLR`` for c ≤ steps
``warmup``        linear ramp, then another schedule              ``SequentialLR(LinearLR, other)``
================  ==============================================  ===================================

(:math:`t` is ``base`` throughout.) The exact rules are in the docstrings of the factories below.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from ._validate import (
    FRACTION,
    NON_NEGATIVE,
    POSITIVE,
    Interval,
    as_hyper,
    batch_shape_of,
    check_known,
    check_number,
)

COUNT = Interval(1.0)  # [1, inf): step_size, steps, warmup_steps (whole numbers)
GAMMA = FRACTION  # (0, 1]: a decay factor (1 keeps the step size)


class Schedule:
    r"""A step-size schedule :math:`c \mapsto t_c`; build one with :func:`make_schedule`.

    ``schedule(c)`` takes an update index :math:`c \ge 0` (a whole number, or an array of them) and returns
    :math:`t_c`: a float, or an array of shape ``np.shape(c) + batch_shape``. ``name``, ``settings`` (the
    checked settings, defaults filled in), ``base`` and ``batch_shape`` describe it; ``with_base`` gives
    the same schedule from another base step size (a sweep over base step sizes). Schedules are immutable,
    compare equal when their settings are, hash, and pickle.
    """

    __slots__ = ("name", "batch_shape", "_settings", "_columns")

    def __init__(self, name: str, settings: dict, batch_shape: tuple[int, ...]) -> None:
        frozen = {k: _read_only(v) for k, v in settings.items()}
        columns = {k: v if isinstance(v, Schedule) else as_hyper(v) for k, v in frozen.items()}
        for attr, value in (("name", name), ("batch_shape", tuple(batch_shape)), ("_settings", frozen),
                            ("_columns", columns)):
            object.__setattr__(self, attr, value)

    def __setattr__(self, attr, value):
        raise AttributeError(f"a Schedule is immutable: make a new one with make_schedule, not .{attr} = …")

    def __delattr__(self, attr):
        raise AttributeError("a Schedule is immutable")

    @property
    def settings(self) -> dict:
        """The checked settings by name (a copy; arrays are read-only)."""
        return dict(self._settings)

    @property
    def base(self):
        """The base step size :math:`t` (a warm-up's is that of the schedule it hands over to)."""
        return self._base(column=False)

    @property
    def shape(self) -> tuple[int, ...]:
        """``batch_shape``: ``np.shape(schedule)``, as for the array of step sizes a schedule stands for."""
        return self.batch_shape

    @property
    def ndim(self) -> int:
        return len(self.batch_shape)

    def __call__(self, c):
        """:math:`t_c` for the update index ``c`` (a whole number ≥ 0 or an array of them)."""
        c = _check_index(c)
        out = self._at(c[..., None] if self.batch_shape else c, column=False)
        return float(out) if np.ndim(out) == 0 else np.asarray(out, dtype=float)

    def hyper_at(self, count):
        """:math:`t_c` at ``count`` laid out like a checked hyper-parameter (``_validate.as_hyper``).

        A number, or a (B, 1) column for a batched schedule, ready to broadcast against params of shape
        (B, 2). ``count`` is an optimizer state's step count: an int, or an int array that broadcasts
        against (B, 1) (Lookahead with a batched ``k`` restarts some runs' inner optimizers). Unchecked:
        this is the optimizers' fast path.
        """
        out = self._at(count, column=True)
        return float(out) if np.ndim(out) == 0 else out

    def with_base(self, base) -> Schedule:
        """The same schedule from the base step size ``base`` (a number or a 1-D batch)."""
        if self.name == "warmup":
            return make_schedule("warmup", **{**self._settings, "then": self._settings["then"].with_base(base)})
        return make_schedule(self.name, **{**self._settings, "base": base})

    def _at(self, c, column: bool):
        return _RATES[self.name](c, self._columns if column else self._settings, column)

    def _base(self, column: bool):
        if self.name == "warmup":
            return self._settings["then"]._base(column)
        return (self._columns if column else self._settings)["base"]

    def __repr__(self) -> str:
        return f"Schedule({self.name!r}, {', '.join(f'{k}={v!r}' for k, v in self._settings.items())})"

    def __eq__(self, other) -> bool:
        if not isinstance(other, Schedule):
            return NotImplemented
        return (self.name == other.name and self._settings.keys() == other._settings.keys()
                and all(_same(v, other._settings[k]) for k, v in self._settings.items()))

    def __hash__(self) -> int:
        return hash((self.name, tuple((k, _hashable(v)) for k, v in self._settings.items())))

    def __reduce__(self):
        return _rebuild, (self.name, dict(self._settings))


def _rebuild(name: str, settings: dict) -> Schedule:
    return make_schedule(name, **settings)


def _read_only(value):
    if isinstance(value, np.ndarray):
        value = value.copy()
        value.flags.writeable = False
    return value


def _same(a, b) -> bool:
    if isinstance(a, Schedule) or isinstance(b, Schedule):
        return a == b
    return np.shape(a) == np.shape(b) and bool(np.all(np.asarray(a) == np.asarray(b)))


def _hashable(value):
    if isinstance(value, np.ndarray):
        return ("array", tuple(value.tolist()))
    return value


def _check_index(c) -> np.ndarray:
    """``c`` as an array of whole numbers ≥ 0, or ``ValueError("c must be …")``."""
    if isinstance(c, (bool, np.bool_, str)):
        raise ValueError(f"c must be a whole number in [0, inf), got {c!r}")
    try:
        arr = np.asarray(c)
    except (TypeError, ValueError):
        raise ValueError(f"c must be a whole number in [0, inf), got {c!r}") from None
    if arr.dtype.kind in "iu":
        ok = arr >= 0
    elif arr.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(arr) & (arr >= 0) & (np.mod(np.where(np.isfinite(arr), arr, 0.0), 1.0) == 0.0)
    else:
        raise ValueError(f"c must be a whole number in [0, inf), got {c!r}")
    if not np.all(ok):
        raise ValueError(f"c must be a whole number in [0, inf), got {arr[~ok].flat[0]!r}")
    return arr


# ------------------------------------------------------------------------------------------ the schedules


def constant(base: float) -> Schedule:
    r"""The same step size at every update.

    .. math::
        t_c = t

    ``base`` is :math:`t > 0`. An optimizer given ``lr=t`` behaves exactly like one given this schedule
    (torch: no scheduler, or ``ConstantLR(factor=1.0)``; optax: ``constant_schedule``).
    """
    return _make("constant", base=check_number("base", base, POSITIVE))


def step(base: float, step_size: int, gamma: float = 0.1) -> Schedule:
    r"""Step decay: multiply the step size by :math:`\gamma` every ``step_size`` updates.

    .. math::
        t_c = t\, \gamma^{\lfloor c / s \rfloor}

    ``base`` is :math:`t > 0`, ``step_size`` is :math:`s \in \{1, 2, \dots\}`, ``gamma`` is
    :math:`\gamma \in (0, 1]`. This is ``torch.optim.lr_scheduler.StepLR(step_size=s, gamma=γ)``.
    """
    return _make("step", base=check_number("base", base, POSITIVE),
                 step_size=check_number("step_size", step_size, COUNT, integer=True),
                 gamma=check_number("gamma", gamma, GAMMA))


def exponential(base: float, gamma: float) -> Schedule:
    r"""Exponential decay: multiply the step size by :math:`\gamma` at every update.

    .. math::
        t_c = t\, \gamma^{c}

    ``base`` is :math:`t > 0`, ``gamma`` is :math:`\gamma \in (0, 1]`. This is
    ``torch.optim.lr_scheduler.ExponentialLR(gamma=γ)`` (optax: ``exponential_decay`` with
    ``transition_steps=1``).
    """
    return _make("exponential", base=check_number("base", base, POSITIVE), gamma=check_number("gamma", gamma, GAMMA))


def inverse_time(base: float, decay: float) -> Schedule:
    r"""The :math:`1/c` decay of stochastic approximation (Robbins-Monro).

    .. math::
        t_c = \frac{t}{1 + d\, c}

    ``base`` is :math:`t > 0`, ``decay`` is :math:`d \ge 0` (0 keeps :math:`t`). Such steps satisfy
    :math:`\sum_c t_c = \infty,\ \sum_c t_c^2 < \infty`, the condition under which SGD converges.
    torch: ``LambdaLR(lr_lambda=lambda c: 1 / (1 + d * c))``.
    Reference: Bottou, Curtis & Nocedal (2018), SIAM Review, §4.2, Theorem 4.7.
    """
    return _make("inverse_time", base=check_number("base", base, POSITIVE),
                 decay=check_number("decay", decay, NON_NEGATIVE))


def cosine(base: float, steps: int, floor: float = 0.0) -> Schedule:
    r"""Cosine annealing from :math:`t` down to a floor over ``steps`` updates, then the floor.

    .. math::
        t_c = t_{\min} + \frac{t - t_{\min}}{2} \Bigl(1 + \cos\frac{\pi \min(c, T)}{T}\Bigr)

    ``base`` is :math:`t > 0`, ``steps`` is :math:`T \in \{1, 2, \dots\}`, ``floor`` is
    :math:`t_{\min} \in [0, t]`. For :math:`c \le T` this is ``torch.optim.lr_scheduler.CosineAnnealingLR(
    T_max=T, eta_min=t_min)``; after :math:`T` torch's cosine climbs back up, while this one stays at
    :math:`t_{\min}` (as optax's ``cosine_decay_schedule``).
    Reference: Loshchilov & Hutter, SGDR, ICLR 2017, eq. (5), without restarts.
    """
    base = check_number("base", base, POSITIVE)
    floor = check_number("floor", floor, NON_NEGATIVE)
    _check_batches(base=base, floor=floor)
    above = np.asarray(floor) > np.asarray(base)
    if np.any(above):
        bad = np.broadcast_to(floor, above.shape)[above].flat[0] if above.ndim else floor
        raise ValueError(f"floor must be in [0, base], got {float(bad)!r} above base {_fmt(base)}")
    return _make("cosine", base=base, steps=check_number("steps", steps, COUNT, integer=True), floor=floor)


def warmup(then, warmup_steps: int, start_factor: float | None = None) -> Schedule:
    r"""Linear warm-up over ``warmup_steps`` updates, then the schedule ``then`` from its start.

    .. math::
        t_c = \begin{cases}
            t \bigl(f + (1 - f)\, c / w\bigr) & c < w \\
            \tau_{c - w} & c \ge w
        \end{cases}

    where :math:`\tau` is the schedule ``then`` and :math:`t` its base step size (so the ramp ends where
    :math:`\tau` starts, :math:`\tau_0 = t`); ``warmup_steps`` is :math:`w \in \{1, 2, \dots\}` and
    ``start_factor`` is :math:`f \in (0, 1]`, by default :math:`1/w` (the first update uses :math:`t/w`).
    ``then`` is a schedule, or a step size (a constant schedule). This is torch's ``SequentialLR(opt,
    [LinearLR(opt, start_factor=f, end_factor=1, total_iters=w), τ], milestones=[w])``: the second scheduler
    restarts its count at the milestone, hence :math:`\tau_{c-w}`.
    Reference: Goyal et al., Accurate, Large Minibatch SGD, arXiv:1706.02677 (2017), §2.2.
    """
    if not isinstance(then, Schedule):
        if isinstance(then, (str, bool, np.bool_)) or then is None:
            raise ValueError(f"then must be a schedule made by make_schedule or a step size, got {then!r}")
        then = constant(check_number("then", then, POSITIVE))
    warmup_steps = check_number("warmup_steps", warmup_steps, COUNT, integer=True)
    if start_factor is None:
        start_factor = 1.0 / np.asarray(warmup_steps, dtype=float)
        start_factor = float(start_factor) if start_factor.ndim == 0 else start_factor
    return _make("warmup", then=then, warmup_steps=warmup_steps,
                 start_factor=check_number("start_factor", start_factor, FRACTION))


def _make(name: str, **settings) -> Schedule:
    return Schedule(name, settings, _check_batches(**settings))


def _check_batches(**settings) -> tuple[int, ...]:
    """The batch shape the settings imply (a nested schedule counts with its own)."""
    try:
        return batch_shape_of(*settings.values())
    except ValueError:
        shapes = {k: np.shape(v) for k, v in settings.items() if np.ndim(v) > 0}
        raise ValueError(f"batched settings must have the same length, got shapes {shapes}") from None


def _fmt(value) -> str:
    return repr(float(value)) if np.ndim(value) == 0 else repr(np.asarray(value))


# ----------------------------------------------------------------- the rules, elementwise in c and settings
# ``s`` holds the settings as plain values (schedule(c), with c given a trailing batch axis) or as
# (B, 1) columns (hyper_at); ``column`` says which, for a nested schedule.


def _constant_rate(c, s, column):
    return s["base"] + np.zeros(np.shape(c))


def _step_rate(c, s, column):
    return s["base"] * s["gamma"] ** (c // s["step_size"])


def _exponential_rate(c, s, column):
    return s["base"] * s["gamma"] ** c


def _inverse_time_rate(c, s, column):
    return s["base"] / (1 + s["decay"] * c)


def _cosine_rate(c, s, column):
    base, floor, steps = s["base"], s["floor"], s["steps"]
    return floor + (base - floor) * (1 + np.cos(np.pi * np.minimum(c, steps) / steps)) / 2


def _warmup_rate(c, s, column):
    then, w, f = s["then"], s["warmup_steps"], s["start_factor"]
    ramp = then._base(column) * (f + (1 - f) * c / w)
    return np.where(c < w, ramp, then._at(np.maximum(c - w, 0), column))


_RATES: dict[str, Callable] = {
    "constant": _constant_rate,
    "step": _step_rate,
    "exponential": _exponential_rate,
    "inverse_time": _inverse_time_rate,
    "cosine": _cosine_rate,
    "warmup": _warmup_rate,
}

FACTORIES = {
    "constant": constant,
    "step": step,
    "exponential": exponential,
    "inverse_time": inverse_time,
    "cosine": cosine,
    "warmup": warmup,
}

SCHEDULE_NAMES = tuple(FACTORIES)


def make_schedule(name: str, **settings) -> Schedule:
    """Build step-size schedule ``name`` from its settings (see the factory of that name for the maths).

    ``constant(base)``, ``step(base, step_size, gamma=0.1)``, ``exponential(base, gamma)``,
    ``inverse_time(base, decay)``, ``cosine(base, steps, floor=0)``,
    ``warmup(then, warmup_steps, start_factor=1/warmup_steps)``. Unknown names, unknown or missing
    settings and values out of range raise ``ValueError``.
    """
    factory = FACTORIES[check_known("schedule", name, SCHEDULE_NAMES)]
    params = inspect.signature(factory).parameters
    unknown = sorted(set(settings) - set(params))
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r} for schedule {name!r}; known: {', '.join(sorted(params))}")
    missing = [k for k, p in params.items() if p.default is inspect.Parameter.empty and k not in settings]
    if missing:
        raise ValueError(f"schedule {name!r} needs {', '.join(missing)}")
    return factory(**settings)


# ------------------------------------------------------------------------------------ for the optimizers


def check_lr(lr):
    """An optimizer's ``lr``: a :class:`Schedule` as it is, else a step size in (0, inf) (a number or a batch)."""
    return lr if isinstance(lr, Schedule) else check_number("lr", lr, POSITIVE)


def lr_at(lr) -> Callable:
    """``count -> t_count`` for a checked ``lr``, laid out like ``as_hyper`` (a number or a (B, 1) column).

    A fixed step size gives back the same value at every count, so a plain ``lr`` computes exactly as
    before schedules existed.
    """
    if isinstance(lr, Schedule):
        return lr.hyper_at
    value = as_hyper(lr)
    return lambda count: value
