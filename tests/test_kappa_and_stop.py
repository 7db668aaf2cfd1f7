"""The bowl's condition number κ, the stability limits and best settings (optim_core.stability), and run's tol.

Run lengths for the rate checks: a rate r close to 1 (gradient descent at κ = 1000: 0.998) is only checked
honestly over many steps and on the right scale. "Within 5 %" of 0.998 on the rate itself admits 0.95, a run
25 times faster; so every rate here is also checked on the log scale, −ln r̂ within 5 % of −ln r (the number
of steps per e-fold), and each run lasts N = ⌈E / (−ln r)⌉ steps with E = 40: whatever κ, it covers the same
40 e-folds of contraction (the distance falls by e⁻⁴⁰ ≈ 4·10⁻¹⁸; the minimum is at the origin, so floats
resolve that and no rounding floor is reached). That is 20 000 steps for gradient descent at κ = 1000 and
79 at κ = 4. ``measured_rate`` fits over the last half of the run:

- gradient descent at its best t shrinks both directions by exactly r a step: d_k = r^k d_0, read exactly;
- the heavy ball at its best (t, μ) sits on a double root: d_k = (a + bk) r^k, and the factor k makes the
  fit read high by about e^{1.35/N} (``measured_rate``'s docstring), a relative error of 1.35/E ≈ 3.4 % in
  −ln r whatever κ (measured: 3.2-3.4 %), and under 3.7 % in r itself (κ = 4, N = 37; 0.2 % at κ = 1000).
"""

import math

import numpy as np
import pytest

import optim_core as oc
from optim_core import stability as st
from optim_core.surfaces import surface_name
from ui.pages import momentum_rates as um

KAPPAS = (4, 25, 100, 1000)
E_FOLDS = 40  # every rate run covers this many e-folds of the theory's contraction
BOWL = oc.get_surface("elongated_quadratic")
STOP_TOL = 1e-6


def bowl(kappa) -> oc.Surface:
    return oc.get_surface("elongated_quadratic", kappa=kappa)


def steps_for(rate: float) -> int:
    return math.ceil(E_FOLDS / abs(math.log(rate)))


def distances(traj: oc.Trajectory) -> np.ndarray:
    """‖W_c − W*‖ up to the last finite row (the bowl's minimum is the origin)."""
    at = int(traj.diverged_at)
    return np.linalg.norm(traj.params[: at if at >= 0 else None], axis=-1)


def assert_rate(measured: float, theory: float, rel: float = 0.05) -> None:
    assert measured == pytest.approx(theory, rel=rel)
    assert math.log(measured) == pytest.approx(math.log(theory), rel=rel)  # steps per e-fold, the honest scale


# --- 1. the condition number ------------------------------------------------------------------------------------


def test_kappa_25_is_the_existing_bowl_bit_for_bit():
    points = np.random.default_rng(0).uniform(-6, 6, (50, 2))
    for same in (oc.get_surface("elongated_quadratic", kappa=25), oc.get_surface("elongated_quadratic", kappa=25.0),
                 oc.get_surface("elongated_quadratic:kappa=25")):
        assert (same.name, same.title, same.latex, same.bounds) == (BOWL.name, BOWL.title, BOWL.latex, BOWL.bounds)
        assert same.name == "elongated_quadratic" and not same.log_contours
        np.testing.assert_array_equal(same.value(points), BOWL.value(points))
        np.testing.assert_array_equal(same.grad(points), BOWL.grad(points))
        np.testing.assert_array_equal(same.hessian(points), BOWL.hessian(points))
        np.testing.assert_array_equal(same.start, BOWL.start)
        np.testing.assert_array_equal(same.minima, BOWL.minima)
    np.testing.assert_array_equal(BOWL.hessian([0.3, 0.2]), np.diag([1.0, 25.0]))


