"""One colour, one dash and one marker per optimizer, used on every page, and the shared figure style.

Legible from the back row (WCAG 2.2 AA, SC 1.4.11 non-text contrast):

- **Colour is never the only cue.** Every optimizer has its own colour *and* its own
  line dash (``OPTIMIZER_DASHES``) *and* its own marker (``OPTIMIZER_SYMBOLS``);
  ``style(name)`` returns all three.
- **Paths stand out from the surface.** The palette and the surface colormap
  (``ui.figures.background``) are chosen together: every path colour below has a contrast
  ratio of at least 3:1 against every band fill of the surface, from white to its
  lightest grey-blue, *and* against its contour lines (about 3.2:1 at worst, 6:1 or
  more against white). The colours are dark, so they keep their hue on a washed-out
  projector: black, burnt orange, wine, green, violet, blue, reddish purple, grey and
  crimson (Okabe–Ito's and Tol's hue families, darkened to a CIELAB lightness of about
  28–41), with the hues spread so that any two of them, the parameter colours (teal and
  olive) included, differ by a CIEDE2000 ΔE of 15 or more. ``tests/test_ui_theme.py`` checks
  every pair with the numbers.
- **Type is at least 14 px** at 1280×720: tick labels ``TICK_FONT`` (15 px), legends
  ``LEGEND_FONT`` (15 px), everything else ``FONT`` (16 px), titles 16 px or more.
- **The toolbar never covers a legend.** Plotly's modebar is turned vertical, so it
  stands in the figure's top-right corner, inside a right margin of at least
  ``MODEBAR_PX`` that ``base_layout`` always keeps free; legends sit above the plot at
  the left (``x = 0``) and a horizontal legend never wraps wider than the plot area,
  so the two can never meet. Buttons nobody needs in a lecture (box and lasso select,
  zoom in / out, autoscale) are removed, which keeps the column short (about 100 px);
  a legend placed to the right of the plot must start ``MODEBAR_TOP_PX`` below the top.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from ui.i18n import FONT_STACK, t

OPTIMIZER_COLORS = MappingProxyType({
    "sgd": "#000000",        # black
    "momentum": "#974C15",   # burnt orange
    "nesterov": "#72283F",   # wine
    "adagrad": "#286E2B",    # dark green
    "rmsprop": "#553F92",    # violet
    "adam": "#155AB3",       # blue
    "adamax": "#993D86",     # reddish purple
    "newton": "#5E5E5E",     # grey
    "lookahead": "#B50030",  # crimson
})

# Plotly dash styles: six named ones and three explicit patterns (px, not scaled with the width).
OPTIMIZER_DASHES = MappingProxyType({
    "sgd": "solid",
    "momentum": "dash",
    "nesterov": "dot",
    "adagrad": "longdash",
    "rmsprop": "dashdot",
    "adam": "longdashdot",
    "adamax": "2px,7px",                     # sparse dots
    "newton": "16px,5px,3px,5px,3px,5px",    # dash, dot, dot
    "lookahead": "22px,6px",                 # long dashes, short gaps
})

# Filled shapes that read apart at 12–14 px; the star is the minimum, the open ring the start.
OPTIMIZER_SYMBOLS = MappingProxyType({
    "sgd": "circle",
    "momentum": "triangle-up",
    "nesterov": "triangle-down",
    "adagrad": "square",
    "rmsprop": "pentagon",
    "adam": "hexagon",
    "adamax": "hourglass",
    "newton": "bowtie",
    "lookahead": "diamond",
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

# Two parameters, two colours that no optimizer uses (teal and olive): "blue" on the Adaptive
# page means Adam only, never also W₁. Dashes tell them apart where colour cannot.
PARAMETER_COLORS = ("#0B6B71", "#656102")
PARAMETER_DASHES = ("solid", "dash")

# Read-only: every figure copies what it takes from these (dict(FONT)), so no figure can change another's.
FONT = MappingProxyType({"family": FONT_STACK, "size": 16, "color": "#111111"})  # covers Hangul everywhere
TICK_FONT = MappingProxyType({"size": 15})
LEGEND_FONT = MappingProxyType({"size": 15})
AXIS_TITLE_FONT = MappingProxyType({"size": 16})
TITLE_FONT = MappingProxyType({"size": 19})
MIN_FONT_PX = 14  # tick labels, legends, heatmap cell text: never smaller (at 1280×720)
MIN_PATH_PX = 3.0  # a path's line is never thinner
MIN_LINE_PX = 2.0  # a context line (residuals, tangents, other examples' gradients) is never thinner …
MIN_LINE_OPACITY = 0.5  # … nor fainter (trace opacity × its colour's alpha): it must show on a projector
GRID_COLOR = "#D0D7DE"
MINIMUM_COLOR = "#111111"
START_COLOR = "#111111"

# The modebar: vertical, in a right margin it always has to itself (see the module's docstring).
MODEBAR_PX = 36
MODEBAR_TOP_PX = 130  # how far down the vertical modebar reaches: a legend right of the plot must start lower
MODEBAR = MappingProxyType({"orientation": "v", "bgcolor": "rgba(255,255,255,0.9)",
                            "remove": ("select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d")})


def color(name: str) -> str:
    return OPTIMIZER_COLORS[name]


def label(name: str) -> str:
    """The optimizer's name in the chosen language (Adam, AdaGrad, … stay in Latin letters)."""
    return t(f"optimizer.{name}") if name in OPTIMIZER_LABELS else name


