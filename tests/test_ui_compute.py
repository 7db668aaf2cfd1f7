import numpy as np
import pytest

import optim_core as oc
from ui import compute, notices


def test_cached_run_equals_the_engine():
    got = compute.run("adam", {"lr": 0.02}, "rosenbrock", [-1.2, 1.0], 50)
    want = oc.run(oc.make_optimizer("adam", lr=0.02), oc.get_surface("rosenbrock"), [-1.2, 1.0], 50)
    np.testing.assert_array_equal(got["params"], want.params)
    np.testing.assert_array_equal(got["records"]["v_hat"], want.records["v_hat"])
    assert got["diverged_at"] is None


def test_lookahead_batches_and_loss_scale():
    got = compute.run("lookahead", {"k": [5, 10], "alpha": [0.5, 0.8]}, "rosenbrock", [-1.2, 1.0], 40,
                      inner="adam", inner_hyper={"lr": 0.02})
    assert got["params"].shape == (41, 2, 2)
    one = oc.run(oc.make_optimizer("lookahead", inner=oc.make_optimizer("adam", lr=0.02), k=10, alpha=0.8),
                 oc.get_surface("rosenbrock"), [-1.2, 1.0], 40)
    np.testing.assert_allclose(got["params"][:, 1], one.params, rtol=1e-12)
    scaled = compute.run("sgd", {"lr": 1e-4}, "rosenbrock", [-1.2, 1.0], 3, loss_scale=10.0)
    plain = compute.run("sgd", {"lr": 1e-3}, "rosenbrock", [-1.2, 1.0], 3)
    np.testing.assert_allclose(scaled["params"], plain["params"], rtol=1e-12)  # 10·L with t/10 is L with t


def test_a_batch_of_starts():
    starts = np.array([[-1.2, 1.0], [0.0, 0.0]])
    got = compute.run("sgd", {"lr": 1e-3}, "rosenbrock", starts, 5)
    assert got["params"].shape == (6, 2, 2)
    np.testing.assert_array_equal(got["params"][0], starts)


def test_freeze_is_order_free_and_hashable():
    assert compute.freeze({"b": 1, "a": [1, 2]}) == (("a", (1, 2)), ("b", 1))
    hash(compute.freeze({"lr": np.array([0.1, 0.2])}))


def test_bad_settings_raise_the_engine_message():
    with pytest.raises(ValueError, match=r"beta1 must be in \[0, 1\), got 1.0"):
        compute.run("adam", {"beta1": 1.0}, "rosenbrock", [0.0, 0.0], 5)


def test_divergence_notice_text():
    assert notices.divergence("Adam", 37) == ("Adam diverged at step 37: try a smaller learning rate. "
                                              "The chart shows the path up to the last finite point.")
    assert notices.divergence("Adam", None) is None
    assert notices.divergence("Adam", -1) is None
