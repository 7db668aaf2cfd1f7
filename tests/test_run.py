import subprocess
import sys
import warnings

import numpy as np
import pytest

import optim_core as oc
from tolerance import assert_same_run

ROS = oc.get_surface("rosenbrock")
LSQ = oc.get_surface("least_squares")


def test_diverged_at_is_an_int_array_of_the_run_batch_shape():
    one = oc.run(oc.make_optimizer("sgd", lr=1e-4), ROS, ROS.start, 5)
    assert isinstance(one.diverged_at, np.ndarray) and one.diverged_at.shape == ()
    assert one.diverged_at.dtype == np.int64 and int(one.diverged_at) == -1
    assert isinstance(one.diverged, np.ndarray) and one.diverged.shape == () and not bool(one.diverged)
    batch = oc.run(oc.make_optimizer("sgd", lr=1e-4), ROS, np.zeros((3, 2)), 5)
    assert batch.diverged_at.dtype == np.int64
    np.testing.assert_array_equal(batch.diverged_at, [-1, -1, -1])
    np.testing.assert_array_equal(batch.diverged, [False, False, False])
    assert oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 0).diverged_at.shape == ()


def test_shapes_for_one_run_and_a_batch():
    one = oc.run(oc.make_optimizer("adam"), ROS, ROS.start, 7)
    assert one.params.shape == (8, 2) and one.loss.shape == (8,) and one.grads.shape == (7, 2)
    assert one.records["m"].shape == (7, 2)
    assert one.records["bias_correction1"].shape == (7,)
    starts = np.array([[-1.2, 1.0], [0.0, 0.0], [1.5, 2.0]])
    batch = oc.run(oc.make_optimizer("adam"), ROS, starts, 7)
    assert batch.params.shape == (8, 3, 2) and batch.loss.shape == (8, 3)
    assert batch.records["m"].shape == (7, 3, 2) and batch.records["bias_correction1"].shape == (7, 3)
    np.testing.assert_allclose(one.loss, ROS.value(one.params))
    np.testing.assert_allclose(one.grads, ROS.grad(one.params[:-1]))


def test_records_are_the_state_after_each_step():
    traj = oc.run(oc.make_optimizer("adagrad", lr=0.1), ROS, ROS.start, 5)
    np.testing.assert_allclose(traj.records["accumulator"], np.cumsum(traj.grads**2, axis=0))
    np.testing.assert_allclose(np.diff(traj.params, axis=0), -traj.records["step_size"] * traj.grads)


@pytest.mark.parametrize("name, keys", [
    ("sgd", {"step_size"}),
    ("momentum", {"velocity", "step_size"}),
    ("nesterov", {"velocity", "step_size"}),
    ("adagrad", {"accumulator", "step_size"}),
    ("rmsprop", {"accumulator", "step_size"}),
    ("adam", {"m", "v", "bias_correction1", "bias_correction2", "m_hat", "v_hat", "step_size"}),
    ("adamax", {"m", "u", "bias_correction1", "m_hat", "step_size"}),
    ("newton", {"step_size"}),
    ("lookahead", {"slow", "fast", "synced", "step_size"}),
])
def test_every_optimizer_records_what_the_pages_need(name, keys):
    traj = oc.run(oc.make_optimizer(name), ROS, ROS.start, 3)
    assert set(traj.records) == keys
    assert oc.run(oc.make_optimizer(name), ROS, ROS.start, 3, record=False).records == {}


def test_sgd_step_size_is_the_constant_lr():
    traj = oc.run(oc.make_optimizer("sgd", lr=0.003), ROS, ROS.start, 4)
    np.testing.assert_array_equal(traj.records["step_size"], np.full((4, 2), 0.003))


def test_record_selects_fields():
    traj = oc.run(oc.make_optimizer("adam"), ROS, ROS.start, 3, record=["v_hat"])
    assert list(traj.records) == ["v_hat"]


