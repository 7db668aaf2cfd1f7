"""The Adaptive step sizes page through AppTest: the deck's table and the engine's step sizes."""

import contextlib

import numpy as np
import pandas as pd
import pytest
from i18ntest import open_page_in, untranslated

import optim_core as oc
import pagetest
from pagetest import assert_clean, charts, click, key, latex_text, open_page, trace, xy
from ui import i18n, registry
from ui.figures.algorithm import tex_number

G1, G2 = "g₁ (∇₁L)", "g₂ (∇₂L)"  # the editable table's columns
SURFACES = ("elongated_quadratic", "rosenbrock", "beale", "himmelblau", "least_squares")
LR = {"elongated_quadratic": 0.3, "rosenbrock": 0.1, "beale": 0.1, "himmelblau": 0.3, "least_squares": 0.1}
STEPS = {"elongated_quadratic": 200, "rosenbrock": 500, "beale": 300, "himmelblau": 200, "least_squares": 200}
RHO, BETA1, BETA2 = 0.9, 0.9, 0.999
NAMES = {"adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}
BOWL = SURFACES[0]
SURFACE, STEP, METHOD, GRADS = (key("adaptive", name) for name in ("surface", "step", "method", "grads"))


def _per_surface(name: str, surface: str = BOWL) -> str:
    """The key of a widget kept per surface: the step size, the steps, the start point."""
    return key("adaptive", name, surface)


def _expected(surface="elongated_quadratic", lr=None, rho=RHO, beta1=BETA1, beta2=BETA2, steps=None):
    """The three runs, built straight from optim_core: RMSProp gets ρ, Adam β₁ and β₂, all three t."""
    s = oc.get_surface(surface)
    lr = LR[surface] if lr is None else lr
    steps = STEPS[surface] if steps is None else steps
    settings = {"adagrad": {"lr": lr}, "rmsprop": {"lr": lr, "rho": rho},
                "adam": {"lr": lr, "beta1": beta1, "beta2": beta2}}
    return {m: oc.run(oc.make_optimizer(m, **h), s, s.start, steps) for m, h in settings.items()}


def _table(at):
    """The computed (read-only) AdaGrad tables, one per parameter, side by side as one frame."""
    first, second = [d.value for d in at.dataframe if d.editing_mode == "read_only"]
    assert list(first.columns) == ["c", "g₁", "g₁²", "Σ g₁²", "t̃₁"]  # five narrow columns: fits a phone
    assert list(second.columns) == ["c", "g₂", "g₂²", "Σ g₂²", "t̃₂"]
    np.testing.assert_array_equal(first["c"], second["c"])
    return pd.concat([first, second.drop(columns="c")], axis=1)


def _step_size_lines(fig: dict, method: str) -> list[dict]:
    return [t for t in fig["data"] if t.get("meta") == method]


@pytest.fixture(scope="module")
def page():
    return open_page("adaptive")


def test_deck_table_at_defaults(page):
    assert_clean(page)
    assert len(page.data_editor) == 1 and page.data_editor[0].editing_mode == "dynamic"
    np.testing.assert_array_equal(page.data_editor[0].value[[G1, G2]], [[3, 1], [-2, 1], [1, 1]])
    table = _table(page)
    np.testing.assert_array_equal(table[["g₁", "g₂"]], [[3, 1], [-2, 1], [1, 1]])
    np.testing.assert_array_equal(table[["g₁²", "g₂²"]], [[9, 1], [4, 1], [1, 1]])
    np.testing.assert_array_equal(table[["Σ g₁²", "Σ g₂²"]], [[9, 1], [13, 2], [14, 3]])
    # 1/√13 = 0.27735…, 1/√14 = 0.26726…, 1/√2 = 0.70711…, 1/√3 = 0.57735…
    assert list(table["t̃₁"]) == ["1/√9 ≈ 0.3333", "1/√13 ≈ 0.2774", "1/√14 ≈ 0.2673"]
    assert list(table["t̃₂"]) == ["1", "1/√2 ≈ 0.7071", "1/√3 ≈ 0.5774"]
    text = " ".join(m.value for m in page.markdown)
    assert "**1/√14** ≈ 0.267" in text and "**1/√3** ≈ 0.577" in text and "add a row (up to 10)" in text
    assert r"\frac{1}{\sqrt{\sum_{q \le c} g_{k,q}^2}}" in " ".join(x.value for x in page.latex)


def test_figure_holds_the_engine_paths_and_step_sizes(page):
    fig = charts(page)[0]
    want = _expected()
    for m, name in NAMES.items():
        np.testing.assert_allclose(xy(trace(fig, name)), want[m].params, rtol=1e-12)
        lines = _step_size_lines(fig, m)
        for k in range(2):
            np.testing.assert_allclose(lines[k]["y"], want[m].records["step_size"][:, k], rtol=1e-12)
            np.testing.assert_array_equal(lines[k]["x"], np.arange(1, 201))
    assert not page.warning
    latex = " ".join(x.value for x in page.latex)
    assert r"&\propto \sqrt{\textstyle\sum_{q \le c}" in latex  # AdaGrad: 1/t̃ ∝ √Σg², not the deck's Σg²
    assert r"\rho\, s_{k,c-1} + (1-\rho)" in latex  # RMSProp's decayed sum
    assert r"\hat v_c &= \frac{v_c}{1-\beta_2^{\,c+1}}" in latex  # Adam's v̂
    words = " ".join(m.value for m in page.markdown)
    assert "Large gradients → small steps" in words and "can only shrink" in words


@pytest.fixture(scope="module")
def editor():
    """One session for the gradient table: each edit below is the editor's whole change from the deck's table."""
    return open_page("adaptive")


def test_editing_the_gradients_recomputes_the_table(editor):
    at = editor
    at.session_state[GRADS] = {"edited_rows": {1: {G1: 4.0}}, "added_rows": [{G1: 2.0, G2: 0.5}],
                               "deleted_rows": []}
    at.run()
    assert_clean(at)
    table = _table(at)
    np.testing.assert_array_equal(table[["g₁", "g₂"]], [[3, 1], [4, 1], [1, 1], [2, 0.5]])
    np.testing.assert_allclose(table["Σ g₁²"], [9, 25, 26, 30])
    np.testing.assert_allclose(table["Σ g₂²"], [1, 2, 3, 3.25])
    # 1/√26 = 0.19612, 1/√30 = 0.18257, 1/√3.25 = 0.55470
    assert list(table["t̃₁"]) == ["1/√9 ≈ 0.3333", "1/√25 ≈ 0.2000", "1/√26 ≈ 0.1961", "1/√30 ≈ 0.1826"]
    assert list(table["t̃₂"]) == ["1", "1/√2 ≈ 0.7071", "1/√3 ≈ 0.5774", "0.5547"]
    assert "**1/√30** ≈ 0.183" in " ".join(m.value for m in at.markdown)

    # an emptied cell: a clear error, and the last good table stays
    at.session_state[GRADS] = {"edited_rows": {1: {G1: 4.0}, 2: {G2: None}},
                               "added_rows": [{G1: 2.0, G2: 0.5}], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "Row 3, g₂ is empty or not a number: type a number. Showing the last valid table."]
    np.testing.assert_allclose(_table(at)["Σ g₁²"], [9, 25, 26, 30])

    # too many rows: refused the same way
    at.session_state[GRADS] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{G1: 1.0, G2: 1.0}] * 8}
    at.run()
    assert any("At most 10 rows of gradients, got 11" in e.value for e in at.error)
    np.testing.assert_allclose(_table(at)["Σ g₁²"], [9, 25, 26, 30])

    # deleting rows down to one is fine
    at.session_state[GRADS] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [1, 2]}
    at.run()
    assert_clean(at)
    assert _table(at)[["Σ g₁²", "Σ g₂²", "t̃₁", "t̃₂"]].values.tolist() == [[9, 1, "1/√9 ≈ 0.3333", "1"]]