@pytest.mark.parametrize("kappa", [1, 4, 12.5, 100, 1000])
def test_the_bowls_hessian_is_diag_1_kappa_and_its_name_reads_back(kappa):
    s = bowl(kappa)
    points = np.random.default_rng(1).uniform(-3, 3, (20, 2))
    np.testing.assert_array_equal(s.hessian(points), np.broadcast_to(np.diag([1.0, kappa]), (20, 2, 2)))
    x, y = points[:, 0], points[:, 1]
    np.testing.assert_array_equal(s.value(points), 0.5 * (x * x + kappa * y * y))
    np.testing.assert_array_equal(s.grad(points), points * [1.0, kappa])
    np.testing.assert_array_equal(st.local_curvature(s, points), np.broadcast_to([1.0, kappa], (20, 2)))
    assert um.quadratic_curvatures(s) == (1.0, float(kappa))
    assert s.name == f"elongated_quadratic:kappa={kappa:g}" == surface_name("elongated_quadratic", kappa=kappa)
    assert oc.get_surface(s.name).name == s.name  # the name is the whole surface: caches keyed by name work
    np.testing.assert_array_equal(oc.get_surface(s.name).value(points), s.value(points))
    assert s.title == f"Elongated bowl (κ = {kappa:g})" and s.latex == rf"\tfrac12\,(x^2 + {kappa:g}\,y^2)"
    # same box and start for every κ (bowls compare on one picture); the minimum is stationary
    assert s.bounds == BOWL.bounds and s.start.tolist() == [-5.0, 1.5]
    np.testing.assert_array_equal(s.grad(s.minima), [[0.0, 0.0]])
    assert s.log_contours == (kappa >= 100)  # evenly spaced bands would show κ = 1000 as stripes only


def test_names_are_canonical_and_exact():
    assert oc.get_surface("elongated_quadratic:kappa=100.0").name == "elongated_quadratic:kappa=100"
    assert oc.get_surface("elongated_quadratic:kappa=1e3").name == "elongated_quadratic:kappa=1000"
    odd = 1 + 1 / 3
    assert oc.get_surface("elongated_quadratic", kappa=odd).name == f"elongated_quadratic:kappa={odd!r}"
    assert oc.get_surface(f"elongated_quadratic:kappa={odd!r}").grad([0.0, 1.0])[1] == odd  # repr reads back
    assert surface_name("rosenbrock") == "rosenbrock" and surface_name("elongated_quadratic") == "elongated_quadratic"


@pytest.mark.parametrize("call, message", [
    (lambda: oc.get_surface("elongated_quadratic", kappa=0.5), r"kappa must be in \[1, 1000\], got 0.5"),
    (lambda: oc.get_surface("elongated_quadratic", kappa=1001), r"kappa must be in \[1, 1000\], got 1001.0"),
    (lambda: oc.get_surface("elongated_quadratic:kappa=nan"), r"kappa must be in \[1, 1000\], got nan"),
    (lambda: oc.get_surface("elongated_quadratic", kappa=[4, 25]), "kappa must be a number"),
    (lambda: oc.get_surface("elongated_quadratic", kappa="4"), "kappa must be a number"),
    (lambda: oc.get_surface("elongated_quadratic", lam=3), "unknown parameter 'lam' for surface "
                                                           "'elongated_quadratic'; it takes kappa"),
    (lambda: oc.get_surface("rosenbrock", kappa=3), "unknown parameter 'kappa' for surface 'rosenbrock'; "
                                                    "it takes no parameters"),
    (lambda: oc.get_surface("saddle:kappa=3"), "unknown parameter 'kappa' for surface 'saddle'"),
    (lambda: oc.get_surface("custom:x^2", kappa=3), "a custom surface takes no parameters"),
    (lambda: oc.get_surface("elongated_quadratic:kappa"), "surface parameters must read"),
    (lambda: oc.get_surface("elongated_quadratic:kappa=four"), "surface parameters must read"),
    (lambda: oc.get_surface("elongated_quadratic:kappa=4,kappa=5"), "surface parameters must read"),
    (lambda: oc.get_surface("elongated_quadratic:"), "surface parameters must read"),
    (lambda: oc.get_surface("elongated_quadratic:kappa=4", kappa=4), "in the name or as keywords, not both"),
    (lambda: oc.get_surface("bowl:kappa=4"), "unknown surface 'bowl'; known: beale"),
])
def test_parameters_a_surface_does_not_take_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("name", oc.SURFACE_NAMES)
def test_every_surface_still_comes_by_its_bare_name(name):
    assert oc.get_surface(name).name == name