def test_record_given_as_one_name_keeps_that_record_only():
    full = oc.run(oc.make_optimizer("adam", lr=0.05), ROS, ROS.start, 6)
    one = oc.run(oc.make_optimizer("adam", lr=0.05), ROS, ROS.start, 6, record="v_hat")
    assert list(one.records) == ["v_hat"]
    np.testing.assert_array_equal(one.records["v_hat"], full.records["v_hat"])
    np.testing.assert_array_equal(one.params, full.params)  # exact: recording does not change the arithmetic
    la = oc.make_optimizer("lookahead", inner="adam", k=2)
    synced = oc.run(la, ROS, ROS.start, 6, record="synced").records
    assert list(synced) == ["synced"]
    np.testing.assert_array_equal(synced["synced"], [False, True] * 3)
    assert oc.run(la, ROS, ROS.start, 6, record=[]).records == {}
    assert oc.run(la, ROS, ROS.start, 6, record="no_such_record").records == {}


def test_one_number_per_run_is_recorded_per_run():
    """Scalars, (B, 1) columns and Lookahead's flags: (steps,) for one run, (steps, B) for a batch."""
    starts = np.array([[-1.2, 1.0], [0.5, -0.5], [1.0, 2.0]])
    la = oc.make_optimizer("lookahead", inner="adam", k=3)
    one = oc.run(la, ROS, ROS.start, 6).records
    batch = oc.run(la, ROS, starts, 6).records
    for key in ("synced", "bias_correction1", "bias_correction2"):
        assert one[key].shape == (6,) and batch[key].shape == (6, 3)
        for b in range(3):  # 1 − β₁ᵗ: the batch's power may take NumPy's SIMD loop, the single run its scalar one
            assert_same_run(batch[key][:, b], one[key], 6, err_msg=key)
    for key in ("slow", "fast", "m"):
        assert one[key].shape == (6, 2) and batch[key].shape == (6, 3, 2)
    grid = oc.run(oc.make_optimizer("lookahead", inner="adam", k=[1, 2, 3], reset_inner=True), ROS, ROS.start, 6)
    np.testing.assert_array_equal(grid.records["synced"].T, [[True] * 6, [False, True] * 3, [False, False, True] * 2])
    # the inner step count restarts at every sync: 1 - 0.9ᵗ with t counted from the last reset
    np.testing.assert_allclose(grid.records["bias_correction1"].T,
                               1 - 0.9 ** np.array([[1] * 6, [1, 2] * 3, [1, 2, 3] * 2]), rtol=1e-13)


def test_a_batch_of_starts_equals_single_runs():
    starts = np.array([[-1.2, 1.0], [0.5, -0.5], [1.8, 2.9], [-2.0, -1.0]])
    for name in oc.OPTIMIZER_NAMES:
        opt = oc.make_optimizer(name)
        batch = oc.run(opt, ROS, starts, 60)
        for b, start in enumerate(starts):
            one = oc.run(opt, ROS, start, 60)
            assert_same_run(batch.params[:, b], one.params, 60, err_msg=name)
            for key in one.records:
                assert_same_run(batch.records[key][:, b], one.records[key], 60, err_msg=f"{name} {key}")


def test_a_batch_of_learning_rates_equals_single_runs():
    lrs = np.array([1e-4, 1e-3, 3e-3, 1e-2])
    for name in ("sgd", "momentum", "rmsprop", "adam", "adamax", "adagrad"):
        batch = oc.run(oc.make_optimizer(name, lr=lrs), ROS, ROS.start, 80)
        assert batch.params.shape == (81, 4, 2)
        for b, lr in enumerate(lrs):
            one = oc.run(oc.make_optimizer(name, lr=float(lr)), ROS, ROS.start, 80)
            assert_same_run(batch.params[:, b], one.params, 80, err_msg=name)


def test_hyper_batch_and_start_batch_must_agree():
    with pytest.raises(ValueError, match="3 start points do not match 2 hyper-parameter settings"):
        oc.run(oc.make_optimizer("sgd", lr=[0.1, 0.2]), ROS, np.zeros((3, 2)), 5)


def test_same_seed_same_trajectory_and_other_seeds_differ():
    opt = oc.make_optimizer("sgd", lr=1e-3)
    a = oc.run(opt, ROS, ROS.start, 100, noise=5.0, seed=3)
    b = oc.run(opt, ROS, ROS.start, 100, noise=5.0, seed=3)
    c = oc.run(opt, ROS, ROS.start, 100, noise=5.0, seed=4)
    np.testing.assert_array_equal(a.params, b.params)
    assert np.abs(a.params - c.params).max() > 1e-3
    m1 = oc.run(opt, LSQ, LSQ.start, 50, batch_size=3, seed=9)
    m2 = oc.run(opt, LSQ, LSQ.start, 50, batch_size=3, seed=9)
    np.testing.assert_array_equal(m1.params, m2.params)


