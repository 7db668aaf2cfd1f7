"""Step-size schedules: hand-derived values, torch.optim.lr_scheduler step by step, optimizers under a schedule.

torch is a test-only reference (requirements-dev.txt), as in test_torch_reference.py; the app never imports it.
"""

import math
import pickle

import numpy as np
import pytest
import torch
from torchref import torch_steps_from

import optim_core as oc
from optim_core.schedules import Schedule
from tolerance import assert_same_run

ROS = oc.get_surface("rosenbrock")
sched = oc.make_schedule

# ------------------------------------------------------------------------------------ values by hand

HAND = [
    # (name, settings, {c: t_c worked out by hand})
    ("constant", {"base": 0.3}, {0: 0.3, 1: 0.3, 1000: 0.3}),
    # 0.1 · 0.5^⌊c/3⌋
    ("step", {"base": 0.1, "step_size": 3, "gamma": 0.5}, {0: 0.1, 2: 0.1, 3: 0.05, 5: 0.05, 6: 0.025, 10: 0.0125}),
    ("step", {"base": 0.1, "step_size": 2}, {0: 0.1, 1: 0.1, 2: 0.01, 4: 0.001}),  # torch's default γ = 0.1
    # 0.2 · 0.9^c; 0.9^10 = 0.3486784401
    ("exponential", {"base": 0.2, "gamma": 0.9}, {0: 0.2, 1: 0.18, 2: 0.162, 10: 0.06973568802}),
    # 0.5 / (1 + c/4)
    ("inverse_time", {"base": 0.5, "decay": 0.25}, {0: 0.5, 1: 0.4, 4: 0.25, 12: 0.125}),
    ("inverse_time", {"base": 0.5, "decay": 0.0}, {0: 0.5, 7: 0.5}),
    # 0.02 + 0.04 (1 + cos(π c/4)), then 0.02; cos(π/4) = √2/2
    ("cosine", {"base": 0.1, "steps": 4, "floor": 0.02},
     {0: 0.1, 1: 0.02 + 0.04 * (1 + math.sqrt(0.5)), 2: 0.06, 3: 0.02 + 0.04 * (1 - math.sqrt(0.5)), 4: 0.02,
      5: 0.02, 9: 0.02}),
    ("cosine", {"base": 0.2, "steps": 3}, {0: 0.2, 1: 0.15, 2: 0.05, 3: 0.0, 100: 0.0}),  # (1 + cos(π/3))/2 = 3/4
    # ramp 0.08 (1/4 + 3/4 · c/4) for c < 4, then 0.08 · 0.5^⌊(c-4)/2⌋
    ("warmup", {"warmup_steps": 4, "then": sched("step", base=0.08, step_size=2, gamma=0.5)},
     {0: 0.02, 1: 0.035, 2: 0.05, 3: 0.065, 4: 0.08, 5: 0.08, 6: 0.04, 8: 0.02}),
    ("warmup", {"warmup_steps": 2, "start_factor": 0.5, "then": 0.3}, {0: 0.15, 1: 0.225, 2: 0.3, 50: 0.3}),
    # warm-up into a cosine: 0.1 · (0.2 + 0.8 c/5), then 0.1 (1 + cos(π (c-5)/2))/2
    ("warmup", {"warmup_steps": 5, "start_factor": 0.2, "then": sched("cosine", base=0.1, steps=2)},
     {0: 0.02, 1: 0.036, 4: 0.084, 5: 0.1, 6: 0.05, 7: 0.0, 20: 0.0}),
]


@pytest.mark.parametrize("name, settings, expected", HAND, ids=[f"{h[0]}-{i}" for i, h in enumerate(HAND)])
def test_values_by_hand(name, settings, expected):
    s = sched(name, **settings)
    for c, value in expected.items():
        assert s(c) == pytest.approx(value, rel=1e-14, abs=1e-17), c
        assert isinstance(s(c), float)
    cs = np.array(list(expected))
    np.testing.assert_allclose(s(cs), list(expected.values()), rtol=1e-14, atol=1e-17)  # vectorised over c
    np.testing.assert_array_equal(s(cs.reshape(-1, 1)), s(cs).reshape(-1, 1))  # any shape of c
    np.testing.assert_array_equal(s(cs.astype(float)), s(cs))  # whole floats are indices too


