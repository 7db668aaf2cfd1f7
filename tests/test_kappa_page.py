"""The bowl's condition number on the pages (issue 19, items 1 and 2): a κ control beside the surface picker,
in the link, and the stability limits 2/λmax and (2 + 2μ)/λmax written beside the Momentum picture."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import charts, link_of, open_link, trace, xy
from ui import i18n
from ui.pages import momentum as um


@pytest.mark.parametrize(("kappa", "gd", "hb"),
                         [(25, "0.08", "0.088"), (100, "0.02", "0.022"), (1000, "0.002", "0.0022")])
def test_the_limits_are_two_over_lambda_max_and_two_plus_two_mu_over_it(kappa, gd, hb):
    i18n.set_language("en")
    surface = oc.get_surface(oc.surface_name("elongated_quadratic", kappa=kappa))
    text = um.limits_text(surface, surface.start, 0.07, 0.1)
    assert f"2/λmax = {gd}," in text and f"(2 + 2μ)/λmax = {hb}." in text and "local" not in text
    assert "You are at t = 0.07." in text


def test_off_a_quadratic_the_limit_is_local_to_the_start():
    """Rosenbrock at (−1.2, 1): H = [[1330, 480], [480, 200]], λmax = 765 + √(565² + 480²) = 1506.3."""
    i18n.set_language("en")
    surface = oc.get_surface("rosenbrock")
    lmax = 765 + np.hypot(565, 480)
    text = um.limits_text(surface, surface.start, 0.002, 0.1)
    assert f"= {2 / lmax:.3g}," in text and "(λmax of the Hessian at the start: local)" in text


def test_the_momentum_page_runs_on_the_bowl_of_the_kappa_in_the_link_and_says_its_limit():
    at = open_link("momentum", {"surface": "elongated_quadratic", "kappa": "100", "lr": "0.01"})
    assert not at.exception, [e.value for e in at.exception]
    assert link_of(at)["kappa"] == "100"
    surface = oc.get_surface("elongated_quadratic:kappa=100")
    np.testing.assert_allclose(surface.hessian(surface.start), [[1, 0], [0, 100]])
    run = oc.run(oc.make_optimizer("sgd", lr=0.01), surface, surface.start, um.DEFAULTS.steps["elongated_quadratic"])
    path = xy(trace(charts(at)[0], "Gradient descent"))
    np.testing.assert_allclose(path, run.params, rtol=1e-12, atol=1e-12)
    captions = " ".join(c.value for c in at.caption)
    assert "2/λmax = 0.02," in captions and "You are at t = 0.01." in captions
