import numpy as np
import pytest

import optim_core as oc

SADDLE = oc.get_surface("saddle")  # x² − y², bounds [-2, 2]², unbounded below
BOWL = oc.get_surface("elongated_quadratic")  # ½(x² + 25y²), start (-5, 1.5), ‖∇L(start)‖ = 37.8
ROS = oc.get_surface("rosenbrock")


def one(name, surface, steps, start=None, **hyper):
    traj = oc.run(oc.make_optimizer(name, **hyper), surface, surface.start if start is None else start, steps)
    return str(oc.status(traj, surface)), traj


def test_statuses_and_export():
    assert oc.STATUSES == ("converged", "converging", "oscillating", "escaped", "diverged")
    assert "status" in oc.__all__ and "STATUSES" in oc.__all__


def test_adam_runs_off_the_saddle_is_escaped():
    # Adam moves y by ≈ lr a step: it leaves |y| ≤ 40 (20 half-widths) at step 502;
    # the last 10 finite loss differences are ≈ −6.4 each, final loss −1598.8 < start 0.2499.
    status, traj = one("adam", SADDLE, 600, start=(0.5, 0.01), lr=0.05)
    assert int(traj.diverged_at) == 502 and status == "escaped"
    # 100 steps: not blown up, but y = 6.88 is outside the plot, loss −47.3 and falling.
    status, traj = one("adam", SADDLE, 100, lr=0.05)
    assert not bool(traj.diverged) and traj.params[-1, 1] > 2 and status == "escaped"


def test_gradient_descent_runs_off_the_saddle_is_escaped():
    # y grows ×1.2 a step; leaves at step 46 with y = 36.6, last differences −15 … −409.
    status, traj = one("sgd", SADDLE, 100, start=(0.5, 0.01), lr=0.1)
    assert int(traj.diverged_at) == 46 and status == "escaped"


def test_gradient_descent_onto_the_saddle_point_is_converged():
    # From y = 0 exactly it slides into the stationary point (0, 0): x = 0.5·0.8²⁰⁰ ≈ 2e-20.
    assert one("sgd", SADDLE, 200, start=(0.5, 0.0), lr=0.1)[0] == "converged"


def test_too_large_a_step_on_the_bowl_is_diverged():
    # lr = 0.1 > 2/25: y is multiplied by 1 − 2.5 = −1.5 a step, the loss rises
    # 40.6 → 73.4 → … → 41568 and y leaves |y| ≤ 60 at step 10.
    status, traj = one("sgd", BOWL, 100, lr=0.1)
    assert int(traj.diverged_at) == 10 and status == "diverged"


def test_blow_up_on_the_first_step_is_diverged():
    # lr = 1 on Rosenbrock leaves at step 1: no finite step shows the loss falling.
    status, traj = one("sgd", ROS, 50, lr=1.0)
    assert int(traj.diverged_at) == 1 and status == "diverged"


def test_newton_on_the_bowl_is_converged_after_two_steps():
    status, traj = one("newton", BOWL, 2)  # lands on (0, 0) exactly
    assert status == "converged"


def test_small_step_gradient_descent_on_the_bowl_is_converged():
    # x = −5·0.95²⁰⁰⁰ ≈ −1.4e-44: ‖∇L‖ = 1.4e-44 ≤ 1e-6 · 37.8.
    assert one("sgd", BOWL, 2000, lr=0.05)[0] == "converged"


def test_gradient_descent_on_rosenbrock_is_converging():
    # The loss falls every step (largest difference −0.0031): 24.2 → 3.88 (step 75) → 3.80,
    # but ‖∇L‖ = 1.82 at the end.
    assert one("sgd", ROS, 100, lr=1e-3)[0] == "converging"


def test_zig_zag_below_two_over_lambda_is_converging():
    # lr = 0.079: y flips sign every step (×(1 − 0.079·25) = ×(−0.975)), but y² and x² both
    # shrink, so the loss falls every step (largest difference −5.8e-5): the loss never
    # changes direction. ‖∇L‖ = 0.237 after 200 steps is not converged.
    status, traj = one("sgd", BOWL, 200, lr=0.079)
    assert np.sign(traj.params[-2, 1]) != np.sign(traj.params[-1, 1]) and status == "converging"


def test_adam_with_a_large_step_is_oscillating():
    # Last quarter (50 steps) of Adam lr = 1 on the bowl: the loss changes direction
    # 23 times ≥ 50/3, although it ends lower (2.0e-6 → 7.6e-9); ‖∇L‖ = 3.4e-4.
    assert one("adam", BOWL, 200, lr=1.0)[0] == "oscillating"


def test_noisy_gradient_descent_is_oscillating():
    # Noise σ = 0.5 around the minimum: last 100 steps change direction 55 times and
    # the loss ends higher than it started the quarter (2.9e-3 → 5.4e-3).
    traj = oc.run(oc.make_optimizer("sgd", lr=0.05), BOWL, BOWL.start, 400, noise=0.5, seed=0)
    assert str(oc.status(traj, BOWL)) == "oscillating"


def test_a_batch_gives_one_status_per_run():
    # lr = 1e-3: x = −0.68 after 2000 steps, still falling; 0.05: at the minimum; 0.1 > 2/25: blows up.
    traj = oc.run(oc.make_optimizer("sgd", lr=[1e-3, 0.05, 0.1]), BOWL, BOWL.start, 2000)
    out = oc.status(traj, BOWL)
    assert out.shape == (3,) == traj.diverged_at.shape and out.dtype == np.dtype("<U11")
    np.testing.assert_array_equal(out, ["converging", "converged", "diverged"])


def test_a_batch_of_starts_is_judged_per_run():
    traj = oc.run(oc.make_optimizer("sgd", lr=0.1), SADDLE, [[0.5, 0.0], [0.5, 0.01]], 100)
    np.testing.assert_array_equal(oc.status(traj, SADDLE), ["converged", "escaped"])


@pytest.mark.parametrize("steps", [0, 1, 5])
def test_one_run_gives_a_0d_array_even_for_short_runs(steps):
    out = oc.status(oc.run(oc.make_optimizer("sgd", lr=1e-3), ROS, ROS.start, steps), ROS)
    assert isinstance(out, np.ndarray) and out.shape == () and out.dtype == np.dtype("<U11")
    assert str(out) in oc.STATUSES