def test_a_batched_base_evaluates_every_setting():
    bases = np.array([0.1, 0.05, 0.02])
    s = sched("cosine", base=bases, steps=4, floor=0.01)
    assert s.batch_shape == (3,) and np.shape(s) == (3,) and np.ndim(s) == 1
    table = s(np.arange(6))
    assert table.shape == (6, 3)  # (c, B), as run's records (steps, B)
    for b, base in enumerate(bases):
        np.testing.assert_array_equal(table[:, b], sched("cosine", base=base, steps=4, floor=0.01)(np.arange(6)))
    np.testing.assert_allclose(table[2], 0.01 + (bases - 0.01) / 2, rtol=1e-15)
    np.testing.assert_array_equal(s(2), table[2])
    assert s(np.zeros((2, 4), dtype=int)).shape == (2, 4, 3)
    # the optimizers' layout: a (B, 1) column, with a count per run where Lookahead restarted some
    np.testing.assert_array_equal(s.hyper_at(2), table[2][:, None])
    np.testing.assert_array_equal(s.hyper_at(np.array([[0], [4], [2]])), [[0.1], [0.01], [table[2, 2]]])
    # other settings batch too, and a warm-up takes the batch of the schedule it hands over to
    g = sched("exponential", base=0.1, gamma=np.array([0.5, 1.0]))
    np.testing.assert_allclose(g(3), [0.0125, 0.1], rtol=1e-15)
    w = sched("warmup", warmup_steps=2, then=s)
    assert w.batch_shape == (3,)
    np.testing.assert_allclose(w(np.arange(3)), [bases / 2, 3 * bases / 4, bases], rtol=1e-15)


def test_with_base_is_the_same_schedule_from_another_step_size():
    bases = np.array([0.1, 0.2])
    assert sched("cosine", base=0.05, steps=9, floor=0.01).with_base(bases) == sched("cosine", base=bases, steps=9,
                                                                                   floor=0.01)
    w = sched("warmup", warmup_steps=3, then=sched("step", base=0.05, step_size=2))
    assert w.with_base(0.4) == sched("warmup", warmup_steps=3, then=sched("step", base=0.4, step_size=2))
    assert w.base == 0.05 and w.with_base(bases).batch_shape == (2,)


def test_a_schedule_is_an_immutable_value():
    bases = np.array([0.1, 0.2])
    s = sched("warmup", warmup_steps=3, then=sched("cosine", base=bases, steps=10))
    with pytest.raises(AttributeError, match="immutable"):
        s.name = "constant"
    with pytest.raises(ValueError, match="read-only"):
        s.settings["then"].settings["base"][0] = 5.0
    bases[0] = 5.0  # the caller's array is copied
    assert s.base[0] == 0.1
    assert s.settings["start_factor"] == pytest.approx(1 / 3)  # the default, filled in
    back = pickle.loads(pickle.dumps(s))
    assert back == s and hash(back) == hash(s) and back is not s
    np.testing.assert_array_equal(back(np.arange(20)), s(np.arange(20)))
    assert s != sched("warmup", warmup_steps=4, then=s.settings["then"])
    assert repr(sched("step", base=0.1, step_size=2)) == "Schedule('step', base=0.1, step_size=2, gamma=0.1)"
    assert {sched("constant", base=0.1), sched("constant", base=0.1)} == {sched("constant", base=0.1)}


# ------------------------------------------------------------------------- torch.optim.lr_scheduler

