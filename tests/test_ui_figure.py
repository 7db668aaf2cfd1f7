import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.tools import return_figure_from_figure_or_data

from pagetest import decode
from ui.figures.figure import Figure


def _spec():
    return {"data": [{"type": "scatter", "x": np.array([0.0, 1.0, 2.0]), "y": np.array([1.0, 4.0, 9.0]),
                      "name": "a", "line": {"width": 3}}],
            "layout": {"height": 321, "title": {"text": "t"}},
            "frames": [{"name": "0", "data": [{"x": [0.5], "y": [0.25]}], "traces": [0]}]}


def test_streamlit_gets_the_dict_as_built_without_a_copy():
    fig = Figure(_spec())
    handed = return_figure_from_figure_or_data(fig, validate_figure=True)  # what st.plotly_chart calls
    assert handed is fig.to_dict()
    assert handed["data"][0]["y"]["dtype"] == "f8"  # arrays travel base64-encoded, as Plotly's own to_dict does
    np.testing.assert_array_equal(decode(handed)["data"][0]["y"], [1.0, 4.0, 9.0])


def test_the_json_equals_a_validated_figures_json():
    ours = json.loads(pio.to_json(Figure(_spec()).to_dict(), validate=False))
    plotly = json.loads(pio.to_json(go.Figure(_spec()), validate=False))
    for frame in plotly["frames"]:  # validation names each frame trace's type; plotly.js takes it from the trace
        for trace in frame["data"]:
            assert trace.pop("type") == "scatter"
    assert _same(decode(ours), decode(plotly))


def _same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, np.ndarray)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def test_the_object_api_still_works_and_edits_reach_the_output():
    fig = Figure(_spec())
    assert fig.data[0].name == "a" and fig.layout.height == 321 and len(fig.frames) == 1
    fig.to_dict()  # as Streamlit does first: arrays become base64 in place
    np.testing.assert_array_equal(fig.data[0].y, [1.0, 4.0, 9.0])  # and come back as arrays
    fig.update_traces(line_width=7)
    fig.update_layout(height=400)
    out = fig.to_dict()
    assert out["data"][0]["line"]["width"] == 7 and out["layout"]["height"] == 400
    np.testing.assert_array_equal(decode(out)["data"][0]["x"], [0.0, 1.0, 2.0])


def test_a_bad_attribute_still_raises():
    fig = Figure(_spec())
    try:
        fig.no_such_thing  # noqa: B018
    except AttributeError:
        pass
    else:
        raise AssertionError("expected AttributeError")


def test_axis_ranges_stay_plain_lists_and_nested_arrays_are_encoded():
    spec = {"data": [{"type": "scatter", "x": np.arange(3.0), "y": np.arange(3.0),
                      "marker": {"size": np.array([1.0, 2.0, 3.0])}}],
            "layout": {"xaxis": {"range": np.array([0.0, 2.0])}}}
    out = Figure(spec).to_dict()
    assert isinstance(out["layout"]["xaxis"]["range"], np.ndarray)  # left for the JSON encoder: a plain list
    assert out["data"][0]["marker"]["size"]["dtype"] == "f8"
    assert json.loads(pio.to_json(out, validate=False))["layout"]["xaxis"]["range"] == [0.0, 2.0]
