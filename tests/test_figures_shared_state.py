"""Nothing one figure does reaches another: theme constants are read-only and figures copy what they take.

Every session builds its charts from the same theme constants, the same cached
default template and the same cached arrays. A touch-up of one student's chart
(``update_layout(font=…)``, a presenter-mode copy) must leave the next chart,
built for anyone, exactly as it would have been.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest

import optim_core as oc
from ui.figures import theme
from ui.figures.charts import line_chart, optimizer_series
from ui.figures.figure import Figure, default_template
from ui.pages import momentum


def _json(figure) -> str:
    return pio.to_json(figure.to_dict(), validate=False)


def _paths():
    surface = oc.get_surface("elongated_quadratic")
    runs = {m: oc.run(oc.make_optimizer(m, **momentum.hyper(m, 0.07, 0.1)), surface, surface.start, 20)
            for m in momentum.METHODS}
    return momentum.trajectory_figure(surface, runs, start=surface.start, at_step=3, method="momentum", lr=0.07,
                                      mu=0.1, height=540).figure


def _losses():
    return line_chart([optimizer_series("adam", "Adam", np.array([3.0, 2.0, 1.0]))], x_title="step",
                      y_title="loss", log_y=True, height=300)


@pytest.mark.parametrize("build", [_paths, _losses])
def test_changing_a_built_figure_leaves_the_next_one_as_the_first(build):
    first = _json(build())
    template = json.dumps(default_template(), sort_keys=True)
    changed = build()
    changed.update_layout(font={"size": 99, "color": "#FF0000"}, legend={"font": {"size": 3}},
                          template={"layout": {"paper_bgcolor": "#000000"}}, xaxis={"tickfont": {"size": 1}})
    changed.update_traces(line={"width": 0.5}, marker={"size": 1})
    presented = theme.presented(changed)
    assert json.loads(_json(changed))["layout"]["font"]["size"] == 99  # the change itself took
    assert json.loads(_json(presented))["layout"]["font"]["size"] >= theme.PRESENT_MIN_FONT_PX
    assert _json(build()) == first
    assert json.dumps(default_template(), sort_keys=True) == template


def test_the_dict_a_figure_hands_over_is_not_the_one_it_was_built_from():
    arrays = np.array([1.0, 2.0, 3.0])
    spec = {"data": [{"type": "scatter", "x": arrays, "y": arrays}], "layout": {"font": {"size": 20}}}
    figure = Figure(spec)
    figure.to_dict()
    figure.update_layout(font={"size": 30})
    assert spec == {"data": [{"type": "scatter", "x": arrays, "y": arrays}], "layout": {"font": {"size": 20}}}
    assert isinstance(spec["data"][0]["x"], np.ndarray)  # encoding made new containers, the caller's arrays stay


def test_base_layout_hands_out_copies_of_read_only_constants():
    layout = theme.base_layout()
    layout["font"]["size"] = 99
    layout["legend"]["font"]["size"] = 99
    layout["xaxis"]["tickfont"]["size"] = 99
    again = theme.base_layout()
    assert again["font"]["size"] == 16 and again["legend"]["font"]["size"] == 15
    assert again["xaxis"]["tickfont"]["size"] == 15
    for constant in (theme.FONT, theme.TICK_FONT, theme.LEGEND_FONT, theme.AXIS_TITLE_FONT, theme.TITLE_FONT,
                     theme.OPTIMIZER_COLORS, theme.MODEBAR):
        with pytest.raises(TypeError):
            constant["size"] = 1