LR = torch.optim.lr_scheduler
TORCH = [
    # (our schedule, base lr for torch, scheduler(optimizer) or None, steps compared)
    (sched("constant", base=0.05), 0.05, None, 40),
    (sched("constant", base=0.05), 0.05, lambda o: LR.ConstantLR(o, factor=1.0, total_iters=5), 40),
    (sched("step", base=0.1, step_size=7, gamma=0.5), 0.1, lambda o: LR.StepLR(o, step_size=7, gamma=0.5), 100),
    (sched("exponential", base=0.2, gamma=0.97), 0.2, lambda o: LR.ExponentialLR(o, gamma=0.97), 200),
    (sched("inverse_time", base=0.3, decay=0.1), 0.3, lambda o: LR.LambdaLR(o, lambda c: 1 / (1 + 0.1 * c)), 200),
    (sched("cosine", base=0.1, steps=50, floor=0.01), 0.1, lambda o: LR.CosineAnnealingLR(o, T_max=50, eta_min=0.01),
     51),  # c ≤ T: after it torch's cosine climbs again, ours stays at the floor (test_values_by_hand)
    (sched("cosine", base=0.1, steps=50), 0.1, lambda o: LR.CosineAnnealingLR(o, T_max=50), 51),
    (sched("warmup", warmup_steps=10, start_factor=0.1, then=sched("cosine", base=0.05, steps=50, floor=0.001)), 0.05,
     lambda o: LR.SequentialLR(o, [LR.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=10),
                                   LR.CosineAnnealingLR(o, T_max=50, eta_min=0.001)], milestones=[10]), 61),
    (sched("warmup", warmup_steps=8, then=sched("step", base=0.2, step_size=5, gamma=0.3)), 0.2,
     lambda o: LR.SequentialLR(o, [LR.LinearLR(o, start_factor=1 / 8, end_factor=1.0, total_iters=8),
                                   LR.StepLR(o, step_size=5, gamma=0.3)], milestones=[8]), 60),
    (sched("warmup", warmup_steps=3, start_factor=0.5, then=sched("exponential", base=0.1, gamma=0.9)), 0.1,
     lambda o: LR.SequentialLR(o, [LR.LinearLR(o, start_factor=0.5, end_factor=1.0, total_iters=3),
                                   LR.ExponentialLR(o, gamma=0.9)], milestones=[3]), 60),
]


def _torch_lrs(base, make_scheduler, steps):
    """The lr torch's optimizer uses at each of ``steps`` steps, its scheduler stepped after each one."""
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w], lr=base)
    scheduler = make_scheduler(opt) if make_scheduler else None
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        w.grad = torch.zeros(2, dtype=torch.float64)
        opt.step()
        if scheduler is not None:
            scheduler.step()
    return np.array(out)


@pytest.mark.parametrize("ours, base, make_scheduler, steps", TORCH,
                         ids=[f"{t[0].name}-{i}" for i, t in enumerate(TORCH)])
def test_matches_torch_lr_scheduler_step_by_step(ours, base, make_scheduler, steps):
    theirs = _torch_lrs(base, make_scheduler, steps)
    np.testing.assert_allclose(ours(np.arange(steps)), theirs, rtol=1e-12, atol=1e-18)
    if ours.name != "constant":
        assert theirs.min() < 0.9 * theirs.max()  # it really varies


# ------------------------------------------------------------------------ optimizers under a schedule

