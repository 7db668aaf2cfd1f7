"""Prediction questions as data: each is tied to a scene, and its answer is computed by the engine, never typed in.

A question belongs to a page and names one of its scenes (``ui.registry``); its kind is ``choice`` (one of a few
stable option ids: ``"sgd"``, ``"toward"``, ``"k5"``) or ``tap`` (a point on the page's picture, counted right
within ``tolerance`` of the answer, in plot units). Its prompt, option labels and explanation are in the catalogs,
``[questions.<page>.<name>]``; the numbers they quote (a step size, a step count, a distance) come from the scene's
settings and from the same runs that give the answer (``words``).

Every answer is an ``optim_core`` run with the scene's settings, built as the page builds it (the page modules'
own helpers where the page uses one: ``method_hypers``, ``hyper``, ``batch_sizes``, ``catalog.to_spec``). The
solved answers are cached per question id: immutable data, the same for every session, not session state.

"Reaches the minimum" means "comes within ``NEAR_SHARE`` of the plot's smaller half-width of a known minimum",
"leaves the map" means "the first iterate outside ``surface.bounds``", and "blows up" is the engine's
``diverged_at``. Pure (no Streamlit).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

import numpy as np

import optim_core as oc
from ui import catalog, registry
from ui.figures.theme import OPTIMIZER_LABELS, label
from ui.i18n import num, t
from ui.pages import adaptive as adaptive_page
from ui.pages import home as home_page
from ui.pages import momentum as momentum_page
from ui.pages import stochastic as stochastic_page
from ui.scenes import Scene

KINDS = ("choice", "tap")
TAP_SHARE = 0.06  # a tap counts within this share of the box's smaller side of the answer
NEAR_SHARE = 0.01  # "at the minimum": within this share of the plot's smaller half-width
PAGE_SURFACE = MappingProxyType({"stochastic": stochastic_page.SURFACE})  # pages whose scenes name no surface


@dataclass(frozen=True)
class Solved:
    """A question's answer and the numbers its prompt and explanation quote (``None``: never happened)."""

    answer: str | tuple[float, float]
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Question:
    page: str
    name: str
    scene: str
    kind: str  # "choice" | "tap"
    options: tuple[str, ...] = ()  # choice ids: stable, never translated
    tolerance: float = 0.0  # tap: counted right within this distance of the answer (plot units)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        if self.kind == "choice" and (len(self.options) < 2 or len(set(self.options)) != len(self.options)):
            raise ValueError(f"{self.id}: a choice needs two or more distinct options, got {self.options}")
        if self.kind == "tap" and not self.tolerance > 0:
            raise ValueError(f"{self.id}: a tap question needs a tolerance > 0")

    @property
    def id(self) -> str:
        """``"momentum.best_first"``: what a room stores and a link names."""
        return f"{self.page}.{self.name}"

    @property
    def setting(self) -> Scene:
        """The scene the question is asked on (KeyError when its page has no scene of that name)."""
        for scene in registry.page(self.page).scenes:
            if scene.name == self.scene:
                return scene
        raise KeyError(f"page {self.page!r} has no scene {self.scene!r}")

    def surface(self) -> oc.Surface:
        return oc.get_surface(_surface_name(self.page, self.setting.settings))

    def box(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """The plotted region of the scene's surface, ``((x0, x1), (y0, y1))``: where a tap can land."""
        (x0, x1), (y0, y1) = self.surface().bounds
        return (float(x0), float(x1)), (float(y0), float(y1))

    def answer(self) -> str | tuple[float, float]:
        """An option id, or the point ``(x, y)``: from the engine (cached per question)."""
        return _solved(self.page, self.name).answer

    def words(self) -> dict[str, str]:
        """The numbers the prompt and the explanation quote, as text in the current language."""
        facts = _solved(self.page, self.name).facts
        steps = facts.get("steps", "")
        return {key: t("questions.never", steps=steps) if value is None else
                str(value) if isinstance(value, (int, np.integer)) else num(value, 3) if isinstance(value, float)
                else str(value) for key, value in facts.items()}

    @property
    def prompt(self) -> str:
        return t(f"questions.{self.id}.prompt", **self.words())

    @property
    def explanation(self) -> str:
        """Shown at the reveal: one or two sentences that say why."""
        return t(f"questions.{self.id}.explanation", **self.words())

    def option_label(self, option: str) -> str:
        """An optimizer's own name, ``k = 5`` for a Lookahead period, else the question's catalog entry."""
        if option not in self.options:
            raise KeyError(f"{self.id} has no option {option!r}; it has {self.options}")
        if option in OPTIMIZER_LABELS:
            return label(option)
        if option[:1] == "k" and option[1:].isdigit():
            return f"k = {int(option[1:])}"
        return t(f"questions.{self.id}.options.{option}", **self.words())

    def is_right(self, value) -> bool:
        """A choice: the answer's id. A tap: within ``tolerance`` of the answer. Anything malformed is wrong."""
        answer = self.answer()
        if self.kind == "choice":
            return isinstance(value, str) and value == answer
        try:
            x, y = (float(v) for v in value)
        except (TypeError, ValueError):
            return False
        return math.isfinite(x) and math.isfinite(y) and math.hypot(x - answer[0], y - answer[1]) <= self.tolerance


def share_right(question: Question, answers: Iterable) -> float:
    """The fraction of ``answers`` that are right (0.0 when there are none)."""
    answers = list(answers)
    return sum(question.is_right(a) for a in answers) / len(answers) if answers else 0.0


# --- the engine's answers ------------------------------------------------------------------------------------------

def _surface_name(page: str, settings: Mapping) -> str:
    return settings.get("surface") or PAGE_SURFACE[page]


def _start(s: Mapping) -> np.ndarray:
    return np.array([s["x"], s["y"]], dtype=float)


def _point(p) -> tuple[float, float]:
    return float(p[0]), float(p[1])


def _to_minimum(surface: oc.Surface, points: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest known minimum (points: (..., 2))."""
    gaps = np.asarray(points, dtype=float)[..., None, :] - surface.minima
    return np.min(np.linalg.norm(gaps, axis=-1), axis=-1)


def near_radius(surface: oc.Surface) -> float:
    """How close counts as "at the minimum": ``NEAR_SHARE`` of the plot's smaller half-width."""
    return NEAR_SHARE * float(np.min(surface.half_width))


def first_near(surface: oc.Surface, params: np.ndarray) -> int | None:
    """The first step whose iterate is within ``near_radius`` of a minimum; None if none is."""
    near = np.flatnonzero(_to_minimum(surface, params) < near_radius(surface))
    return int(near[0]) if near.size else None


def first_outside(surface: oc.Surface, params: np.ndarray) -> int | None:
    """The first step whose iterate is outside the plotted box; None if the run stays in it."""
    (x0, x1), (y0, y1) = surface.bounds
    p = np.asarray(params, dtype=float)
    out = np.flatnonzero((p[:, 0] < x0) | (p[:, 0] > x1) | (p[:, 1] < y0) | (p[:, 1] > y1))
    return int(out[0]) if out.size else None


def _earliest(times: Mapping[str, int | None], nobody: str | None = None) -> str:
    """The option whose event comes first; ``nobody`` when no event happens; a tie is an ill-posed question."""
    happened = {k: v for k, v in times.items() if v is not None}
    if not happened:
        if nobody is None:
            raise ValueError(f"no option's event happens: {dict(times)}")
        return nobody
    best = min(happened.values())
    winners = [k for k, v in happened.items() if v == best]
    if len(winners) != 1:
        raise ValueError(f"a tie between {winners} at step {best}")
    return winners[0]


def _inside(surface: oc.Surface, point) -> tuple[float, float]:
    (x0, x1), (y0, y1) = surface.bounds
    if not (x0 <= point[0] <= x1 and y0 <= point[1] <= y1):
        raise ValueError(f"the answer {point} is outside the plotted box {surface.bounds}")
    return _point(point)


def _home_end(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Where gradient descent is at the end of the page's run (``home.STEPS`` steps)."""
    run = oc.run(oc.make_optimizer("sgd", lr=s["lr"]), surface, _start(s), home_page.STEPS, record=False)
    end = run.params[-1]
    return Solved(_inside(surface, end), {"lr": s["lr"], "steps": home_page.STEPS,
                                          "distance": float(_to_minimum(surface, end))})


def _home_first(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Where gradient descent's first step lands."""
    run = oc.run(oc.make_optimizer("sgd", lr=s["lr"]), surface, _start(s), 1, record=False)
    jump = float(np.linalg.norm(run.params[1] - run.params[0]))
    return Solved(_inside(surface, run.params[1]), {"lr": s["lr"], "length": jump,
                                                    "grad": float(np.linalg.norm(run.grads[0]))})


def _newton_saddle(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """One step of the page's Newton (``make_optimizer("newton")``): nearer the stationary point or farther?"""
    saddle = np.asarray(surface.center, dtype=float)
    if np.linalg.norm(surface.grad(saddle)) > 1e-12:
        raise ValueError(f"{surface.name}: the centre {saddle} is not a stationary point")
    run = oc.run(oc.make_optimizer("newton"), surface, _start(s), 1, record=False)
    before, after = (float(np.linalg.norm(p - saddle)) for p in run.params[:2])
    return Solved("toward" if after < before else "away",
                  {"before": before, "after": after, "x": float(run.params[1, 0]) + 0.0,  # + 0.0: no "-0"
                   "y": float(run.params[1, 1]) + 0.0})


def _stochastic_blows_up(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Which of the page's three estimates (``batch_sizes``) blows up first (the engine's ``diverged_at``: far
    off the map, for good), with the scene's seed."""
    opt = oc.make_optimizer("sgd", lr=s["lr"])
    times = {}
    for k, b in stochastic_page.batch_sizes(s["batch"]).items():
        at = int(oc.run(opt, surface, _start(s), s["steps"], batch_size=b, seed=s["seed"], record=False).diverged_at)
        times[k] = at if at >= 0 else None
    answer = _earliest(times, nobody="none")
    return Solved(answer, {"lr": s["lr"], "steps": s["steps"], "batch": s["batch"], "m": surface.n_examples,
                           "seed": s["seed"], "at": times.get(answer)})


def _momentum_first(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Which of the page's three methods (``method_hypers``, "best" as the page splits it) reaches the ★ first."""
    best = (momentum_page.best_settings(momentum_page.quadratic_curvatures(surface)) if s.get("best") else None)
    hypers = momentum_page.method_hypers(s["lr"], s["mu"], best)
    times = {m: first_near(surface, oc.run(oc.make_optimizer(m, **hypers[m]), surface, _start(s), s["steps"],
                                           record=False).params) for m in q.options}
    return Solved(_earliest(times), {"d": near_radius(surface), "steps": s["steps"], "lr": s["lr"], "mu": s["mu"],
                                     **times})


def _adagrad_end(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Where AdaGrad ends, with the page's settings (``adaptive.hyper``)."""
    hyper = adaptive_page.hyper("adagrad", s["lr"], s["rho"], s["beta1"], s["beta2"])
    run = oc.run(oc.make_optimizer("adagrad", **hyper), surface, _start(s), s["steps"], record=False)
    end = run.params[-1]
    return Solved(_inside(surface, end), {"lr": s["lr"], "steps": s["steps"],
                                          "distance": float(_to_minimum(surface, end))})


def _adam_bias(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Adam's first step without bias correction against with it (the page's noise and seed)."""
    hyper = {k: s[k] for k in ("lr", "beta1", "beta2", "eps")}
    first = {}
    for corrected in (True, False):
        opt = oc.make_optimizer("adam", bias_correction=corrected, **hyper)
        run = oc.run(opt, surface, _start(s), 1, noise=s["noise"], seed=s["seed"], record=False)
        first[corrected] = float(np.linalg.norm(run.params[1] - run.params[0]))
    ratio = first[False] / first[True]
    answer = "same" if math.isclose(ratio, 1.0, rel_tol=1e-9) else "larger" if ratio > 1 else "smaller"
    return Solved(answer, {"lr": s["lr"], "with_bc": first[True], "without_bc": first[False], "ratio": ratio,
                           "beta1": s["beta1"], "beta2": s["beta2"]})


def _lookahead_k(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Which k ends nearest a minimum, everything else as the scene sets it (no noise: the page's main picture)."""
    gaps = {}
    for option in q.options:
        opt = oc.make_optimizer("lookahead", inner=(s["inner"], {"lr": s["lr"]}), k=int(option[1:]),
                                alpha=s["alpha"])
        gaps[option] = float(_to_minimum(surface, oc.run(opt, surface, _start(s), s["steps"],
                                                         record=False).params[-1]))
    ranked = sorted(gaps, key=gaps.get)
    if gaps[ranked[1]] - gaps[ranked[0]] < near_radius(surface):
        raise ValueError(f"no clear winner: {gaps}")
    return Solved(ranked[0], {"alpha": s["alpha"], "steps": s["steps"], "lr": s["lr"], "d": near_radius(surface),
                              **{f"d_{k}": v for k, v in gaps.items()}})


def _compare_escape(q: Question, s: Mapping, surface: oc.Surface) -> Solved:
    """Which of the scene's racers (``catalog.to_spec`` of its knobs) leaves the map first."""
    times = {}
    for m in (o for o in q.options if o != "none"):
        values = {knob.name: s[f"{m}.{knob.name}"] for knob in catalog.KNOBS[m]}
        if m == "lookahead":
            values["inner"] = s["lookahead.inner"]
        run = oc.run(catalog.to_spec(m, values).build(), surface, _start(s), s["steps"], record=False)
        times[m] = first_outside(surface, run.params)
    return Solved(_earliest(times, nobody="none"), {"steps": s["steps"], "y": s["y"], **times})


SOLVERS: Mapping[str, Callable[[Question, Mapping, oc.Surface], Solved]] = MappingProxyType({
    "home.end": _home_end,
    "home.first_step": _home_first,
    "taylor.newton_saddle": _newton_saddle,
    "stochastic.blows_up": _stochastic_blows_up,
    "momentum.best_first": _momentum_first,
    "momentum.overshoot_first": _momentum_first,
    "adaptive.adagrad_end": _adagrad_end,
    "adam.bias_first": _adam_bias,
    "lookahead.odd_k": _lookahead_k,
    "compare.saddle_escape": _compare_escape,
})


@cache
def _solved(page: str, name: str) -> Solved:
    """The engine's answer to question ``page.name`` (immutable: cached for every session)."""
    q = by_id(f"{page}.{name}")
    if q is None:
        raise KeyError(f"no question {page}.{name}")
    scene = q.setting
    solved = SOLVERS[q.id](q, scene.settings, q.surface())
    if q.kind == "choice" and solved.answer not in q.options:
        raise ValueError(f"{q.id}: the engine's answer {solved.answer!r} is not one of {q.options}")
    return Solved(solved.answer, MappingProxyType(dict(solved.facts)))


def _tap_tolerance(surface: str) -> float:
    """``TAP_SHARE`` of the box's smaller side."""
    (x0, x1), (y0, y1) = oc.get_surface(surface).bounds
    return TAP_SHARE * float(min(x1 - x0, y1 - y0))


QUESTIONS: tuple[Question, ...] = (
    Question("home", "end", "good_step", "tap", tolerance=_tap_tolerance("rosenbrock")),
    Question("home", "first_step", "too_large", "tap", tolerance=_tap_tolerance("rosenbrock")),
    Question("taylor", "newton_saddle", "newton_saddle", "choice", ("toward", "away")),
    Question("stochastic", "blows_up", "too_large", "choice", ("all", "one", "partial", "none")),
    Question("momentum", "best_first", "best", "choice", ("sgd", "momentum", "nesterov")),
    Question("momentum", "overshoot_first", "overshoot", "choice", ("sgd", "momentum", "nesterov")),
    Question("adaptive", "adagrad_end", "out_of_steam", "tap", tolerance=_tap_tolerance("elongated_quadratic")),
    Question("adam", "bias_first", "bias_off", "choice", ("larger", "smaller", "same")),
    Question("lookahead", "odd_k", "large_step", "choice", ("k2", "k5", "k10")),
    Question("compare", "saddle_escape", "saddle", "choice", ("sgd", "rmsprop", "adam", "newton", "none")),
)
_BY_ID = MappingProxyType({q.id: q for q in QUESTIONS})


def for_page(page: str) -> tuple[Question, ...]:
    """The questions asked on ``page``, in order."""
    return tuple(q for q in QUESTIONS if q.page == page)


def by_id(qid: str) -> Question | None:
    """The question ``"page.name"``, or None."""
    return _BY_ID.get(qid)