def test_a_parameter_without_gradients_shows_a_dash_not_none(editor):
    at = editor
    at.session_state[GRADS] = {"edited_rows": {0: {G1: 0.0, G2: 2.0}, 1: {G1: 0.0}},
                               "added_rows": [], "deleted_rows": [2]}
    at.run()
    assert_clean(at)
    table = _table(at)
    np.testing.assert_array_equal(table[["Σ g₁²", "Σ g₂²"]], [[0, 4], [0, 5]])
    assert list(table["t̃₁"]) == ["—", "—"]  # 1/√0: no gradient yet
    assert list(table["t̃₂"]) == ["1/√4 ≈ 0.5000", "1/√5 ≈ 0.4472"]
    assert "None" not in table.to_string() and "nan" not in table.to_string()
    words = " ".join(m.value for m in at.markdown)
    assert "W₁ moves with **no step size yet (no gradient)**, W₂ with **1/√5** ≈ 0.447." in words


def test_sidebar_widgets_defaults_and_options(page):
    assert page.selectbox(key=SURFACE).value == BOWL
    assert page.slider(key=_per_surface("steps")).value == 200
    options = {_per_surface("lr"): (0.3, ["0.001", "0.003", "0.01", "0.03", "0.05", "0.1", "0.2", "0.3", "0.5",
                                          "1.0", "2.0"]),
               key("adaptive", "rho"): (RHO, ["0.0", "0.5", "0.8", "0.9", "0.95", "0.99", "0.999"]),
               key("adaptive", "beta1"): (BETA1, ["0.0", "0.5", "0.8", "0.9", "0.95", "0.99"]),
               key("adaptive", "beta2"): (BETA2, ["0.0", "0.5", "0.9", "0.99", "0.999", "0.9999"])}
    for name, (value, labels) in options.items():
        widget = page.select_slider(key=name)
        assert widget.value == value and list(widget.options) == labels and widget.help


