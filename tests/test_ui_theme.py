"""Legible from the back row: contrast, distinct colours, dashes and markers, type sizes (issue 9)."""

import itertools
import math

import plotly.graph_objects as go
import pytest

from ui.figures import theme
from ui.figures.background import BANDS, surface_colors
from ui.figures.theme import (
    MIN_FONT_PX,
    MODEBAR_PX,
    OPTIMIZER_COLORS,
    OPTIMIZER_DASHES,
    OPTIMIZER_LABELS,
    OPTIMIZER_SYMBOLS,
    PARAMETER_COLORS,
    axis,
    base_layout,
    color_difference,
    contrast_ratio,
    delta_e2000,
    relative_luminance,
    style,
)

PATH_COLORS = {**OPTIMIZER_COLORS, "W₁": PARAMETER_COLORS[0], "W₂": PARAMETER_COLORS[1]}


# --- the arithmetic, against numbers worked out by hand or published ------------------

def test_contrast_ratio_of_known_pairs():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0, abs=1e-12)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == 1.0
    # 0x77 = 119: ((119/255 + 0.055) / 1.055) ** 2.4 = 0.18447, so (1 + 0.05) / (0.18447 + 0.05) = 4.478
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.478, abs=0.001)
    assert contrast_ratio("#FFFFFF", "#777777") == contrast_ratio("#777777", "#FFFFFF")
    assert relative_luminance("#FF0000") == pytest.approx(0.2126)  # pure red: its coefficient alone
    assert relative_luminance("#0000FF") == pytest.approx(0.0722)
    assert relative_luminance("#808080") == pytest.approx(0.21586, abs=1e-5)
    assert relative_luminance("#fff") == 1.0
    with pytest.raises(ValueError):
        relative_luminance("#12345")


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [
    # Sharma, Wu & Dalal (2005), "The CIEDE2000 color-difference formula", test pairs 1, 7, 13, 17, 25, 34
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.49, -0.001), (50.0, -2.49, 0.0009), 7.1792),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert delta_e2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_lab_of_white_black_and_red():
    assert theme.lab("#FFFFFF") == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert theme.lab("#000000") == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    assert theme.lab("#FF0000") == pytest.approx((53.24, 80.09, 67.20), abs=0.05)  # the textbook sRGB red


# --- the palette against the surface, and against itself ----------------------------

def test_surface_colours_run_from_white_to_the_contour_line():
    colours = surface_colors()
    assert len(colours) == BANDS + 1 and colours[0] == "#FFFFFF"
    lum = [relative_luminance(c) for c in colours]
    assert all(a >= b for a, b in itertools.pairwise(lum))  # fills darken with the loss, the line darkest
    assert lum[-1] > 0.45  # a light ramp: room for dark paths at 3:1


@pytest.mark.parametrize("name", list(PATH_COLORS))
def test_every_path_colour_has_3_to_1_against_every_surface_colour(name):
    ratios = {s: contrast_ratio(PATH_COLORS[name], s) for s in surface_colors()}
    worst = min(ratios, key=ratios.get)
    assert ratios[worst] >= 3.0, f"{name} {PATH_COLORS[name]} on {worst}: {ratios[worst]:.2f}:1"
    assert contrast_ratio(PATH_COLORS[name], "#FFFFFF") >= 4.5  # on a line chart's white paper


def test_one_of_the_tightest_pairs_in_numbers():
    # Momentum #974C15 on the contour line #ACBCD0, by hand:
    # 0x97 → 0.3095, 0x4C → 0.0723, 0x15 → 0.0075: L = 0.2126·0.3095 + 0.7152·0.0723 + 0.0722·0.0075 = 0.1180
    # 0xAC → 0.4126, 0xBC → 0.5029, 0xD0 → 0.6308: L = 0.4929;  (0.4929 + 0.05) / (0.1180 + 0.05) = 3.23
    assert OPTIMIZER_COLORS["momentum"] == "#974C15" and surface_colors()[-1] == "#ACBCD0"
    assert relative_luminance("#974C15") == pytest.approx(0.1180, abs=2e-4)
    assert relative_luminance("#ACBCD0") == pytest.approx(0.4929, abs=2e-4)
    assert contrast_ratio("#974C15", "#ACBCD0") == pytest.approx(3.23, abs=0.01)


def test_any_two_path_colours_differ_noticeably():
    for (a, ca), (b, cb) in itertools.combinations(PATH_COLORS.items(), 2):
        assert color_difference(ca, cb) >= 15, f"{a} {ca} and {b} {cb} look alike"
        rgb = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in (ca, cb)]
        assert math.dist(*rgb) >= 50, (a, b)
    # the complaints: three pale blues, blue meaning both Adam and W₁
    blues = [OPTIMIZER_COLORS[m] for m in ("adagrad", "rmsprop", "adam")]
    assert min(color_difference(x, y) for x, y in itertools.combinations(blues, 2)) >= 15
    assert OPTIMIZER_COLORS["adam"] not in PARAMETER_COLORS
    assert not set(PARAMETER_COLORS) & set(OPTIMIZER_COLORS.values())


# --- dashes and markers: never colour alone --------------------------------------------

