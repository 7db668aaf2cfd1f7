import numpy as np
import pytest

import optim_core as oc


@pytest.mark.parametrize("name, hyper, message", [
    ("adam", {"beta1": 1.0}, r"beta1 must be in \[0, 1\), got 1.0"),
    ("adam", {"beta2": -0.1}, r"beta2 must be in \[0, 1\), got -0.1"),
    ("adam", {"lr": float("nan")}, r"lr must be in \(0, inf\), got nan"),
    ("sgd", {"lr": float("inf")}, r"lr must be in \(0, inf\), got inf"),
    ("sgd", {"lr": -0.1}, r"lr must be in \(0, inf\), got -0.1"),
    ("sgd", {"lr": 0}, r"lr must be in \(0, inf\), got 0.0"),
    ("momentum", {"momentum": 1}, r"momentum must be in \[0, 1\), got 1.0"),
    ("rmsprop", {"rho": 1.5}, r"rho must be in \[0, 1\), got 1.5"),
    ("adagrad", {"eps": -1e-8}, r"eps must be in \[0, inf\), got -1e-08"),
    ("newton", {"damping": -1}, r"damping must be in \[0, inf\), got -1.0"),
    ("lookahead", {"k": 0}, r"k must be a whole number in \[1, 1000\], got 0.0"),
    ("lookahead", {"k": 2.5}, r"k must be a whole number in \[1, 1000\], got 2.5"),
    ("lookahead", {"alpha": 0.0}, r"alpha must be in \(0, 1\], got 0.0"),
    ("lookahead", {"alpha": 1.2}, r"alpha must be in \(0, 1\], got 1.2"),
    ("sgd", {"lr": "fast"}, r"lr must be a number, got 'fast'"),
    ("sgd", {"lr": True}, r"lr must be a number, got True"),
    ("adam", {"lr": [0.1, -2.0]}, r"lr must be in \(0, inf\), got -2.0"),
    ("adam", {"bias_correction": 1}, r"bias_correction must be True or False, got 1"),
    ("lookahead", {"inner": "lookahead"}, r"inner must be another optimizer"),
    ("lookahead", {"inner": "adamw"}, r"unknown optimizer 'adamw'; known: adagrad, adam"),
    ("lookahead", {"inner": ("lookahead", {})}, r"inner must be another optimizer"),
    ("lookahead", {"inner": ("adam", {"beta1": 1.0})}, r"beta1 must be in \[0, 1\), got 1.0"),
    ("lookahead", {"inner": ("adam", {"betaa": 0.9})}, r"unknown hyper-parameter 'betaa' for adam"),
    ("lookahead", {"inner": ("adam", 0.1)}, r"inner must be an optimizer, an optimizer name or a \(name, "),
    ("lookahead", {"inner": 3}, r"inner must be an optimizer, an optimizer name or a \(name, "),
])
def test_bad_hyper_parameters_name_parameter_range_and_value(name, hyper, message):
    with pytest.raises(ValueError, match=message):
        oc.make_optimizer(name, **hyper)


def test_unknown_optimizer_lists_the_known_ones():
    with pytest.raises(ValueError) as err:
        oc.make_optimizer("adamw")
    assert str(err.value) == ("unknown optimizer 'adamw'; known: adagrad, adam, adamax, lookahead, "
                              "momentum, nesterov, newton, rmsprop, sgd")


def test_unknown_keyword_lists_the_known_ones():
    with pytest.raises(ValueError) as err:
        oc.make_optimizer("adam", betaa=0.9)
    assert str(err.value) == ("unknown hyper-parameter 'betaa' for adam; "
                              "known: beta1, beta2, bias_correction, eps, lr")


def test_defaults_are_the_papers():
    assert oc.hyper_defaults("adam") == {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8,
                                         "bias_correction": True}
    assert oc.hyper_defaults("adamax")["lr"] == 0.002
    assert oc.hyper_defaults("lookahead") == {"k": 5, "alpha": 0.5, "reset_inner": False}
    assert set(oc.OPTIMIZER_NAMES) == {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam",
                                       "adamax", "newton", "lookahead"}


def test_batched_hyper_parameters_set_the_batch_shape():
    assert oc.make_optimizer("adam", lr=np.array([0.1, 0.01, 0.001])).batch_shape == (3,)
    assert oc.make_optimizer("sgd").batch_shape == ()
    with pytest.raises(ValueError, match="same length"):
        oc.make_optimizer("adam", lr=[0.1, 0.2], beta1=[0.5, 0.6, 0.7])
    with pytest.raises(ValueError, match=r"1-D array"):
        oc.make_optimizer("adam", lr=np.ones((2, 2)))


