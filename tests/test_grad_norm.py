"""‖∇L‖ against the step, and its measured contraction per step beside the theory (issue 19, item 3).

On a quadratic bowl ∇L = H (W − W*), so along each eigenvector ‖∇L‖ is the distance times that eigenvalue and
shrinks by the same root of the method's recurrence: measured and theory agree as they do for the distance
(tests/test_kappa_and_stop.py). Every run here is checked on the log scale too (−ln r̂ against −ln r: steps per
e-fold) and lasts N = min(1000, ⌈40 / −ln r⌉) steps, the page's most: 40 e-folds where that fits in 1000 steps.
The bowls' minimum is the origin, so floats resolve every value and no rounding floor is reached.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import optim_core as oc
from pagetest import assert_clean, charts, decode, key, open_link, open_page, trace
from ui import i18n
from ui.catalog import default_spec, display_name
from ui.figures import grad_norm as gn
from ui.figures.theme import MIN_FONT_PX, MIN_PATH_PX, OPTIMIZER_COLORS, OPTIMIZER_DASHES, OPTIMIZER_SYMBOLS
from ui.pages import compare as cmp
from ui.pages import momentum as um
from ui.pages import momentum_rates as mr
from ui.specs import spec

START = np.array([-5.0, 1.5])  # every bowl's demo start
LABELS = {"sgd": "Gradient descent", "momentum": "Momentum", "nesterov": "Nesterov"}


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")


def plain(fig) -> dict:
    """The figure as Streamlit sends it (JSON, base64 arrays decoded)."""
    return decode(json.loads(fig.to_json()))


def bowl(kappa) -> oc.Surface:
    return oc.get_surface("elongated_quadratic", kappa=kappa)


def run(name: str, surface: oc.Surface, steps: int, start=START, **hyper) -> oc.Trajectory:
    return oc.run(oc.make_optimizer(name, **hyper), surface, np.asarray(start, dtype=float), steps)


def slowest_root(method: str, lr: float, mu: float, curvatures) -> float:
    """The theory by hand: the largest root modulus of the method's recurrence over the bowl's two curvatures,
    z = 1 − tλ (GD), z² − (1 + μ − tλ) z + μ (heavy ball), z² − (1+μ)(1 − tλ) z + μ (1 − tλ) (Nesterov)."""
    moduli = []
    for lam in curvatures:
        if method == "sgd":
            moduli.append(abs(1 - lr * lam))
            continue
        b, c = ((1 + mu - lr * lam), mu) if method == "momentum" else ((1 + mu) * (1 - lr * lam), mu * (1 - lr * lam))
        moduli += list(np.abs(np.roots([1.0, -b, c])))
    return float(max(moduli))


# --- grad_norms -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kappa", "lr"), [(10, 0.15), (100, 0.015), (1000, 1.5e-3)])
def test_gradient_descents_grad_norm_is_the_closed_form(kappa, lr):
    """GD on diag(1, κ) from (x₀, y₀): W_c = ((1−t)ᶜ x₀, (1−tκ)ᶜ y₀), so ‖∇L(W_c)‖² = (1−t)²ᶜ x₀² + κ² (1−tκ)²ᶜ y₀²."""
    x0, y0 = START
    traj = run("sgd", bowl(kappa), 60, lr=lr)
    c = np.arange(61)
    want = np.sqrt((1 - lr) ** (2 * c) * x0 ** 2 + kappa ** 2 * (1 - lr * kappa) ** (2 * c) * y0 ** 2)
    got = mr.grad_norms(traj, bowl(kappa))
    assert got.shape == (61,)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert got[0] == pytest.approx(math.hypot(5, 1.5 * kappa), rel=1e-15)


def test_grad_norms_of_a_batch_and_of_a_noisy_run_use_the_exact_gradient():
    surface = bowl(100)
    starts = np.array([[-5.0, 1.5], [3.0, -1.0]])
    traj = run("sgd", surface, 20, start=starts, lr=0.015)
    got = mr.grad_norms(traj, surface)
    assert got.shape == (21, 2)
    for b, (x0, y0) in enumerate(starts):
        c = np.arange(21)
        np.testing.assert_allclose(got[:, b], np.hypot(0.985 ** c * x0, 100 * (-0.5) ** c * y0), rtol=1e-12)
    noisy = oc.run(oc.make_optimizer("sgd", lr=0.015), surface, START, 30, noise=5.0, seed=3)
    exact = np.hypot(noisy.params[:, 0], 100 * noisy.params[:, 1])
    np.testing.assert_allclose(mr.grad_norms(noisy, surface), exact, rtol=1e-15)
    used = np.linalg.norm(noisy.grads, axis=-1)  # the noisy gradients the steps took are another thing
    assert np.max(np.abs(used - exact[:-1]) / exact[:-1]) > 0.01


def test_a_run_that_blows_up_reads_nan_from_its_blow_up_and_an_exact_zero_stays_zero():
    surface = bowl(100)
    wild = run("sgd", surface, 50, lr=0.05)  # |1 − 0.05 · 100| = 4 per step across the bowl
    at = int(wild.diverged_at)
    assert 0 < at < 50
    norms = mr.grad_norms(wild, surface)
    assert np.isfinite(norms[:at]).all() and np.isnan(norms[at:]).all()
    np.testing.assert_allclose(norms[:at], np.hypot(0.95 ** np.arange(at) * -5, 100 * (-4.0) ** np.arange(at) * 1.5),
                               rtol=1e-12)
    # t = 1/λmax from a point on the steep axis: one step lands exactly on the minimum
    exact = run("sgd", surface, 10, start=[0.0, 1.5], lr=0.01)
    norms = mr.grad_norms(exact, surface)
    assert norms[0] == 150.0 and (norms[1:] == 0).all()
    assert mr.grad_norm_rate(norms) == 0.0  # faster than any geometric rate, as Newton on a quadratic


def test_a_run_stopped_by_tol_reads_nan_after_the_row_it_stopped_at():
    surface = bowl(25)
    traj = oc.run(oc.make_optimizer("sgd", lr=0.05), surface, START, 300, tol=1e-3)
    stop = int(traj.converged_at)
    assert 0 < stop < 300
    norms = mr.grad_norms(traj, surface)
    assert norms[stop] < 1e-3 <= norms[stop - 1] and np.isnan(norms[stop + 1:]).all()
    assert mr.grad_norm_rate(norms) == pytest.approx(0.95, rel=1e-9)  # GD at t = 0.05: 1 − t along the floor


def test_the_gradient_floor_is_rounding_carried_through_the_hessian():
    assert mr.gradient_floor(bowl(100)) == 0.0  # W* = 0: floats resolve any distance there
    # Rosenbrock: W* = (1, 1), H(W*) = [[802, −400], [−400, 200]], λmax = 501 + √(301² + 400²)
    lmax = 501 + math.hypot(301, 400)
    assert mr.gradient_floor(oc.get_surface("rosenbrock")) == pytest.approx(1e-12 * lmax * math.sqrt(2), rel=1e-12)
    assert mr.gradient_floor(oc.get_surface("saddle")) == 0.0  # no minimum known


# --- measured against the theory -------------------------------------------------------------------------------


def settings(kappa):
    """Two settings per method: gradient descent at its best t and at t = 1/λmax; the heavy ball at its best
    (a double root) and at its best t with μ = μ*^{3/4} (every root complex, of modulus √μ); Nesterov at its best."""
    best = mr.best_settings((1.0, float(kappa)))
    hb = best["momentum"]
    return [("sgd", best["sgd"]), ("sgd", {"lr": 1 / kappa}), ("momentum", hb),
            ("momentum", {"lr": hb["lr"], "momentum": hb["momentum"] ** 0.75}), ("nesterov", best["nesterov"])]


CASES = [(kappa, k) for kappa in (10, 100, 1000) for k in range(5)]


@pytest.mark.parametrize(("kappa", "case"), CASES)
def test_the_measured_grad_norm_rate_agrees_with_the_theory_within_5_percent(kappa, case):
    method, hyper = settings(kappa)[case]
    surface = bowl(kappa)
    theory = mr.theory_rate(method, hyper, (1.0, float(kappa)))
    assert theory == pytest.approx(slowest_root(method, hyper["lr"], hyper.get("momentum", 0.0), (1, kappa)),
                                   rel=1e-9)
    steps = min(1000, math.ceil(40 / -math.log(theory)))
    norms = mr.grad_norms(run(method, surface, steps, **hyper), surface)
    assert np.all(norms > 0) and np.isfinite(norms).all()  # no floor reached: every point is measured
    measured = mr.grad_norm_rate(norms, mr.gradient_floor(surface))
    assert measured == pytest.approx(theory, rel=0.05)
    assert math.log(measured) == pytest.approx(math.log(theory), rel=0.05)
    if method == "sgd":  # its best t, and t = 1/λmax, shrink ‖∇L‖ by exactly r every step: the fit reads r
        assert measured == pytest.approx(theory, rel=1e-9)


def test_the_numbers_quoted_in_the_report():
    """κ = 1000: gradient descent at its best reads 0.998 = (κ−1)/(κ+1); the heavy ball at its best 0.9407 for
    (√κ−1)/(√κ+1) = 0.9387 (the double root's k factor), at μ = μ*^{3/4} 0.95367 for √μ = 0.95366."""
    surface = bowl(1000)
    hb = mr.best_settings((1.0, 1000.0))["momentum"]
    assert mr.grad_norm_rate(mr.grad_norms(run("momentum", surface, 633, **hb), surface)) == pytest.approx(
        0.940718, abs=1e-6)
    assert (math.sqrt(1000) - 1) / (math.sqrt(1000) + 1) == pytest.approx(0.938693, abs=1e-6)
    mu = hb["momentum"] ** 0.75
    traj = run("momentum", surface, 843, lr=hb["lr"], momentum=mu)
    assert mr.grad_norm_rate(mr.grad_norms(traj, surface)) == pytest.approx(math.sqrt(mu), rel=1e-4)


# --- the rate table ------------------------------------------------------------------------------------------------


def test_the_rate_table_sets_each_measured_rate_beside_the_theory_at_the_current_setting():
    surface = bowl(100)
    hypers = um.method_hypers(0.01, 0.1)
    runs = {m: run(m, surface, 50, **hypers[m]) for m in um.METHODS}
    table = mr.grad_rates(surface, runs, hypers)
    assert table["sgd"].measured == pytest.approx(0.99, rel=1e-12) and table["sgd"].theory == pytest.approx(0.99)
    for m in ("momentum", "nesterov"):
        assert table[m].theory == pytest.approx(slowest_root(m, 0.01, 0.1, (1, 100)), rel=1e-12)
        assert table[m].measured == pytest.approx(table[m].theory, rel=1e-6)
    assert table["momentum"].theory == pytest.approx((1.09 + math.sqrt(1.09 ** 2 - 0.4)) / 2, rel=1e-12)
    lines = mr.grad_rate_table(table).splitlines()
    assert lines[0] == "| run | t | μ | ‖∇L‖ rate per step, measured | theory at this setting |"
    assert lines[2:] == ["| Gradient descent | 0.01 | — | 0.99 | 0.99 |", "| Momentum | 0.01 | 0.1 | 0.989 | 0.989 |",
                         "| Nesterov | 0.01 | 0.1 | 0.989 | 0.989 |"]
    assert "κ = λₙ/λ₁ = 100 (Goh 2017)" in mr.grad_rate_caption((1.0, 100.0))


def test_off_a_bowl_or_with_a_schedule_the_theory_is_a_dash_and_the_caption_says_why():
    rosenbrock = oc.get_surface("rosenbrock")
    hypers = um.method_hypers(2e-3, 0.1)
    runs = {m: run(m, rosenbrock, 500, start=rosenbrock.start, **hypers[m]) for m in um.METHODS}
    table = mr.grad_rates(rosenbrock, runs, hypers)
    assert all(math.isnan(r.theory) for r in table.values())
    gd = mr.measured_rate(np.linalg.norm(rosenbrock.grad(runs["sgd"].params), axis=-1),
                          floor=mr.gradient_floor(rosenbrock))
    assert table["sgd"].measured == gd and 0.99 < gd < 1  # along the valley's floor: slow
    row = mr.grad_rate_table(table).splitlines()[2]
    assert row == f"| Gradient descent | 0.002 | — | {gd:.3g} | — |"
    assert mr.grad_rate_caption(None).endswith("the rate theory (Goh 2017) is for quadratic bowls, and this "
                                               "surface is not one.")
    scheduled = mr.grad_rates(bowl(25), {"sgd": run("sgd", bowl(25), 50, lr=0.05)}, {"sgd": {"lr": 0.05}},
                              scheduled=True)
    assert math.isnan(scheduled["sgd"].theory) and "t follows a schedule" in mr.grad_rate_caption(
        (1.0, 25.0), scheduled=True)
    wild = run("sgd", bowl(100), 50, lr=0.05)
    row = mr.grad_rate_table(mr.grad_rates(bowl(100), {"sgd": wild}, {"sgd": {"lr": 0.05}})).splitlines()[2]
    assert row == f"| Gradient descent | 0.05 | — | diverged at step {int(wild.diverged_at)} | 4 |"  # |1 − 0.05 · 100|


# --- the figure ---------------------------------------------------------------------------------------------------


def test_the_figure_is_a_log_chart_of_opaque_3_px_lines_told_apart_by_dash_and_marker_with_gaps():
    surface = bowl(100)
    runs = {"sgd": run("sgd", surface, 50, lr=0.05), "momentum": run("momentum", surface, 50, lr=0.01, momentum=0.1),
            "nesterov": run("nesterov", surface, 50, start=[0.0, 1.5], lr=0.01, momentum=0.0)}
    norms = {m: mr.grad_norms(r, surface) for m, r in runs.items()}
    fig = plain(gn.grad_norm_figure(norms))
    lay = fig["layout"]
    assert lay["yaxis"]["type"] == "log" and lay["yaxis"]["title"]["text"] == "‖∇L(W_c)‖ (log scale)"
    assert lay["xaxis"]["title"]["text"] == "step c" and lay["showlegend"] is False
    assert min(lay["yaxis"]["tickfont"]["size"], lay["xaxis"]["tickfont"]["size"]) >= MIN_FONT_PX
    data = fig["data"]
    assert [tr["name"] for tr in data] == list(LABELS.values())
    for tr, m in zip(data, LABELS):
        assert tr["line"]["width"] >= MIN_PATH_PX and "opacity" not in tr and tr["mode"] == "lines+markers"
        assert (tr["line"]["color"], tr["line"]["dash"], tr["marker"]["symbol"]) == (
            OPTIMIZER_COLORS[m], OPTIMIZER_DASHES[m], OPTIMIZER_SYMBOLS[m])
        assert tr["connectgaps"] is False
        sizes = np.asarray(tr["marker"]["size"])
        assert (sizes > 0).sum() == gn.MARKERS and set(np.unique(sizes)) == {0.0, gn.MARKER_PX}
    assert len({tr["line"]["dash"] for tr in data}) == 3 and len({tr["marker"]["symbol"] for tr in data}) == 3
    marked = [set(np.flatnonzero(np.asarray(tr["marker"]["size"]))) for tr in data]
    assert not (marked[0] & marked[1] or marked[1] & marked[2] or marked[0] & marked[2])  # markers never stack
    gd = np.asarray(data[0]["y"], dtype=float)  # blew up: a gap from its blow-up on, not a zero
    at = int(runs["sgd"].diverged_at)
    assert np.isfinite(gd[:at]).all() and np.isnan(gd[at:]).all()
    np.testing.assert_allclose(gd[:at], norms["sgd"][:at], rtol=0)
    np.testing.assert_allclose(np.asarray(data[1]["y"], dtype=float), norms["momentum"], rtol=0)
    exact = np.asarray(data[2]["y"], dtype=float)  # an exact 0 on a log axis: a gap
    assert exact[0] == 150.0 and np.isnan(exact[1:]).all()
    ends = [a for a in lay["annotations"] if a.get("name") == "end label"]
    assert [a["text"] for a in ends] == list(LABELS.values())
    assert all(a["font"]["size"] >= MIN_FONT_PX for a in ends)


def test_the_figure_takes_display_labels_and_thins_long_runs():
    norms = {"Lookahead (Adam)": np.geomspace(10, 1e-3, 1001), "Adam": np.geomspace(5, 1e-2, 1001)}
    fig = plain(gn.grad_norm_figure(norms, {"Lookahead (Adam)": "lookahead", "Adam": "adam"}, height=382,
                                    margin={"b": 62}))
    look, adam = fig["data"]
    assert look["name"] == "Lookahead (Adam)" and look["line"]["color"] == OPTIMIZER_COLORS["lookahead"]
    assert adam["line"]["dash"] == OPTIMIZER_DASHES["adam"]
    x = np.asarray(look["x"])
    assert (x[0], x[-1], len(x)) == (0, 1000, 600)
    np.testing.assert_allclose(np.asarray(look["y"]), norms["Lookahead (Adam)"][x], rtol=0)
    assert fig["layout"]["margin"]["b"] == 62 and fig["layout"]["height"] == 382
    # 4 decades, padded 5 % a side: 4.4 · 28 px = 123 px of labels over 300 px, one labelled tick per decade
    assert fig["layout"]["yaxis"]["dtick"] == 1
    assert gn.decades_per_tick([1e-14, 1e3], 100) == math.ceil(17 * 1.1 * 28 / 100)


def test_marker_sizes_are_evenly_spread_and_shifted_per_line():
    np.testing.assert_array_equal(np.flatnonzero(gn.marker_sizes(81, 0, 2, markers=4)), [5, 25, 45, 65])
    np.testing.assert_array_equal(np.flatnonzero(gn.marker_sizes(81, 1, 2, markers=4)), [15, 35, 55, 75])


# --- the Compare page's helpers -----------------------------------------------------------------------------------


def test_compare_rates_give_theory_to_gd_momentum_and_nesterov_with_a_constant_step_on_a_bowl_only():
    surface = bowl(100)
    specs = [spec("sgd", lr=0.01), spec("momentum", lr=0.01, momentum=0.1),
             spec("adam", lr=0.1, beta1=0.9, beta2=0.999),
             spec("lookahead", inner="sgd", inner_hyper={"lr": 0.01}, k=5, alpha=0.5),
             spec("sgd", lr=0.01).scheduled((("name", "cosine"), ("steps", 50)))]
    runs = {s: oc.run(s.build(), surface, START, 50) for s in specs}
    rates = cmp.run_rates(surface, runs)
    gd, hb, adam, look, cosine = (rates[s] for s in specs)
    assert gd == pytest.approx((0.99, 0.99), rel=1e-12)
    assert hb[1] == pytest.approx(slowest_root("momentum", 0.01, 0.1, (1, 100)), rel=1e-12)
    assert hb[0] == pytest.approx(hb[1], rel=1e-6)
    for measured, theory in (adam, look, cosine):
        assert math.isnan(theory) and math.isfinite(measured)
    adam_norms = np.hypot(runs[specs[2]].params[:, 0], 100 * runs[specs[2]].params[:, 1])
    assert adam[0] == pytest.approx(mr.measured_rate(adam_norms), rel=1e-12)
    lines = cmp.summary(runs, cmp.loss_view(surface), dict.fromkeys(runs, "converging"), surface=surface).splitlines()
    assert lines[0].endswith("| final L(W) − L* | rate per step | theory |") and lines[1] == "|---|---|---|---|---|---|"
    assert lines[2].endswith(" | 0.99 | 0.99 |") and lines[4].endswith(f" | {adam[0]:.3g} | — |")
    rosenbrock = oc.get_surface("rosenbrock")
    far = {specs[0]: oc.run(specs[0].build(), rosenbrock, rosenbrock.start, 50)}
    assert math.isnan(cmp.run_rates(rosenbrock, far)[specs[0]][1])


def test_the_summary_keeps_its_four_columns_without_rates_and_stacks_the_rate_on_a_phone():
    rows = [("GD", "converging", "t = 0.01", 0.5, -1), ("Adam", "diverged", "α = 1", 4.0, 7)]
    assert cmp.summary_markdown(rows, "L").splitlines()[0] == "| optimizer | status | settings | final L |"
    wide = cmp.summary_markdown(rows, "L", rates=[(0.99, 0.99), (float("nan"), float("nan"))]).splitlines()
    assert wide[0] == "| optimizer | status | settings | final L | rate per step | theory |"
    assert wide[2:] == ["| GD | :blue-badge[converging] | t = 0.01 | 0.5 | 0.99 | 0.99 |",
                        "| Adam | :red-badge[diverged] at step 7 | α = 1 | 4 | — | — |"]
    stacked = cmp.summary_markdown(rows, "L", stacked=True, rates=[(0.99, 0.99), (float("nan"), float("nan"))])
    assert stacked.splitlines()[0] == "- **GD** :blue-badge[converging]  "
    assert "final L: 0.5  \nrate per step: 0.99 (theory: 0.99)" in stacked


def test_compare_grad_chart_is_as_tall_as_the_loss_chart_with_one_line_per_racer():
    surface = bowl(25)
    specs = [default_spec(n, surface.name) for n in ("sgd", "adam", "lookahead")]
    runs = {s: oc.run(s.build(), surface, START, 100) for s in specs}
    fig = plain(cmp.grad_norm_chart(surface, runs))
    loss = plain(cmp.loss_figure(runs, cmp.loss_view(surface)))
    assert fig["layout"]["height"] == loss["layout"]["height"] == 382
    assert [tr["name"] for tr in fig["data"]] == ["Gradient descent", "Adam", "Lookahead (Adam)"]
    for tr, s in zip(fig["data"], specs):
        np.testing.assert_allclose(np.asarray(tr["y"], dtype=float),
                                   np.hypot(runs[s].params[:, 0], 25 * runs[s].params[:, 1]), rtol=1e-15)


# --- the Momentum page --------------------------------------------------------------------------------------------


def rate_rows(at) -> dict[str, list[str]]:
    table, = [m.value for m in at.markdown if m.value.startswith("| run |")]
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[0]: row[1:] for row in rows}


