import json

import numpy as np
import plotly.io as pio
import pytest

import optim_core as oc
from pagetest import decode
from ui.figures.paths import MAX_FRAMES, MAX_PATH_POINTS, TAIL, Path, animated_paths, frame_steps, surface_axes


def _points(n):
    t = np.linspace(0, 1, n)
    return np.column_stack([t, t**2])


def test_frame_steps_keep_ends_and_bound_the_count():
    np.testing.assert_array_equal(frame_steps(5), [0, 1, 2, 3, 4])
    steps = frame_steps(100_001)
    assert len(steps) == MAX_FRAMES and steps[0] == 0 and steps[-1] == 100_000
    assert (np.diff(steps) > 0).all()


def test_early_steps_are_every_one_a_frame_and_only_later_ones_are_thinned():
    steps = frame_steps(301)  # 300 steps: 0…29 one by one, then 30 frames over 30…300
    np.testing.assert_array_equal(steps[:30], np.arange(30))
    assert len(steps) == 60 and steps[-1] == 300
    assert np.all(np.diff(steps[30:]) >= 9)  # (300 − 30) / 29 ≈ 9.3 steps apart
    with_step = frame_steps(301, at=137)  # the step a page shows is always a frame
    assert 137 in with_step and len(with_step) == 61
    np.testing.assert_array_equal(frame_steps(301, at=12), steps)  # already one
    np.testing.assert_array_equal(frame_steps(51), np.arange(51))


def test_a_figure_opened_at_a_step_shows_it_and_plays_on_from_there():
    s = oc.get_surface("rosenbrock")
    a = _points(301)
    fig = decode(animated_paths(s, [Path("A", a, "#000000")], at_step=137).to_dict())
    marker = fig["data"][-1]
    assert (marker["x"][0], marker["y"][0]) == tuple(a[137])
    # the page's step row plays it (ui.widgets.player) and its step slider is the scrubber
    assert "sliders" not in fig["layout"] and "updatemenus" not in fig["layout"]
    names = [f["name"] for f in fig["frames"]]
    assert "137" in names and names[-1] == "300" and len(names) == 61
    shown = fig["frames"][names.index("137")]["data"][1]  # the frame of step 137 puts the marker where it is
    assert (shown["x"][0], shown["y"][0]) == tuple(a[137])


def test_frames_move_only_markers_and_tails():
    s = oc.get_surface("rosenbrock")
    a, b = _points(301), _points(101) * 0.5
    fig = animated_paths(s, [Path("A", a, "#000000"), Path("B", b, "#E69F00")], start=a[0]).to_dict()
    fig = decode(fig)
    names = [t.get("name") for t in fig["data"]]
    assert names[:4] == ["minimum", "start", "A", "B"]
    np.testing.assert_allclose(np.column_stack([fig["data"][2]["x"], fig["data"][2]["y"]]), a)
    frames = fig["frames"]
    steps = frame_steps(301)
    assert len(frames) == len(steps) == MAX_FRAMES
    moving = list(frames[0]["traces"])
    assert moving == [4, 5, 6, 7]  # tail A, marker A, tail B, marker B
    j = 30
    marker_a = frames[j]["data"][1]
    assert (marker_a["x"][0], marker_a["y"][0]) == tuple(a[steps[j]])
    tail_a = frames[j]["data"][0]
    np.testing.assert_allclose(tail_a["x"], a[steps[j - TAIL: j + 1], 0])
    # the shorter path stops at its last point instead of running off
    marker_b = frames[-1]["data"][3]
    assert (marker_b["x"][0], marker_b["y"][0]) == tuple(b[-1])
    for f in frames:  # only scatter data in frames: nothing that needs a redraw
        assert all(set(d) - {"type"} <= {"x", "y"} for d in f["data"])