OPTIMIZERS = [
    # (our name, our hyper without lr, torch class, torch kwargs without lr, schedule, torch scheduler)
    ("sgd", {}, torch.optim.SGD, {}, sched("step", base=1e-3, step_size=60, gamma=0.5),
     lambda o: LR.StepLR(o, step_size=60, gamma=0.5)),
    ("sgd", {}, torch.optim.SGD, {}, sched("warmup", warmup_steps=20, then=sched("cosine", base=1e-3, steps=280)),
     lambda o: LR.SequentialLR(o, [LR.LinearLR(o, start_factor=1 / 20, total_iters=20),
                                   LR.CosineAnnealingLR(o, T_max=280)], milestones=[20])),  # c ≤ 20 + T: see above
    ("adam", {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, torch.optim.Adam, {"betas": (0.9, 0.999), "eps": 1e-8},
     sched("cosine", base=0.02, steps=300, floor=1e-3), lambda o: LR.CosineAnnealingLR(o, T_max=300, eta_min=1e-3)),
    ("adam", {"beta1": 0.8, "beta2": 0.99, "eps": 1e-6}, torch.optim.Adam, {"betas": (0.8, 0.99), "eps": 1e-6},
     sched("warmup", warmup_steps=25, start_factor=0.2, then=sched("inverse_time", base=0.02, decay=0.01)),
     lambda o: LR.SequentialLR(o, [LR.LinearLR(o, start_factor=0.2, total_iters=25),
                                   LR.LambdaLR(o, lambda c: 1 / (1 + 0.01 * c))], milestones=[25])),
]
STEPS = 300


@pytest.mark.parametrize("name, hyper, cls, kwargs, schedule, make_scheduler", OPTIMIZERS,
                         ids=[f"{o[0]}-{o[4].name}-{i}" for i, o in enumerate(OPTIMIZERS)])
@pytest.mark.parametrize("surface_name", ["rosenbrock", "beale", "least_squares"])
def test_optimizer_with_a_schedule_matches_torch(name, hyper, cls, kwargs, schedule, make_scheduler, surface_name):
    s = oc.get_surface(surface_name)
    ours = oc.run(oc.make_optimizer(name, lr=schedule, **hyper), s, s.start, STEPS)
    assert not ours.diverged
    theirs = torch_steps_from(s, ours.params, cls, {"lr": schedule.base, **kwargs}, make_scheduler)
    np.testing.assert_allclose(ours.params[1:], theirs, rtol=0, atol=1e-12)
    assert np.abs(ours.params[-1] - ours.params[0]).max() > 1e-2  # it really moved
    # the record shows the scheduled step size: t_c for SGD, t_c / (√v̂ + ε) for Adam
    t = schedule(np.arange(STEPS))[:, None]
    if name == "sgd":
        np.testing.assert_array_equal(ours.records["step_size"], np.broadcast_to(t, (STEPS, 2)))
    else:
        np.testing.assert_allclose(ours.records["step_size"],
                                   t / (np.sqrt(ours.records["v_hat"]) + hyper["eps"]), rtol=1e-14)


ALL_LR = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamax", "newton"]
H = np.array([[3.0, 0.5], [0.5, 1.0]])


@pytest.mark.parametrize("name", ALL_LR)
def test_update_c_uses_the_schedule_at_c(name):
    """Update number c of a scheduled optimizer is, from the same state, the plain one's with lr = schedule(c)."""
    schedule = sched("warmup", warmup_steps=3, then=sched("step", base=0.05, step_size=2, gamma=0.5))
    opt = oc.make_optimizer(name, lr=schedule)
    rng = np.random.default_rng(0)
    p = np.array([0.5, -1.0])
    state = opt.init(p)
    for c in range(8):
        g = rng.standard_normal(2)
        plain = oc.make_optimizer(name, lr=schedule(c))
        expected, plain_state = plain.update(g, state, p, hessian=H)
        updates, state = opt.update(g, state, p, hessian=H)
        np.testing.assert_array_equal(updates, expected, err_msg=f"{name} c={c}")
        assert state.count == c + 1
        for key, value in oc.state_records(plain_state).items():
            if key == "step_size" and name in ("sgd", "momentum", "nesterov"):  # a plain lr keeps the init value
                value = np.full(2, schedule(c))
            np.testing.assert_array_equal(oc.state_records(state)[key], value, err_msg=f"{name} {key} c={c}")
        p = p + updates


@pytest.mark.parametrize("name", oc.OPTIMIZER_NAMES)
def test_a_constant_schedule_is_exactly_the_plain_step_size(name):
    if name == "lookahead":
        plain = oc.make_optimizer(name, inner=("adam", {"lr": 0.001}))
        scheduled = oc.make_optimizer(name, inner=("adam", {"lr": sched("constant", base=0.001)}))
    else:
        lr = oc.hyper_defaults(name)["lr"]
        plain, scheduled = oc.make_optimizer(name, lr=lr), oc.make_optimizer(name, lr=sched("constant", base=lr))
    a, b = oc.run(plain, ROS, ROS.start, 50), oc.run(scheduled, ROS, ROS.start, 50)
    np.testing.assert_array_equal(a.params, b.params)
    assert a.records.keys() == b.records.keys()
    for key in a.records:
        np.testing.assert_array_equal(a.records[key], b.records[key], err_msg=key)


def test_momentum_under_a_schedule_by_hand():
    # v1 = -t0 g1 = -0.1 (3, -4); v2 = 0.9 v1 - t1 g2 = (-0.27, 0.36) - 0.05 (1, 2) = (-0.32, 0.26)
    opt = oc.make_optimizer("momentum", lr=sched("step", base=0.1, step_size=1, gamma=0.5), momentum=0.9)
    p = np.array([1.0, 2.0])
    state = opt.init(p)
    u1, state = opt.update(np.array([3.0, -4.0]), state, p)
    u2, state = opt.update(np.array([1.0, 2.0]), state, p + u1)
    np.testing.assert_allclose(u1, [-0.3, 0.4], rtol=1e-15)
    np.testing.assert_allclose(u2, [-0.32, 0.26], rtol=1e-15)
    np.testing.assert_allclose(state.step_size, [0.05, 0.05], rtol=1e-15)


def test_lookahead_inner_schedule_runs_over_the_whole_trajectory():
    s = oc.get_surface("elongated_quadratic")
    schedule = sched("cosine", base=0.05, steps=30, floor=0.005)
    inner = oc.make_optimizer("sgd", lr=schedule)
    la = oc.make_optimizer("lookahead", inner=inner, k=4, alpha=0.5)
    traj = oc.run(la, s, s.start, 40)
    np.testing.assert_array_equal(traj.records["step_size"][:, 0], schedule(np.arange(40)))
    # k = 1, α = 1 is the inner optimizer itself, schedule and all
    same = oc.run(oc.make_optimizer("lookahead", inner=inner, k=1, alpha=1.0), s, s.start, 40)
    np.testing.assert_array_equal(same.params, oc.run(inner, s, s.start, 40).params)


def test_lookahead_reset_inner_restarts_the_inner_schedule():
    """reset_inner restarts the inner optimizer, its count (and so its schedule) with it; per run for a batched k."""
    s = oc.get_surface("elongated_quadratic")
    schedule = sched("exponential", base=0.04, gamma=0.5)
    la = oc.make_optimizer("lookahead", inner=("sgd", {"lr": schedule}), k=np.array([1, 2, 3]), reset_inner=True)
    t = oc.run(la, s, s.start, 6).records["step_size"][..., 0].T
    np.testing.assert_array_equal(t, schedule(np.array([[0] * 6, [0, 1] * 3, [0, 1, 2] * 2])))


def test_a_sweep_over_base_step_sizes_is_one_batched_run():
    bases = np.array([0.0005, 0.001, 0.002, 0.005])  # SGD blows up at 0.005 (step 13): compared too
    steps = 120
    for name, hyper in [("sgd", {}), ("momentum", {}), ("adam", {}), ("rmsprop", {}),
                        ("lookahead", {"k": 5, "alpha": 0.5})]:
        one_schedule = sched("warmup", warmup_steps=10, then=sched("cosine", base=0.01, steps=100, floor=0.0002))
        batched = one_schedule.with_base(bases)
        if name == "lookahead":
            opt = oc.make_optimizer(name, inner=("adam", {"lr": batched}), **hyper)
        else:
            opt = oc.make_optimizer(name, lr=batched, **hyper)
        assert opt.batch_shape == (4,)
        batch = oc.run(opt, ROS, ROS.start, steps)
        assert batch.params.shape == (steps + 1, 4, 2)
        for b, base in enumerate(bases):
            alone = one_schedule.with_base(base)
            one = (oc.make_optimizer(name, inner=("adam", {"lr": alone}), **hyper) if name == "lookahead"
                   else oc.make_optimizer(name, lr=alone, **hyper))
            single = oc.run(one, ROS, ROS.start, steps)
            assert_same_run(batch.params[:, b], single.params, steps, err_msg=f"{name} {base}")
            assert_same_run(batch.loss[:, b], single.loss, steps, err_msg=f"{name} {base}")
            assert_same_run(batch.records["step_size"][:, b], single.records["step_size"], steps,
                            err_msg=f"{name} {base} step_size")
            np.testing.assert_array_equal(batch.diverged_at[b], single.diverged_at)
    cos = sched("cosine", base=bases, steps=100)
    sgd = oc.run(oc.make_optimizer("sgd", lr=cos), ROS, ROS.start, 50)
    assert not sgd.diverged[:3].any()
    np.testing.assert_allclose(sgd.records["step_size"][:, :3, 0], cos(np.arange(50))[:, :3], rtol=1e-15)


# ------------------------------------------------------------------------------------------- bad input

BAD = [
    ("constant", {"base": 0}, r"base must be in \(0, inf\), got 0.0"),
    ("constant", {"base": [0.1, -1.0]}, r"base must be in \(0, inf\), got -1.0"),
    ("constant", {"base": "big"}, r"base must be a number, got 'big'"),
    ("step", {"base": 0.1, "step_size": 0}, r"step_size must be a whole number in \[1, inf\), got 0.0"),
    ("step", {"base": 0.1, "step_size": 2.5}, r"step_size must be a whole number in \[1, inf\), got 2.5"),
    ("step", {"base": 0.1, "step_size": 2, "gamma": 1.5}, r"gamma must be in \(0, 1\], got 1.5"),
    ("exponential", {"base": 0.1, "gamma": 0.0}, r"gamma must be in \(0, 1\], got 0.0"),
    ("exponential", {"base": 0.1, "gamma": float("nan")}, r"gamma must be in \(0, 1\], got nan"),
    ("inverse_time", {"base": 0.1, "decay": -0.5}, r"decay must be in \[0, inf\), got -0.5"),
    ("cosine", {"base": 0.1, "steps": 0}, r"steps must be a whole number in \[1, inf\), got 0.0"),
    ("cosine", {"base": 0.1, "steps": 10, "floor": -0.01}, r"floor must be in \[0, inf\), got -0.01"),
    ("cosine", {"base": 0.1, "steps": 10, "floor": 0.2}, r"floor must be in \[0, base\], got 0.2 above base 0.1"),
    ("cosine", {"base": [0.1, 0.3], "steps": 10, "floor": 0.2}, r"floor must be in \[0, base\], got 0.2"),
    ("cosine", {"base": [0.1, 0.2], "steps": [10, 20, 30]}, r"batched settings must have the same length"),
    ("warmup", {"warmup_steps": 0, "then": 0.1}, r"warmup_steps must be a whole number in \[1, inf\), got 0.0"),
    ("warmup", {"warmup_steps": 5, "then": 0.1, "start_factor": 0}, r"start_factor must be in \(0, 1\], got 0.0"),
    ("warmup", {"warmup_steps": 5, "then": 0.1, "start_factor": 1.5}, r"start_factor must be in \(0, 1\], got 1.5"),
    ("warmup", {"warmup_steps": 5, "then": "cosine"}, r"then must be a schedule made by make_schedule or a step size"),
    ("warmup", {"warmup_steps": 5, "then": -0.1}, r"then must be in \(0, inf\), got -0.1"),
    ("warmup", {"warmup_steps": [2, 3], "then": sched("constant", base=[0.1, 0.2, 0.3])},
     r"batched settings must have the same length"),
    ("cosine", {"base": 0.1}, r"schedule 'cosine' needs steps"),
    ("warmup", {"warmup_steps": 5}, r"schedule 'warmup' needs then"),
    ("exponential", {"base": 0.1, "gamma": 0.5, "lr": 0.1}, r"unknown setting 'lr' for schedule 'exponential'; "
     r"known: base, gamma"),
    ("linear", {"base": 0.1}, r"unknown schedule 'linear'; known: constant, cosine, exponential, inverse_time, "
     r"step, warmup"),
]


@pytest.mark.parametrize("name, settings, message", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_settings_name_the_culprit(name, settings, message):
    with pytest.raises(ValueError, match=message):
        sched(name, **settings)


@pytest.mark.parametrize("c, shown", [(-1, "-1"), (2.5, "2.5"), (float("nan"), "nan"), (True, "True"),
                                      ("3", "'3'"), (np.array([[0, 1], [2, -3]]), "-3"), (None, "None")])
def test_bad_update_index(c, shown):
    with pytest.raises(ValueError, match=rf"c must be a whole number in \[0, inf\), got .*{shown}"):
        sched("constant", base=0.1)(c)


def test_optimizers_still_check_a_plain_lr_and_batch_a_schedule():
    with pytest.raises(ValueError, match=r"lr must be in \(0, inf\), got -0.1"):
        oc.make_optimizer("adam", lr=-0.1)
    with pytest.raises(ValueError, match=r"lr must be a number, got 'cosine'"):
        oc.make_optimizer("sgd", lr="cosine")
    with pytest.raises(ValueError, match="batched hyper-parameters must have the same length"):
        oc.make_optimizer("adam", lr=sched("constant", base=[0.1, 0.2]), beta1=[0.5, 0.6, 0.7])
    batched = sched("cosine", base=[0.1, 0.2, 0.3], steps=10)
    assert oc.make_optimizer("adam", lr=batched, beta1=[0.5, 0.6, 0.7]).batch_shape == (3,)
    assert oc.make_optimizer("lookahead", inner=("sgd", {"lr": batched}), k=[1, 2, 3]).batch_shape == (3,)
    assert oc.make_optimizer("sgd", lr=batched).hyper["lr"] is batched
    assert isinstance(oc.make_optimizer("newton", lr=sched("constant", base=1.0)).hyper["lr"], Schedule)
    assert oc.SCHEDULE_NAMES == ("constant", "step", "exponential", "inverse_time", "cosine", "warmup")