def test_at_kappa_1000_the_valley_is_narrow_but_the_start_and_the_picture_fit():
    s = bowl(1000)
    (x0, x1), (y0, y1) = s.bounds
    assert x0 < s.start[0] < x1 and y0 < s.start[1] < y1
    # the level set through (±6, 0) spans |y| ≤ 6/√1000 = 0.19: 3 % of the box's height, yet log-spaced bands
    # resolve it: the grid's levels near the floor differ by decades
    xs, ys, z = s.grid(121)
    assert np.sqrt(2 * s.value([6.0, 0.0]) / 1000) == pytest.approx(6 / np.sqrt(1000))
    assert np.log10(z[60, 60 + 10] + 1e-3) - np.log10(z[60, 60 + 1] + 1e-3) > 1.5  # along the valley floor


# --- 2. stability limits, best settings, rates (optim_core.stability) -------------------------------------------


def test_limits_and_best_settings_in_closed_form():
    assert st.gd_limit(25) == 2 / 25 and st.gd_limit(1000) == 0.002
    assert st.heavy_ball_limit(25, 0.5) == pytest.approx(3 / 25, rel=1e-15)
    assert st.heavy_ball_limit(25, 0.0) == st.gd_limit(25)
    np.testing.assert_array_equal(st.gd_limit(np.array([1.0, 4.0])), [2.0, 0.5])  # a batch of settings
    assert st.gd_best(1, 25) == (1 / 13, 0.0, 12 / 13)
    hb = st.heavy_ball_best(1, 25)
    assert (hb.lr, hb.momentum) == (1 / 9, 4 / 9) and hb.rate == pytest.approx(2 / 3, rel=1e-15)
    assert st.nesterov_best(1, 25).lr == pytest.approx(1 / 19, rel=1e-15)
    assert st.heavy_ball_best(1, 1000).rate == pytest.approx((np.sqrt(1000) - 1) / (np.sqrt(1000) + 1), rel=1e-15)
    for kappa in (1, *KAPPAS):  # each closed-form rate is the recurrence's slowest root at that setting
        gd, hb = st.gd_best(1, kappa), st.heavy_ball_best(1, kappa)
        assert st.gd_rate(gd.lr, (1, kappa)) == pytest.approx(gd.rate, abs=1e-12)
        assert st.heavy_ball_rate(hb.lr, hb.momentum, (1, kappa)) == pytest.approx(hb.rate, rel=1e-6)
        assert hb.momentum == pytest.approx(hb.rate ** 2, rel=1e-12)
    for bad, message in [(lambda: st.gd_limit(0), r"lmax must be in \(0, inf\)"),
                         (lambda: st.heavy_ball_limit(25, 1.0), r"mu must be in \[0, 1\)"),
                         (lambda: st.gd_best(25, 1), "lmin must be at most lmax"),
                         (lambda: st.heavy_ball_best(-1, 1), r"lmin must be in \(0, inf\)")]:
        with pytest.raises(ValueError, match=message):
            bad()


def test_the_momentum_page_takes_its_formulas_from_stability():
    for curvatures in [(1.0, 25.0), (1.0, 1000.0), (0.5, 50.0)]:
        best = um.best_settings(curvatures)
        assert best["sgd"] == {"lr": st.gd_best(*curvatures).lr}
        assert best["momentum"] == dict(zip(("lr", "momentum"), st.heavy_ball_best(*curvatures)[:2], strict=True))
        assert um.best_rate("momentum", curvatures) == st.heavy_ball_best(*curvatures).rate
        assert um.theory_rate("momentum", {"lr": 0.01, "momentum": 0.7}, curvatures) == st.heavy_ball_rate(
            0.01, 0.7, curvatures)