def test_the_momentum_page_draws_grad_norm_beside_the_loss_and_its_rates_beside_the_theory():
    at = open_link("momentum", {"surface": "elongated_quadratic", "kappa": "100", "lr": "0.01"})
    assert_clean(at)
    paths, losses, grads = charts(at)
    assert grads["layout"]["yaxis"]["type"] == "log" and grads["layout"]["height"] == losses["layout"]["height"]
    steps = um.DEFAULTS.steps["elongated_quadratic"]  # 50
    for m, name in LABELS.items():  # independent runs: the engine, and the bowl's gradient (x, 100 y) by hand
        params = run(m, bowl(100), steps, **({"lr": 0.01} if m == "sgd" else {"lr": 0.01, "momentum": 0.1})).params
        norms = np.hypot(params[:, 0], 100 * params[:, 1])
        np.testing.assert_allclose(trace(grads, name)["y"], norms, rtol=1e-12)
        measured = mr.measured_rate(norms)
        theory = slowest_root(m, 0.01, 0.1, (1, 100))
        assert measured == pytest.approx(theory, rel=1e-6)  # the stiff direction's roots are gone by step 25
        assert rate_rows(at)[name] == ["0.01", "—" if m == "sgd" else "0.1", f"{measured:.3g}", f"{theory:.3g}"]
    assert [row[2:] for row in rate_rows(at).values()] == [["0.99", "0.99"], ["0.989", "0.989"], ["0.989", "0.989"]]
    assert any("κ = λₙ/λ₁ = 100 (Goh 2017)" in c.value for c in at.caption)
    assert not any(m.value.startswith("| method |") for m in at.markdown)  # the "best" table: only when it is on


