import numpy as np
import pytest

import optim_core as oc
from tolerance import assert_same_run
from ui import notices
from ui.widgets import compute

ROSENBROCK_START = (-1.2, 1.0)


def test_a_cached_run_is_the_engine_run():
    got = compute.run(compute.spec("adam", lr=0.02), "rosenbrock", ROSENBROCK_START, 50)
    want = oc.run(oc.make_optimizer("adam", lr=0.02), oc.get_surface("rosenbrock"), ROSENBROCK_START, 50)
    assert isinstance(got, oc.Trajectory)
    np.testing.assert_array_equal(got.params, want.params)
    np.testing.assert_array_equal(got.records["v_hat"], want.records["v_hat"])
    assert not got.diverged and int(got.diverged_at) == -1


def test_first_gradient_step_by_hand():
    # Rosenbrock at (-1.2, 1): ∇L = (-215.6, -88), so one GD step with t = 1e-3 moves by (0.2156, 0.088)
    got = compute.run(compute.spec("sgd", lr=1e-3), "rosenbrock", ROSENBROCK_START, 1)
    np.testing.assert_allclose(got.params[1], [-1.2 + 0.2156, 1.0 + 0.088], rtol=1e-12)


def test_lookahead_spec_nests_its_inner_optimizer_and_batches():
    opt = compute.spec("lookahead", inner="adam", inner_hyper={"lr": 0.02}, k=[5, 10], alpha=[0.5, 0.8])
    got = compute.run(opt, "rosenbrock", ROSENBROCK_START, 40)
    assert got.params.shape == (41, 2, 2) and got.diverged_at.shape == (2,)
    one = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("adam", lr=0.02), k=10, alpha=0.8),
                 oc.get_surface("rosenbrock"), ROSENBROCK_START, 40)
    np.testing.assert_allclose(got.params[:, 1], one.params, rtol=1e-12)
    assert opt.lr == 0.02 and opt.with_lr(0.5).lr == 0.5 and opt.without_lr().lr is None


def test_loss_scale_and_step_size_trade_places_for_gradient_descent():
    scaled = compute.run(compute.spec("sgd", lr=1e-4), "rosenbrock", ROSENBROCK_START, 3, loss_scale=10.0)
    plain = compute.run(compute.spec("sgd", lr=1e-3), "rosenbrock", ROSENBROCK_START, 3)
    np.testing.assert_allclose(scaled.params, plain.params, rtol=1e-12)  # 10·L with t/10 is L with t


def test_a_batch_of_starts():
    starts = np.array([[-1.2, 1.0], [0.0, 0.0]])
    got = compute.run(compute.spec("sgd", lr=1e-3), "rosenbrock", starts, 5)
    assert got.params.shape == (6, 2, 2)
    np.testing.assert_array_equal(got.params[0], starts)


def test_specs_are_order_free_hashable_keys():
    a = compute.spec("adam", lr=0.1, beta1=0.9)
    b = compute.spec("adam", beta1=0.9, lr=0.1)
    assert a == b and hash(a) == hash(b)
    assert compute.spec("lookahead", inner="sgd", inner_hyper={"lr": [0.1, 0.2]}, k=5) == \
        compute.spec("lookahead", inner="sgd", inner_hyper={"lr": np.array([0.1, 0.2])}, k=5)


def test_every_setting_reaches_the_cache_key():
    base = compute.run(compute.spec("momentum", lr=0.01, momentum=0.5), "rosenbrock", ROSENBROCK_START, 20)
    other = compute.run(compute.spec("momentum", lr=0.01, momentum=0.9), "rosenbrock", ROSENBROCK_START, 20)
    assert not np.allclose(base.params, other.params)
    seeded = [compute.run(compute.spec("sgd", lr=0.01), "rosenbrock", ROSENBROCK_START, 20, noise=1.0, seed=s)
              for s in (0, 1)]
    assert not np.allclose(seeded[0].params, seeded[1].params)


def test_a_sweep_is_single_runs_at_each_step_size_whatever_the_spec_lr():
    lrs = (1e-3, 2e-3, 5e-3)
    opt = compute.spec("momentum", lr=123.0, momentum=0.5)  # the spec's own lr plays no part
    sweep = compute.sweep(opt, "rosenbrock", ROSENBROCK_START, 30, lrs)
    for lr, final in zip(lrs, sweep.final):
        single = oc.run(oc.make_optimizer("momentum", lr=lr, momentum=0.5), oc.get_surface("rosenbrock"),
                        ROSENBROCK_START, 30)
        assert_same_run(final, single.loss[-1], 30, scale=single.loss)
    other = compute.sweep(compute.spec("momentum", lr=123.0, momentum=0.9), "rosenbrock", ROSENBROCK_START, 30, lrs)
    assert not np.allclose(sweep.final, other.final)  # a non-lr setting is part of the key
    np.testing.assert_array_equal(sweep.lrs, lrs)


