"""The Conclusion page's timeline figure, text builders and last race, called directly (no Streamlit page)."""

import itertools

import numpy as np
import pytest
from test_ui_compare import ROSENBROCK_DEFAULTS

import optim_core as oc
from ui import i18n
from ui.figures.theme import color
from ui.pages import conclusion as cc

EXPECTED = {  # the brief's ideas and years
    "gd": 1847, "sgd": 1951, "momentum": 1964, "nesterov": 1983, "adagrad": 2011, "rmsprop": 2012,
    "sutskever": 2013, "adam": 2015, "bottou": 2018, "lookahead": 2019, "ranger": 2019,
}


@pytest.fixture(params=["en", "ko"])
def language(request):
    """Each language in turn (Hangul counts two columns: ``cc._width``), then back to English."""
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


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


def test_the_timeline_gives_every_idea_its_own_row_in_year_order_and_the_column_of_its_lane():
    fig = cc.timeline_figure()
    ideas = _by_name(fig, "ideas")
    years = sorted(EXPECTED.values())
    assert list(ideas.y) == list(range(11))  # one row each, oldest first
    assert list(fig.layout.yaxis.ticktext) == [str(y) for y in years] and fig.layout.yaxis.range[0] > 10
    lanes = {"Gradient descent": 0, "SGD / mini-batch": 0, "Momentum": 1, "Nesterov": 1, "AdaGrad": 2,
             "RMSProp": 2, "Momentum for deep nets": 1, "Adam / AdaMax": 3, "Survey: SGD at scale": 0,
             "Lookahead": 4, "Ranger = RAdam + Lookahead": 3}
    texts = [t.replace("<br>", " ").strip() for t in ideas.text]
    assert texts == list(lanes) and list(ideas.x) == list(lanes.values())
    assert list(ideas.marker.color)[4:6] == [color("adagrad"), color("rmsprop")]
    assert all("(2019)" in h for h in ideas.hovertext[-2:]) and "a wrapper around any optimizer" in ideas.hovertext[9]
    assert list(fig.layout.xaxis.ticktext) == ["step", "memory", "per-param.", "both", "wrapper"]
    assert fig.layout.xaxis.side == "top"


def test_frames_reveal_the_ideas_one_by_one_in_year_order_and_ring_the_newest():
    fig = cc.timeline_figure()
    years = sorted(EXPECTED.values())
    assert len(fig.frames) == 11
    moving = [fig.data[i] for i in fig.frames[0].traces]
    assert [t.name for t in moving] == ["ideas", "newest", "caption"]
    for j, frame in enumerate(fig.frames):
        shown, ring, caption = frame.data
        assert list(shown.y) == list(range(j + 1))  # one more idea per frame, never out of year order
        assert (ring.y[0], ring.x[0]) == (j, shown.x[-1])
        assert caption.text[0].startswith(f"<b>{years[j]} · ")
    assert fig.frames[7].data[2].text[0].startswith("<b>2015 · Adam / AdaMax</b>")
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
    """Pixel boxes of every idea's label and dot, of the caption, of the buttons and of the scrubber at a chart
    ``width``, the way plotly.js places them (text right of a marker: radius/0.8 + 1 away; lines 1.3 font sizes
    apart; ``em`` is a generous mean character width in font sizes)."""
    lay = fig.layout
    pw, ph = width - lay.margin.l - lay.margin.r, lay.height - lay.margin.t - lay.margin.b
    (x0, x1), (y0, y1), yd = lay.xaxis.range, lay.yaxis.range, lay.yaxis.domain
    ideas = _by_name(fig, "ideas")
    size, dot = ideas.textfont.size, ideas.marker.size / 2
    boxes = []
    for x, y, text in zip(ideas.x, ideas.y, ideas.text):
        px = lay.margin.l + pw * (x - x0) / (x1 - x0)
        py = lay.margin.t + ph * (1 - (yd[0] + (yd[1] - yd[0]) * (y - y0) / (y1 - y0)))
        lines = text.split("<br>")
        w, h = max(map(cc._width, lines)) * em * size, ((len(lines) - 1) * 1.3 + 1) * size
        left = px + dot / 0.8 + 1
        boxes.append((text, (left, py - h / 2, left + w, py + h / 2), (px - dot, py - dot, px + dot, py + dot)))
    return boxes, lay.margin.t + ph * (1 - lay.yaxis2.domain[0]), lay.margin.t + ph


@pytest.mark.parametrize("width", [340, 760, 880, 1200])
def test_labels_never_meet_each_other_the_dots_the_caption_or_the_buttons(width, language):
    """From a phone's chart (390 px screen) to a projector's, every label stays inside the chart and apart."""
    fig = cc.timeline_figure()
    boxes, caption_bottom, plot_bottom = _label_boxes(fig, width)
    assert len(boxes) == 11
    for (a, box_a, dot_a), (b, box_b, dot_b) in itertools.combinations(boxes, 2):
        for p, q in ((box_a, box_b), (box_a, dot_b), (dot_a, box_b)):
            assert p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1], (width, a, b)
    assert all(box[2] <= width for _, box, _ in boxes), width  # no label runs off the right edge
    header_px = 64  # the slanted column names between the caption band and the first row
    assert min(box[1] for _, box, _ in boxes) > caption_bottom + header_px / 2
    assert max(box[3] for _, box, _ in boxes) < plot_bottom  # the buttons start below the last row
    buttons, slider = fig.layout.updatemenus[0], fig.layout.sliders[0]
    assert buttons.pad.t >= 10 and slider.pad.t >= buttons.pad.t + 40  # a 36 px button row, then the scrubber
    assert fig.layout.margin.b >= slider.pad.t + 80  # the scrubber's value, rail and ticks fit under the plot


