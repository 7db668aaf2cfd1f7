"""Our trajectories against torch.optim stepping the very same gradients (≥ 100 steps).

torch is a test-only reference (requirements-dev.txt); the app never imports it.
"""

import numpy as np
import pytest
import torch
from torchref import torch_steps_from

import optim_core as oc

STEPS = 300
CASES = [
    # (our name, our hyper, torch class, torch kwargs)
    ("sgd", {"lr": 1e-3}, torch.optim.SGD, {"lr": 1e-3}),
    ("momentum", {"lr": 1e-3, "momentum": 0.9}, torch.optim.SGD, {"lr": 1e-3, "momentum": 0.9}),
    ("nesterov", {"lr": 1e-3, "momentum": 0.9}, torch.optim.SGD,
     {"lr": 1e-3, "momentum": 0.9, "nesterov": True}),
    ("adagrad", {"lr": 0.5, "eps": 1e-10}, torch.optim.Adagrad, {"lr": 0.5, "eps": 1e-10}),
    ("rmsprop", {"lr": 1e-2, "rho": 0.9, "eps": 1e-8}, torch.optim.RMSprop,
     {"lr": 1e-2, "alpha": 0.9, "eps": 1e-8}),
    ("adam", {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, torch.optim.Adam,
     {"lr": 0.02, "betas": (0.9, 0.999), "eps": 1e-8}),
    ("adam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, torch.optim.Adam,
     {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6}),
    ("adamax", {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, torch.optim.Adamax,
     {"lr": 0.02, "betas": (0.9, 0.999), "eps": 1e-8}),
]

@pytest.mark.parametrize("name, hyper, cls, kwargs", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
@pytest.mark.parametrize("surface_name", ["rosenbrock", "beale", "least_squares"])
def test_matches_torch_optim(name, hyper, cls, kwargs, surface_name):
    s = oc.get_surface(surface_name)
    ours = oc.run(oc.make_optimizer(name, **hyper), s, s.start, STEPS)
    assert not ours.diverged
    theirs = torch_steps_from(s, ours.params, cls, kwargs)
    np.testing.assert_allclose(ours.params[1:], theirs, rtol=1e-9, atol=1e-11)
    assert np.abs(ours.params[-1] - ours.params[0]).max() > 1e-2  # it really moved
