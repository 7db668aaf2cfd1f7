"""The Adaptive page's builders, called directly (no Streamlit)."""

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

import optim_core as oc
from pagetest import decode
from ui import adaptive as ua
from ui.theme import PARAMETER_COLORS, color, label

DECK = np.array([[3.0, 1.0], [-2.0, 1.0], [1.0, 1.0]])


def _plain(fig) -> dict:
    return decode(json.loads(fig.to_json()))


def _runs(lr=0.3, steps=40, surface="elongated_quadratic"):
    s = oc.get_surface(surface)
    return s, {m: oc.run(oc.make_optimizer(m, **ua.hyper(m, lr, 0.9, 0.9, 0.999)), s, s.start, steps)
               for m in ua.METHODS}


def test_hyper_gives_each_method_its_own_settings():
    assert ua.hyper("adagrad", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1}
    assert ua.hyper("rmsprop", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1, "rho": 0.9}
    assert ua.hyper("adam", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1, "beta1": 0.8, "beta2": 0.99}


def test_default_gradients_are_the_decks():
    frame = ua.gradients_frame()
    assert list(frame.columns) == list(ua.GRAD_COLUMNS)
    np.testing.assert_array_equal(frame.to_numpy(), DECK)


def test_deck_table_sums_and_step_sizes():
    table = ua.adagrad_table(DECK)
    assert list(table.columns) == list(ua.TABLE_COLUMNS)
    np.testing.assert_array_equal(table["c"], [1, 2, 3])
    np.testing.assert_array_equal(table[["g₁²", "g₂²"]], [[9, 1], [4, 1], [1, 1]])
    np.testing.assert_array_equal(table[["Σ g₁²", "Σ g₂²"]], [[9, 1], [13, 2], [14, 3]])
    np.testing.assert_allclose(table["t̃₁"], [1 / 3, 1 / math.sqrt(13), 1 / math.sqrt(14)], rtol=1e-15)
    np.testing.assert_allclose(table["t̃₂"], [1, 1 / math.sqrt(2), 1 / math.sqrt(3)], rtol=1e-15)


