import numpy as np
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, key, link_of, open_link, open_page, trace, widgets, xy
from ui import export

ROSENBROCK = oc.get_surface("rosenbrock")


@pytest.fixture(scope="module")
def opening():
    """The page at its defaults, for the checks that only read it."""
    return open_page("home")


def loss_caption(at) -> str:
    """The caption under the picture with the run's loss (beside the slider come the stability limits)."""
    return next(c.value for c in at.caption if c.value.startswith(("Loss at the start", "시작점의 손실")))


def badges(at) -> list[str]:
    return [m.value for m in at.main.markdown if "-badge[" in m.value]


def gd(lr, start=ROSENBROCK.start, surface=ROSENBROCK, steps=300):
    return oc.run(oc.make_optimizer("sgd", lr=lr), surface, np.asarray(start, dtype=float), steps)


def test_home_draws_gradient_descent_from_the_start_with_the_minimum(opening):
    at = opening
    assert_clean(at)
    fig = charts(at)[0]
    s = oc.get_surface("rosenbrock")
    want = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
    np.testing.assert_allclose(xy(trace(fig, "gradient descent")), want.params, rtol=1e-12)
    np.testing.assert_array_equal(xy(trace(fig, "minimum")), [[1.0, 1.0]])
    np.testing.assert_array_equal(xy(trace(fig, "start")), [s.start])
    # the arrow: from the start along −∇L(−1.2, 1) = (215.6, 88), 0.18 × the half-width 2 long
    arrow = xy(trace(fig, "−∇L (which way)"))
    np.testing.assert_array_equal(arrow[0], [-1.2, 1.0])
    unit = np.array([215.6, 88.0]) / np.hypot(215.6, 88.0)
    np.testing.assert_allclose(arrow[1] - arrow[0], 0.36 * unit, rtol=1e-12)
    assert len(fig["frames"]) == 60
    markdown = " ".join(m.value for m in at.markdown)
    assert "argmin" in markdown and "optimizer" in markdown
    assert any(r"\arg\min" in x.value for x in at.latex)
    assert any(r"W_{c+1} = W_c - t\,\nabla L(W_c)" in x.value for x in at.latex)
    # L(−1.2, 1) = 2.2² + 100·0.44² = 24.2
    assert loss_caption(at) == f"Loss at the start: 24.2 · after 300 steps: {want.loss[-1]:.4g}"
    assert want.loss[-1] < 24.2 / 5
    assert not at.warning
    # the loss fell every step (checked here), so the badge says it is still on its way
    assert (np.diff(want.loss) < 0).all() and np.linalg.norm(want.params[-1] - [1.0, 1.0]) > 0.5
    assert badges(at) == ["**Gradient descent** :blue-badge[still converging]"]
    assert pagetest.chart_bytes(at)[0] < 1_000_000


def test_every_surface_and_the_extreme_settings_run():
    at = open_page("home")
    for name in oc.SURFACE_NAMES:
        at.selectbox(key=key("home", "surface")).set_value(name).run()
        assert_clean(at)
        fig = charts(at)[0]
        s = oc.get_surface(name)
        assert fig["layout"]["xaxis"]["range"] == list(s.bounds[0])
        want = oc.run(oc.make_optimizer("sgd", lr=1e-3), s, s.start, 300)
        np.testing.assert_allclose(xy(trace(fig, "gradient descent")), want.params, rtol=1e-12)
    at.selectbox(key=key("home", "surface")).set_value("rosenbrock").run()
    for lr in (1e-4, 0.3):
        at.select_slider(key=key("home", "lr")).set_value(lr).run()
        assert_clean(at)
    # 0.3 blows up on Rosenbrock: a notice naming optim_core's step, and a finite path
    s = oc.get_surface("rosenbrock")
    blown = oc.run(oc.make_optimizer("sgd", lr=0.3), s, s.start, 300)
    assert bool(blown.diverged)
    assert int(blown.diverged_at) == 1 and (blown.params == ROSENBROCK.start).all()  # the first step already flew off
    assert [w.value for w in at.warning] == [
        "Gradient descent diverged at step 1: try a smaller step size. "
        "The chart shows the path up to the last finite point."]
    # the caption no longer quotes the frozen start loss as the loss "after 300 steps"
    assert loss_caption(at) == ("Loss at the start: 24.2 · diverged: the run blew up at step 1, "
                                    "so there is no loss after 300 steps")
    assert badges(at) == ["**Gradient descent** :red-badge[diverged]"]
    path = xy(trace(charts(at)[0], "gradient descent"))
    assert np.isfinite(path).all()
    np.testing.assert_allclose(path, blown.params, rtol=1e-12)
    for name, value in (("x", -2.0), ("y", 3.0), ("x", 2.0), ("y", -1.0)):
        at.slider(key=key("home", name, "rosenbrock")).set_value(value).run()
        assert_clean(at)
    assert xy(trace(charts(at)[0], "start")).tolist() == [[2.0, -1.0]]


