"""Issue 16: the picture reads from the back row.

- Context lines (other examples' gradients, residuals, tangents, the line at W_c …) are at least
  2 px wide and at least 50 % opaque (trace opacity × the alpha of the line's colour); optimizer
  paths (``meta`` "path" / "still path", and their moving tails) at least 3 px and opaque. Every
  chart every page draws at its defaults is read as sent to the browser, frames merged onto the
  traces they move.
- Loss-vs-step charts with a few lines name each line at its end, in its colour, labels never
  overlapping, and no legend; a legend that remains never takes more area than the plot.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from pagetest import charts, open_link, open_page
from ui import registry
from ui.figures.charts import END_LABEL_PAD_PX, spread_labels, text_px
from ui.figures.theme import MIN_LINE_OPACITY, MIN_LINE_PX, MIN_PATH_PX, PRESENT_FONT_SCALE, tint

PAGES = [p.key for p in registry.PAGES]
PLOTLY_LINE_PX = 2.0  # plotly.js's default line width
FIGURE_PX = 640  # a chart's assumed width for the legend estimate (a half column on a 1280 px screen is less)


@pytest.fixture(scope="module")
def figures():
    cache = {}

    def get(page: str, scene: str | None = None) -> list[dict]:
        if (page, scene) not in cache:
            at = open_page(page) if scene is None else open_link(page, {"scene": scene})
            assert not at.exception
            cache[page, scene] = charts(at)
        return cache[page, scene]

    return get


def alpha(color) -> float:
    if isinstance(color, str):
        if color.strip().lower() == "transparent":
            return 0.0
        m = re.fullmatch(r"rgba\(([^)]*)\)", color.replace(" ", ""))
        if m:
            return float(m.group(1).split(",")[3])
    return 1.0


def drawn_traces(fig: dict) -> list[tuple[str, dict]]:
    """Every trace as drawn: the figure's own, and each frame's trace merged onto the one it moves."""
    data = fig["data"]
    out = [(f"data[{i}]", tr) for i, tr in enumerate(data)]
    for frame in fig.get("frames", []):
        for k, part in enumerate(frame.get("data", [])):
            i = frame["traces"][k] if "traces" in frame else k
            base = data[i]
            merged = {**base, **part}
            for key in ("line", "marker"):
                if isinstance(base.get(key), dict) and isinstance(part.get(key), dict):
                    merged[key] = {**base[key], **part[key]}
            out.append((f"frame {frame.get('name')} data[{i}]", merged))
    return out


def is_line(tr: dict) -> bool:
    return (tr.get("type", "scatter") in ("scatter", "scattergl") and "lines" in tr.get("mode", "lines")
            and tr.get("visible", True) is not False)


def width(tr: dict) -> float:
    return float((tr.get("line") or {}).get("width", PLOTLY_LINE_PX))


def opacity(tr: dict) -> float:
    return float(tr.get("opacity", 1.0)) * alpha((tr.get("line") or {}).get("color"))


def path_names(fig: dict) -> set[str]:
    return {tr.get("name") for tr in fig["data"] if tr.get("meta") in ("path", "still path")}


def is_path(tr: dict, paths: set[str]) -> bool:
    """A path's full line, or its moving tail (a nameless line in the path's legend group)."""
    return tr.get("meta") in ("path", "still path") or (
        tr.get("legendgroup") in paths and tr.get("showlegend") is False and tr.get("mode") == "lines")


def fill_edge(fig: dict, i: int) -> bool:
    """A 0 px line that only bounds a fill band (its own, or the next trace's ``tonexty``)."""
    data = fig["data"]
    return bool(data[i].get("fill")) or (i + 1 < len(data) and data[i + 1].get("fill") == "tonexty")


def legibility_failures(fig: dict) -> list[str]:
    paths, bad = path_names(fig), []
    for where, tr in drawn_traces(fig):
        if not is_line(tr):
            continue
        w, op, name = width(tr), opacity(tr), tr.get("name")
        if w == 0 and where.startswith("data[") and fill_edge(fig, int(where[5:-1])):
            continue
        if is_path(tr, paths):
            if w < MIN_PATH_PX or op != 1.0:
                bad.append(f"path {name!r} at {where}: {w} px, opacity {op}")
        elif w < MIN_LINE_PX or op < MIN_LINE_OPACITY:
            bad.append(f"line {name!r} at {where}: {w} px, opacity {op}")
    return bad


@pytest.mark.parametrize("page", PAGES)
def test_every_line_is_2_px_and_half_opaque_and_every_path_3_px_and_opaque(figures, page):
    figs = figures(page)
    assert figs
    checked = sum(is_line(tr) for fig in figs for _, tr in drawn_traces(fig))
    assert checked > 0
    failures = [f"chart {k}: {msg}" for k, fig in enumerate(figs) for msg in legibility_failures(fig)]
    assert failures == []


def test_the_context_lines_issue_16_names_are_wide_and_opaque_now(figures):
    """The lines the issue names, by their measured style: 2 px or more, opaque, told apart by colour or dash."""
    paths, data = figures("stochastic")[0], figures("stochastic")[1]
    left = next(tr for tr in paths["data"] if tr.get("name", "").startswith("−∇Lⁱ, i ∉"))
    drawn = next(tr for tr in paths["data"] if tr.get("name", "").startswith("−∇Lⁱ, i ∈"))
    assert (width(left), opacity(left)) == (2.0, 1.0)  # was 1.2 px at 40 %
    assert left["line"]["color"] == tint(drawn["line"]["color"], 0.5) == "#D29E80" and width(drawn) == 3.0
    residuals = next(tr for tr in data["data"] if tr.get("name") == "rᵢ")
    assert (width(residuals), opacity(residuals)) == (2.0, 1.0)  # was 1.5 px at 80 %
    line_at = next(tr for tr in data["data"] if tr.get("name", "").startswith("line at"))
    assert width(line_at) == 2.5 and opacity(line_at) == 1.0 and line_at["line"]["dash"] == "dash"
    slice_chart = figures("taylor")[0]
    tangent = next(tr for tr in slice_chart["data"] if tr.get("name") == "tangent")
    assert width(tangent) >= 2 and opacity(tangent) == 1.0 and tangent["line"]["dash"] == "dot"


def test_a_tint_is_an_opaque_mix_with_white():
    assert tint("#000000", 0.5) == "#808080" and tint("#A63D00", 0.0) == "#A63D00" and tint("#155AB3", 1.0) == "#FFFFFF"
    assert alpha(tint("#A63D00", 0.5)) == 1.0 and alpha("rgba(1, 2, 3, 0.4)") == 0.4


def test_the_check_catches_a_faint_line_a_thin_path_and_a_faint_frame():
    base = {"type": "scatter", "mode": "lines", "x": [0, 1], "y": [0, 1]}
    fig = {"data": [{**base, "name": "ctx", "line": {"width": 1.2}, "opacity": 0.4},
                    {**base, "name": "A", "meta": "path", "line": {"width": 3.0}, "opacity": 0.45},
                    {**base, "name": "B", "line": {"color": "rgba(0, 0, 0, 0.3)", "width": 2}}],
           "frames": [{"name": "1", "data": [{"line": {"width": 1}}], "traces": [2]}]}
    bad = legibility_failures(fig)
    assert bad == ["line 'ctx' at data[0]: 1.2 px, opacity 0.4", "path 'A' at data[1]: 3.0 px, opacity 0.45",
                   "line 'B' at data[2]: 2.0 px, opacity 0.3", "line 'B' at frame 1 data[2]: 1.0 px, opacity 0.3"]


# --- labels at the lines' ends ---------------------------------------------------------------------------


def plot_px(layout: dict) -> float:
    return layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]


