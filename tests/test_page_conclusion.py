"""The Conclusion page through AppTest: the timeline's ideas and years, the references, the final race.

What every page does alike (links, junk links, reset from a scene, the pseudo-language and Korean sweeps) is
tests/test_pages.py; this file holds the Conclusion page's own numbers and words.
"""

import numpy as np
import pytest
from i18ntest import hangul_share, open_page_in, untranslated
from test_ui_conclusion import RACE  # all nine at the Compare page's starting settings, written out

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, open_page, trace, xy
from ui import export, registry

PAGE = "conclusion"
SURFACE, STEPS = pagetest.key(PAGE, "surface"), pagetest.key(PAGE, "steps")
DEFAULT_LINK = {"surface": "rosenbrock", "steps": "300"}


@pytest.fixture(scope="module")
def opened():
    """The sessions the read-only checks share: ``opened()`` at the defaults, ``opened(name)`` by a scene's link."""
    return pagetest.sessions(PAGE)


def _scene(name):
    return pagetest.scene(PAGE, name)


def page_link(at) -> dict[str, str]:
    """The page's own settings in the link: the language (``lang``) is the whole app's, kept by every page."""
    return {name: value for name, value in pagetest.link_of(at).items() if name != "lang"}


def test_the_timeline_chart_holds_every_idea_at_its_year(opened):
    page = opened()
    timeline = charts(page)[0]
    ideas = trace(timeline, "ideas")
    years = [int(y) for y in timeline["layout"]["yaxis"]["ticktext"]]
    rows = np.asarray(ideas["y"], dtype=int)
    names = [t.replace("<br>", " ").strip() for t in ideas["text"]]
    assert dict(zip(names, [years[r] for r in rows])) == {
        "Gradient descent": 1847, "SGD / mini-batch": 1951, "Momentum": 1964, "Nesterov": 1983, "AdaGrad": 2011,
        "RMSProp": 2012, "Momentum for deep nets": 2013, "Adam / AdaMax": 2015, "Survey: SGD at scale": 2018,
        "Lookahead": 2019, "Ranger = RAdam + Lookahead": 2019}
    assert len(timeline["frames"]) == 11
    first, last = timeline["frames"][0]["data"], timeline["frames"][-1]["data"]
    assert list(first[0]["y"]) == [0] and list(last[0]["y"]) == list(range(11))
    play = timeline["layout"]["updatemenus"][0]["buttons"][0]
    assert play["label"] == "▶ Play" and play["args"][1]["frame"]["redraw"] is False


def test_references_and_one_line_per_idea_are_on_the_page(opened):
    page = opened()
    text = "\n".join(m.value for m in page.markdown)
    for must in ("Kingma", "arXiv:1412.6980", "Zhang, M. R., Lucas, J., Hinton, G., & Ba, J. (2019)", "NeurIPS 2019",
                 "Bottou, L., Curtis, F. E., & Nocedal, J. (2018)", "SIAM Review", "Sutskever", "ICML",
                 "Polyak", "Nesterov, Y. (1983)", "Duchi, J., Hazan, E., & Singer, Y. (2011)", "Tieleman", "RAdam",
                 "Cauchy, A.-L. (1847)", "Robbins, H., & Monro, S. (1951)", "Wright, L. (2019)"):
        assert must in text, must
    assert "\n12. Wright" in text and "\n13. " not in text  # twelve sources, numbered once each
    for year, name in ((1847, "Gradient descent"), (1964, "Momentum"), (2015, "Adam / AdaMax"), (2019, "Lookahead")):
        assert f"| {year} | **{name}** |" in text
    assert "Momentum with μ = 0 is gradient descent" in text
    assert [h.value for h in page.subheader] == ["One line per idea", "What to remember",
                                                 "One last race: all nine on the Rosenbrock valley", "References"]
    assert r"\odot \nabla L(W_c)" in page.latex[0].value


