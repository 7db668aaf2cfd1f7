"""A step moves the picture in the browser: the figure built at an earlier step, jumped to step n's frame,
must be the figure built at step n (ui.widgets.stepping). Checked for every stepping page's picture, trace
by trace, on the numbers the browser would draw."""

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui.catalog import default_spec
from ui.pages import adam as ua
from ui.pages import adaptive as uad
from ui.pages import compare as cmp
from ui.pages import home as uh
from ui.pages import lookahead as L
from ui.pages import momentum as um
from ui.pages import stochastic as us
from ui.pages import taylor as tv
from ui.widgets import compute

ROSENBROCK, BOWL = oc.get_surface("rosenbrock"), oc.get_surface("elongated_quadratic")


def _run(name, surface, steps=300, start=None, **hyper):
    return oc.run(oc.make_optimizer(name, **hyper), surface, surface.start if start is None else start, steps)


def _home(at):
    return uh.figure(ROSENBROCK, _run("sgd", ROSENBROCK, lr=1e-3).params, ROSENBROCK.start, at_step=at)


def _momentum(at):
    runs = {m: _run(m, BOWL, 50, **um.hyper(m, 0.07, 0.6)) for m in um.METHODS}
    return um.trajectory_figure(BOWL, runs, BOWL.start, at_step=at, method="momentum", lr=0.07, mu=0.6).figure


def _adam(at):
    hyper = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
    runs = {"adam": _run("adam", ROSENBROCK, **hyper), "adam_nobc": _run("adam", ROSENBROCK, bias_correction=False,
                                                                         **hyper),
            "adamax": _run("adamax", ROSENBROCK, **hyper)}
    return ua.family_figure(ROSENBROCK, runs, ROSENBROCK.start, "adam", at).figure


def _lookahead(at):
    inner = oc.make_optimizer("sgd", lr=0.078)
    la = oc.run(oc.make_optimizer("lookahead", inner=inner, k=5, alpha=0.8), BOWL, BOWL.start, 60)
    return L.path_figure(BOWL, BOWL.start, "sgd", _run("sgd", BOWL, 60, lr=0.078).params, la, at_step=at)


def _stochastic(at):
    surface = us.surface()
    start = (-1.6, 1.7)
    runs = {k: oc.run(oc.make_optimizer("sgd", lr=0.15), surface, start, 80, batch_size=b, seed=0,
                      record=("batch",) if k == "partial" else False) for k, b in us.batch_sizes(5).items()}
    return us.paths_figure(surface, {k: r.params for k, r in runs.items()}, start, 5, at_step=at,
                           minibatch=runs["partial"])


def _compare(at):
    specs = [default_spec(name, "rosenbrock") for name in ("sgd", "momentum", "adam")]
    runs = {opt: compute.run(opt, "rosenbrock", ROSENBROCK.start, 300) for opt in specs}
    return cmp.race_figure(ROSENBROCK, runs, ROSENBROCK.start, at_step=at)


def _taylor(at):
    t, options = tv.DEFAULTS.t["rosenbrock"], tv.DEFAULTS.t_options["rosenbrock"]
    run = _run("sgd", ROSENBROCK, tv.DEFAULTS.steps + 1, lr=t)
    models = [tv.local_model(ROSENBROCK, run.params[k]) for k in range(tv.DEFAULTS.steps + 1)]
    return tv.slice_steps_figure(ROSENBROCK, models, t, options, at)


PICTURES = {"taylor": _taylor, "home": _home, "momentum": _momentum, "adam": _adam, "lookahead": _lookahead,
            "stochastic": _stochastic, "compare": _compare}


def _moving(fig: dict, frame: dict) -> dict[int, dict]:
    """The traces a frame moves, as the frame draws them: index → the frame's keys of that trace."""
    return dict(zip(frame["traces"], frame["data"]))