def test_noise_has_the_requested_standard_deviation():
    traj = oc.run(oc.make_optimizer("sgd", lr=1e-4), ROS, ROS.start, 4000, noise=2.0, seed=0)
    residual = traj.grads - ROS.grad(traj.params[:-1])
    assert residual.std() == pytest.approx(2.0, rel=0.03)
    assert abs(residual.mean()) < 0.06


def test_one_example_gradients_are_real_per_example_gradients():
    traj = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, LSQ.start, 30, batch_size=1, seed=1)
    for i in range(30):
        per_example = LSQ.example_grads(traj.params[i])  # (m, 2)
        assert np.isclose(per_example, traj.grads[i], rtol=1e-12, atol=1e-14).all(axis=1).sum() == 1


def test_minibatch_gradients_average_distinct_examples():
    traj = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, LSQ.start, 5, batch_size=4, seed=2)
    rng = np.random.default_rng(2)  # run() draws with the same generator: replay it
    every = np.arange(LSQ.n_examples)
    for i in range(5):
        pick = rng.permuted(every)[:4]
        assert len(set(pick)) == 4
        np.testing.assert_allclose(traj.grads[i], LSQ.example_grads(traj.params[i])[pick].mean(axis=0))


def test_noise_with_batch_size_is_the_minibatch_gradient_plus_seeded_noise():
    opt = oc.make_optimizer("sgd", lr=0.05)
    a = oc.run(opt, LSQ, LSQ.start, 25, batch_size=4, noise=0.5, seed=7)
    b = oc.run(opt, LSQ, LSQ.start, 25, batch_size=4, noise=0.5, seed=7)
    np.testing.assert_array_equal(a.params, b.params)
    rng = np.random.default_rng(7)  # replay run()'s draws: each step the examples, then the noise
    every = np.arange(LSQ.n_examples)
    for i in range(25):
        pick = rng.permuted(every, axis=-1)[:4]
        z = rng.standard_normal(2)
        expected = LSQ.example_grads(a.params[i])[pick].mean(axis=0) + 0.5 * z
        np.testing.assert_allclose(a.grads[i], expected, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(a.params[i + 1], a.params[i] - 0.05 * expected, rtol=1e-12, atol=1e-14)
    batch_only = oc.run(opt, LSQ, LSQ.start, 1, batch_size=4, seed=7)
    rng = np.random.default_rng(7)
    rng.permuted(every, axis=-1)
    np.testing.assert_allclose(a.grads[0] - batch_only.grads[0], 0.5 * rng.standard_normal(2), rtol=1e-12)


def test_is_finite_sum_decides_whether_batch_size_is_possible():
    assert LSQ.is_finite_sum and not ROS.is_finite_sum
    assert LSQ.scaled(3.0).is_finite_sum


def test_full_batch_size_is_the_exact_gradient():
    full = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, LSQ.start, 40)
    all_examples = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, LSQ.start, 40, batch_size=20, seed=5)
    np.testing.assert_array_equal(full.params, all_examples.params)  # exact: a full batch calls surface.grad


def test_recorded_batch_is_the_examples_each_step_averaged():
    opt = oc.make_optimizer("momentum", lr=0.05, momentum=0.5)
    traj = oc.run(opt, LSQ, LSQ.start, 30, batch_size=4, seed=11)
    batch = traj.records["batch"]
    assert batch.shape == (30, 4) and np.issubdtype(batch.dtype, np.integer)
    assert set(traj.records) == {"batch", "velocity", "step_size"}
    for c in range(30):
        assert len(set(batch[c])) == 4 and 0 <= batch[c].min() and batch[c].max() < LSQ.n_examples
        per_example = LSQ.example_grads(traj.params[c])  # (m, 2), from the surface's own per-example gradients
        np.testing.assert_allclose(traj.grads[c], per_example[batch[c]].mean(axis=0), rtol=1e-12, atol=1e-15)
        others = np.setdiff1d(np.arange(LSQ.n_examples), batch[c])  # and not the mean over any other 4
        assert np.abs(per_example[others[:4]].mean(axis=0) - traj.grads[c]).max() > 1e-9
    # the same draws as replaying run()'s generator (recording changes nothing: same seed, same path)
    rng, every = np.random.default_rng(11), np.arange(LSQ.n_examples)
    np.testing.assert_array_equal(batch, [rng.permuted(every)[:4] for _ in range(30)])
    np.testing.assert_array_equal(oc.run(opt, LSQ, LSQ.start, 30, batch_size=4, seed=11, record=False).params,
                                  traj.params)
    assert oc.run(opt, LSQ, LSQ.start, 30, batch_size=4, seed=11, record=False).records == {}
    assert list(oc.run(opt, LSQ, LSQ.start, 30, batch_size=4, seed=11, record="batch").records) == ["batch"]
    np.testing.assert_array_equal(traj.head(7).records["batch"], batch[:7])


