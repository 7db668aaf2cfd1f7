import numpy as np

from ui.figures.arrows import arrow_style, arrow_trace, arrow_xy


def test_one_arrow_is_two_points():
    assert arrow_xy([0.0, 1.0], [2.0, 3.0]) == {"x": [0.0, 2.0], "y": [1.0, 3.0]}


def test_many_arrows_are_separated_by_gaps():
    xy = arrow_xy([0.0, 0.0], np.array([[1.0, 0.0], [0.0, 2.0]]))  # one tail broadcast to two tips
    assert xy["x"] == [0.0, 1.0, None, 0.0, 0.0, None]
    assert xy["y"] == [0.0, 0.0, None, 0.0, 2.0, None]


def test_the_head_sits_on_the_tip_of_every_arrow():
    one = arrow_style("g", "#000000")
    assert one["marker"]["symbol"] == ["circle", "arrow"] and one["marker"]["size"] == [0, 17]
    three = arrow_style("g", "#000000", count=3, head=9)
    assert three["marker"]["symbol"] == ["circle", "arrow", "circle"] * 3
    assert three["marker"]["size"] == [0, 9, 0] * 3 and three["marker"]["angleref"] == "previous"


def test_arrow_trace_counts_its_arrows():
    t = arrow_trace("v", "#E69F00", [[0, 0], [1, 1]], [[1, 0], [1, 2]], width=2, outline="#5A3E00")
    assert len(t["x"]) == 6 and len(t["marker"]["symbol"]) == 6
    assert t["line"] == {"color": "#E69F00", "width": 2} and t["marker"]["line"]["color"] == "#5A3E00"