@pytest.mark.parametrize("page", sorted(PICTURES))
@pytest.mark.parametrize(("base", "step"), [(0, 7), (3, 1), (0, 29)])
def test_a_frame_of_the_picture_built_earlier_is_the_picture_built_at_that_step(page, base, step):
    built_early = decode(PICTURES[page](base).to_dict())
    built_there = decode(PICTURES[page](step).to_dict())
    names = [f["name"] for f in built_early["frames"]]
    assert str(step) in names  # the first 30 steps are frames one by one: a step there never rebuilds the figure
    frame = built_early["frames"][names.index(str(step))]
    moving = _moving(built_early, frame)
    assert len(built_early["data"]) == len(built_there["data"])
    for i, (early, there) in enumerate(zip(built_early["data"], built_there["data"])):
        if i in moving:  # what the frame changes is what building at the step draws
            for key, value in moving[i].items():
                if key in ("type", "text"):  # words, not numbers: the same words
                    assert value == there[key], f"{page}: trace {i} {key}"
                    continue
                np.testing.assert_allclose(np.asarray(value, dtype=float), np.asarray(there[key], dtype=float),
                                           rtol=1e-12, atol=1e-12, err_msg=f"{page}: trace {i} {key}")
        else:  # the rest is the same picture
            for key in ("x", "y"):
                if key in early:
                    np.testing.assert_array_equal(np.asarray(early[key], dtype=float),
                                                  np.asarray(there[key], dtype=float), err_msg=f"{page}: trace {i}")


def test_adaptive_arrows_keep_the_scale_of_the_step_the_picture_was_built_at():
    """Adaptive fits its arrows' scale from the built step on; a frame shows step n's arrows at that scale
    (the caption under the picture names it: ui.widgets.stepping.Picture.under), and everything else as
    building at step n draws it."""
    runs = {m: _run(m, BOWL, 100, **uad.hyper(m, 0.3, 0.9, 0.9, 0.999)) for m in uad.METHODS}
    early = decode(uad.step_figure(BOWL, runs, BOWL.start, 0, "adagrad", 0.3).figure.to_dict())
    there = decode(uad.step_figure(BOWL, runs, BOWL.start, 12, "adagrad", 0.3).figure.to_dict())
    scales = uad.step_scales(runs["adagrad"], 0.3, BOWL, 0)
    arrows = [at(12) for _, at in uad.update_arrows(runs["adagrad"], "adagrad", 0.3, scales)]
    frame = early["frames"][[f["name"] for f in early["frames"]].index("12")]
    moving = _moving(early, frame)
    paths = 2 * len(uad.METHODS)  # a tail and a marker per method move first, then the arrows, then the panels' dots
    arrow_ids = list(moving)[paths:paths + len(arrows)]
    for i, want in zip(arrow_ids, arrows):
        np.testing.assert_allclose(np.asarray(moving[i]["x"], dtype=float), np.asarray(want["x"], dtype=float))
        np.testing.assert_allclose(np.asarray(moving[i]["y"], dtype=float), np.asarray(want["y"], dtype=float))
    for i in [i for i in moving if i not in arrow_ids]:  # markers, tails and dots: as built at step 12
        for key, value in moving[i].items():
            np.testing.assert_allclose(np.asarray(value, dtype=float), np.asarray(there["data"][i][key], dtype=float),
                                       rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("base", "step"), [(0, 7), (12, 3)])
def test_taylor_frames_carry_the_axes_of_the_slice_at_their_step(base, step):
    """Each step's slice has its own scale (the gradient shrinks as W_c walks): a frame sets the axes' ranges
    that building the slice at its step gives, so a jump and a rebuild show the same picture."""
    early = decode(_taylor(base).to_dict())
    there = decode(_taylor(step).to_dict())
    frame = early["frames"][[f["name"] for f in early["frames"]].index(str(step))]
    for axis in ("xaxis", "yaxis"):
        np.testing.assert_allclose(frame["layout"][axis]["range"], there["layout"][axis]["range"], rtol=1e-12)
    assert frame["layout"]["xaxis"]["range"] != early["layout"]["xaxis"]["range"]
