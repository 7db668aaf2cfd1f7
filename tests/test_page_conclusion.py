"""The Conclusion page through AppTest: the timeline's ideas and years, the references, the final race."""

import numpy as np
import pytest
from test_ui_conclusion import RACE  # all nine at the Compare page's starting settings, written out

import optim_core as oc
from pagetest import assert_clean, chart_bytes, charts, open_page, trace, xy


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
    play = timeline["layout"]["updatemenus"][0]["buttons"][0]
    assert play["label"] == "▶ Play" and play["args"][1]["frame"]["redraw"] is False


def test_references_and_one_line_per_idea_are_on_the_page(page):
    text = "\n".join(m.value for m in page.markdown)
    for must in ("Kingma", "arXiv:1412.6980", "Zhang, M. R., Lucas, J., Hinton, G., & Ba, J. (2019)", "NeurIPS 2019",
                 "Bottou, L., Curtis, F. E., & Nocedal, J. (2018)", "SIAM Review", "Sutskever", "ICML",
                 "Polyak", "Nesterov, Y. (1983)", "Duchi, J., Hazan, E., & Singer, Y. (2011)", "Tieleman", "RAdam",
                 "Cauchy, A.-L. (1847)", "Robbins, H., & Monro, S. (1951)", "Wright, L. (2019)"):
        assert must in text, must
    assert "\n12. Wright" in text and "\n13. " not in text  # twelve sources, numbered once each
    for year, name in ((1847, "Gradient descent"), (1964, "Momentum"), (2014, "Adam / AdaMax"), (2019, "Lookahead")):
        assert f"| {year} | **{name}** |" in text
    assert "Momentum with μ = 0 is gradient descent" in text
    assert [h.value for h in page.subheader] == ["One line per idea", "What to remember",
                                                 "One last race: all nine on the Rosenbrock valley", "References"]
    assert r"\odot \nabla L(W_c)" in page.latex[0].value


def test_the_final_race_is_every_optimizer_at_the_compare_defaults(page):
    race = charts(page)[1]
    surf = oc.get_surface("rosenbrock")
    for label, (name, hyper) in RACE.items():
        expected = oc.run(oc.make_optimizer(name, **hyper), surf, surf.start, 300, record=False)
        np.testing.assert_allclose(xy(trace(race, label)), expected.params, err_msg=label)
    assert len(race["frames"]) == 40
    legend = [t["name"] for t in race["data"] if t.get("showlegend") is not False and "name" in t]
    assert legend == list(RACE)
    assert "300 steps each" in page.caption[1].value
    assert not page.warning
    assert_clean(page)


def test_json_budget(page):
    sizes = chart_bytes(page)
    assert len(sizes) == 2 and max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000, sizes
    assert sizes[0] < 60_000  # the timeline is small: its frames carry a few points and labels


def test_the_race_follows_the_sidebar_surface_and_steps():
    at = open_page("conclusion")
    at.selectbox(key="conclusion_surface").set_value("himmelblau").run()
    at.slider(key="conclusion_steps").set_value(10).run()
    assert_clean(at)
    race = charts(at)[1]
    s = oc.get_surface("himmelblau")
    want = oc.run(oc.make_optimizer("adam", lr=0.1, beta1=0.9, beta2=0.999), s, s.start, 10).params
    np.testing.assert_allclose(xy(trace(race, "Adam")), want, rtol=1e-12)
    assert race["layout"]["xaxis"]["range"] == [-5.0, 5.0]
    at.slider(key="conclusion_steps").set_value(1000).run()
    assert_clean(at)
    assert len(xy(trace(charts(at)[1], "Adam"))) == 1001


def test_the_race_warns_about_the_methods_that_leave_the_saddle():
    at = open_page("conclusion")
    at.selectbox(key="conclusion_surface").set_value("saddle").run()
    at.slider(key="conclusion_steps").set_value(1000).run()
    assert_clean(at)
    s = oc.get_surface("saddle")
    gd = oc.run(oc.make_optimizer("sgd", lr=0.01), s, s.start, 1000, record=False)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 3 and warnings[0].startswith(f"Gradient descent diverged at step {int(gd.diverged_at)}:")
    assert [w.split(" diverged")[0] for w in warnings] == ["Gradient descent", "Momentum", "Nesterov"]
    np.testing.assert_allclose(xy(trace(charts(at)[1], "Gradient descent")), gd.params)
