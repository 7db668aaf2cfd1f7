"""The 3-D view (ui.figures.surface3d): each path lies on the surface it is drawn on, where f is undefined the
surface has a hole, and the projector's rules hold (paths opaque, ≥ 3 px, told apart by dash and marker as well
as colour; text ≥ 14 px). The pages' switch: Home and Compare show it by link, with no player beside it."""

from __future__ import annotations

import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, charts, decode, link_of, open_link
from ui.figures import surface3d as s3
from ui.figures.theme import MIN_FONT_PX, MIN_PATH_PX, OPTIMIZER_COLORS, color

SURFACES = ["rosenbrock", "elongated_quadratic", "saddle", "beale", "himmelblau", "least_squares"]


def _values(value) -> np.ndarray:
    """A trace array back as floats: a NumPy array as built, or a list with None for a gap."""
    return np.array(value, dtype=float) if not isinstance(value, np.ndarray) else value.astype(float)


def _run(surface: oc.Surface, name: str = "sgd", lr: float = 1e-3, steps: int = 200):
    return oc.run(oc.make_optimizer(name, lr=lr), surface, surface.start, steps)


def _spec(fig) -> dict:
    """The figure as sent to the browser, its arrays decoded."""
    return decode(fig.to_dict())


def _traces(fig, kind: str) -> list[dict]:
    return [tr for tr in _spec(fig)["data"] if tr.get("type") == kind]


@pytest.mark.parametrize("name", SURFACES)
def test_the_lifted_path_is_the_loss_at_each_point_and_lies_on_the_surface(name):
    surface = oc.get_surface(name)
    run = _run(surface, lr=1e-3 if name in ("rosenbrock", "beale") else 0.02)
    fig = s3.figure(surface, [s3.Line3D("sgd", "gradient descent", run.params)], surface.start)
    path = next(tr for tr in _traces(fig, "scatter3d") if tr.get("meta") == "path")
    points = np.column_stack([path["x"], path["y"]])
    loss = surface.value(points)
    np.testing.assert_allclose(_values(path["customdata"]), loss, rtol=0, atol=1e-12)  # the hover's L is L
    drawn = s3.sheet(surface)
    h = drawn.h
    z = _values(path["z"])
    # the height is the loss's height, or the drawn surface's where a grid cell bridges a narrow valley
    np.testing.assert_allclose(z - h.lift, np.fmax(h(loss), drawn.drawn_at(points)), rtol=0, atol=1e-12)
    assert h.lift > 0 and np.all(z >= h(loss) + h.lift - 1e-12)  # above the surface, never inside it
    inside = np.isfinite(drawn.drawn_at(points))
    assert np.all(z[inside] >= drawn.drawn_at(points)[inside] + h.lift - 1e-12)
    # the surface is drawn with the same heights: at its own grid points it is h(L) exactly
    grid = _traces(fig, "surface")[0]
    gx, gy = np.meshgrid(_values(grid["x"]), _values(grid["y"]))
    nodes = np.stack([gx, gy], axis=-1)
    np.testing.assert_allclose(_values(grid["z"]), h(surface.value(nodes)), atol=1e-12)
    np.testing.assert_allclose(drawn.drawn_at(nodes), _values(grid["z"]), atol=1e-12)  # bilinear: exact at nodes
    np.testing.assert_allclose(_values(grid["customdata"]), surface.grid(s3.GRID)[2], atol=1e-12)
    # and the path starts at the start ring, and its heights stay within the z axis
    start = next(tr for tr in _traces(fig, "scatter3d") if tr.get("name") == "start")
    assert np.allclose([start["x"][0], start["y"][0], start["z"][0]], [*run.params[0], z[0]], atol=1e-12)
    zmin, zmax = _spec(fig)["layout"]["scene"]["zaxis"]["range"]
    assert zmin <= np.nanmin(z) and np.nanmax(z) <= zmax


def test_a_surface_spanning_decades_is_drawn_in_log_height_with_powers_of_ten_on_its_axis():
    surface = oc.get_surface("rosenbrock")  # 0 at (1, 1), 2,500 at the corners
    h = s3.sheet(surface).h
    assert h.log and h.low == 0.0
    assert h(np.array([100.0]))[0] == pytest.approx(np.log10(100 + h.delta), abs=1e-12)
    # the valley floor is a floor: far below the hills, not a well to −∞
    assert h.bottom == pytest.approx(np.log10(h.delta)) and h.top - h.bottom > 3
    zaxis = _spec(s3.figure(surface, []))["layout"]["scene"]["zaxis"]
    loss = np.array([float(text) for text in zaxis["ticktext"]])  # each tick names the loss at its height
    assert list(loss) == [10.0 ** p for p in range(0, 4)]
    np.testing.assert_allclose(zaxis["tickvals"], h(loss), atol=1e-12)


def test_the_saddle_is_clipped_to_its_grid_and_an_escaping_path_stays_on_the_plateau():
    surface = oc.get_surface("saddle")
    run = _run(surface, lr=0.1, steps=300)  # escapes along y, far beyond the box's corners
    h = s3.sheet(surface).h
    assert not h.log
    z = h(surface.value(run.params))
    assert np.nanmax(z) <= h.top and np.nanmin(z) >= h.bottom


