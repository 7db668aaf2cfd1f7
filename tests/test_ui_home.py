"""The Home page's pieces, called directly (no Streamlit): the steepest-descent arrow and the figure."""

import json

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode, trace, xy
from ui.pages import home as uh
from ui.registry import scene_state, widget_key


def _plain(fig) -> dict:
    """The figure as Streamlit sends it (JSON, base64 arrays decoded)."""
    return decode(json.loads(fig.to_json()))


# the arrow is 0.18 of the plot's smaller half-width: rosenbrock 4 × 4 → 0.36, the bowl 12 × 6 → 0.54, …
@pytest.mark.parametrize(("name", "start", "length"), [
    ("rosenbrock", (-1.2, 1.0), 0.36),
    ("rosenbrock", (1.5, -0.5), 0.36),
    ("elongated_quadratic", (-5.0, 1.5), 0.54),
    ("himmelblau", (-0.3, -0.9), 0.9),
    ("least_squares", (-1.6, 1.7), 0.27),
])
def test_descent_arrow_points_down_the_gradient_at_a_fixed_share_of_the_plot(name, start, length):
    s = oc.get_surface(name)
    arrow = uh.descent_arrow(s, start)
    points = xy(arrow)
    assert points.shape == (2, 2)
    np.testing.assert_array_equal(points[0], start)  # the tail sits on the start ring
    step = points[1] - points[0]
    assert np.linalg.norm(step) == pytest.approx(length, rel=1e-9)
    g = s.grad(np.asarray(start))
    np.testing.assert_allclose(step / np.linalg.norm(step), -g / np.linalg.norm(g), rtol=1e-12, atol=1e-15)
    assert arrow["name"] == "−∇L (which way)"
    assert arrow["line"]["color"] == arrow["marker"]["color"] == "#A63D00"
    assert arrow["marker"]["symbol"] == ["circle", "arrow"] and arrow["marker"]["size"][1] == 18


def test_rosenbrock_arrow_by_hand():
    # ∇L(−1.2, 1) = (−215.6, −88): −∇L/‖∇L‖ · 0.36 from (−1.2, 1)
    arrow = xy(uh.descent_arrow(oc.get_surface("rosenbrock"), (-1.2, 1.0)))
    unit = np.array([215.6, 88.0]) / np.hypot(215.6, 88.0)
    np.testing.assert_allclose(arrow[1], np.array([-1.2, 1.0]) + 0.36 * unit, rtol=1e-12)


def test_a_flat_point_gives_a_zero_length_arrow_not_nan():
    arrow = xy(uh.descent_arrow(oc.get_surface("saddle"), (0.0, 0.0)))  # ∇L = 0 at the saddle point
    np.testing.assert_array_equal(arrow, [[0.0, 0.0], [0.0, 0.0]])


def test_figure_draws_the_given_path_the_arrow_and_the_landmarks():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
    fig = _plain(uh.figure(s, traj.params, s.start))
    np.testing.assert_allclose(xy(trace(fig, "gradient descent")), traj.params, rtol=1e-12)
    assert trace(fig, "gradient descent")["line"]["color"] == "#000000"  # GD is black on every page
    np.testing.assert_array_equal(xy(trace(fig, "minimum")), [[1.0, 1.0]])
    np.testing.assert_array_equal(xy(trace(fig, "start")), [s.start])
    np.testing.assert_array_equal(xy(trace(fig, "−∇L (which way)"))[0], s.start)
    assert len(fig["frames"]) == 60  # 301 points, capped at 60 frames
    assert fig["layout"]["xaxis"]["range"] == [-2.0, 2.0]


def test_loss_caption_counts_the_steps():
    assert uh.loss_caption(np.array([24.2, 5.0, 0.123456])) == "Loss at the start: 24.2 · after 2 steps: 0.1235"


def test_loss_caption_of_a_run_that_blew_up_quotes_no_end_loss():
    frozen = np.array([24.2, 24.2, 24.2, 24.2])  # run() repeats the last finite row after a blow-up
    assert uh.loss_caption(frozen, np.int64(1), "diverged") == (
        "Loss at the start: 24.2 · diverged: the run blew up at step 1, so there is no loss after 3 steps")
    falling = np.array([3.0, 1.0, -2.0, -2.0])
    assert uh.loss_caption(falling, 3, "escaped") == (
        "Loss at the start: 3 · escaped: the run went downhill off the map at step 3, the loss still falling "
        "(-2 just before)")


def test_scenes_set_every_widget_that_shapes_the_picture():
    assert [s.title for s in uh.SCENES] == ["A good step", "Too large a step", "Start on the far side"]
    for scene in uh.SCENES:
        s = scene.settings
        assert set(s) == {"surface", "lr", "x", "y"} and s["surface"] == "rosenbrock" and s["lr"] in uh.LR_OPTIONS
        assert scene_state(scene)[widget_key("home", "start", "rosenbrock")] == (s["x"], s["y"])
        assert len(scene.caption) < 120  # one line


def test_the_default_step_size_is_one_of_the_sliders_options():
    assert uh.LR in uh.LR_OPTIONS
    assert list(uh.LR_OPTIONS) == sorted(uh.LR_OPTIONS)  # a select slider needs them in order


def test_presenter_mode_gets_a_shorter_figure_of_the_same_run():
    s = oc.get_surface("rosenbrock")
    traj = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
    normal, shorter = (json.loads(uh.figure(s, traj.params, s.start, h).to_json())
                       for h in (uh.HEIGHT, 460))
    assert (normal["layout"].pop("height"), shorter["layout"].pop("height")) == (600, 460)
    assert normal == shorter  # the same picture, only shorter
