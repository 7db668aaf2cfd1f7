"""Your own f(x, y) through the app (issue 18): every page with a surface picker runs on a typed f, a link
carries it, a refused f costs one message and nothing else, and where f is undefined the picture is masked
and a run that steps there stops with the app's divergence notice."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import charts, open_link, trace, xy
from ui import i18n, registry
from ui.widgets.custom_surface import EXAMPLE, message

EN, KO = i18n.CATALOGS["en"], i18n.CATALOGS["ko"]
PICKER_PAGES = [p.key for p in registry.PAGES if "f" in p.linked]
BOX = ((-3.0, 3.0), (-3.0, 3.0))


def test_every_page_with_a_surface_picker_offers_your_own_f():
    assert PICKER_PAGES == ["home", "taylor", "momentum", "adaptive", "adam", "lookahead", "compare", "conclusion"]


@pytest.mark.parametrize("page", PICKER_PAGES)
def test_every_page_runs_on_a_typed_f_and_shows_the_gradient_it_uses(page):
    at = open_link(page, {"surface": "custom", "f": EXAMPLE})
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert [x.value for x in at.text_input] == [EXAMPLE]
    gradient = r"\frac{\partial f}{\partial x} = 0.2 x + 3 y \cos{\left(3 x \right)}"
    assert any(gradient in el.value for el in at.sidebar.latex)
    assert charts(at), "no chart"


def test_home_draws_the_engines_gradient_descent_on_the_typed_f():
    """The path on the page is optim_core's run on the compiled f: ∇f = (0.2x + 3y cos 3x, 0.2y + sin 3x)."""
    at = open_link("home", {"surface": "custom", "f": EXAMPLE, "x": "-2.1", "y": "2.1", "lr": "0.01"})
    surface = oc.custom_surface(EXAMPLE, BOX)
    run = oc.run(oc.make_optimizer("sgd", lr=0.01), surface, np.array([-2.1, 2.1]), 300)
    path = xy(trace(charts(at)[0], "gradient descent"))
    np.testing.assert_allclose(path, run.params, rtol=1e-12, atol=1e-12)
    x, y = run.params[0]
    np.testing.assert_allclose(run.grads[0], [0.2 * x + 3 * y * np.cos(3 * x), 0.2 * y + np.sin(3 * x)], rtol=1e-13)


def test_a_link_with_a_typed_f_rebuilds_the_same_picture_in_both_languages():
    params = {"surface": "custom", "f": "x**2 + 3*y**2 + sin(2*x)", "box": "2", "lr": "0.03"}
    first, again = open_link("home", params), open_link("home", {**params, "lang": "ko"})
    paths = [xy(trace(charts(at)[0], name)) for at, name in ((first, "gradient descent"), (again, "경사 하강법"))]
    np.testing.assert_array_equal(paths[0], paths[1])
    surface = oc.custom_surface("x**2 + 3*y**2 + sin(2*x)", ((-2.0, 2.0), (-2.0, 2.0)))
    run = oc.run(oc.make_optimizer("sgd", lr=0.03), surface, surface.start, 300)
    np.testing.assert_allclose(paths[0], run.params, rtol=1e-12, atol=1e-12)
    assert [x.value for x in again.text_input] == ["x**2 + 3*y**2 + sin(2*x)"]


@pytest.mark.parametrize(("text", "code"), [("__import__('os').system('id')", "not_allowed"),
                                            ("().__class__.__bases__[0]", "not_allowed"),
                                            ("9**9**9", "exponent"), ("х + y", "not_ascii"), ("X + y", "unknown_name")])
def test_a_refused_f_costs_one_message_and_the_page_keeps_the_last_f_that_worked(text, code):
    at = open_link("home", {"surface": "custom", "f": text})
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1
    with pytest.raises(oc.ExpressionError) as refused:
        oc.parse(text)
    assert refused.value.code == code
    assert errors[0] == message(refused.value)
    assert [x.value for x in at.text_input] == [text]  # what the student typed stays in the field
    example = oc.custom_surface(EXAMPLE, BOX)  # and the picture is the last f that worked: the example
    assert any(example.title in c.value for c in at.sidebar.caption)
    assert charts(at)


def test_the_refusal_speaks_korean_with_its_column_and_text():
    at = open_link("home", {"surface": "custom", "f": "x + X", "lang": "ko"})
    (error,) = [e.value for e in at.sidebar.error]
    assert error.startswith(KO["custom.errors.unknown_name"]) and "(5번째 글자)" in error and "`X`" in error


def test_where_f_is_undefined_the_picture_is_masked_and_a_run_stepping_there_stops_with_the_notice():
    """log(x + 2) is undefined for x ≤ −2: the surface has no value there, and gradient descent from (−1.5, 1)
    with a large step jumps past x = −2 and stops at that step, named by the divergence notice."""
    text = "log(x + 2) + y**2"
    surface = oc.custom_surface(text, BOX)
    xs, ys, z = surface.grid(41)
    assert np.all(np.isnan(z[:, xs < -2])) and np.all(np.isfinite(z[:, xs > -2]))
    run = oc.run(oc.make_optimizer("sgd", lr=1.0), surface, np.array([-1.5, 1.0]), 50)
    # ∂f/∂x = 1/(x + 2) = 2 at x = −1.5: the first step goes to x = −3.5, where log is undefined
    assert int(run.diverged_at) == 1 and np.array_equal(run.params[1], [-1.5, 1.0])  # held at its last finite row
    # on the page, with the step size 0.3: x goes to −1.5 − 0.3·2 = −2.1, past the edge, at step 1
    at = open_link("home", {"surface": "custom", "f": text, "x": "-1.5", "y": "1", "lr": "0.3"})
    assert not at.exception, [e.value for e in at.exception]
    assert [w.value for w in at.warning] == [
        "Gradient descent diverged at step 1: try a smaller step size. The chart shows the path up to the last "
        "finite point."]


def test_the_surface_picture_hatches_where_f_is_undefined_and_bands_the_rest():
    from ui.figures import background as bg

    surface = oc.custom_surface("log(x + 2) + y**2", BOX)
    rgb = bg.band_image(surface, size=120)[::-1]  # back to row 0 = lowest y
    xs = np.linspace(-3, 3, 120)
    undefined, defined = rgb[:, xs < -2.05].reshape(-1, 3), rgb[:, xs > -1.95].reshape(-1, 3)
    masks = {tuple(bg._UNDEFINED.astype(int)), tuple(bg._HATCH.astype(int))}
    assert {tuple(c) for c in undefined} <= masks and len({tuple(c) for c in undefined}) == 2  # stripes
    assert not {tuple(c) for c in defined} & masks  # the defined part is banded as on any surface
    assert {tuple(c) for c in defined} <= {tuple(int(v) for v in bytes.fromhex(h[1:])) for h in bg.surface_colors()}


def test_every_refusal_kind_has_its_line_in_both_languages():
    for code in oc.expression.CODES:
        assert EN[f"custom.errors.{code}"] and KO[f"custom.errors.{code}"], code