def test_where_a_typed_f_is_undefined_the_surface_has_a_hole_and_the_path_a_gap():
    surface = oc.custom_surface("sqrt(x) + y**2")  # undefined for x < 0: half the box
    fig = s3.figure(surface, [s3.Line3D("sgd", "gradient descent", np.array([[1.0, 1.0], [-1.0, 1.0],
                                                                              [0.5, 0.5]]))])
    grid = _traces(fig, "surface")[0]
    xs = _values(grid["x"])
    z = _values(grid["z"])
    assert np.all(np.isnan(z[:, xs < 0])) and np.all(np.isfinite(z[:, xs > 0]))  # masked: None where undefined
    assert all(v is None for row in grid["z"] for v, x in zip(row, xs) if x < 0)
    path = next(tr for tr in _traces(fig, "scatter3d") if tr.get("meta") == "path")
    assert path["z"][1] is None and path["z"][0] is not None and path["z"][2] is not None
    assert np.isfinite(_spec(fig)["layout"]["scene"]["zaxis"]["range"]).all()


def test_paths_are_opaque_thick_and_told_apart_by_colour_dash_and_marker():
    surface = oc.get_surface("rosenbrock")
    params = _run(surface, "sgd", 1e-3, 50).params
    lines = [s3.Line3D(name, name, params + 0.01 * i) for i, name in enumerate(OPTIMIZER_COLORS)]
    fig = s3.figure(surface, lines, surface.start)
    paths = [tr for tr in _traces(fig, "scatter3d") if tr.get("meta") == "path"]
    assert len(paths) == len(OPTIMIZER_COLORS)
    for tr in paths:
        assert tr["line"]["width"] >= MIN_PATH_PX and tr.get("opacity", 1.0) == 1.0
        assert tr["line"]["color"] == color(tr["name"]) and tr["line"]["dash"] == s3.STYLE_3D[tr["name"]][0]
    markers = {tr["name"]: tr["marker"]["symbol"] for tr in _traces(fig, "scatter3d")
               if tr.get("legendgroup") and tr.get("mode") == "markers"}
    assert markers == {name: s3.STYLE_3D[name][1] for name in OPTIMIZER_COLORS}
    assert len(set(s3.STYLE_3D.values())) == len(s3.STYLE_3D)  # no two optimizers share dash and marker
    webgl_dashes = {"solid", "dot", "dash", "longdash", "dashdot", "longdashdot"}
    webgl_symbols = {"circle", "circle-open", "cross", "diamond", "diamond-open", "square", "square-open", "x"}
    assert {d for d, _ in s3.STYLE_3D.values()} <= webgl_dashes
    assert {m for _, m in s3.STYLE_3D.values()} <= webgl_symbols


def _font_sizes(value, where="figure"):
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("font", "tickfont", "textfont") and isinstance(item, dict) and "size" in item:
                yield f"{where}.{key}", item["size"]
            yield from _font_sizes(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _font_sizes(item, f"{where}[{i}]")


def test_every_text_of_the_figure_is_at_least_14_px():
    surface = oc.get_surface("himmelblau")
    spec = _spec(s3.figure(surface, [s3.Line3D("adam", "Adam", _run(surface, "adam", 0.1, 50).params)]))
    sizes = dict(_font_sizes(spec["layout"]))
    for axis in ("xaxis", "yaxis", "zaxis"):  # every axis names its font: Plotly's default is 12 px
        assert f"figure.scene.{axis}.tickfont" in sizes and f"figure.scene.{axis}.title.font" in sizes
    assert "figure.legend.font" in sizes and "figure.font" in sizes
    small = {k: v for k, v in sizes.items() if v < MIN_FONT_PX}
    assert not small, small


@pytest.mark.parametrize("page, key", [("home", "home_3d"), ("compare", "compare_3d")])
def test_the_pages_show_the_3d_view_by_link_without_a_player(page, key):
    at = open_link(page, {"view": "3d"})
    assert_clean(at)
    drawn = charts(at)
    solid = [f for f in drawn if any(tr.get("type") == "surface" for tr in f["data"])]
    assert len(solid) == 1 and not any(tr.get("type") == "scatter" and tr.get("meta") == "tap"
                                       for f in drawn for tr in f["data"])  # the contour is not drawn
    assert [el.proto.id for el in at.get("plotly_chart") if el.proto.id.endswith(key)]
    assert link_of(at)["view"] == "3d"
    paths = [tr for tr in solid[0]["data"] if tr.get("meta") == "path"]
    assert len(paths) == (1 if page == "home" else 5)
    components = [c.proto.component_name for c in at.get("bidi_component")]
    assert "optim_player" not in components and "optim_camera" in components  # nothing to play; a camera kept
    contour = open_link(page, {})
    assert "optim_player" in [c.proto.component_name for c in contour.get("bidi_component")]
    assert "view" not in link_of(contour) and not [f for f in charts(contour)
                                                          if any(tr.get("type") == "surface" for tr in f["data"])]