def test_every_optimizer_has_its_own_colour_dash_and_marker():
    names = set(OPTIMIZER_LABELS)
    for table in (OPTIMIZER_COLORS, OPTIMIZER_DASHES, OPTIMIZER_SYMBOLS):
        assert set(table) == names
        assert len(set(table.values())) == len(names)
    assert style("adam") == (OPTIMIZER_COLORS["adam"], OPTIMIZER_DASHES["adam"], OPTIMIZER_SYMBOLS["adam"])
    assert style("sgd") == ("#000000", "solid", "circle")
    assert {"star", "circle-open"}.isdisjoint(OPTIMIZER_SYMBOLS.values())  # the minimum and the start
    with pytest.raises(TypeError):
        OPTIMIZER_DASHES["sgd"] = "dot"  # read-only


def test_dashes_and_symbols_are_ones_plotly_accepts():
    for name in OPTIMIZER_LABELS:
        c, d, s = style(name)
        go.Scatter(line={"color": c, "dash": d}, marker={"symbol": s})  # raises on an unknown value


# --- type sizes and the modebar ------------------------------------------------------

def test_base_layout_type_is_14_px_or_more():
    layout = base_layout()
    assert layout["font"]["size"] >= 16
    assert layout["legend"]["font"]["size"] >= MIN_FONT_PX == 14
    assert layout["xaxis"]["tickfont"]["size"] >= 14 and layout["yaxis"]["tickfont"]["size"] >= 14
    assert layout["hoverlabel"]["font"]["size"] >= 14


def test_base_layout_keeps_every_axis_tick_label_at_14_px_or_more():
    layout = base_layout(300, xaxis=axis("step"), yaxis2={"tickfont": {"size": 11, "color": "#333333"}},
                         xaxis3={"type": "log"}, legend={"font": {"size": 10}, "x": 0})
    assert layout["xaxis"]["title"]["text"] == "step"
    for key in ("xaxis", "yaxis", "yaxis2", "xaxis3"):
        assert layout[key]["tickfont"]["size"] >= 14, key
    assert layout["yaxis2"]["tickfont"]["color"] == "#333333" and layout["xaxis3"]["type"] == "log"
    assert layout["legend"]["font"]["size"] == 14
    assert "tickfont" not in base_layout(300, xaxis_title="not an axis dict").get("xaxis_title", {})


def test_axis_helper_has_large_ticks_and_title():
    ax = axis("loss", type="log")
    assert ax["tickfont"]["size"] >= 14 and ax["title"]["font"]["size"] >= 16
    assert axis(tickfont={"size": 18})["tickfont"]["size"] == 18


def test_modebar_stands_vertical_in_a_right_margin_the_legend_never_reaches():
    layout = base_layout()
    assert layout["modebar"]["orientation"] == "v"
    # plotly.js draws a vertical modebar 2 px from the right edge, one 24 px button wide
    # (16 px icon + 2 × 4 px padding): it fits in the right margin
    assert layout["margin"]["r"] >= MODEBAR_PX >= 2 + 16 + 2 * 4
    # a horizontal legend anchored at the plot's left edge wraps within the plot's width (plotly.js
    # gives it gs.w), so it ends where the right margin begins
    legend = layout["legend"]
    assert (legend["orientation"], legend["x"], legend["xanchor"]) == ("h", 0, "left")
    # a page's narrower right margin is widened, unless the chart has no legend
    assert base_layout(margin={"l": 10, "r": 5, "t": 5, "b": 5})["margin"] == {"l": 10, "r": MODEBAR_PX, "t": 5,
                                                                              "b": 5}
    assert base_layout(margin={"r": 5}, showlegend=False)["margin"]["r"] == 5
    assert base_layout(margin={"r": 80})["margin"]["r"] == 80
    go.Layout(**base_layout())  # Plotly accepts it as it stands


def test_page_colours_drawn_over_the_surface_keep_three_to_one():
    from ui.figures.background import surface_contrast
    from ui.pages import home, stochastic, taylor_figures

    drawn = [home.ARROW_COLOR, stochastic.FIT_COLOR, *stochastic.COLORS.values(), taylor_figures.COLORS["tangent"],
             taylor_figures.COLORS["slice"]]
    worst = {c: round(surface_contrast(c), 2) for c in drawn}
    assert min(worst.values()) >= 3.0, worst


def test_presenter_figures_have_18px_text_and_thicker_lines():
    from ui.figures.figure import Figure
    from ui.figures.theme import presented

    fig = Figure({"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1], "line": {"width": 3, "color": "#000000"}},
                           {"type": "scatter", "x": [0], "y": [0], "mode": "markers", "textfont": {"size": 12}}],
                  "layout": base_layout(400, title={"text": "t", "font": {"size": 16}})})
    big = presented(fig).to_dict()
    assert big["data"][0]["line"] == {"width": 4.5, "color": "#000000"}
    assert big["layout"]["font"]["size"] >= 18 and big["layout"]["title"]["font"]["size"] == 20
    assert big["layout"]["xaxis"]["tickfont"]["size"] >= 18 and big["layout"]["legend"]["font"]["size"] >= 18
    assert fig.to_dict()["data"][0]["line"]["width"] == 3  # the original is left as it was