def test_sidebar_widgets_at_their_extremes():
    at = open_page("adaptive")
    defaults = {"rho": RHO, "beta1": BETA1, "beta2": BETA2}
    for name, extremes in (("rho", (0.0, 0.999)), ("beta1", (0.0, 0.99)), ("beta2", (0.0, 0.9999))):
        for value in extremes:
            at.select_slider(key=key("adaptive", name)).set_value(value).run()
            assert_clean(at)
            want = _expected(**{name: value})
            method = "rmsprop" if name == "rho" else "adam"
            np.testing.assert_allclose(_step_size_lines(charts(at)[0], method)[0]["y"],
                                       want[method].records["step_size"][:, 0], rtol=1e-12)
        at.select_slider(key=key("adaptive", name)).set_value(defaults[name]).run()
    for lr in (0.001, 2.0):
        at.select_slider(key=_per_surface("lr")).set_value(lr).run()
        assert_clean(at)
        np.testing.assert_allclose(xy(trace(charts(at)[0], "Adam")), _expected(lr=lr)["adam"].params, rtol=1e-12)
    for steps in (10, 2000):
        at.slider(key=_per_surface("steps")).set_value(steps).run()
        assert_clean(at)
        lines = _step_size_lines(charts(at)[0], "adagrad")
        assert lines[0]["x"][-1] == steps and len(lines[0]["x"]) == min(steps, 600)
        want = _expected(lr=2.0, steps=steps)["adagrad"].records["step_size"]
        np.testing.assert_allclose(lines[1]["y"], want[np.asarray(lines[1]["x"], dtype=int) - 1, 1], rtol=1e-12)
    at.slider(key=_per_surface("steps")).set_value(200).run()
    for name in SURFACES[1:]:
        at.selectbox(key=SURFACE).set_value(name).run()
        assert_clean(at)
        assert at.select_slider(key=_per_surface("lr", name)).value == LR[name]
        assert at.slider(key=_per_surface("steps", name)).value == STEPS[name]
        fig = charts(at)[0]
        assert fig["layout"]["xaxis"]["range"] == list(oc.get_surface(name).bounds[0])
        np.testing.assert_allclose(xy(trace(fig, "RMSProp")), _expected(name)["rmsprop"].params, rtol=1e-12)


