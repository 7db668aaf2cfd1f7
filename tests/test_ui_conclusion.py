"""The Conclusion page's timeline figure and text builders, called directly (no Streamlit)."""

import numpy as np

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
    assert fig.layout.xaxis.range == (1835, 1995) and fig.layout.xaxis2.range == (2009.4, 2021.0)


def test_frames_reveal_the_ideas_one_by_one_and_ring_the_newest():
    fig = cc.timeline_figure()
    ideas = sorted(cc.IDEAS, key=lambda i: i.year)
    assert len(fig.frames) == len(ideas) == 11
    moving = [fig.data[i] for i in fig.frames[0].traces]
    assert [t.name for t in moving] == ["ideas before 2000", "ideas after 2000", "newest", "newest", "caption"]
    for j, frame in enumerate(fig.frames):
        left, right, ring_left, ring_right, caption = frame.data
        shown = [x for x in list(left.x) + list(right.x) if x is not None]
        assert shown == [i.year for i in ideas[: j + 1]]
        ring, other = (ring_left, ring_right) if ideas[j].year < cc.SPLIT_YEAR else (ring_right, ring_left)
        assert (ring.x[0], ring.y[0]) == (ideas[j].year, ideas[j].lane)
        # an empty trace is one null point, never []: plotly.js drops a panel's static traces otherwise
        assert list(other.x) == [None] and all(len(t.x) for t in frame.data)
        assert caption.text[0].startswith(f"<b>{ideas[j].year} · {ideas[j].name}</b>")
    assert all(t.type == "scatter" for f in fig.frames for t in f.data)  # no contour: redraw=False is safe


def test_every_animation_button_and_scrubber_step_uses_redraw_false():
    layout = cc.timeline_figure().layout
    args = [b.args for b in layout.updatemenus[0].buttons] + [s.args for s in layout.sliders[0].steps]
    assert all(a[1]["frame"]["redraw"] is False for a in args)
    assert [s.label for s in layout.sliders[0].steps] == [str(y) for y in sorted(EXPECTED.values())]
    assert layout.sliders[0].active == 10


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