def test_local_curvature_is_local_off_the_bowl():
    ros = oc.get_surface("rosenbrock")
    np.testing.assert_allclose(st.local_curvature(ros, [1.0, 1.0]), np.linalg.eigvalsh([[802, -400], [-400, 200]]))
    # the stable step changes from point to point: 2/200 at (0, 0), 2/1506 at the start, 2/1002 at the minimum
    limits = [st.gd_limit(st.local_curvature(ros, p)[1]) for p in ([0.0, 0.0], ros.start, [1.0, 1.0])]
    np.testing.assert_allclose(limits, [0.01, 2 / 1506.367, 2 / 1001.6006], rtol=1e-6)
    np.testing.assert_array_equal(st.local_curvature(oc.get_surface("saddle"), [0.3, -0.2]), [-2.0, 2.0])
    assert st.local_curvature(ros, np.zeros((3, 4, 2))).shape == (3, 4, 2)


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("mu", [None, 0.5, 0.9])  # None: gradient descent
def test_just_below_the_limit_converges_and_just_above_diverges(kappa, mu):
    s = bowl(kappa)
    limit = st.gd_limit(kappa) if mu is None else st.heavy_ball_limit(kappa, mu)
    for factor in (0.99, 1.01):
        t = factor * limit
        if mu is None:
            opt, rate = oc.make_optimizer("sgd", lr=t), st.gd_rate(t, (1, kappa))
        else:
            opt, rate = oc.make_optimizer("momentum", lr=t, momentum=mu), st.heavy_ball_rate(t, mu, (1, kappa))
        traj = oc.run(opt, s, s.start, steps_for(rate), record=False)
        d = distances(traj)
        if factor < 1:
            assert rate < 1 and int(traj.diverged_at) == -1 and str(oc.status(traj, s)) == "converged"
            assert d[-1] < 1e-16 * d[0]
            assert_rate(um.measured_rate(d), rate, rel=0.01)
        else:
            assert rate > 1 and int(traj.diverged_at) > 0 and str(oc.status(traj, s)) == "diverged"
            # growth up to the blow-up: as few as 14 steps (μ = 0.9), both roots still in the mix
            assert um.measured_rate(d) == pytest.approx(rate, rel=0.05)
    if mu is None:  # y_c = 1.5 (1 − tκ)^c = 1.5 (−1.02)^c leaves |y| ≤ 60 (20 half-widths) at c = 187
        assert int(traj.diverged_at) == math.ceil(math.log(60 / 1.5) / math.log(1.02)) == 187


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("method", ["sgd", "momentum"])
def test_measured_rate_at_the_best_setting_agrees_with_theory(kappa, method):
    s = bowl(kappa)
    best = st.gd_best(1, kappa) if method == "sgd" else st.heavy_ball_best(1, kappa)
    hyper = {"lr": best.lr} if method == "sgd" else {"lr": best.lr, "momentum": best.momentum}
    n = steps_for(best.rate)
    traj = oc.run(oc.make_optimizer(method, **hyper), s, s.start, n, record=False)
    d = distances(traj)
    measured = um.measured_rate(d)
    assert int(traj.diverged_at) == -1 and d[-1] / d[0] < 1e-13  # e⁻⁴⁰, times the double root's k for momentum
    assert_rate(measured, best.rate)
    if method == "sgd":  # exactly r a step in both directions: d_k = r^k d_0
        assert measured == pytest.approx(best.rate, rel=1e-9)
        np.testing.assert_allclose(d, d[0] * best.rate ** np.arange(n + 1), rtol=1e-9)
    else:  # the double root's k factor reads high by ≈ e^{1.35/N}: 1.35/E ≈ 3.4 % of −ln r
        assert best.rate < measured < best.rate * math.exp(1.5 / n)
        assert math.log(measured) / math.log(best.rate) == pytest.approx(1 - 1.35 / E_FOLDS, abs=0.01)


# --- 3. the stop condition ------------------------------------------------------------------------------------------


def _hand_gd(surface, start, t, tol, steps):
    """Gradient descent by hand: the first c with ‖∇L(θ_c)‖ < tol, and θ_c (-1 and the last θ if none)."""
    w = np.asarray(start, dtype=float)
    for c in range(steps + 1):
        if np.linalg.norm(surface.grad(w)) < tol:
            return c, w
        if c < steps:
            w = w - t * surface.grad(w)
    return -1, w