def test_the_caption_fits_a_phone(language):
    """Every caption line is at most 36 columns (≈ 300 px at 15 px; a Hangul syllable is two), at most 4 lines."""
    fig = cc.timeline_figure()
    for frame in fig.frames:
        lines = frame.data[2].text[0].replace("<b>", "").replace("</b>", "").split("<br>")
        assert len(lines) <= 4 and max(map(cc._width, lines)) <= 36, lines


def test_the_timeline_speaks_korean():
    i18n.set_language("ko")
    try:
        fig = cc.timeline_figure()
        texts = [t.replace("<br>", " ") for t in _by_name(fig, "ideas").text]
        assert texts[0] == "경사 하강법" and texts[2] == "모멘텀" and texts[9] == "Lookahead"
        assert list(fig.layout.xaxis.ticktext) == ["스텝", "기억", "파라미터별", "둘 다", "래퍼"]
        assert fig.layout.updatemenus[0].buttons[0].label == "▶ 재생"
        assert fig.layout.sliders[0].currentvalue.suffix == "년까지"
        assert fig.frames[0].data[2].text[0].startswith("<b>1847 · 경사 하강법</b>")
        assert cc.ideas_markdown().startswith("| 연도 | 아이디어 | 해결한 문제 | 이어받은 것 |")
        assert "기억" in cc.schema() and r"\odot \nabla L(W_c)" in cc.schema()
        assert "(블로그 글, 2019년 8월)" in cc.references_markdown()
    finally:
        i18n.set_language("en")


def test_links_join_each_idea_to_its_predecessor():
    fig = cc.timeline_figure()
    links = _by_name(fig, "links")
    rows = np.array([np.nan if v is None else v for v in links.y], dtype=float)
    # gd→sgd, sgd→momentum, momentum→nesterov, adagrad→rmsprop: rows (0,1), (1,2), (2,3), (4,5)
    np.testing.assert_array_equal(rows[~np.isnan(rows)][:8], [0, 1, 1, 2, 2, 3, 4, 5])
    assert len(rows[~np.isnan(rows)]) == 2 * 9


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
    """What the page does: the race's specs through the engine, then the paths, statuses and notes."""
    runs = {opt: oc.run(opt.build(), surface, surface.start, steps, record=False) for opt in cc.race_specs(surface)}
    return cc.race_paths(runs, surface)


def test_the_race_is_all_nine_at_the_compare_pages_starting_settings():
    surf = oc.get_surface("rosenbrock")
    paths, statuses, notes = _race(surf, 120)
    assert [p.label for p in paths] == list(RACE) and notes == []
    assert statuses["Newton"] == "converged" and statuses["Gradient descent"] == "converging"
    for path, (name, hyper) in zip(paths, RACE.values()):
        want = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 120, record=False)
        np.testing.assert_allclose(path.points, want.params, rtol=1e-12, err_msg=path.label)
        assert path.color == color(name)
    fig = cc.race_figure(surf, paths)
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == list(RACE)  # one solid line per optimizer, in order
    assert all(t.line.width == 4 and t.x == (None,) for t in fig.data if t.showlegend is not False)
    assert len(fig.frames) == 40 and fig.layout.height == 560


def test_on_the_saddle_the_racers_that_leave_the_map_escaped_and_none_diverged():
    """1000 steps on x² − y² carry gradient descent and both momentum methods off the map along y, while the
    loss keeps falling: escaped, with no "try a smaller step size" note; Newton stops on the saddle point."""
    surf = oc.get_surface("saddle")
    paths, statuses, notes = _race(surf, 1000)
    for label, name, hyper in (("Gradient descent", "sgd", {"lr": 0.01}),
                               ("Momentum", "momentum", {"lr": 1e-3, "momentum": 0.9}),
                               ("Nesterov", "nesterov", {"lr": 1e-3, "momentum": 0.9})):
        run = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 1000, record=False)
        assert 300 < int(run.diverged_at) < 1000, name  # it left the map ...
        n = int(run.diverged_at) - 1
        assert np.all(np.diff(run.loss[n - 10: n + 1]) < 0) and run.loss[n] < -1000  # ... running downhill
        assert statuses[label] == "escaped"
    assert statuses["Adam"] == "escaped" and statuses["Newton"] == "converged"
    assert "diverged" not in statuses.values() and notes == []
    assert all(np.isfinite(p.points).all() for p in paths)  # a path that left stops at its last finite point


def test_the_race_exports_under_its_legend_names_and_presents_shorter():
    surf = oc.get_surface("rosenbrock")
    runs = {opt: oc.run(opt.build(), surf, surf.start, 1000, record=False).head(25) for opt in cc.race_specs(surf)}
    named = cc.export_runs(runs)
    assert list(named) == list(RACE)
    for label, (name, hyper) in RACE.items():  # a long run cut to 25 steps is the 25-step run
        want = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 25, record=False)
        np.testing.assert_array_equal(named[label].params, want.params)
    paths, _, _ = cc.race_paths(runs, surf)
    assert cc.race_figure(surf, paths, cc.DEFAULTS["presenter_race_height"]).layout.height == 440