def test_a_lookahead_sweep_changes_the_inner_step_size():
    lrs = (0.01, 0.05)
    opt = compute.spec("lookahead", inner="adam", inner_hyper={"lr": 9.0}, k=5, alpha=0.5)
    sweep = compute.sweep(opt, "rosenbrock", ROSENBROCK_START, 25, lrs)
    single = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("adam", lr=0.05), k=5, alpha=0.5),
                    oc.get_surface("rosenbrock"), ROSENBROCK_START, 25)
    assert_same_run(sweep.final[1], single.loss[-1], 25, scale=single.loss)


def test_the_lookahead_grid_is_every_cell_run_alone():
    inner = compute.spec("sgd", lr=0.05)
    grid = compute.lookahead_grid(inner, "elongated_quadratic", (-2.0, 1.5), 30, (0.5, 1.0), (1, 5))
    assert grid.loss.shape == (2, 2)
    for r, a in enumerate((0.5, 1.0)):
        for c, k in enumerate((1, 5)):
            single = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("sgd", lr=0.05), k=k, alpha=a),
                            oc.get_surface("elongated_quadratic"), (-2.0, 1.5), 30)
            assert_same_run(grid.loss[r, c], single.loss[-1], 30, scale=single.loss)
    # α = 1, k = 1 is plain gradient descent
    gd = oc.run(oc.make_optimizer("sgd", lr=0.05), oc.get_surface("elongated_quadratic"), (-2.0, 1.5), 30)
    assert_same_run(grid.loss[1, 0], gd.loss[-1], 30, scale=gd.loss)


def test_bad_settings_raise_the_engine_message():
    with pytest.raises(ValueError, match=r"beta1 must be in \[0, 1\), got 1.0"):
        compute.run(compute.spec("adam", beta1=1.0), "rosenbrock", (0.0, 0.0), 5)


def test_divergence_notice_for_one_run_and_for_a_batch():
    assert notices.divergence("Adam", 37) == ("Adam diverged at step 37: try a smaller learning rate. "
                                              "The chart shows the path up to the last finite point.")
    assert notices.divergence("Adam", np.int64(37)).startswith("Adam diverged at step 37:")
    assert notices.divergence("Adam", np.array(-1)) is None
    assert notices.divergence("Adam", None) is None
    assert notices.divergence("SGD", np.array([-1, 12, 7, -1]), "step size").startswith(
        "2 of 4 SGD runs diverged, the first at step 7: try a smaller step size.")
    assert notices.divergence("SGD", np.array([-1, -1])) is None


def test_a_real_divergence_reaches_the_notice():
    # t = 0.1 on the bowl with H = diag(1, 25): |1 − 0.1·25| = 1.5 > 1 along y, so the run blows up
    run = compute.run(compute.spec("sgd", lr=0.1), "elongated_quadratic", (-2.0, 1.5), 100)
    assert run.diverged
    assert notices.divergence("Gradient descent", run.diverged_at).startswith(
        f"Gradient descent diverged at step {int(run.diverged_at)}")


def test_concurrent_identical_requests_run_the_engine_once(monkeypatch):
    """A class opening one scene together: st.cache_data's per-key lock makes the rest wait."""
    import threading
    import time

    calls = []
    real_run = oc.run

    def slow_run(*args, **kwargs):
        calls.append(1)
        time.sleep(0.2)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(oc, "run", slow_run)
    opt = compute.spec("sgd", lr=0.0123)  # a setting no other test asks for: a cold key
    results = []
    threads = [threading.Thread(target=lambda: results.append(compute.run(opt, "rosenbrock", (0.5, 0.5), 7)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 8
    for r in results:
        np.testing.assert_array_equal(r.params, results[0].params)


def test_run_report_badges_every_run_and_warns_only_for_a_real_blow_up():
    bowl, saddle = oc.get_surface("elongated_quadratic"), oc.get_surface("saddle")
    blown = compute.run(compute.spec("sgd", lr=0.1), "elongated_quadratic", (-2.0, 1.5), 100)  # |1 − 2.5| > 1
    settled = compute.run(compute.spec("sgd", lr=0.05), "elongated_quadratic", (-2.0, 1.5), 2000)
    badges, notes = notices.run_report({"fast": blown, "slow": settled}, bowl, "step size t")
    assert badges == "**fast** :red-badge[diverged] · **slow** :green-badge[converged]"
    assert notes == [f"fast diverged at step {int(blown.diverged_at)}: try a smaller step size t. "
                     "The chart shows the path up to the last finite point."]
    escaped = compute.run(compute.spec("adam", lr=0.05), "saddle", (0.5, 0.01), 600)
    assert bool(escaped.diverged)  # it left the map …
    badges, notes = notices.run_report({"Adam": escaped}, saddle)
    assert "violet-badge[escaped" in badges and notes == []  # … downhill: a badge, no warning