def test_off_a_bowl_the_page_says_the_theory_is_for_quadratics():
    at = open_link("momentum", {"surface": "rosenbrock"})
    assert_clean(at)
    rows = rate_rows(at)
    assert [row[3] for row in rows.values()] == ["—", "—", "—"]
    assert all(row[2] not in ("—", "nan") for row in rows.values())
    assert any("is for quadratic bowls, and this surface is not one." in c.value for c in at.caption)


# --- the Compare page ---------------------------------------------------------------------------------------------


def test_the_compare_page_draws_every_racers_grad_norm_and_tabulates_its_rate_beside_the_theory():
    at = open_page("compare")
    at.selectbox(key=key("compare", "surface")).set_value("elongated_quadratic").run()
    assert_clean(at)
    race, loss, sweep, grads = charts(at)
    surface = bowl(25)
    text = "\n".join(m.value for m in at.markdown)
    assert "| rate per step | theory |" in text
    shown = at.multiselect(key=key("compare", "show")).value
    assert shown == ["sgd", "momentum", "rmsprop", "adam", "lookahead"]
    for name in shown:
        opt = default_spec(name, surface.name)
        params = oc.run(opt.build(), surface, surface.start, 300).params
        norms = np.hypot(params[:, 0], 25 * params[:, 1])  # ∇L = (x, 25 y) on the κ = 25 bowl
        label = display_name(opt)
        np.testing.assert_allclose(trace(grads, label)["y"], np.where(norms > 0, norms, np.nan), rtol=1e-12)
        measured = mr.measured_rate(norms)
        if name in ("sgd", "momentum"):
            settings = opt.settings
            theory = slowest_root(name, settings["lr"], settings.get("momentum", 0.0), (1, 25))
            assert measured == pytest.approx(theory, rel=0.05)
            cells = f"| {measured:.3g} | {theory:.3g} |"
        else:  # no rate theory for RMSProp, Adam or Lookahead
            cells = f"| {measured:.3g} | — |"
        row, = [line for line in text.splitlines() if line.startswith(f"| {label} |")]
        assert row.endswith(cells), (row, cells)
    assert grads["layout"]["height"] == loss["layout"]["height"] and grads["layout"]["yaxis"]["type"] == "log"
    assert any(c.value.startswith("‖∇L(W_c)‖ at every step") for c in at.caption)
