"""The Conclusion page's timeline figure, text builders and last race, called directly (no Streamlit page)."""

import itertools

import numpy as np
import pytest
from test_ui_compare import ROSENBROCK_DEFAULTS

import optim_core as oc
from ui import conclusion as cc
from ui.theme import color

EXPECTED = {  # the brief's ideas and years
    "gd": 1847, "sgd": 1951, "momentum": 1964, "nesterov": 1983, "adagrad": 2011, "rmsprop": 2012,
    "sutskever": 2013, "adam": 2014, "bottou": 2018, "lookahead": 2019, "ranger": 2019,
}


def _by_name(fig, name):
    return next(t for t in fig.data if t.name == name)


def test_every_idea_has_its_year_row_and_reference():
    assert {i.key: i.year for i in cc.IDEAS} == EXPECTED
    assert all(0 <= i.lane < len(cc.LANES) for i in cc.IDEAS)
    assert all(r in cc.REFERENCES for i in cc.IDEAS for r in i.refs)
    assert {i.key: i.refs for i in cc.IDEAS}["ranger"] == ("liu", "wright")
    lanes = {i.key: cc.LANES[i.lane] for i in cc.IDEAS}
    assert lanes["momentum"] == lanes["nesterov"] == lanes["sutskever"] == "a memory of the direction"
    assert lanes["adagrad"] == lanes["rmsprop"] == "a step size per parameter"
    assert lanes["adam"] == "both at once" and lanes["lookahead"] == "a wrapper around any optimizer"


def test_the_timeline_shows_every_idea_at_its_year_in_the_right_panel():
    fig = cc.timeline_figure()
    before, after = _by_name(fig, "ideas before 2000"), _by_name(fig, "ideas after 2000")
    assert list(before.x) == [1847, 1951, 1964, 1983]
    assert list(after.x) == [2011, 2012, 2013, 2014, 2018, 2019, 2019]
    assert before.xaxis == "x" and after.xaxis == "x2"
    texts = [t.replace("<br>", " ").strip() for t in list(before.text) + list(after.text)]
    assert texts == ["Gradient descent", "SGD / mini-batch", "Momentum", "Nesterov", "AdaGrad", "RMSProp",
                     "Momentum for deep nets", "Adam / AdaMax", "Survey: SGD at scale", "Lookahead",
                     "Ranger = RAdam + Lookahead"]
    assert list(after.marker.color)[:2] == [color("adagrad"), color("rmsprop")]
    assert all("(2019)" in h for h in after.hovertext[-2:])
    # each panel's year range holds all of its ideas, and the two panels sit side by side without overlap
    (lo1, hi1), (lo2, hi2) = fig.layout.xaxis.range, fig.layout.xaxis2.range
    assert lo1 < 1847 and 1983 < hi1 < 2011 and 1983 < lo2 < 2011 and 2019 < hi2
    assert fig.layout.xaxis.domain[1] < fig.layout.xaxis2.domain[0]


def test_frames_reveal_the_ideas_one_by_one_in_year_order_and_ring_the_newest():
    fig = cc.timeline_figure()
    years = sorted(EXPECTED.values())
    assert len(fig.frames) == 11
    moving = [fig.data[i] for i in fig.frames[0].traces]
    assert [t.name for t in moving] == ["ideas before 2000", "ideas after 2000", "newest", "newest", "caption"]
    for j, frame in enumerate(fig.frames):
        left, right, ring_left, ring_right, caption = frame.data
        shown = [x for x in list(left.x) + list(right.x) if x is not None]
        assert shown == years[: j + 1]  # one more idea per frame, never out of year order
        ring, other = (ring_left, ring_right) if years[j] < 2000 else (ring_right, ring_left)
        assert ring.x[0] == years[j]
        # an empty trace is one null point, never []: plotly.js drops a panel's static traces otherwise
        assert list(other.x) == [None] and all(len(t.x) for t in frame.data)
        assert caption.text[0].startswith(f"<b>{years[j]} · ")
    assert fig.frames[7].data[4].text[0].startswith("<b>2014 · Adam / AdaMax</b>")
    assert all(t.type == "scatter" for f in fig.frames for t in f.data)  # no contour: redraw=False is safe