def test_rmsprop_blows_up_with_a_warning():
    at = open_page("adaptive")
    at.select_slider(key=key("adaptive", "rho")).set_value(0.999).run()
    at.select_slider(key=_per_surface("lr")).set_value(2.0).run()
    assert_clean(at)
    want = _expected(lr=2.0, rho=0.999)  # first step = 2 / √0.001 ≈ 63 per coordinate: far off the map
    assert int(want["rmsprop"].diverged_at) == 1
    assert [w.value for w in at.warning] == [
        "RMSProp diverged at step 1: try a smaller step size t. The chart shows the path up to the last "
        "finite point."]
    assert np.isfinite(xy(trace(charts(at)[0], "RMSProp"))).all()


def test_json_budgets(page):
    sizes = pagetest.chart_bytes(page)
    assert len(sizes) == 1
    assert max(sizes) <= 1_000_000 and sum(sizes) <= 2_000_000


# each scene's step size t on the bowl, and the words of its caption
SCENES = {"steep_flat": (0.3, "smaller step size than the flat W₁"), "out_of_steam": (0.1, "sum of g² only grows"),
          "keeps_going": (0.05, "step size grows back")}


def test_every_scene_runs_and_makes_its_point():
    at = open_page("adaptive")  # one session: each scene sets every widget it is about
    assert [s.name for s in registry.page("adaptive").scenes] == list(SCENES)
    start_loss = 0.5 * (5.0**2 + 25 * 1.5**2)  # L(−5, 1.5) = 40.625
    for name, (lr, phrase) in SCENES.items():
        pagetest.pick_scene(at, "adaptive", name)
        assert_clean(at)
        assert not at.warning
        assert at.select_slider(key=_per_surface("lr")).value == lr
        fig = charts(at)[0]
        want = _expected(lr=lr)
        for m, label in NAMES.items():
            np.testing.assert_allclose(xy(trace(fig, label)), want[m].params, rtol=1e-12)
        sizes = {m: r.records["step_size"] for m, r in want.items()}
        assert want["adagrad"].loss[0] == pytest.approx(start_loss)
        if name == "steep_flat":  # the steep W₂ (curvature 25) always gets the smaller step
            assert all((sizes[m][:, 1] < sizes[m][:, 0]).all() for m in NAMES)
        if name == "out_of_steam":
            assert (np.diff(sizes["adagrad"], axis=0) <= 0).all()
            assert sizes["adagrad"][-1, 0] < 0.11 * sizes["adagrad"][0, 0]  # 0.00205 after 0.02 at step 1
            assert want["adagrad"].loss[-1] > 0.05 * start_loss
            assert want["adagrad"].loss[-1] > 100 * max(want["rmsprop"].loss[-1], want["adam"].loss[-1])
        if name == "keeps_going":
            rms = sizes["rmsprop"][:, 0]
            assert rms[-1] > 100 * rms.min() and (np.diff(sizes["adagrad"], axis=0) <= 0).all()
        assert any(phrase in c.value for c in at.caption), name
        badges = " ".join(m.value for m in at.markdown if "-badge[" in m.value)
        assert all(f"**{label}** :" in badges for label in NAMES.values())


# --- Classroom mode: links, steps, numbers ----------------------------------------------------
# (the link round trip, junk links, Next/Previous/Start and Reset: tests/test_pages.py, for every page)

def _arrow(fig: dict, start: str) -> dict:
    """The step's arrow whose legend name starts with ``start`` ("push", "this step's move")."""
    found = [t for t in fig["data"] if str(t.get("name", "")).startswith(start)]
    assert len(found) == 1, [t.get("name") for t in fig["data"]]
    return found[0]


def test_the_link_writes_this_pages_settings_and_the_numbers_are_that_scenes():
    at = open_page("adaptive")
    at.select_slider(key=key("adaptive", "rho")).set_value(0.5).run()
    at.select_slider(key=_per_surface("lr")).set_value(0.1).run()
    at.radio(key=METHOD).set_value("rmsprop").run()
    for _ in range(3):
        click(at, "_adaptive_next")
    assert_clean(at)
    link = pagetest.link_of(at)
    assert {k: link[k] for k in ("surface", "lr", "rho", "beta1", "beta2", "method", "step")} == {
        "surface": BOWL, "lr": "0.1", "rho": "0.5", "beta1": "0.9", "beta2": "0.999", "method": "rmsprop",
        "step": "3"}
    # and it is the scene asked for: RMSProp with ρ = 0.5, t = 0.1, at update 3
    run = _expected(lr=0.1, rho=0.5)["rmsprop"]
    assert f"& {tex_number(run.records['accumulator'][2, 1])}" in latex_text(at)
    assert r"s_c = 0.5\, s_{c-1} + 0.5\, g_c^2" in latex_text(at)


