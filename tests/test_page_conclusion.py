"""The Conclusion page through AppTest: the timeline's ideas and years, the references, the final race."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import chart_bytes, charts, open_page, trace, xy
from ui import compare as cmp
from ui import conclusion as cc


@pytest.fixture(scope="module")
def page():
    return open_page("conclusion")


def test_the_timeline_chart_holds_every_idea_at_its_year(page):
    timeline = charts(page)[0]
    before, after = trace(timeline, "ideas before 2000"), trace(timeline, "ideas after 2000")
    years = list(np.asarray(before["x"], dtype=int)) + list(np.asarray(after["x"], dtype=int))
    names = [t.replace("<br>", " ").strip() for t in list(before["text"]) + list(after["text"])]
    assert dict(zip(names, years)) == {
        "Gradient descent": 1847, "SGD / mini-batch": 1951, "Momentum": 1964, "Nesterov": 1983, "AdaGrad": 2011,
        "RMSProp": 2012, "Momentum for deep nets": 2013, "Adam / AdaMax": 2014, "Survey: SGD at scale": 2018,
        "Lookahead": 2019, "Ranger = RAdam + Lookahead": 2019}
    assert len(timeline["frames"]) == 11
    first, last = timeline["frames"][0]["data"], timeline["frames"][-1]["data"]
    assert list(first[0]["x"]) == [1847] and list(first[1]["x"]) == [None]
    assert list(last[1]["x"]) == [2011, 2012, 2013, 2014, 2018, 2019, 2019]


def test_references_and_one_line_per_idea_are_on_the_page(page):
    text = "\n".join(m.value for m in page.markdown)
    for reference in cc.REFERENCES.values():
        assert reference in text
    for must in ("Kingma", "arXiv:1412.6980", "Zhang, M. R., Lucas, J., Hinton, G., & Ba, J. (2019)", "NeurIPS 2019",
                 "Bottou, L., Curtis, F. E., & Nocedal, J. (2018)", "SIAM Review", "Sutskever", "ICML",
                 "Polyak", "Nesterov, Y. (1983)", "Duchi, J., Hazan, E., & Singer, Y. (2011)", "Tieleman", "RAdam"):
        assert must in text, must
    for idea in cc.IDEAS:
        assert f"| {idea.year} | **{idea.name}** |" in text
    assert "What to remember" in [h.value for h in page.subheader]


def test_the_final_race_is_every_optimizer_at_the_compare_defaults(page):
    race = charts(page)[1]
    surf = oc.get_surface("rosenbrock")
    for name in oc.OPTIMIZER_NAMES:
        hyper = cmp.default_hyper(name, "rosenbrock")
        expected = oc.run(cmp.make(name, hyper), surf, surf.start, cc.DEFAULTS["race_steps"], record=False)
        np.testing.assert_allclose(xy(trace(race, cmp.display_name(name))), expected.params, err_msg=name)
    assert len(race["frames"]) == cc.DEFAULTS["race_frames"]
    legend = [t["name"] for t in race["data"] if t.get("showlegend") is not False and "name" in t]
    assert legend == [cmp.display_name(n) for n in oc.OPTIMIZER_NAMES]
    assert not page.warning and not page.exception


def test_json_budget(page):
    sizes = chart_bytes(page)
    assert len(sizes) == 2 and max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    assert sizes[0] < 60_000  # the timeline is small: its frames carry a few points and labels


def test_the_race_follows_the_sidebar_surface_and_steps():
    at = open_page("conclusion")
    at.selectbox(key="conclusion_surface").set_value("himmelblau").run()
    at.slider(key="conclusion_steps").set_value(10).run()
    assert not at.exception and not at.error
    race = charts(at)[1]
    s = oc.get_surface("himmelblau")
    hyper = cmp.default_hyper("adam", "himmelblau")
    want = oc.run(oc.make_optimizer("adam", **hyper), s, s.start, 10).params
    np.testing.assert_allclose(xy(trace(race, cmp.display_name("adam"))), want, rtol=1e-12)
    assert race["layout"]["xaxis"]["range"] == [-5.0, 5.0]
    at.slider(key="conclusion_steps").set_value(1000).run()
    assert not at.exception and not at.error
    assert len(xy(trace(charts(at)[1], cmp.display_name("adam")))) == 1001
