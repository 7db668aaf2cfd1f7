"""The optimizer catalog: every optimizer's knobs, its demo step size per surface, its name on screen.

Pure (no Streamlit). The Compare page offers every knob below; Conclusion races
every optimizer at its starting setting; the widgets build a setting from the
knobs (``ui.widgets.pickers.optimizer_controls``). One place, so that a β₁
slider reads the same on every page.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import optim_core as oc
from optim_core.surfaces import CUSTOM_PREFIX
from ui import specs
from ui.figures.theme import label
from ui.i18n import t
from ui.specs import OptimizerSpec

BETA1_OPTIONS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99)
BETA2_OPTIONS = (0.0, 0.5, 0.9, 0.99, 0.999, 0.9999)
RHO_OPTIONS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999)
DEFAULT_INNER = "adam"  # Lookahead's inner optimizer until a student picks another


def option_label(x: float) -> str:
    """Select-slider labels: ``0``, ``1e-08``, ``0.05``."""
    return "0" if x == 0 else f"{x:g}"


OPTIMIZER_NAMES = oc.OPTIMIZER_NAMES
LR_OPTIONS = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)
INNER_OPTIONS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax")

# Step sizes are per surface: the papers' defaults (Adam's 0.001, say) barely move in 300 steps
# on these toy problems, so each method gets a value that makes a readable race there, about
# 3-5 times below where it blows up. Lookahead starts from its inner optimizer's.
CUSTOM = "custom"  # the surface pickers' last choice, "Your own f"
DEMO_LR = MappingProxyType({surface: MappingProxyType(table) for surface, table in {
    "rosenbrock": {"sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 1.0, "rmsprop": 0.01,
                   "adam": 0.1, "adamax": 0.5, "newton": 1.0},
    "elongated_quadratic": {"sgd": 0.05, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5,
                            "rmsprop": 0.02, "adam": 0.1, "adamax": 0.1, "newton": 1.0},
    "saddle": {"sgd": 0.01, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.05, "rmsprop": 0.01,
               "adam": 0.01, "adamax": 0.01, "newton": 1.0},
    "beale": {"sgd": 5e-3, "momentum": 5e-4, "nesterov": 5e-4, "adagrad": 0.5, "rmsprop": 0.05,
              "adam": 0.1, "adamax": 0.1, "newton": 1.0},
    "himmelblau": {"sgd": 5e-3, "momentum": 2e-3, "nesterov": 2e-3, "adagrad": 0.5, "rmsprop": 0.02,
                   "adam": 0.1, "adamax": 0.1, "newton": 1.0},
    "least_squares": {"sgd": 0.1, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.5, "rmsprop": 0.01,
                      "adam": 0.05, "adamax": 0.05, "newton": 1.0},
    # a typed f: values that suit the example sin(3x)·y + 0.1(x² + y²) on ±3 (curvature up to about 27)
    CUSTOM: {"sgd": 0.02, "momentum": 0.01, "nesterov": 0.01, "adagrad": 0.5, "rmsprop": 0.02,
             "adam": 0.05, "adamax": 0.05, "newton": 1.0},
}.items()})

@dataclass(frozen=True)
class Knob:
    """One hyper-parameter widget: a ``select_slider`` over ``options`` or a ``slider``.

    ``default`` is the page's starting value (the step size's is per surface: ``DEMO_LR``). Its label and
    help are the catalog's ``compare.knobs.<name>``, in the session's language.
    """

    name: str
    options: tuple = ()
    low: float = 0.0
    high: float = 1.0
    step: float = 0.01
    default: float | None = None

    @property
    def label(self) -> str:
        return t(f"compare.knobs.{self.name}.label")

    @property
    def help(self) -> str:
        return t(f"compare.knobs.{self.name}.help")


_LR = Knob("lr", LR_OPTIONS)
_MU = Knob("momentum", (), 0.0, 0.99, 0.01, 0.9)
_RHO = Knob("rho", RHO_OPTIONS, default=0.9)
_B1 = Knob("beta1", BETA1_OPTIONS, default=0.9)
_B2 = Knob("beta2", tuple(b for b in BETA2_OPTIONS if b >= 0.9), default=0.999)  # this page keeps β₂ ≥ 0.9
_DAMP = Knob("damping", (0.0, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0), default=0.0)
_K = Knob("k", (), 1, 20, 1, 5)
_ALPHA = Knob("alpha", (), 0.1, 1.0, 0.05, 0.5)

KNOBS = MappingProxyType({
    "sgd": (_LR,), "momentum": (_LR, _MU), "nesterov": (_LR, _MU), "adagrad": (_LR,),
    "rmsprop": (_LR, _RHO), "adam": (_LR, _B1, _B2), "adamax": (_LR, _B1, _B2),
    "newton": (_LR, _DAMP), "lookahead": (_LR, _K, _ALPHA),
})

def surface_key(surface) -> str:
    """The name per-surface settings are kept under (a ``Surface`` or its name): ``custom`` for every typed f."""
    name = surface if isinstance(surface, str) else surface.name
    # a bowl of another κ (elongated_quadratic:kappa=100) keeps the bowl's settings
    return CUSTOM if name == CUSTOM or name.startswith(CUSTOM_PREFIX) else name.partition(":")[0]


def surface_title(name: str) -> str:
    """A surface's name on screen, in the session's language; a typed f is "Your own f(x, y)"."""
    key = surface_key(name)
    if key == CUSTOM:
        return t("custom.title")
    return t(f"surface.{key}") if key == name else t("kappa.title", kappa=name.partition("=")[2])


def default_lr(name: str, surface: str, inner: str | None = None) -> float:
    """The page's starting step size; Lookahead starts from its inner optimizer's."""
    return DEMO_LR[surface_key(surface)][(inner or DEFAULT_INNER) if name == "lookahead" else name]


def to_spec(name: str, values: dict) -> OptimizerSpec:
    """A page setting (the knobs' values by name, plus Lookahead's ``inner``) as an ``OptimizerSpec``.

    Lookahead's step size is its inner optimizer's, so it goes into ``inner``.
    """
    values = dict(values)
    if name != "lookahead":
        return specs.spec(name, **values)
    inner, lr = values.pop("inner"), values.pop("lr")
    return specs.spec(name, inner=inner, inner_hyper={"lr": lr}, **values)


def default_spec(name: str, surface: str) -> OptimizerSpec:
    """The page's starting setting of optimizer ``name`` on ``surface``."""
    values = {knob.name: knob.default for knob in KNOBS[name][1:]}
    if name == "lookahead":
        values["inner"] = DEFAULT_INNER
    return to_spec(name, {"lr": default_lr(name, surface), **values})