def test_near_misses_in_a_link_are_named_and_the_page_opens_at_its_defaults(page):
    # an optimizer this page does not offer, a β₂ just below its range, a step before the first, no such scene
    params = {"method": "sgd", "beta2": "-0.999", "step": "-1", "scene": "nowhere"}
    at = pagetest.open_link("adaptive", params)
    assert_clean(at)
    pagetest.assert_link_ignored(at, params)
    assert pagetest.chart_json(at) == pagetest.chart_json(page)
    assert at.session_state[STEP] == 0


RECORDS = {"adagrad": ("accumulator", "step_size"), "rmsprop": ("accumulator", "step_size"),
           "adam": ("m", "v", "m_hat", "v_hat", "step_size")}


def _scale(arrow: dict) -> float:
    """How many times longer than it is an arrow is drawn: "push (×0.1)" -> 0.1."""
    return float(arrow["name"].split("×")[1].rstrip(")")) if "×" in arrow["name"] else 1.0


def test_numbers_and_arrows_at_step_n_are_the_engines_records():
    at = open_page("adaptive")  # one session, each method in turn
    lr = LR[BOWL]
    for method, run in _expected().items():
        at.radio(key=METHOD).set_value(method).run()
        for n in (1, 2, 17, 50):
            at.slider(key=STEP).set_value(n).run()
            assert_clean(at)
            text, c = latex_text(at), n - 1
            assert rf"\text{{{NAMES[method]}, step }} {n}\ (c = {c})" in text
            values = [*run.params[c], *run.grads[c], *(-lr * run.grads[c]), *run.params[n]]
            values += [v for name in RECORDS[method] for v in run.records[name][c]]
            for value in values:
                assert f"& {tex_number(value)}" in text, (method, n, value)
            # the update line is the one marked, and it carries W_n
            marked = next(line for line in text.splitlines() if r"\blacktriangleright" in line)
            assert r"W_{c+1} = W_c - \tilde t_c \odot" in marked
            assert f"$}} & {tex_number(run.params[n, 0])} & {tex_number(run.params[n, 1])} \\\\" in marked
            # the chart opens at step n with the push and the move drawn from W_{n−1}
            fig = charts(at)[0]
            push, move = _arrow(fig, "push"), _arrow(fig, "this step's move")
            np.testing.assert_allclose(xy(push)[0], run.params[c], rtol=1e-12)
            np.testing.assert_allclose(xy(move)[0], run.params[c], rtol=1e-12)
            np.testing.assert_allclose(xy(push)[1] - xy(push)[0], -lr * _scale(push) * run.grads[c], rtol=1e-9)
            np.testing.assert_allclose(xy(move)[1] - xy(move)[0], _scale(move) * (run.params[n] - run.params[c]),
                                       rtol=1e-9, atol=1e-12)
            marker = [t for t in fig["data"] if t.get("name") == NAMES[method] and t.get("mode") == "markers"]
            np.testing.assert_allclose(xy(marker[0])[0], run.params[n], rtol=1e-12)
            assert "sliders" not in fig["layout"]  # the step slider is the scrubber
            caption = " ".join(x.value for x in at.caption)
            sizes = run.records["step_size"][c]
            assert f"W₁ {sizes[0]:.3g}, W₂ {sizes[1]:.3g} instead of t = 0.3 for both" in caption
    # step 0 of Adam (the last method above) is its initialisation: no arrows yet
    at.slider(key=STEP).set_value(0).run()
    assert r"m_{-1} = v_{-1} = 0" in latex_text(at)
    fig = charts(at)[0]
    assert _arrow(fig, "push")["x"] == [None] and _arrow(fig, "this step's move")["x"] == [None]