def test_the_final_race_is_every_optimizer_at_the_compare_defaults(opened):
    page = opened()
    race = charts(page)[1]
    surf = oc.get_surface("rosenbrock")
    for label, (name, hyper) in RACE.items():
        expected = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 300, record=False)
        np.testing.assert_allclose(xy(trace(race, label)), expected.params, err_msg=label)
    assert len(race["frames"]) == 40
    legend = [t["name"] for t in race["data"] if t.get("showlegend") is not False and "name" in t]
    assert legend == list(RACE)
    assert any("300 steps each" in c.value for c in page.caption)
    assert not page.warning
    badges = [m.value for m in page.markdown if "-badge[" in m.value][0]
    assert "**Newton** :green-badge[converged]" in badges and "**Gradient descent** :blue-badge[" in badges
    assert_clean(page)


def test_json_budget(opened):
    page = opened()
    sizes = pagetest.chart_bytes(page)
    assert len(sizes) == 2 and max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    assert sizes[0] < 60_000  # the timeline is small: its frames carry a few points and labels


def test_the_race_follows_the_sidebar_surface_and_steps_into_the_link_and_reset_brings_back_the_opening(opened):
    page = opened()
    at = open_page(PAGE)
    at.selectbox(key=SURFACE).set_value("himmelblau").run()
    at.slider(key=STEPS).set_value(50).run()
    assert_clean(at)
    assert page_link(at) == {"surface": "himmelblau", "steps": "50"}
    race = charts(at)[1]
    s = oc.get_surface("himmelblau")
    adam = oc.run(oc.make_optimizer("adam", lr=0.1, beta1=0.9, beta2=0.999), s, s.start, 50, record=False)
    np.testing.assert_allclose(xy(trace(race, "Adam")), adam.params, rtol=1e-12)
    assert race["layout"]["xaxis"]["range"] == [-5.0, 5.0]
    # by hand: Adam's first step moves each coordinate by α = 0.1 against its gradient's sign (m̂/√v̂ = ±1)
    first = adam.params[1] - adam.params[0]
    np.testing.assert_allclose(first, -0.1 * np.sign(s.grad(s.start)), rtol=1e-6)
    at.slider(key=STEPS).set_value(1000).run()
    assert_clean(at)
    assert len(xy(trace(charts(at)[1], "Adam"))) == 1001
    pagetest.click(at, f"_reset_{PAGE}")  # from settings no scene makes
    assert_clean(at)
    assert pagetest.widgets(at) == pagetest.widgets(page) and page_link(at) == DEFAULT_LINK
    assert pagetest.chart_json(at) == pagetest.chart_json(page)


def test_the_saddle_scene_calls_the_runs_that_leave_the_map_escaped_not_diverged(opened):
    at = opened("saddle")
    assert_clean(at)
    assert (at.selectbox(key=SURFACE).value, at.slider(key=STEPS).value) == ("saddle", 300)
    assert page_link(at) == {"surface": "saddle", "steps": "300"}
    s = oc.get_surface("saddle")
    adam = oc.run(oc.make_optimizer("adam", lr=0.01), s, s.start, 300, record=False)
    assert adam.loss[-1] < -20 and np.all(np.diff(adam.loss[-11:]) < 0)  # still running downhill at the end
    text = "\n".join(m.value for m in at.markdown)
    assert "**Adam** :violet-badge[escaped" in text and "**Newton** :green-badge[converged]" in text
    assert "diverged" not in text and not at.warning
    assert any(c.value.startswith("**Last race on a saddle.**") and "escaped" in c.value for c in at.caption)
    np.testing.assert_allclose(xy(trace(charts(at)[1], "Adam")), adam.params)


def test_a_long_race_on_the_saddle_still_says_escaped():
    """1000 steps carry gradient descent and both momentum methods off the map: escaped, never "diverged"."""
    at = open_page(PAGE)
    at.selectbox(key=SURFACE).set_value("saddle").run()
    at.slider(key=STEPS).set_value(1000).run()
    assert_clean(at)
    s = oc.get_surface("saddle")
    gd = oc.run(oc.make_optimizer("sgd", lr=0.01), s, s.start, 1000, record=False)
    assert 300 < int(gd.diverged_at) < 1000  # it left the map
    assert not at.warning and "diverged" not in "\n".join(m.value for m in at.markdown)
    np.testing.assert_allclose(xy(trace(charts(at)[1], "Gradient descent")), gd.params)