def test_table_follows_edited_gradients():
    table = ua.adagrad_table([[3.0, 1.0], [4.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
    np.testing.assert_allclose(table["Σ g₁²"], [9, 25, 26, 30])
    np.testing.assert_allclose(table["Σ g₂²"], [1, 2, 3, 3.25])
    np.testing.assert_allclose(table["t̃₁"], [1 / 3, 1 / 5, 1 / math.sqrt(26), 1 / math.sqrt(30)])
    np.testing.assert_allclose(table["t̃₂"], [1, 1 / math.sqrt(2), 1 / math.sqrt(3), 1 / math.sqrt(3.25)])


def test_a_parameter_with_only_zero_gradients_has_no_step_size_yet():
    sums, sizes = ua.adagrad_steps([[0.0, 2.0], [0.0, 0.0], [3.0, 0.0]])  # no RuntimeWarning (they are errors)
    np.testing.assert_array_equal(sums, [[0, 4], [0, 4], [9, 4]])
    assert np.isnan(sizes[0, 0]) and np.isnan(sizes[1, 0])
    np.testing.assert_allclose(sizes[2], [1 / 3, 1 / 2])


@pytest.mark.parametrize("rows, want", [
    ([[3, 1], [-2, 1]], [[3, 1], [-2, 1]]),
    ([["3", " 1 "], ["−2", "0.5"]], [[3, 1], [-2, 0.5]]),  # typed text, typographic minus
    (pd.DataFrame({"a": [1.5], "b": [-0.25]}), [[1.5, -0.25]]),
])
def test_parse_gradients_accepts_numbers(rows, want):
    np.testing.assert_array_equal(ua.parse_gradients(rows), want)


@pytest.mark.parametrize("rows, message", [
    ([[3, None]], "Row 1, g₂ is empty"),
    ([[3, 1], [float("nan"), 1]], "Row 2, g₁ is empty or not a number"),
    ([[3, 1], ["abc", 1]], "Row 2, g₁: 'abc' is not a number"),
    ([[3, ""]], "Row 1, g₂ is empty"),
    ([[float("inf"), 1]], "Row 1, g₁ must be a finite number"),
    ([[2e6, 1]], "Row 1, g₁: 2e+06 is too large"),
    ([[True, 1]], "is not a number"),
    ([[1, 2, 3]], "Row 1 must have exactly two gradients"),
    ([], "at least one row"),
    ([[1, 1]] * 11, "At most 10 rows of gradients, got 11"),
])
def test_parse_gradients_rejects_bad_cells_with_a_clear_message(rows, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ua.parse_gradients(rows)


def test_exact_step_size_matches_the_deck_notation():
    assert ua.exact_step_size(14.0) == "1/√14"
    assert ua.exact_step_size(3.0) == "1/√3"
    assert ua.exact_step_size(1.0) == "1"
    assert ua.exact_step_size(3.25) == f"{1 / math.sqrt(3.25):.4g}"
    assert ua.exact_step_size(0.0).startswith("undefined")


def test_step_size_dots_follow_the_records():
    sizes = np.array([[0.5, 0.1], [0.4, 0.2], [0.3, 0.3]])
    assert ua.step_size_at(sizes, 0) == {"x": [], "y": []}
    assert ua.step_size_at(sizes, 2) == {"x": [2, 2], "y": [0.4, 0.2]}
    assert ua.step_size_at(sizes, 9) == {"x": [3, 3], "y": [0.3, 0.3]}  # clipped to the last step


def test_combined_figure_lines_paths_and_moving_dots():
    s, runs = _runs()
    sizes = {m: r.records["step_size"] for m, r in runs.items()}
    fig = _plain(ua.combined_figure(s, {m: r.params for m, r in runs.items()}, sizes, start=s.start))
    data = fig["data"]
    for m in ua.METHODS:
        path = next(t for t in data if t.get("name") == label(m))
        np.testing.assert_allclose(np.column_stack([path["x"], path["y"]]), runs[m].params)
        assert path["line"]["color"] == color(m)
        lines = [t for t in data if t.get("meta") == m]
        assert len(lines) == 2
        for k, line in enumerate(lines):
            np.testing.assert_array_equal(line["x"], np.arange(1, 41))
            np.testing.assert_allclose(line["y"], sizes[m][:, k])
            assert line["line"]["color"] == PARAMETER_COLORS[k]
        assert fig["layout"][line["yaxis"].replace("y", "yaxis")]["type"] == "log"
        dot = next(i for i, t in enumerate(data) if t.get("name") == f"{label(m)} now")
        frame = next(f for f in fig["frames"] if f["name"] == "17")
        moved = frame["data"][list(frame["traces"]).index(dot)]
        np.testing.assert_allclose(moved["x"], [17, 17])
        np.testing.assert_allclose(moved["y"], sizes[m][16])
    shown = [t.get("name") for t in data if t.get("showlegend", True) and t.get("name")]
    assert "minimum" not in shown and "start" not in shown
    assert fig["layout"]["xaxis"]["domain"] == [0, ua.SPLIT]
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["<b>AdaGrad</b>", "<b>RMSProp</b>", "<b>Adam</b>"]


def test_adagrad_step_sizes_only_shrink_and_rmsprop_recovers():
    """The page's claim, on its default surface: AdaGrad's t̃ never grows; RMSProp's grows back."""
    _, runs = _runs(steps=200)
    ada = runs["adagrad"].records["step_size"]
    assert (np.diff(ada, axis=0) <= 0).all()
    rms = runs["rmsprop"].records["step_size"]
    assert rms[-1, 0] > 10 * rms[0, 0]
    assert (ada[-1] < ada[0]).all()
    assert ada[-1, 0] > ada[-1, 1]  # the flat direction W₁ keeps the larger step size