def test_the_step_size_slider_changes_the_path():
    at = open_page("home")
    assert [w.key for w in at.main.select_slider] == [key("home", "lr")]  # in the main column, not the sidebar
    assert key("home", "lr") not in [w.key for w in at.sidebar.select_slider]
    s = oc.get_surface("rosenbrock")
    at.select_slider(key=key("home", "lr")).set_value(1e-4).run()
    assert_clean(at)
    slow = oc.run(oc.make_optimizer("sgd", lr=1e-4), s, s.start, 300)
    np.testing.assert_allclose(xy(trace(charts(at)[0], "gradient descent")), slow.params, rtol=1e-12)
    assert loss_caption(at).endswith(f"after 300 steps: {slow.loss[-1]:.4g}")
    assert slow.loss[-1] == pytest.approx(float(s.value(slow.params[-1])))


def test_a_surface_remembers_its_start_point_after_a_visit_elsewhere():
    at = open_page("home")
    at.slider(key=key("home", "x", "rosenbrock")).set_value(0.5).run()
    at.selectbox(key=key("home", "surface")).set_value("saddle").run()
    assert xy(trace(charts(at)[0], "start")).tolist() == [list(oc.get_surface("saddle").start)]
    at.selectbox(key=key("home", "surface")).set_value("rosenbrock").run()
    assert_clean(at)
    assert xy(trace(charts(at)[0], "start")).tolist() == [[0.5, 1.0]]


def click(at, name: str):
    pagetest.pick_scene(at, "home", name)
    assert_clean(at)
    return xy(trace(charts(at)[0], "gradient descent"))


def test_scene_a_good_step_is_the_default_picture():
    at = open_page("home")
    before = xy(trace(charts(at)[0], "gradient descent"))
    np.testing.assert_array_equal(click(at, "good_step"), before)
    assert any(c.value.startswith("**A good step.** t = 0.001 on Rosenbrock") for c in at.caption)


def test_scene_too_large_a_step_blows_up_and_says_so():
    at = open_page("home")
    path = click(at, "too_large")
    blown = gd(1e-2)
    # by hand: ∇L(−1.2, 1) = (−215.6, −88), so the first step lands at (−1.2 + 2.156, 1 + 0.88) = (0.956, 1.88)
    np.testing.assert_allclose(path[1], [0.956, 1.88], rtol=1e-12)
    np.testing.assert_allclose(path, blown.params, rtol=1e-12)
    assert int(blown.diverged_at) == 3 and abs(path[2, 0]) > 2  # the second step lands off the map (|x| > 2)
    assert badges(at) == ["**Gradient descent** :red-badge[diverged]"]
    assert loss_caption(at).endswith("diverged: the run blew up at step 3, so there is no loss after 300 steps")
    assert len(at.warning) == 1 and "step size" in at.warning[0].value
    assert at.session_state[key("home", "lr")] == 1e-2
    assert any(c.value.startswith("**Too large a step.**") for c in at.caption)
    assert link_of(at) == {**DEFAULT_LINK, "lr": "0.01"}  # the address bar names the settings, not the scene


def test_scene_start_on_the_far_side():
    at = open_page("home")
    path = click(at, "far_side")
    np.testing.assert_array_equal(path[0], [1.5, 2.5])
    want = gd(1e-3, start=(1.5, 2.5))
    np.testing.assert_allclose(path, want.params, rtol=1e-12)
    # L(1.5, 2.5) = 0.5² + 100·(2.5 − 2.25)² = 6.5; the run ends in the valley's arm at x > 1, beyond ★
    assert loss_caption(at) == f"Loss at the start: 6.5 · after 300 steps: {want.loss[-1]:.4g}"
    assert want.params[-1][0] > 1.0 and want.loss[-1] < 0.25
    assert not at.warning
    # the start sticks: the sidebar sliders show the scene's point
    assert [at.slider(key=key("home", c, "rosenbrock")).value for c in "xy"] == [1.5, 2.5]


def test_on_the_saddle_a_run_that_leaves_the_map_is_escaped_not_diverged():
    at = open_page("home")
    at.selectbox(key=key("home", "surface")).set_value("saddle").run()
    at.select_slider(key=key("home", "lr")).set_value(0.03).run()
    assert_clean(at)
    saddle = oc.get_surface("saddle")
    run = gd(0.03, start=saddle.start, surface=saddle)
    assert int(run.diverged_at) >= 0 and (np.diff(run.loss[: int(run.diverged_at)]) < 0).all()  # always downhill
    assert badges(at) == ["**Gradient descent** :violet-badge[escaped (the loss keeps falling off the map)]"]
    assert not at.warning
    assert "diverged" not in loss_caption(at) and "escaped" in loss_caption(at)




# --- Classroom mode: links, reset, export ---------------------------------------------------

DEFAULT_LINK = {"surface": "rosenbrock", "x": "-1.2", "y": "1", "lr": "0.001", "step": "0",  # the step on screen
                "lang": "en"}  # the language too


def test_the_page_writes_every_widget_into_the_link(opening):
    assert link_of(opening) == DEFAULT_LINK
    assert set(widgets(opening)) == {key("home", "surface"), key("home", "x", "rosenbrock"),
                                     key("home", "y", "rosenbrock"), key("home", "lr"), key("home", "step"),
                                     key("home", "schedule"), key("home", "tol"), "present", "lang"}
    # presenter mode, a schedule and a stop condition join the link only when they are on