def test_recorded_batch_for_a_batch_of_runs_noise_and_the_full_batch():
    starts = np.array([[0.0, 0.0], [1.0, -0.5], [0.5, 0.5]])
    traj = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, starts, 12, batch_size=3, noise=0.2, seed=5)
    batch = traj.records["batch"]
    assert batch.shape == (12, 3, 3)
    rng, every = np.random.default_rng(5), np.broadcast_to(np.arange(LSQ.n_examples), (3, LSQ.n_examples))
    for c in range(12):  # each step: every run draws its examples, then the noise is drawn
        np.testing.assert_array_equal(batch[c], rng.permuted(every, axis=-1)[:, :3])
        noise = 0.2 * rng.standard_normal((3, 2))
        for b in range(3):
            mean = LSQ.example_grads(traj.params[c, b])[batch[c, b]].mean(axis=0)
            np.testing.assert_allclose(traj.grads[c, b], mean + noise[b], rtol=1e-12, atol=1e-14)
    full = oc.run(oc.make_optimizer("sgd", lr=0.05), LSQ, LSQ.start, 6, batch_size=LSQ.n_examples, seed=5)
    np.testing.assert_array_equal(full.records["batch"], np.tile(np.arange(LSQ.n_examples), (6, 1)))
    assert "batch" not in oc.run(oc.make_optimizer("sgd"), LSQ, LSQ.start, 6, noise=0.1).records
    assert oc.run(oc.make_optimizer("sgd"), LSQ, LSQ.start, 0, batch_size=3).records == {}


def test_batch_size_needs_a_finite_sum_surface():
    with pytest.raises(ValueError, match="batch_size needs a finite-sum surface"):
        oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 5, batch_size=4)
    with pytest.raises(ValueError, match=r"batch_size must be a whole number in \[1, 20\], got 21.0"):
        oc.run(oc.make_optimizer("sgd"), LSQ, LSQ.start, 5, batch_size=21)


def test_divergence_stops_cleanly_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = oc.run(oc.make_optimizer("sgd", lr=0.01), ROS, ROS.start, 500)
    # step 1 lands at (0.956, 1.88), step 2 at (4.65, -0.05), step 3 far beyond 20 half-widths
    assert traj.diverged_at.shape == () and traj.diverged_at.dtype == np.int64
    assert int(traj.diverged_at) == 3
    assert bool(traj.diverged) and traj.diverged.shape == ()
    assert np.isfinite(traj.params).all() and np.isfinite(traj.loss).all()
    assert np.isfinite(traj.grads).all()
    np.testing.assert_allclose(traj.params[1], [0.956, 1.88])
    np.testing.assert_array_equal(traj.params[3:], np.broadcast_to(traj.params[2], (498, 2)))
    assert (traj.loss[3:] == traj.loss[2]).all()


def test_nan_and_overflow_are_divergence_too():
    s = oc.get_surface("saddle")  # unbounded below: momentum runs off to infinity along y
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        traj = oc.run(oc.make_optimizer("momentum", lr=0.5, momentum=0.9), s, [0.5, 1.0], 100_000)
    assert 0 <= int(traj.diverged_at) < 100
    assert np.isfinite(traj.params).all()
    assert np.abs(traj.params[-1] - s.center).max() <= oc.DIVERGENCE_FACTOR * s.half_width.max()