def test_background_is_a_layout_image_and_play_does_not_redraw():
    s = oc.get_surface("saddle")
    fig = animated_paths(s, [Path("A", _points(20), "#000000")]).to_dict()
    layout = fig["layout"]
    assert layout["images"][0]["source"].startswith("data:image/png")
    assert not any(t["type"] in ("contour", "heatmap") for t in fig["data"])
    play = layout["updatemenus"][0]["buttons"][0]
    assert play["args"][1]["frame"]["redraw"] is False and play["args"][1]["fromcurrent"] is True
    labels = [b["label"] for b in layout["updatemenus"][0]["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause", "Slow", "Fast"]
    durations = [b["args"][1]["frame"]["duration"] for b in layout["updatemenus"][0]["buttons"]]
    assert durations[2] > durations[0] > durations[3]
    assert [st["label"] for st in layout["sliders"][0]["steps"]] == [str(i) for i in range(20)]
    assert layout["xaxis"]["range"] == [-2.0, 2.0]


def test_controls_sit_below_the_axis_at_the_same_pixel_offsets_whatever_the_height():
    s = oc.get_surface("saddle")
    layouts = [animated_paths(s, [Path("A", _points(20), "#000000")], height=h).to_dict()["layout"]
               for h in (300, 900)]
    for layout in layouts:
        buttons, slider = layout["updatemenus"][0], layout["sliders"][0]
        # anchored at the plot's bottom edge (y = 0) and pushed down in pixels
        assert buttons["y"] == 0 and buttons["yanchor"] == "top" and slider["y"] == 0
        assert 30 <= buttons["pad"]["t"] < slider["pad"]["t"] < layout["margin"]["b"]
    keys = [(lay["updatemenus"][0]["pad"]["t"], lay["sliders"][0]["pad"]["t"], lay["margin"]["b"]) for lay in layouts]
    assert keys[0] == keys[1]


def test_moving_extras_follow_their_step_function():
    s = oc.get_surface("saddle")
    pts = _points(11)
    fig = animated_paths(s, [Path("A", pts, "#000000")],
                         moving_extras=[({"type": "scatter", "mode": "lines", "name": "arrow"},
                                         lambda k: {"x": [k, k + 1], "y": [0, 0]})]).to_dict()
    arrow_index = [t.get("name") for t in fig["data"]].index("arrow")
    assert arrow_index in fig["frames"][0]["traces"]
    assert list(fig["frames"][7]["data"][-1]["x"]) == [7, 8]


def test_long_faint_paths_are_thinned_with_ends_kept():
    s = oc.get_surface("rosenbrock")
    pts = _points(50_001)
    fig = decode(animated_paths(s, [Path("A", pts, "#000000")]).to_dict())
    x = np.asarray(fig["data"][1]["x"])
    assert len(x) == MAX_PATH_POINTS and x[0] == pts[0, 0] and x[-1] == pts[-1, 0]


def test_json_size_is_bounded_however_long_the_run():
    s = oc.get_surface("rosenbrock")
    paths = [Path(str(i), _points(20_001) + i, "#000000") for i in range(5)]
    size = len(pio.to_json(animated_paths(s, paths), validate=False))
    assert size < 1_000_000
    assert len(json.loads(pio.to_json(animated_paths(s, paths)))["frames"]) == MAX_FRAMES


def _json_figure(fig) -> dict:
    """The figure as the browser receives it."""
    return decode(json.loads(pio.to_json(fig, validate=False)))


def test_paths_are_opaque_and_at_least_3_px_by_default():
    from ui.figures.theme import MIN_PATH_PX

    s = oc.get_surface("rosenbrock")
    fig = _json_figure(animated_paths(s, [Path("A", _points(31), "#000000")]))
    full = next(t for t in fig["data"] if t.get("name") == "A" and t["mode"] == "lines")
    assert full["opacity"] == 1.0 and full["line"]["width"] >= MIN_PATH_PX == 3.0
    tail = fig["data"][fig["frames"][0]["traces"][0]]
    assert "opacity" not in tail and tail["line"]["width"] > full["line"]["width"]  # the moving tail is bolder
    # a thin tail still gets a 3 px full path; an explicit opacity or full width is kept
    thin_path = Path("B", _points(5), "#000000", width=2.0, opacity=0.5)
    assert (thin_path.line_width, thin_path.opacity) == (3.0, 0.5)
    assert Path("C", _points(5), "#000000", width=7.0).line_width == pytest.approx(4.2)
    assert Path("D", _points(5), "#000000", full_width=2.5).line_width == 2.5


def test_an_optimizer_path_carries_its_colour_dash_and_marker():
    from ui.figures.paths import optimizer_path
    from ui.figures.theme import OPTIMIZER_LABELS, style

    s = oc.get_surface("rosenbrock")
    paths = [optimizer_path(name, None, _points(21) + k) for k, name in enumerate(OPTIMIZER_LABELS)]
    assert paths[5].label == "Adam" and optimizer_path("adam", "Adam ×2", _points(3)).label == "Adam ×2"
    assert optimizer_path("adam", None, _points(3), dash="dot", width=4.0).dash == "dot"
    fig = _json_figure(animated_paths(s, paths))
    seen = set()
    for name in OPTIMIZER_LABELS:
        color, dash, symbol = style(name)
        label = OPTIMIZER_LABELS[name]
        full = next(t for t in fig["data"] if t.get("name") == label and t["mode"] == "lines")
        head = next(t for t in fig["data"] if t.get("name") == label and t["mode"] == "markers")
        assert full["line"]["color"] == head["marker"]["color"] == color
        assert full["line"]["dash"] == dash and head["marker"]["symbol"] == symbol
        assert full["opacity"] == 1.0 and full["line"]["width"] >= 3
        seen.add((dash, symbol))
    assert len(seen) == len(OPTIMIZER_LABELS)  # no two paths differ by colour alone


def test_a_plain_path_keeps_a_circle_marker_and_no_dash():
    s = oc.get_surface("saddle")
    fig = _json_figure(animated_paths(s, [Path("A", _points(5), "#000000")]))
    head = next(t for t in fig["data"] if t.get("name") == "A" and t["mode"] == "markers")
    assert head["marker"]["symbol"] == "circle" and fig["data"][1]["line"].get("dash") is None


def test_axes_legend_and_scrubber_type_is_14_px_or_hidden():
    s = oc.get_surface("beale")
    axes = surface_axes(s)
    for ax in axes.values():
        assert ax["tickfont"]["size"] >= 14 and ax["title"]["font"]["size"] >= 16
    layout = _json_figure(animated_paths(s, [Path("A", _points(80), "#000000")], title="T"))["layout"]
    assert layout["xaxis"]["tickfont"]["size"] >= 14 and layout["yaxis"]["tickfont"]["size"] >= 14
    assert layout["legend"]["font"]["size"] >= 14 and layout["title"]["font"]["size"] >= 16
    slider = layout["sliders"][0]
    assert slider["font"]["size"] >= 14 and slider["font"]["color"] == "rgba(0,0,0,0)"  # 60 ticks: hidden
    assert slider["currentvalue"]["font"]["size"] >= 14  # … and the current step printed above instead
    assert layout["modebar"]["orientation"] == "v"
