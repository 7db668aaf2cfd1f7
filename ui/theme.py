"""One colour and one label per optimizer, used on every page, and the shared figure style.

Colours are the Okabe–Ito palette (safe for the common colour-vision
deficiencies), plus Tol's wine and a neutral grey for the ninth method.
"""

from __future__ import annotations

from types import MappingProxyType

OPTIMIZER_COLORS = MappingProxyType({
    "sgd": "#000000",
    "momentum": "#E69F00",
    "nesterov": "#882255",
    "adagrad": "#009E73",
    "rmsprop": "#56B4E9",
    "adam": "#0072B2",
    "adamax": "#CC79A7",
    "newton": "#7F7F7F",
    "lookahead": "#D55E00",
})

OPTIMIZER_LABELS = MappingProxyType({
    "sgd": "Gradient descent",
    "momentum": "Momentum",
    "nesterov": "Nesterov",
    "adagrad": "AdaGrad",
    "rmsprop": "RMSProp",
    "adam": "Adam",
    "adamax": "AdaMax",
    "newton": "Newton",
    "lookahead": "Lookahead",
})

# Two parameters, two colours, kept apart from the optimizer colours' meaning.
PARAMETER_COLORS = ("#0072B2", "#D55E00")
PARAMETER_LABELS = ("W₁ (x)", "W₂ (y)")

FONT = {"family": "Inter, Segoe UI, Helvetica, Arial, sans-serif", "size": 16, "color": "#111111"}
GRID_COLOR = "#D0D7DE"
MINIMUM_COLOR = "#111111"
START_COLOR = "#111111"


def color(name: str) -> str:
    return OPTIMIZER_COLORS[name]


def label(name: str) -> str:
    return OPTIMIZER_LABELS[name]


def axis(title: str | None = None, **extra) -> dict:
    """A light-grid axis with outside ticks, the look of every line chart and heatmap."""
    out = {"gridcolor": GRID_COLOR, "zeroline": False, "linecolor": GRID_COLOR, "ticks": "outside"}
    if title is not None:
        out["title"] = {"text": title}
    out.update(extra)
    return out


def base_layout(height: int = 520, **extra) -> dict:
    """The layout every chart starts from: large type, white paper, a legend on top."""
    layout = {
        "height": height,
        "font": FONT,
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                   "font": {"size": 15}},
        "hoverlabel": {"font": {"size": 15}},
    }
    layout.update(extra)
    return layout