def test_in_a_batch_only_the_runs_that_blow_up_are_frozen():
    lrs = np.array([1e-4, 0.01, 1e-3])
    traj = oc.run(oc.make_optimizer("sgd", lr=lrs), ROS, ROS.start, 200)
    np.testing.assert_array_equal(traj.diverged_at, [-1, 3, -1])
    assert traj.diverged_at.dtype == np.int64
    np.testing.assert_array_equal(traj.diverged, [False, True, False])
    assert traj.diverged.dtype == bool
    alone = oc.run(oc.make_optimizer("sgd", lr=1e-3), ROS, ROS.start, 200)
    assert_same_run(traj.params[:, 2], alone.params, 200)
    assert np.isfinite(traj.records["step_size"]).all()


def test_steps_are_capped_and_checked():
    with pytest.raises(ValueError, match=r"steps must be a whole number in \[0, 100000\], got 100001.0"):
        oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 100_001)
    with pytest.raises(ValueError, match=r"steps × runs must be at most 10,000,000"):
        oc.run(oc.make_optimizer("sgd"), ROS, np.zeros((200, 2)), 100_000)
    with pytest.raises(ValueError, match="steps must be"):
        oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, -1)
    assert oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 0).params.shape == (1, 2)


@pytest.mark.parametrize("start, message", [
    ([1.0], r"start must have shape \(2,\) or \(B, 2\)"),
    ([np.nan, 0.0], "start must be finite"),
    ("here", "start must be a point"),
])
def test_bad_start_points(start, message):
    with pytest.raises(ValueError, match=message):
        oc.run(oc.make_optimizer("sgd"), ROS, start, 5)


def test_bad_noise_and_seed():
    with pytest.raises(ValueError, match=r"noise must be in \[0, inf\), got -1.0"):
        oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 5, noise=-1)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        oc.run(oc.make_optimizer("sgd"), ROS, ROS.start, 5, seed=1.5)


def test_importing_the_engine_loads_neither_streamlit_nor_plotly():
    code = ("import sys, optim_core; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(__import__("pathlib").Path(__file__).resolve().parents[1]))
    assert out.stdout.strip() == "[]"


def test_state_records_flatten_lookaheads_inner_state():
    la = oc.make_optimizer("lookahead", inner="adam", k=2)
    p = np.array([0.5, -0.5])
    _, state = la.update(np.array([1.0, 2.0]), la.init(p), p)
    rec = oc.state_records(state)
    assert list(rec) == ["slow", "fast", "synced", "m", "v", "bias_correction1", "bias_correction2",
                         "m_hat", "v_hat", "step_size"]
    np.testing.assert_allclose(rec["m"], [0.1, 0.2])
    np.testing.assert_array_equal(rec["slow"], p)  # no sync after one step of k = 2
    np.testing.assert_allclose(rec["fast"], p - 0.001 * np.sign([1.0, 2.0]), rtol=1e-6)  # Adam's first step
    assert rec["synced"] is False
    assert rec["bias_correction1"] == pytest.approx(0.1) and rec["bias_correction2"] == pytest.approx(0.001)


def test_head_of_a_long_run_is_the_short_run():
    """Lookahead(Adam) with noise and a batch of settings: every array, records and divergence included."""
    s = oc.get_surface("elongated_quadratic")
    opt = oc.make_optimizer("sgd", lr=np.array([0.05, 0.1]))  # the second blows up (|1 - 0.1·25| = 1.5)
    long = oc.run(opt, s, s.start, 200, noise=0.3, seed=4)
    for steps in (0, 3, 7, 120):
        short = oc.run(opt, s, s.start, steps, noise=0.3, seed=4)
        head = long.head(steps)
        np.testing.assert_array_equal(head.params, short.params)
        np.testing.assert_array_equal(head.loss, short.loss)
        np.testing.assert_array_equal(head.grads, short.grads)
        assert head.records.keys() == short.records.keys()
        for key in short.records:
            np.testing.assert_array_equal(head.records[key], short.records[key])
        np.testing.assert_array_equal(head.diverged_at, short.diverged_at)
    assert int(long.diverged_at[1]) > 3 and int(long.head(3).diverged_at[1]) == -1
    la = oc.make_optimizer("lookahead", inner=("adam", {"lr": 0.1}), k=5, alpha=0.5)
    np.testing.assert_array_equal(oc.run(la, s, s.start, 300).head(37).records["fast"],
                                  oc.run(la, s, s.start, 37).records["fast"])
    with pytest.raises(ValueError, match=r"steps must be a whole number in \[0, 200\], got 201"):
        long.head(201)