def parameter_label(k: int) -> str:
    """``W₁ (x)`` or ``W₂ (y)``."""
    return t(f"figure.parameter_{k + 1}")


def dash(name: str) -> str:
    return OPTIMIZER_DASHES[name]


def symbol(name: str) -> str:
    return OPTIMIZER_SYMBOLS[name]


def style(name: str) -> tuple[str, str, str]:
    """``(color, dash, symbol)`` of an optimizer: the three cues that tell it apart, everywhere."""
    return OPTIMIZER_COLORS[name], OPTIMIZER_DASHES[name], OPTIMIZER_SYMBOLS[name]


# --- colour arithmetic (WCAG 2.2 and CIE) -----------------------------------------------


def _rgb(hex_color: str) -> tuple[float, float, float]:
    h = hex_color.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    if len(h) != 6:
        raise ValueError(f"expected a colour like '#1A2B3C', got {hex_color!r}")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    """sRGB channel (0–1) to linear light, as WCAG 2.2 defines it."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    r, g, b = (_linear(c) for c in _rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(hex1: str, hex2: str) -> float:
    """WCAG contrast ratio ``(L₁ + 0.05) / (L₂ + 0.05)``, lighter over darker: 1 to 21."""
    a, b = sorted((relative_luminance(hex1), relative_luminance(hex2)))
    return (b + 0.05) / (a + 0.05)


def lab(hex_color: str) -> tuple[float, float, float]:
    """CIELAB (D65 white) of an sRGB colour."""
    r, g, b = (_linear(c) for c in _rgb(hex_color))
    xyz = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b, 0.2126729 * r + 0.7151522 * g + 0.0721750 * b,
           0.0193339 * r + 0.1191920 * g + 0.9503041 * b)
    white = (0.95047, 1.0, 1.08883)
    eps = (6 / 29) ** 3

    def f(t):
        return t ** (1 / 3) if t > eps else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, white))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu & Dalal 2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dh = 0.0
    else:
        dh = h2p - h1p
        dh = dh - 360 if dh > 180 else dh + 360 if dh < -180 else dh
    d_hue = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6)) - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    d_theta = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt((dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_hue / s_h) ** 2 + r_t * (dc / s_c) * (d_hue / s_h))


def color_difference(hex1: str, hex2: str) -> float:
    """CIEDE2000 ΔE of two sRGB colours: about 2 is just noticeable, 10+ is a different colour."""
    return delta_e2000(lab(hex1), lab(hex2))


# --- layout ----------------------------------------------------------------------------


def axis(title: str | None = None, **extra) -> dict:
    """A light-grid axis with outside ticks and 15 px tick labels, the look of every line chart and heatmap."""
    out = {"gridcolor": GRID_COLOR, "zeroline": False, "linecolor": GRID_COLOR, "ticks": "outside",
           "tickfont": dict(TICK_FONT)}
    if title is not None:
        out["title"] = {"text": title, "font": dict(AXIS_TITLE_FONT)}
    out.update(extra)
    return out


def _is_axis(key: str) -> bool:
    return key[:5] in ("xaxis", "yaxis") and key[5:].isdigit() or key in ("xaxis", "yaxis")


def _legible_axis(ax: dict) -> dict:
    """``ax`` with tick labels of at least ``MIN_FONT_PX`` (15 px unless it says otherwise)."""
    ax = dict(ax)
    tickfont = dict(ax.get("tickfont") or {})
    tickfont["size"] = max(tickfont.get("size", TICK_FONT["size"]), MIN_FONT_PX)
    ax["tickfont"] = tickfont
    return ax


def base_layout(height: int = 520, **extra) -> dict:
    """The layout every chart starts from: large type, white paper, a legend on top at the left.

    Every axis (``xaxis``, ``yaxis2``, …) gets tick labels of at least 14 px, and the
    right margin is never narrower than ``MODEBAR_PX``: the vertical modebar stands
    there, clear of the legend (see the module's docstring).
    """
    layout = {
        "height": height,
        "font": dict(FONT),
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "margin": {"l": 60, "r": MODEBAR_PX, "t": 50, "b": 50},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                   "font": dict(LEGEND_FONT)},
        "hoverlabel": {"font": {"size": 15}},
        "modebar": {**MODEBAR, "remove": list(MODEBAR["remove"])},
        "xaxis": {"tickfont": dict(TICK_FONT)},
        "yaxis": {"tickfont": dict(TICK_FONT)},
    }
    layout.update(extra)
    for key, value in layout.items():
        if _is_axis(key) and isinstance(value, dict):
            layout[key] = _legible_axis(value)
    legend = layout.get("legend")
    if isinstance(legend, dict) and isinstance(legend.get("font"), dict) and "size" in legend["font"]:
        layout["legend"] = {**legend, "font": {**legend["font"], "size": max(legend["font"]["size"], MIN_FONT_PX)}}
    margin = layout.get("margin")
    if layout.get("showlegend", True) and isinstance(margin, dict) and margin.get("r", MODEBAR_PX) < MODEBAR_PX:
        layout["margin"] = {**margin, "r": MODEBAR_PX}  # Plotly's own default (80 px) is wide enough already
    return layout


# Presenter mode: the same figure, read from the back of a lecture hall.
PRESENT_MIN_FONT_PX = 18
PRESENT_FONT_SCALE = 1.25
PRESENT_LINE_SCALE = 1.5
PRESENT_SIDE_PX = 24  # presenter mode: the left and bottom margins before the tick labels push them
PRESENT_TOP_PX = 8  # presenter mode: no more above the legend than Plotly's own padding
NO_TOOLBAR_RIGHT_PX = 14  # the right margin without the toolbar: room for the last tick label's overhang


def _presented_fonts(value):
    """Every ``font`` dict inside ``value`` with its size scaled up, never under 18 px."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("font", "tickfont", "textfont") and isinstance(item, dict):
                size = item.get("size", FONT["size"])
                item = {**item, "size": max(PRESENT_MIN_FONT_PX, round(size * PRESENT_FONT_SCALE))}
            out[key] = _presented_fonts(item)
        return out
    if isinstance(value, list):
        return [_presented_fonts(v) for v in value]
    return value


def presented(figure):
    """A copy of ``figure`` for presenter mode: all text ≥ 18 px, lines and markers 1.5 × as thick."""
    from ui.figures.figure import Figure  # figure imports theme

    spec = figure.to_dict()
    layout = _presented_fonts(spec.get("layout", {}))
    margin, legend = layout.get("margin"), layout.get("legend")
    if isinstance(margin, dict) and isinstance(legend, dict) and legend.get("y", 0) > 1 and "title" not in layout:
        layout["margin"] = {**margin, "t": PRESENT_TOP_PX}  # the legend above the plot pushes the margin it needs
    layout = _titles_at_the_axes_ends(layout)
    layout["font"] = {**FONT, **layout.get("font", {})}
    layout["font"]["size"] = max(PRESENT_MIN_FONT_PX, layout["font"].get("size", FONT["size"]))
    data = []
    for trace in spec.get("data", []):
        trace = dict(trace)
        if isinstance(trace.get("line"), dict) and "width" in trace["line"]:
            trace["line"] = {**trace["line"], "width": trace["line"]["width"] * PRESENT_LINE_SCALE}
        data.append(_presented_fonts(trace))
    return Figure({"data": data, "layout": layout, "frames": spec.get("frames", [])})


def _titles_at_the_axes_ends(layout: dict) -> dict:
    """Each axis's title written inside the plot at the axis's far end (x: bottom right, y: top left), not
    beside the tick labels: the plot gets the margin the titles took, and each axis keeps what its larger
    tick labels need (automargin)."""
    notes = list(layout.get("annotations") or [])
    margin = layout.get("margin")
    for name, ax in list(layout.items()):
        if not (_is_axis(name) and isinstance(ax, dict)):
            continue
        title = ax.get("title")
        text = title.get("text") if isinstance(title, dict) else title
        ax = {**ax, "automargin": True}
        if ax.get("type") == "log":  # Plotly writes a log axis's 2s and 5s at ¾ size: powers of ten only
            ax["dtick"] = 1
        if text and ax.get("visible", True) is not False:
            size = (title.get("font") or {}).get("size", PRESENT_MIN_FONT_PX) if isinstance(title, dict) else 0
            ax.pop("title")
            is_x = name.startswith("x")
            ref = ("x" if is_x else "y") + name[5:]  # xaxis2 → x2
            notes.append({"text": text, "showarrow": False, "font": {"size": max(PRESENT_MIN_FONT_PX, size)},
                          "xref": f"{ref} domain" if is_x else f"{ax.get('anchor', 'x')} domain",
                          "yref": f"{ax.get('anchor', 'y')} domain" if is_x else f"{ref} domain",
                          "x": 1 if is_x else 0, "y": 0 if is_x else 1, "xanchor": "right" if is_x else "left",
                          "yanchor": "bottom" if is_x else "top", "bgcolor": "rgba(255,255,255,0.8)", "borderpad": 2})
        layout[name] = ax
    if isinstance(margin, dict):  # automargin grows these to what the tick labels need
        layout["margin"] = {**margin, "l": min(margin.get("l", 60), PRESENT_SIDE_PX),
                            "b": min(margin.get("b", 50), PRESENT_SIDE_PX)}
    return {**layout, "annotations": notes} if notes else layout


def without_toolbar(figure):
    """``figure`` for a chart shown without Plotly's toolbar: the right margin kept for it goes to the plot."""
    margin = (figure.to_dict().get("layout") or {}).get("margin")
    if isinstance(margin, dict) and margin.get("r") == MODEBAR_PX:
        return figure.update_layout(margin={**margin, "r": NO_TOOLBAR_RIGHT_PX})
    return figure


def tint(hex_color: str, white: float) -> str:
    """``#RRGGBB`` mixed with ``white`` (0–1) of white, opaque: a context line stays secondary by a lighter
    colour, never by transparency (a projector washes a faint line out; issue 16)."""
    r, g, b = (round(255 * (c + (1 - c) * white)) for c in _rgb(hex_color))
    return f"#{r:02X}{g:02X}{b:02X}"


def rgba(hex_color: str, alpha: float) -> str:
    """``#RRGGBB`` at opacity ``alpha``, as Plotly's ``rgba(r, g, b, a)``."""
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r}, {g}, {b}, {alpha})"