def test_lookahead_accepts_an_inner_name():
    la = oc.make_optimizer("lookahead", inner="adam", k=10, alpha=0.5)
    assert la.hyper["inner"].name == "adam" and la.hyper["k"] == 10


def test_lookahead_inner_as_optimizer_name_or_pair_builds_the_same_thing():
    s = oc.get_surface("rosenbrock")
    hyper = {"lr": 0.1}
    given = {"inner": ("adam", hyper), "k": 5, "alpha": 0.5}
    from_pair = oc.make_optimizer("lookahead", **given)
    assert hyper == {"lr": 0.1} and given["inner"] == ("adam", {"lr": 0.1})  # callers' dicts untouched
    assert from_pair.hyper["inner"].name == "adam" and from_pair.hyper["inner"].hyper["lr"] == 0.1
    from_opt = oc.make_optimizer("lookahead", inner=oc.make_optimizer("adam", lr=0.1), k=5, alpha=0.5)
    # exact: the same optimizer, built two ways, runs the same code on the same numbers
    np.testing.assert_array_equal(oc.run(from_pair, s, s.start, 30).params, oc.run(from_opt, s, s.start, 30).params)
    from_name = oc.make_optimizer("lookahead", inner="adam", k=5, alpha=0.5)
    defaults = oc.make_optimizer("lookahead", inner=("adam", {}), k=5, alpha=0.5)
    assert from_name.hyper["inner"].hyper == defaults.hyper["inner"].hyper == oc.hyper_defaults("adam")
    assert oc.make_optimizer("lookahead").hyper["inner"].name == "sgd"


def test_nested_lookahead_is_refused_however_it_is_given():
    la = oc.make_optimizer("lookahead", inner="sgd")
    with pytest.raises(ValueError, match="inner must be another optimizer than lookahead"):
        oc.make_optimizer("lookahead", inner=la)


@pytest.mark.parametrize("name", oc.OPTIMIZER_NAMES)
def test_every_update_takes_the_same_arguments(name):
    """``update(grads, state, params=None, **extra_args)``; methods that read no extra argument ignore it."""
    s = oc.get_surface("rosenbrock")
    opt = oc.make_optimizer(name)
    p = np.array([-1.2, 1.0])
    g, h = s.grad(p), s.hessian(p)
    with_extra, state_a = opt.update(g, opt.init(p), p, hessian=h, anything_else=1)
    if opt.needs_hessian:
        plain, state_b = opt.update(g, opt.init(p), p, hessian=h)
    else:
        plain, state_b = opt.update(g, opt.init(p), p)
    np.testing.assert_array_equal(with_extra, plain)
    for key, value in oc.state_records(state_a).items():
        np.testing.assert_array_equal(value, oc.state_records(state_b)[key])
    if name != "lookahead":  # Lookahead needs params; the others run without them
        np.testing.assert_array_equal(opt.update(g, opt.init(p), None, hessian=h)[0], plain)


def test_named_intervals_print_as_the_messages_do():
    from optim_core._validate import DECAY, FRACTION, NON_NEGATIVE, POSITIVE, Interval, check_number, closed

    assert [str(i) for i in (POSITIVE, NON_NEGATIVE, DECAY, FRACTION)] == ["(0, inf)", "[0, inf)", "[0, 1)", "(0, 1]"]
    assert str(closed(1, 1000)) == "[1, 1000]" and str(Interval(0, 2**32)) == "[0, 4294967296)"
    assert check_number("beta1", 0.0, DECAY) == 0.0 and check_number("alpha", 1, FRACTION) == 1.0
    assert check_number("k", 1000.0, closed(1, 1000), integer=True) == 1000
    np.testing.assert_array_equal(check_number("k", [1, 7], closed(1, 1000), integer=True), [1, 7])
    with pytest.raises(ValueError, match=r"^k must be a whole number in \[1, 1000\], got 2.5$"):
        check_number("k", 2.5, closed(1, 1000), integer=True)
    with pytest.raises(ValueError, match=r"^beta1 must be in \[0, 1\), got 1.0$"):
        check_number("beta1", 1.0, DECAY)
    with pytest.raises(ValueError, match=r"^alpha must be in \(0, 1\], got nan$"):
        check_number("alpha", float("nan"), FRACTION)
