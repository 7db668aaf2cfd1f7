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
