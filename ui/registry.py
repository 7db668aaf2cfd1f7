"""The pages, as data: one list that app.py, the screenshots, the benchmarks and the tests all read.

Each ``Page`` names its script, its address, its icon, its scenes, its defaults
and its linked widgets. A linked widget is named by its link name (``lr``, ``x``,
``adam.lr``); its Streamlit key is ``widget_key(page, name, *scope)``, where the
scope is the values of the widgets it is kept per (the start point is kept per
surface, Lookahead's step size per inner optimizer). Pickers, scenes and tests
all get keys from that one function, so a renamed widget cannot silently break a
scene: ``scene_state`` refuses a scene that names a widget its page lacks.

Pure (no Streamlit).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from ui.catalog import KNOBS
from ui.i18n import t
from ui.pages import adam, adaptive, compare, conclusion, home, lookahead, momentum, stochastic, taylor
from ui.scenes import Scene

S = ("surface",)  # kept per surface


def widget_key(page: str, name: str, *scope: str) -> str:
    """The Streamlit key of ``page``'s widget ``name`` kept per ``scope``: ``momentum_lr_rosenbrock``."""
    return "_".join((page, name, *map(str, scope)))


def scene_key(page: str) -> str:
    """Where the name of the scene last applied on ``page`` is kept."""
    return f"{page}_scene"


@dataclass(frozen=True)
class Page:
    key: str  # "momentum": the catalog's table, the prefix of every widget key
    script: str  # "lecture/momentum.py"
    url_path: str  # "momentum"; Home is the default page, served at "/"
    icon: str
    scenes: tuple[Scene, ...]
    defaults: Any
    linked: Mapping[str, tuple[str, ...]]  # link name -> the link names it is kept per
    stepping: bool = False  # has the step view (Previous / Next / Start and a step slider)

    @property
    def title(self) -> str:
        return t(f"app.{self.key}")

    @property
    def default(self) -> bool:
        return self.key == "home"

    def key_of(self, name: str, settings: Mapping[str, Any]) -> str:
        """The key of widget ``name`` when the widgets it is kept per hold ``settings``' values."""
        if name not in self.linked:
            raise KeyError(f"page {self.key!r} has no linked widget {name!r}; it has {sorted(self.linked)}")
        missing = [s for s in self.linked[name] if s not in settings]
        if missing:
            raise KeyError(f"{self.key}: {name!r} is kept per {missing}, which the setting does not give")
        return widget_key(self.key, name, *(settings[s] for s in self.linked[name]))


RUN_OPTIONS = ("schedule", "tol")  # ui.widgets.run_options: a scene that does not name them sets their defaults
RUN_DEFAULTS = MappingProxyType({"schedule": "constant", "tol": 0.0})


def _linked(plain: tuple[str, ...] = (), per_surface: tuple[str, ...] = (), **scoped) -> Mapping:
    table = {name: () for name in plain}
    table.update({name: S for name in per_surface})
    table.update({name: tuple(scope) for name, scope in scoped.items()})
    return MappingProxyType(table)


def _compare_linked() -> Mapping:
    table = {"surface": (), "f": (), "box": (), "kappa": (), "x": S, "y": S, "steps": (), "show": (), "step": (),
             "lookahead.inner": (), "schedule": (), "tol": (), "view": ()}
    for name, knobs in KNOBS.items():
        for knob in knobs:
            scope = (("lookahead.inner", "surface") if name == "lookahead" else S) if knob.name == "lr" else ()
            table[f"{name}.{knob.name}"] = scope
    return MappingProxyType(table)


PAGES = (
    Page("home", "lecture/home.py", "home", ":material/landscape:", home.SCENES, None,
         _linked(("surface", "f", "box", "kappa", "lr", "step", "view", *RUN_OPTIONS), ("x", "y")), stepping=True),
    Page("taylor", "lecture/taylor.py", "taylor", ":material/timeline:", taylor.SCENES, taylor.DEFAULTS,
         _linked(("surface", "f", "box", "kappa", "step"), ("x", "y", "t")), stepping=True),
    Page("stochastic", "lecture/stochastic.py", "stochastic", ":material/casino:", stochastic.SCENES,
         stochastic.DEFAULTS, _linked(("x", "y", "steps", "seed", "seeds", "lr", "batch", "step", *RUN_OPTIONS)),
         stepping=True),
    Page("momentum", "lecture/momentum.py", "momentum", ":material/speed:", momentum.SCENES, momentum.DEFAULTS,
         _linked(("surface", "f", "box", "kappa", "mu", "method", "step", "best", *RUN_OPTIONS),
                 ("x", "y", "steps", "lr")), stepping=True),
    Page("adaptive", "lecture/adaptive.py", "adaptive", ":material/tune:", adaptive.SCENES, adaptive.DEFAULTS,
         _linked(("surface", "f", "box", "kappa", "rho", "beta1", "beta2", "method", "step", "tol"),
                 ("x", "y", "steps", "lr")), stepping=True),
    Page("adam", "lecture/adam.py", "adam", ":material/auto_awesome:", adam.SCENES, adam.DEFAULTS,
         _linked(("surface", "f", "box", "kappa", "lr", "beta1", "beta2", "eps", "steps", "noise", "seed", "variant",
                  "step", "c", "gd_lr", *RUN_OPTIONS), ("x", "y")),
         stepping=True),
    Page("lookahead", "lecture/lookahead.py", "lookahead", ":material/fast_forward:", lookahead.SCENES,
         lookahead.DEFAULTS, _linked(("surface", "f", "box", "kappa", "steps", "k", "alpha", "inner", "noise", "seeds",
                                      "step", "tol"), ("x", "y"),
                                     lr=("inner",)), stepping=True),
    Page("compare", "lecture/compare.py", "compare", ":material/compare_arrows:", compare.SCENES, compare.DEFAULTS,
         _compare_linked(), stepping=True),
    Page("conclusion", "lecture/conclusion.py", "conclusion", ":material/flag:", conclusion.SCENES, None,
         _linked(("surface", "f", "box", "kappa", "steps"))),
)
BY_KEY = MappingProxyType({p.key: p for p in PAGES})


def page(key: str) -> Page:
    return BY_KEY[key]


def scene_state(scene: Scene) -> dict[str, Any]:
    """What applying ``scene`` writes into the session: each named widget's key and value, the start point
    its page remembers per surface, and the scene's own name."""
    entry = page(scene.page)
    settings = {**{k: v for k, v in RUN_DEFAULTS.items() if k in entry.linked}, **scene.settings}  # a clean slate
    state = {entry.key_of(name, settings): value for name, value in settings.items()}
    if "x" in scene.settings and "y" in scene.settings:
        start = tuple(scene.settings[s] for s in entry.linked["x"])
        state[widget_key(entry.key, "start", *start)] = (scene.settings["x"], scene.settings["y"])
    state[scene_key(entry.key)] = scene.name
    return state