def last_finite(tr: dict, log_y: bool) -> tuple[float, float]:
    x, y = np.asarray(tr["x"], dtype=float), np.asarray(tr["y"], dtype=float)
    ok = np.isfinite(x) & np.isfinite(y) & ((y > 0) if log_y else True)
    i = np.flatnonzero(ok)[-1]
    return float(x[i]), float(np.log10(y[i]) if log_y else y[i])


def end_labels(fig: dict) -> list[dict]:
    return [a for a in fig["layout"].get("annotations", []) if a.get("name") == "end label"]


def label_heights(fig: dict) -> list[float]:
    """Each end label's centre in px above the plot's bottom edge, ``yshift`` included."""
    lay = fig["layout"]
    lo, hi = lay["yaxis"]["range"]
    return [(a["y"] - lo) / (hi - lo) * plot_px(lay) + a.get("yshift", 0) for a in end_labels(fig)]


def assert_labelled_at_ends(fig: dict, lines: int) -> None:
    lay = fig["layout"]
    log_y = lay["yaxis"].get("type") == "log"
    labels = end_labels(fig)
    assert len(labels) == lines and lay["showlegend"] is False
    named = [tr for tr in fig["data"] if tr.get("showlegend", True) is not False and tr.get("name")
             and is_line(tr)]
    assert len(named) == lines
    for a, tr in zip(labels, named):
        x, y = last_finite(tr, log_y)
        assert (a["x"], a["y"]) == pytest.approx((x, y), abs=1e-12)  # at the line's last finite point
        assert a["font"]["color"] == tr["line"]["color"] and a["xanchor"] == "left"
        assert a["font"]["size"] >= 14 and a["xshift"] == END_LABEL_PAD_PX
        assert tr["name"].startswith(a["text"])
        # the label fits the right margin, at presenter-mode size too
        assert END_LABEL_PAD_PX + text_px(a["text"], a["font"]["size"] * PRESENT_FONT_SCALE) <= lay["margin"]["r"]
    # every line's data inside the set y range: no anchor is off the axis (plotly would hide its label)
    lo, hi = lay["yaxis"]["range"]
    for tr in fig["data"]:
        y = np.asarray(tr["y"], dtype=float)
        y = y[np.isfinite(y) & ((y > 0) if log_y else True)]
        y = np.log10(y) if log_y else y
        assert lo <= y.min() and y.max() <= hi
    heights = sorted(label_heights(fig))
    size = max(a["font"]["size"] for a in labels)
    gaps = np.diff(heights)
    assert (gaps >= size * PRESENT_FONT_SCALE).all(), gaps  # apart at 15 px, and at presenter mode's 19 px
    assert min(heights) >= 0 and max(heights) <= plot_px(lay)  # beside the plot, not below or above it