def display_name(opt: OptimizerSpec) -> str:
    """``Adam``, or ``Lookahead (Adam)`` naming the inner optimizer."""
    return f"{label(opt.name)} ({label(opt.inner.name)})" if opt.inner is not None else label(opt.name)


_SYMBOL = MappingProxyType({"lr": "t", "momentum": "μ", "rho": "ρ", "beta1": "β₁", "beta2": "β₂", "damping": "λ",
                            "k": "k", "alpha": "α"})


def settings_text(opt: OptimizerSpec) -> str:
    """``α = 0.1, β₁ = 0.9, β₂ = 0.999``: a setting in the rule's symbols and the knobs' order (Adam's t is α)."""
    symbols = {**_SYMBOL, "lr": "α"} if opt.name in ("adam", "adamax") else _SYMBOL
    settings = {**opt.settings, "lr": opt.lr}
    return ", ".join(f"{symbols[k.name]} = {settings[k.name]:g}" for k in KNOBS[opt.name])


def key_rule() -> str:
    """The page's rule in one line, shown under the title: on a projector it sits above the fold."""
    return (r"\begin{aligned} W_{c+1} = W_c &+ \underbrace{\mu\, v_{c-1}}_{\text{" + t("compare.rule_memory")
            + r"}} \\ &- \underbrace{\tilde t_{k,c}}_{\text{" + t("compare.rule_step") + r"}} \odot \nabla L(W_c)"
            r" \end{aligned}")