def test_gradient_descent_stops_at_the_first_step_below_tol():
    t = 2 / 26
    traj = oc.run(oc.make_optimizer("sgd", lr=t), BOWL, BOWL.start, 400, tol=STOP_TOL)
    c, w = _hand_gd(BOWL, BOWL.start, t, STOP_TOL, 400)
    assert c == 218  # ‖∇L(start)‖ = 37.8 shrinks by 12/13 a step: 37.8 (12/13)^c < 1e-6 from c = 218
    assert isinstance(traj.converged_at, np.ndarray) and traj.converged_at.shape == ()
    assert traj.converged_at.dtype == np.int64
    assert int(traj.converged_at) == c and bool(traj.converged) and int(traj.diverged_at) == -1
    assert np.linalg.norm(BOWL.grad(traj.params[c])) < STOP_TOL <= np.linalg.norm(BOWL.grad(traj.params[c - 1]))
    np.testing.assert_array_equal(traj.params[c], w)  # the same arithmetic as the hand loop, to the bit
    # shapes stay (steps+1, …): from row c on every row is row c
    assert traj.params.shape == (401, 2) and traj.loss.shape == (401,) and traj.grads.shape == (400, 2)
    np.testing.assert_array_equal(traj.params[c:], np.broadcast_to(w, (401 - c, 2)))
    np.testing.assert_array_equal(traj.loss[c:], BOWL.value(w))
    np.testing.assert_array_equal(traj.grads[c:], np.broadcast_to(BOWL.grad(w), (400 - c, 2)))
    # before c it is the run without tol
    free = oc.run(oc.make_optimizer("sgd", lr=t), BOWL, BOWL.start, 400)
    np.testing.assert_array_equal(traj.params[: c + 1], free.params[: c + 1])
    assert str(oc.status(traj, BOWL)) == "converged"


def test_without_tol_nothing_changes():
    opt = oc.make_optimizer("momentum", lr=0.02, momentum=0.9)
    a, b = oc.run(opt, BOWL, BOWL.start, 300), oc.run(opt, BOWL, BOWL.start, 300, tol=None)
    for x, y in [(a.params, b.params), (a.loss, b.loss), (a.grads, b.grads), (a.diverged_at, b.diverged_at)]:
        np.testing.assert_array_equal(x, y)
    assert a.converged_at.shape == () and int(a.converged_at) == -1 and not bool(a.converged)
    batch = oc.run(opt, BOWL, np.zeros((3, 2)), 5)
    np.testing.assert_array_equal(batch.converged_at, [-1, -1, -1])
    # a Trajectory built by hand (five fields) reads "not stopped"
    hand = oc.Trajectory(a.params, a.loss, a.grads, a.records, a.diverged_at)
    assert int(hand.converged_at) == -1 and str(oc.status(hand, BOWL)) == str(oc.status(a, BOWL))


def test_a_batch_of_starts_stops_run_by_run():
    starts = np.array([[-5.0, 1.5], [1e-8, 0.0], [3.0, -2.0], [-5.9, 2.9]])
    t = 2 / 26
    traj = oc.run(oc.make_optimizer("sgd", lr=t), BOWL, starts, 400, tol=STOP_TOL)
    expected = [_hand_gd(BOWL, s, t, STOP_TOL, 400)[0] for s in starts]
    np.testing.assert_array_equal(traj.converged_at, expected)
    assert expected[1] == 0 and len(set(expected)) == 4  # one stops at its start; each at its own step
    for k, c in enumerate(expected):
        alone = oc.run(oc.make_optimizer("sgd", lr=t), BOWL, starts[k], 400, tol=STOP_TOL)
        assert int(alone.converged_at) == c
        np.testing.assert_array_equal(traj.params[:, k], alone.params)
        np.testing.assert_array_equal(traj.params[c:, k], np.broadcast_to(traj.params[c, k], (401 - c, 2)))
    np.testing.assert_array_equal(oc.status(traj, BOWL), ["converged"] * 4)


