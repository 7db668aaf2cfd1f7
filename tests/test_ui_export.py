"""Exports: the CSV parses back to the engine's trajectories, and the HTML plays offline."""

import re

import numpy as np
import pytest

import optim_core as oc
from ui import export
from ui.figures.figure import Figure
from ui.figures.paths import Path, animated_paths


@pytest.fixture(scope="module")
def runs():
    s = oc.get_surface("rosenbrock")
    start = np.array([-1.2, 1.0])
    return {"Adam": oc.run(oc.make_optimizer("adam", lr=0.05), s, start, 40),
            "Momentum": oc.run(oc.make_optimizer("momentum", lr=2e-3, momentum=0.9), s, start, 25)}


def test_csv_parses_back_to_the_engines_numbers_exactly(runs):
    text = export.trajectories_csv(runs, ("m", "v", "velocity", "bias_correction1"))
    header = text.splitlines()[0].split(",")
    assert header == ["step", "optimizer", "x", "y", "loss", "m_x", "m_y", "v_x", "v_y", "velocity_x", "velocity_y",
                      "bias_correction1"]
    back = export.read_csv(text)
    assert list(back) == ["Adam", "Momentum"]
    for name, run in runs.items():
        cols = back[name]
        np.testing.assert_array_equal(cols["step"], np.arange(len(run.params)))
        np.testing.assert_array_equal(np.column_stack([cols["x"], cols["y"]]), run.params)  # exact: repr round trip
        np.testing.assert_array_equal(cols["loss"], run.loss)
    adam = back["Adam"]
    assert np.isnan(adam["m_x"][0])  # step 0 has no state yet
    np.testing.assert_array_equal(np.column_stack([adam["m_x"][1:], adam["m_y"][1:]]), runs["Adam"].records["m"])
    np.testing.assert_array_equal(adam["bias_correction1"][1:], runs["Adam"].records["bias_correction1"])
    np.testing.assert_allclose(adam["bias_correction1"][1:4], [0.1, 0.19, 0.271], rtol=1e-15)  # 1 − 0.9ᵗ
    assert np.isnan(adam["velocity_x"]).all() and np.isnan(back["Momentum"]["m_x"]).all()
    # by hand: Adam's first m is 0.1·∇L(−1.2, 1) = 0.1·(−215.6, −88)
    np.testing.assert_allclose([adam["m_x"][1], adam["m_y"][1]], [-21.56, -8.8], rtol=1e-12)


def test_csv_of_a_diverged_run_writes_inf_and_nan_words():
    s = oc.get_surface("elongated_quadratic")
    run = oc.run(oc.make_optimizer("sgd", lr=0.5), s, s.start, 400)
    assert bool(run.diverged)
    back = export.read_csv(export.trajectories_csv({"GD": run}))
    np.testing.assert_array_equal(back["GD"]["loss"], run.loss)  # inf and nan survive the round trip


def test_html_embeds_plotly_and_the_frames():
    s = oc.get_surface("rosenbrock")
    pts = np.column_stack([np.linspace(-1, 1, 41), np.linspace(0, 1, 41)])
    fig = animated_paths(s, [Path("A", pts, "#000000")])
    html = export.figure_html(fig, "momentum")
    assert html.startswith("<!doctype html>") and "<title>momentum</title>" in html
    assert len(html) > 3_000_000  # plotly.js itself is inside: no network needed
    assert not re.search(r"<script[^>]+src=\"https?:", html)
    call = html[html.rfind("Plotly.newPlot("):]
    assert len(re.findall(r'"name":"\d+"', call)) == 41  # every frame, step 0 to 40, travels with it
    plain = Figure({"data": [{"type": "scatter", "x": [1, 2], "y": [3, 4]}], "layout": {}})
    assert "Plotly.newPlot" in export.figure_html(plain, "x")