def test_a_link_carries_the_start_and_step_size_to_a_fresh_session():
    at = open_page("home")
    at.select_slider(key=key("home", "lr")).set_value(3e-3).run()
    at.slider(key=key("home", "x", "rosenbrock")).set_value(0.5).run()
    link = link_of(at)
    assert link == {**DEFAULT_LINK, "x": "0.5", "lr": "0.003"}
    fresh = open_link("home", link)
    assert_clean(fresh)
    assert widgets(fresh) == widgets(at)
    path = xy(trace(charts(fresh)[0], "gradient descent"))
    np.testing.assert_allclose(path, gd(3e-3, start=(0.5, 1.0)).params, rtol=1e-12)
    # by hand: ∇L(0.5, 1) = (−2·0.5 − 400·0.5·0.75, 200·0.75) = (−151, 150), so W₁ = (0.5 + 0.453, 1 − 0.45)
    np.testing.assert_allclose(path[1], [0.953, 0.55], rtol=1e-12)
    assert link_of(fresh) == link


def test_a_link_on_another_surface_gives_that_surfaces_start_sliders():
    at = open_link("home", {"surface": "himmelblau", "x": "2.5", "y": "-1", "lr": "0.01"})
    assert_clean(at)
    assert not at.info
    himmelblau = oc.get_surface("himmelblau")
    assert [at.slider(key=key("home", c, "himmelblau")).value for c in "xy"] == [2.5, -1.0]
    np.testing.assert_allclose(xy(trace(charts(at)[0], "gradient descent")),
                               gd(0.01, start=(2.5, -1.0), surface=himmelblau).params, rtol=1e-12)


def test_junk_leaves_the_address_bar(opening):
    at = open_link("home", {"lr": "abc", "scene": "nope", "present": "maybe", "k": "x" * 20_000})
    assert_clean(at)
    assert len(at.info) == 1
    assert link_of(at) == DEFAULT_LINK
    assert pagetest.chart_json(at) == pagetest.chart_json(opening)


def test_reset_after_a_scene_drops_its_start_caption_and_warning():
    at = open_page("home")
    click(at, "far_side")
    at.select_slider(key=key("home", "lr")).set_value(0.3).run()
    at.selectbox(key=key("home", "surface")).set_value("saddle").run()
    at.button(key="_reset_home").click().run()
    assert_clean(at)
    assert at.session_state[key("home", "lr")] == 1e-3 and at.session_state[key("home", "surface")] == "rosenbrock"
    assert [at.slider(key=key("home", c, "rosenbrock")).value for c in "xy"] == [-1.2, 1.0]  # not the scene's
    assert link_of(at) == DEFAULT_LINK
    assert not at.warning and not any(c.value.startswith("**") for c in at.caption)  # no scene caption left


def test_the_csv_export_is_the_run_on_screen_and_the_html_plays_offline(downloads):
    at = open_page("home")
    at.select_slider(key=key("home", "lr")).set_value(1e-2).run()  # the run that blows up at step 3
    back = export.read_csv(pagetest.download(at, downloads, "_home_csv"))
    want = gd(1e-2)
    assert list(back) == ["Gradient descent"]
    np.testing.assert_array_equal(back["Gradient descent"]["step"], np.arange(301))
    np.testing.assert_array_equal(np.column_stack([back["Gradient descent"]["x"], back["Gradient descent"]["y"]]),
                                  want.params)
    np.testing.assert_array_equal(back["Gradient descent"]["loss"], want.loss)
    np.testing.assert_allclose(want.params[1], [0.956, 1.88], rtol=1e-12)  # by hand, as in the scene test
    html = pagetest.download(at, downloads, "_home_html")
    assert "<title>home</title>" in html and "gradient descent" in html
    assert len(html) > 1_000_000 and '<script src="http' not in html  # plotly.js is inside: it plays offline


def test_presenter_mode_link_draws_the_chart_with_larger_type():
    at = open_link("home", {"present": "1"})
    assert_clean(at)
    assert not at.info
    layout = charts(at)[0]["layout"]
    assert layout["height"] == 600 and layout["font"]["size"] >= 18  # 1280×720 until the browser reports
    assert link_of(at) == {**DEFAULT_LINK, "present": "1"}


# --- Languages (every scene in Korean and the opening in the pseudo-language: tests/test_pages.py) ----------


def test_the_diverged_warning_and_badge_come_from_the_catalogs():
    at = open_page_in("home", "xx", {"scene": "too_large"})
    assert_clean(at)
    assert at.warning and untranslated(at) == []


@pytest.mark.parametrize("scene", ["good_step", "too_large"])
def test_the_badge_and_the_loss_caption_in_korean(scene):
    at = open_page_in("home", "ko", {"scene": scene})
    assert_clean(at)
    assert badges(at)[0].startswith("**경사 하강법** ")
    assert loss_caption(at).startswith("시작점의 손실: ")