@pytest.mark.parametrize("name", [s.name for s in registry.page(PAGE).scenes])
def test_every_scene_races_the_engines_paths_under_its_caption(opened, name):
    at, settings = opened(name), _scene(name).settings
    assert_clean(at)
    surface, steps = settings["surface"], settings["steps"]
    s = oc.get_surface(surface)
    want = oc.run(oc.make_optimizer("sgd", **RACE["Gradient descent"][1]) if surface == "rosenbrock"
                  else oc.make_optimizer("sgd", lr=0.01), s, s.start, steps, record=False)
    np.testing.assert_allclose(xy(trace(charts(at)[1], "Gradient descent")), want.params)
    assert any(_scene(name).caption in c.value for c in at.caption)


# --- Classroom mode: links, export ----------------------------------------------------------


def test_the_page_writes_every_widget_into_the_link(opened):
    page = opened()
    assert page_link(page) == DEFAULT_LINK
    assert set(pagetest.widgets(page)) - {"lang"} == {SURFACE, STEPS, "present"}


def test_settings_only_this_page_refuses_are_named_and_the_page_opens_at_its_defaults(opened):
    """tests/test_pages.py sends every setting a junk value; these are values of the right kind that this page
    still refuses: a step count between two whole numbers, and a scene it does not have."""
    page = opened()
    junk = {"steps": "12.5", "scene": "nope"}
    at = pagetest.open_link(PAGE, junk)
    assert_clean(at)
    pagetest.assert_link_ignored(at, junk)
    assert pagetest.chart_json(at) == pagetest.chart_json(page)
    assert page_link(at) == DEFAULT_LINK


def test_the_csv_export_is_the_race_cut_to_the_steps_on_screen(downloads):
    at = open_page(PAGE)
    at.slider(key=STEPS).set_value(20).run()
    back = export.read_csv(pagetest.download(at, downloads, "_conclusion_csv"))
    assert list(back) == list(RACE)
    surf = oc.get_surface("rosenbrock")
    for label, (name, hyper) in RACE.items():
        want = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 20, record=False)  # the page's own run
        np.testing.assert_array_equal(back[label]["step"], np.arange(21))
        np.testing.assert_array_equal(np.column_stack([back[label]["x"], back[label]["y"]]), want.params,
                                      err_msg=label)
        np.testing.assert_array_equal(back[label]["loss"], want.loss, err_msg=label)
    # by hand: gradient descent's first step from (−1.2, 1) with t = 0.002 is −0.002·(−215.6, −88)
    np.testing.assert_allclose([back["Gradient descent"]["x"][1], back["Gradient descent"]["y"][1]],
                               [-1.2 + 0.4312, 1.176], rtol=1e-12)
    html = pagetest.download(at, downloads, "_conclusion_html")
    assert "<title>conclusion</title>" in html and "Lookahead (Adam)" in html and '<script src="http' not in html


def test_presenter_mode_link_draws_a_shorter_race():
    at = pagetest.open_link(PAGE, {"present": "1"})
    assert_clean(at)
    timeline, race = charts(at)
    assert race["layout"]["height"] == 440 and race["layout"]["font"]["size"] >= 18
    assert timeline["layout"]["font"]["size"] >= 18


# --- Languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("scene", ["race", "saddle"])
def test_the_other_scenes_have_no_text_outside_the_catalogs(scene):
    """tests/test_pages.py checks the opening page and the last scene ("long") in the pseudo-language, where
    every word comes wrapped in ⟦…⟧; the page has no step controls, so these two scenes are all it has left."""
    at = open_page_in(PAGE, "xx", {"scene": scene})
    assert_clean(at)
    assert untranslated(at) == []


def test_the_headings_and_the_rule_are_in_korean():
    """The same on every scene (tests/test_pages.py runs each in Korean): the headings and the rule's words."""
    at = open_page_in(PAGE, "ko", {"scene": "saddle"})
    assert_clean(at)
    assert hangul_share(at) > 0.5
    subheaders = [h.value for h in at.subheader]
    assert subheaders[:2] == ["아이디어마다 한 줄", "기억할 점"] and subheaders[-1] == "참고 문헌"
    assert r"\text{기억}" in at.latex[0].value