def test_adagrad_step_one_by_hand():
    """s₁ = g₁², t̃₁ = t/(|g₁| + ε), so W₁ = W₀ − t·sign(g₁) per coordinate (up to ε)."""
    at = open_page("adaptive")
    click(at, "_adaptive_next")
    text = latex_text(at)
    # W₀ = (−5, 1.5) on the bowl L = (x² + 25y²)/2: g = (−5, 37.5), s = (25, 1406.25),
    # t̃ = 0.3/5 = 0.06 and 0.3/37.5 = 0.008, push −0.3g = (1.5, −11.25), W₁ = (−5 + 0.3, 1.5 − 0.3)
    for row in (r"& W_c & -5 & 1.5", r"& g_c = \nabla L(W_c) & -5 & 37.5", r"-0.3\, g_c\ (\text{push}) & 1.5 & -11.25",
                r"& s_c = s_{c-1} + g_c^2 & 25 & 1406", r"+ \epsilon) & 0.06 & 0.008",
                r"\odot g_c$} & -4.7 & 1.2"):
        assert row in text, row
    run = _expected()["adagrad"]
    np.testing.assert_allclose(run.params[1], [-4.7, 1.2], atol=1e-8)  # t·sign(g) up to ε = 1e-8
    # the lesson in one picture: −t g points almost straight down (W₂'s gradient is 7.5× W₁'s); the move is
    # the diagonal (+t, −t), because each coordinate is divided by its own |g|
    fig = charts(at)[0]
    push, move = (np.diff(xy(_arrow(fig, n)), axis=0)[0] for n in ("push", "this step's move"))
    np.testing.assert_allclose(move, 2 * np.array([0.3, -0.3]), atol=1e-8)  # the move drawn ×2
    np.testing.assert_allclose(push, 0.1 * np.array([1.5, -11.25]))  # the push drawn ×0.1
    angle = np.degrees(np.arccos(push @ move / np.linalg.norm(push) / np.linalg.norm(move)))
    assert 37 < angle < 38  # atan(7.5) − 45° = 37.4°


def test_step_zero_writes_the_initialisation(page):
    text = latex_text(page)
    assert r"\text{AdaGrad, step } 0" in text and r"W_0 = \text{start},\ s_{-1} = 0" in text
    fig = charts(page)[0]
    assert _arrow(fig, "push")["x"] == [None] and _arrow(fig, "this step's move")["x"] == [None]


def test_export_buttons_are_the_csv_and_the_figure(page):
    buttons = {b.proto.id.rsplit("-", 1)[1]: b.proto.label for b in page.get("download_button")}
    assert buttons == {"_adaptive_csv": "CSV of these runs", "_adaptive_html": "Animated figure (HTML)"}


# --- Languages --------------------------------------------------------------------------------
# (the opening, the last scene at step 3, and every scene in Korean: tests/test_pages.py)

@contextlib.contextmanager
def thread_speaking(lang: str):
    """AppTest formats widget values (``format_func``) in the test's thread when it reruns: that thread must speak
    the page's language too, or "Elongated bowl" is not among the options of a Korean page."""
    i18n.set_language(lang)
    try:
        yield
    finally:
        i18n.set_language("en")


def test_adams_own_table_has_no_text_outside_the_catalogs():
    at = open_page_in("adaptive", "xx", {"step": "3", "method": "adam"})  # m, v, m̂, v̂: lines of Adam's own
    assert_clean(at)
    assert untranslated(at) == []


def test_a_bad_cell_is_named_in_the_catalogs_words():
    at = open_page_in("adaptive", "xx")
    at.session_state[GRADS] = {"edited_rows": {1: {G2: None}}, "added_rows": [], "deleted_rows": []}
    with thread_speaking("xx"):
        at.run()
    assert not at.exception and len(at.error) == 1
    assert untranslated(at) == []


def test_the_captions_and_a_step_speak_korean():
    at = open_page_in("adaptive", "ko", {"scene": "keeps_going"})
    assert_clean(at)
    assert "학습률" in " ".join(c.value for c in at.caption)
    with thread_speaking("ko"):
        click(at, "_adaptive_next")  # a step: the numbers and the caption in Korean too
    assert_clean(at)
    assert r"\text{AdaGrad, 스텝 } 1" in latex_text(at) and "경사 하강 스텝" in latex_text(at)
    assert "스텝 1:" in " ".join(c.value for c in at.caption)
