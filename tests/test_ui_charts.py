import numpy as np

from pagetest import decode
from ui.figures.charts import Series, line_chart, thin


def test_thin_keeps_ends_and_count():
    np.testing.assert_array_equal(thin(4, 10), [0, 1, 2, 3])
    idx = thin(10_001, 600)
    assert len(idx) == 600 and idx[0] == 0 and idx[-1] == 10_000


def test_log_axis_leaves_gaps_for_non_positive_values():
    fig = line_chart([Series("a", np.array([1.0, 0.0, -1.0, 0.1]), "#000000")], x_title="step",
                     y_title="loss", log_y=True).to_dict()
    fig = decode(fig)
    y = np.asarray(fig["data"][0]["y"], dtype=float)
    assert y[0] == 1.0 and np.isnan(y[1]) and np.isnan(y[2]) and y[3] == 0.1
    assert fig["layout"]["yaxis"]["type"] == "log"
    np.testing.assert_array_equal(fig["data"][0]["x"], [0, 1, 2, 3])


def test_explicit_x_and_thinning():
    x = np.linspace(0, 1, 5000)
    fig = line_chart([Series("a", x**2, "#000000", x=x)], x_title="x", y_title="y", max_points=100).to_dict()
    fig = decode(fig)
    xs, ys = np.asarray(fig["data"][0]["x"]), np.asarray(fig["data"][0]["y"])
    assert len(xs) == 100 and xs[-1] == 1.0
    np.testing.assert_allclose(ys, xs**2)


def test_type_is_14_px_or_more_and_optimizer_series_carry_their_dash():
    from ui.figures.charts import optimizer_series
    from ui.figures.theme import OPTIMIZER_COLORS, OPTIMIZER_DASHES

    s = optimizer_series("adam", None, np.array([3.0, 2.0, 1.0]))
    assert (s.label, s.color, s.dash) == ("Adam", OPTIMIZER_COLORS["adam"], OPTIMIZER_DASHES["adam"])
    assert optimizer_series("sgd", "GD, t=0.1", [1.0], width=5.0).width == 5.0
    fig = decode(line_chart([s, optimizer_series("momentum", None, np.ones(3))], x_title="step", y_title="loss",
                            log_y=True, title="Loss").to_dict())
    layout = fig["layout"]
    assert layout["xaxis"]["tickfont"]["size"] >= 14 and layout["yaxis"]["tickfont"]["size"] >= 14
    assert layout["xaxis"]["title"]["font"]["size"] >= 16 and layout["title"]["font"]["size"] >= 16
    assert layout["legend"]["font"]["size"] >= 14
    assert [t["line"]["dash"] for t in fig["data"]] == ["longdashdot", "dash"]