@pytest.mark.parametrize("page, scene, index, lines", [
    ("compare", None, 1, 5), ("compare", "all", 1, 9), ("compare", "saddle", 1, 4),
    ("momentum", None, 1, 3), ("stochastic", None, 3, 3), ("lookahead", None, 3, 2),
    ("momentum", None, 2, 3), ("compare", None, 3, 5), ("compare", "all", 3, 9)])  # and ‖∇L‖ beside the loss
def test_few_lines_are_named_at_their_ends_in_their_colours_never_overlapping(figures, page, scene, index, lines):
    fig = figures(page, scene)[index]
    assert_labelled_at_ends(fig, lines)


def test_compare_s_nine_labels_are_nudged_apart_by_exact_pixels(figures):
    fig = figures("compare", "all")[1]
    lay = fig["layout"]
    assert plot_px(lay) == 300 and lay["height"] == 300 + 20 + 62  # no legend margin under the plot any more
    heights = sorted(label_heights(fig))
    assert min(np.diff(heights)) >= math.ceil(15 * PRESENT_FONT_SCALE) + 2 - 1e-6  # 21 px between centres
    shifted = [a for a in end_labels(fig) if abs(a["yshift"]) > 0]
    assert shifted  # the runs that end near the minimum end within a few px of each other: some had to move


def test_spread_labels_keeps_its_order_and_the_bounds():
    assert spread_labels([10, 12, 100], 20, 0, 300) == [10, 30, 100]
    assert spread_labels([298, 295], 20, 0, 300) == [300, 280]
    assert spread_labels([5, 5, 5], 10, 0, 300) == [5, 15, 25]
    assert spread_labels([-20], 10, 0, 300) == [0]


def legend_rows(fig: dict, width_px: float, scale: float = 1.0) -> tuple[int, float]:
    """(rows, widest entry in px) of the figure's legend: entries are a 40 px swatch and the name."""
    lay = fig["layout"]
    size = (lay.get("legend", {}).get("font") or {}).get("size", 15) * scale
    entries = [40 + text_px(tr["name"], size) for tr in fig["data"]
               if tr.get("name") and tr.get("showlegend", True) is not False]
    if not entries:
        return 0, 0.0
    if lay.get("legend", {}).get("orientation", "v") == "v":
        return len(entries), max(entries)
    rows, used = 1, 0.0
    for e in entries:
        if used and used + e > width_px:
            rows, used = rows + 1, 0.0
        used += e
    return rows, max(entries)


@pytest.mark.parametrize("page", PAGES)
def test_no_legend_takes_more_area_than_its_plot(figures, page):
    for k, fig in enumerate(figures(page)):
        lay = fig["layout"]
        if lay.get("showlegend") is False:
            continue
        margin = lay.get("margin", {})
        plot_w = FIGURE_PX - margin.get("l", 80) - margin.get("r", 80)
        size = (lay.get("legend", {}).get("font") or {}).get("size", 15)
        rows, widest = legend_rows(fig, plot_w)
        legend_area = rows * (size * 1.4 + 4) * (plot_w if lay.get("legend", {}).get("orientation") == "h" else widest)
        assert legend_area <= plot_w * plot_px(lay), (page, k, rows)