def test_play_pause_and_scrubber_drive_the_frames_without_redraw():
    layout = cc.timeline_figure().layout
    play, pause, fast = layout.updatemenus[0].buttons
    assert [b.label for b in (play, pause, fast)] == ["▶ Play", "❚❚ Pause", "Fast"]
    assert play.args[0] is None and play.args[1]["fromcurrent"] is False  # Play always starts from 1847
    assert fast.args[1]["frame"]["duration"] < play.args[1]["frame"]["duration"]
    assert list(pause.args[0]) == [None] and pause.args[1]["frame"]["duration"] == 0
    steps = layout.sliders[0].steps
    args = [b.args for b in (play, pause, fast)] + [s.args for s in steps]
    assert all(a[1]["frame"]["redraw"] is False for a in args)
    assert [s.label for s in steps] == [str(y) for y in sorted(EXPECTED.values())]
    assert [list(s.args[0]) for s in steps] == [[f.name] for f in cc.timeline_figure().frames]
    assert layout.sliders[0].active == len(steps) - 1  # the scrubber starts where the still picture is: all shown
    assert layout.sliders[0].currentvalue.prefix == "up to "


def _label_boxes(fig, width: int, em: float = 0.55):
    """Pixel boxes of every idea's dot, label and lane note at a chart ``width``, the way plotly.js places
    them (text offset from a marker: radius/0.8 + 1; lines 1.3 font sizes apart; ``em`` is the mean
    character width in font sizes)."""
    lay = fig.layout
    pw, ph = width - lay.margin.l - lay.margin.r, lay.height - lay.margin.t - lay.margin.b

    def to_px(xaxis, x, y):
        (x0, x1), (y0, y1), yd = xaxis.range, lay.yaxis.range, lay.yaxis.domain
        fx = xaxis.domain[0] + (xaxis.domain[1] - xaxis.domain[0]) * (x - x0) / (x1 - x0)
        fy = yd[0] + (yd[1] - yd[0]) * (y - y0) / (y1 - y0)
        return lay.margin.l + pw * fx, lay.margin.t + ph * (1 - fy)

    boxes = []
    for t in (_by_name(fig, "ideas before 2000"), _by_name(fig, "ideas after 2000")):
        xaxis = lay.xaxis if t.xaxis == "x" else lay.xaxis2
        size, dot = t.textfont.size, t.marker.size / 2
        gap = dot / 0.8 + 1
        for x, y, text, where in zip(t.x, t.y, t.text, t.textposition):
            px, py = to_px(xaxis, x, y)
            lines = text.split("<br>")
            w, h = max(map(len, lines)) * em * size, ((len(lines) - 1) * 1.3 + 1) * size
            left = px - gap - w if "left" in where else px + gap if "right" in where else px - w / 2
            top = py - gap - h if "top" in where else py + gap if "bottom" in where else py - h / 2
            boxes += [(text, (left, top, left + w, top + h)), (text, (px - dot, py - dot, px + dot, py + dot))]
    for note in lay.annotations:  # lane names, left-anchored, vertically centred
        px, py = to_px(lay.xaxis, note.x, note.y)
        w, h = len(note.text.replace("<i>", "").replace("</i>", "")) * em * note.font.size, note.font.size
        boxes.append((note.text, (px, py - h / 2, px + w, py + h / 2)))
    return boxes, lay.margin.t + ph * (1 - lay.yaxis3.domain[0])


@pytest.mark.parametrize("width", [1000, 1100, 1400])
def test_no_label_covers_another_label_a_dot_a_lane_name_or_the_caption(width):
    """At laptop widths and up (narrower charts are the legibility issue's job), nothing collides."""
    fig = cc.timeline_figure()
    boxes, caption_bottom = _label_boxes(fig, width)
    assert len(boxes) == 2 * 11 + 5
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        if a == b:
            continue  # a label and its own dot
        apart = box_a[2] <= box_b[0] or box_b[2] <= box_a[0] or box_a[3] <= box_b[1] or box_b[3] <= box_a[1]
        assert apart, (width, a, b)
    assert min(box[1] for _, box in boxes) > caption_bottom  # the caption band above stays clear