def test_a_batch_of_settings_stops_run_by_run_and_a_blow_up_is_not_a_stop():
    lrs = np.array([2 / 26, 0.01, 0.1, 1 / 9])
    opt = oc.make_optimizer("momentum", lr=lrs, momentum=np.array([0.0, 0.0, 0.0, 4 / 9]))
    traj = oc.run(opt, BOWL, BOWL.start, 400, tol=STOP_TOL)
    assert traj.converged_at[0] == 218 and traj.converged_at[1] == -1  # t = 0.01 needs 1535 steps
    assert traj.converged_at[2] == -1 and traj.diverged_at[2] == 10  # t = 0.1 > 2/25 blows up
    assert traj.converged_at[3] == 55  # the heavy ball at its best: 2/3 a step
    np.testing.assert_array_equal(traj.diverged_at >= 0, [False, False, True, False])
    np.testing.assert_array_equal(oc.status(traj, BOWL), ["converged", "converging", "diverged", "converged"])
    for k in range(4):
        alone = oc.run(oc.make_optimizer("momentum", lr=lrs[k], momentum=[0.0, 0.0, 0.0, 4 / 9][k]), BOWL,
                       BOWL.start, 400, tol=STOP_TOL)
        assert int(alone.converged_at) == traj.converged_at[k] and int(alone.diverged_at) == traj.diverged_at[k]
        np.testing.assert_array_equal(traj.params[:, k], alone.params)
        for key in alone.records:
            np.testing.assert_array_equal(traj.records[key][:, k], alone.records[key], err_msg=key)
    # from the stop on, the records hold the state after the last step taken (the one that reached row c)
    c = int(traj.converged_at[3])
    velocity = traj.records["velocity"][:, 3]
    np.testing.assert_array_equal(velocity[c - 1:], np.broadcast_to(velocity[c - 1], (401 - c, 2)))
    np.testing.assert_array_equal(velocity[c - 1], traj.params[c, 3] - traj.params[c - 1, 3])


def test_tol_is_checked_on_the_last_row_too_and_head_is_the_shorter_run():
    t = 2 / 26
    opt = oc.make_optimizer("sgd", lr=t)
    assert int(oc.run(opt, BOWL, BOWL.start, 218, tol=STOP_TOL).converged_at) == 218
    assert int(oc.run(opt, BOWL, BOWL.start, 217, tol=STOP_TOL).converged_at) == -1
    assert int(oc.run(opt, BOWL, [0.0, 0.0], 0, tol=STOP_TOL).converged_at) == 0
    long = oc.run(oc.make_optimizer("adam", lr=0.1), BOWL, BOWL.start, 600, tol=1e-3)
    c = int(long.converged_at)
    assert 0 < c < 600
    for n in (c - 1, c, c + 5, 600):
        short, head = oc.run(oc.make_optimizer("adam", lr=0.1), BOWL, BOWL.start, n, tol=1e-3), long.head(n)
        assert int(head.converged_at) == int(short.converged_at) == (c if n >= c else -1)
        np.testing.assert_array_equal(head.params, short.params)
        for key in short.records:
            np.testing.assert_array_equal(head.records[key], short.records[key], err_msg=key)


def test_a_stop_at_the_start_keeps_every_shape():
    traj = oc.run(oc.make_optimizer("adam", lr=0.1), BOWL, np.zeros((2, 2)), 20, tol=STOP_TOL)
    np.testing.assert_array_equal(traj.converged_at, [0, 0])
    assert traj.params.shape == (21, 2, 2) and traj.records["m"].shape == (20, 2, 2)
    np.testing.assert_array_equal(traj.params, 0.0)


def test_status_says_converged_for_a_run_stopped_by_a_loose_tol():
    # tol = 1e-2 is looser than status's own test (‖∇L‖ ≤ 1e-6 · 37.8, or 1e-4 · 37.8 when stalled): the frozen
    # tail alone would read "oscillating" (the loss no longer falls); the recorded stop says "converged"
    traj = oc.run(oc.make_optimizer("sgd", lr=2 / 26), BOWL, BOWL.start, 300, tol=1e-2)
    assert 0 < int(traj.converged_at) < 300
    assert str(oc.status(traj, BOWL)) == "converged"
    assert str(oc.status(traj._replace(converged_at=np.int64(-1)), BOWL)) == "oscillating"


def test_tol_reads_the_exact_gradient_under_noise():
    traj = oc.run(oc.make_optimizer("sgd", lr=2 / 26), BOWL, BOWL.start, 400, noise=1e-3, seed=3, tol=1e-2)
    c = int(traj.converged_at)
    norms = np.linalg.norm(BOWL.grad(traj.params), axis=-1)
    assert c > 0 and norms[c] < 1e-2 and (norms[:c] >= 1e-2).all()


@pytest.mark.parametrize("tol", [0, -1e-6, float("nan"), [1e-6, 1e-3], "small"])
def test_bad_tol_is_refused(tol):
    with pytest.raises(ValueError, match="tol must be"):
        oc.run(oc.make_optimizer("sgd"), BOWL, BOWL.start, 5, tol=tol)