def test_links_join_each_idea_to_its_predecessor_within_a_panel():
    fig = cc.timeline_figure()
    links = [t for t in fig.data if t.mode == "lines" and t.line.dash == "dot"]
    left = np.array([np.nan if v is None else v for v in links[0].x], dtype=float)
    right = np.array([np.nan if v is None else v for v in links[1].x], dtype=float)
    np.testing.assert_array_equal(left[~np.isnan(left)], [1847, 1951, 1951, 1964, 1964, 1983])
    assert list(right[~np.isnan(right)][:4]) == [2011, 2012, 2012, 2014]


def test_references_are_numbered_once_each_in_timeline_order():
    md = cc.references_markdown()
    lines = md.splitlines()
    assert len(lines) == len(cc.REFERENCES) == 12
    assert lines[0].startswith("1. Cauchy") and lines[-1].startswith("12. Wright")
    assert "arXiv:1412.6980" in md and "SIAM Review*, 60(2), 223–311" in md and "PMLR 28(3), 1139–1147" in md
    assert "NeurIPS 2019" in md and "Polyak, B. T. (1964)" in md and "Tieleman, T., & Hinton, G. (2012)" in md


def test_the_ideas_table_has_a_row_per_idea_and_escapes_pipes():
    table = cc.ideas_markdown().splitlines()
    assert len(table) == 2 + 11
    assert table[2].startswith("| 1847 | **Gradient descent** |")
    adam = next(r for r in table if "Adam / AdaMax" in r)
    assert r"\|g\|" in adam and adam.count(" | ") == 3


def test_defaults_are_read_only():
    with pytest.raises(TypeError):
        cc.DEFAULTS["race_steps"] = 10  # type: ignore[index]


# the race: each optimizer's label, at the Compare page's starting settings on Rosenbrock
RACE = {label: (name, ROSENBROCK_DEFAULTS[name]) for label, name in (
    ("Gradient descent", "sgd"), ("Momentum", "momentum"), ("Nesterov", "nesterov"), ("AdaGrad", "adagrad"),
    ("RMSProp", "rmsprop"), ("Adam", "adam"), ("AdaMax", "adamax"), ("Newton", "newton"),
    ("Lookahead (Adam)", "lookahead"))}


def _race(surface, steps):
    """What the page does: the race's specs through the engine, then the paths and notes."""
    runs = {opt: oc.run(opt.build(), surface, surface.start, steps, record=False) for opt in cc.race_specs(surface)}
    return cc.race_paths(runs)


def test_the_race_is_all_nine_at_the_compare_pages_starting_settings():
    surf = oc.get_surface("rosenbrock")
    paths, notes = _race(surf, 120)
    assert [p.label for p in paths] == list(RACE) and notes == []
    for path, (name, hyper) in zip(paths, RACE.values()):
        want = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 120, record=False)
        np.testing.assert_allclose(path.points, want.params, rtol=1e-12, err_msg=path.label)
        assert path.color == color(name)
    fig = cc.race_figure(surf, paths)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == list(RACE)  # one solid line per optimizer, in order
    assert all(t.line.width == 4 and t.x == (None,) for t in fig.data if t.showlegend is not False)
    assert len(fig.frames) == 40 and fig.layout.height == 560


def test_the_race_warns_about_each_optimizer_that_leaves_the_map():
    """On the saddle, 1000 steps carry gradient descent and both momentum methods off the map along y."""
    surf = oc.get_surface("saddle")
    paths, notes = _race(surf, 1000)
    expected = []
    for label, name, hyper in (("Gradient descent", "sgd", {"lr": 0.01}),
                               ("Momentum", "momentum", {"lr": 1e-3, "momentum": 0.9}),
                               ("Nesterov", "nesterov", {"lr": 1e-3, "momentum": 0.9})):
        run = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 1000, record=False)
        assert 300 < int(run.diverged_at) < 1000, name
        expected.append(f"{label} diverged at step {int(run.diverged_at)}: ")
    assert [n[: len(e)] for n, e in zip(notes, expected)] == expected and len(notes) == 3
    assert all(np.isfinite(p.points).all() for p in paths)  # a diverged path stops at its last finite point
