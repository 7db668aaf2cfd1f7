"""Prediction questions (ui/questions.py) and the reveal's figures (ui/figures/answers.py).

Every answer is recomputed here from optim_core with the settings written out (hand-written loops where the
rule is one line, ``oc.run`` with explicit hyper-parameters otherwise), never through ui.questions' solvers.
"""

from __future__ import annotations

import base64
import io
import json
import math

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui import i18n, questions, registry
from ui.figures.answers import choice_bars, density_image, hidden_outcome, tap_traces, with_taps
from ui.figures.tap import TAP_META, with_tap_grid
from ui.figures.theme import OPTIMIZER_LABELS
from ui.pages import adaptive as ua
from ui.pages import home as uh
from ui.pages import momentum as um

Q = {q.id: q for q in questions.QUESTIONS}
EN, KO = i18n.CATALOGS["en"], i18n.CATALOGS["ko"]


@pytest.fixture
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def plain(fig) -> dict:
    """The figure as Streamlit sends it (JSON, base64 arrays decoded)."""
    return decode(json.loads(fig.to_json()))


def settings(qid: str) -> dict:
    return dict(Q[qid].setting.settings)


def near_minimum_step(surface, params, radius) -> int | None:
    d = np.min(np.linalg.norm(params[:, None, :] - surface.minima[None], axis=-1), axis=-1)
    hits = np.flatnonzero(d < radius)
    return int(hits[0]) if hits.size else None


def outside_step(bounds, params) -> int | None:
    (x0, x1), (y0, y1) = bounds
    out = np.flatnonzero((params[:, 0] < x0) | (params[:, 0] > x1) | (params[:, 1] < y0) | (params[:, 1] > y1))
    return int(out[0]) if out.size else None


def only_winner(times: dict) -> str:
    happened = {k: v for k, v in times.items() if v is not None}
    best = min(happened.values())
    winners = [k for k, v in happened.items() if v == best]
    assert len(winners) == 1, times
    return winners[0]


# ---- the questions as data ----------------------------------------------------------------------------------------

def test_every_question_names_a_scene_of_its_page_and_ids_are_unique():
    assert len(Q) == len(questions.QUESTIONS) >= 8
    for q in questions.QUESTIONS:
        assert q.scene in [s.name for s in registry.page(q.page).scenes], q.id
        assert questions.by_id(q.id) is q and q.setting.name == q.scene
        assert q in questions.for_page(q.page)
        assert q.kind in ("choice", "tap")
    assert questions.by_id("home.nothing") is None and questions.for_page("conclusion") == ()
    for page in registry.PAGES:
        assert len(questions.for_page(page.key)) <= 2
    asked = {q.page for q in questions.QUESTIONS}
    assert asked >= {"home", "taylor", "stochastic", "momentum", "adaptive", "adam", "lookahead", "compare"}


def test_a_question_refuses_bad_data():
    with pytest.raises(ValueError):
        questions.Question("home", "x", "good_step", "slider")
    with pytest.raises(ValueError):
        questions.Question("home", "x", "good_step", "choice", ("a",))
    with pytest.raises(ValueError):
        questions.Question("home", "x", "good_step", "tap")


def test_tap_tolerances_are_six_percent_of_the_box_and_answers_inside_it():
    for q in questions.QUESTIONS:
        if q.kind != "tap":
            continue
        (x0, x1), (y0, y1) = q.box()
        assert q.tolerance == pytest.approx(0.06 * min(x1 - x0, y1 - y0))
        x, y = q.answer()
        assert x0 <= x <= x1 and y0 <= y <= y1, q.id


# ---- every answer, recomputed ---------------------------------------------------------------------------------------

def test_home_end_is_gradient_descent_after_the_pages_300_steps():
    s, surf = settings("home.end"), oc.get_surface("rosenbrock")
    assert (s["surface"], s["lr"], s["x"], s["y"]) == ("rosenbrock", 1e-3, -1.2, 1.0) and uh.STEPS == 300
    w = np.array([-1.2, 1.0])
    for _ in range(300):
        w = w - 1e-3 * surf.grad(w)
    np.testing.assert_allclose(Q["home.end"].answer(), w, rtol=0, atol=1e-12)


def test_home_first_step_jumps_across_the_valley_and_the_next_leaves():
    s, surf = settings("home.first_step"), oc.get_surface("rosenbrock")
    assert (s["lr"], s["x"], s["y"]) == (0.01, -1.2, 1.0)
    w0 = np.array([-1.2, 1.0])
    w1 = w0 - 0.01 * surf.grad(w0)
    np.testing.assert_allclose(Q["home.first_step"].answer(), w1, rtol=0, atol=1e-12)
    w2 = w1 - 0.01 * surf.grad(w1)  # the explanation says the next step leaves the picture
    assert outside_step(surf.bounds, w2[None]) == 0


def test_newton_from_the_saddle_ring_lands_on_the_saddle_point():
    s, surf = settings("taylor.newton_saddle"), oc.get_surface("saddle")
    w0 = np.array([s["x"], s["y"]])
    w1 = w0 - np.linalg.solve(surf.hessian(w0), surf.grad(w0))
    saddle = np.zeros(2)  # x² − y²: ∇L = (2x, −2y) vanishes only at the origin
    assert np.linalg.norm(w1 - saddle) < np.linalg.norm(w0 - saddle)
    assert Q["taylor.newton_saddle"].answer() == "toward"
    np.testing.assert_allclose(w1, saddle, atol=1e-12)


def test_the_batch_of_one_path_blows_up_at_step_size_025():
    s, surf = settings("stochastic.blows_up"), oc.get_surface("least_squares")
    assert (s["lr"], s["batch"], s["steps"], s["seed"]) == (0.25, 5, 400, 0)
    at = {k: int(oc.run(oc.make_optimizer("sgd", lr=0.25), surf, np.array([s["x"], s["y"]]), 400, batch_size=b,
                        seed=0, record=False).diverged_at) for k, b in (("all", None), ("one", 1), ("partial", 5))}
    expected = only_winner({k: v if v >= 0 else None for k, v in at.items()})
    assert Q["stochastic.blows_up"].answer() == expected == "one"
    assert Q["stochastic.blows_up"].words()["at"] == str(at["one"])


def test_momentum_at_its_best_reaches_the_minimum_first():
    surf = oc.get_surface("elongated_quadratic")
    lo, hi = np.linalg.eigvalsh(surf.hessian(np.zeros(2)))
    kappa = hi / lo
    best = {"sgd": {"lr": 2 / (lo + hi)},  # Goh (2017): each method's best constant setting on a quadratic
            "momentum": {"lr": 4 / (math.sqrt(lo) + math.sqrt(hi)) ** 2,
                         "momentum": ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2},
            "nesterov": {"lr": 4 / (3 * hi + lo),
                         "momentum": (math.sqrt(3 * kappa + 1) - 2) / (math.sqrt(3 * kappa + 1) + 2)}}
    s = settings("momentum.best_first")
    assert s["best"] and s["lr"] == pytest.approx(best["momentum"]["lr"]) and s["mu"] == pytest.approx(
        best["momentum"]["momentum"])
    radius = 0.01 * min(6.0, 3.0)
    times = {m: near_minimum_step(surf, oc.run(oc.make_optimizer(m, **h), surf, np.array([-5.0, 1.5]), s["steps"],
                                               record=False).params, radius) for m, h in best.items()}
    assert Q["momentum.best_first"].answer() == only_winner(times) == "momentum"


def test_nesterov_brakes_first_at_mu_095():
    surf, s = oc.get_surface("elongated_quadratic"), settings("momentum.overshoot_first")
    assert (s["mu"], s["lr"], s["steps"], s["best"]) == (0.95, 0.02, 100, False)
    hyper = {"sgd": {"lr": 0.02}, "momentum": {"lr": 0.02, "momentum": 0.95},
             "nesterov": {"lr": 0.02, "momentum": 0.95}}
    times = {m: near_minimum_step(surf, oc.run(oc.make_optimizer(m, **h), surf, np.array([-5.0, 1.5]), 100,
                                               record=False).params, 0.03) for m, h in hyper.items()}
    assert times["sgd"] is None
    assert Q["momentum.overshoot_first"].answer() == only_winner(times) == "nesterov"


def test_adagrad_stalls_where_the_engine_says():
    surf, s = oc.get_surface("elongated_quadratic"), settings("adaptive.adagrad_end")
    assert (s["lr"], s["steps"]) == (0.1, 200) and ua.hyper("adagrad", 0.1, 0.9, 0.9, 0.999) == {"lr": 0.1}
    run = oc.run(oc.make_optimizer("adagrad", lr=0.1), surf, np.array([-5.0, 1.5]), 200, record=False)
    np.testing.assert_allclose(Q["adaptive.adagrad_end"].answer(), run.params[-1], rtol=0, atol=1e-12)
    assert np.linalg.norm(run.params[-1]) > 2  # stalled far from the ★ (the explanation's point)


def test_adams_first_step_without_bias_correction_is_larger():
    surf, s = oc.get_surface("rosenbrock"), settings("adam.bias_first")
    assert (s["lr"], s["beta1"], s["beta2"], s["eps"], s["noise"]) == (0.05, 0.9, 0.999, 1e-8, 0.0)
    g = surf.grad(np.array([-1.2, 1.0]))
    m, v = 0.1 * g, 0.001 * g**2
    with_bc = 0.05 * (m / 0.1) / (np.sqrt(v / 0.001) + 1e-8)
    without = 0.05 * m / (np.sqrt(v) + 1e-8)
    assert np.linalg.norm(without) > np.linalg.norm(with_bc)
    assert Q["adam.bias_first"].answer() == "larger"
    assert Q["adam.bias_first"].words()["ratio"] == "3.16"  # (1 − β₁)/√(1 − β₂)
    assert np.linalg.norm(without) / np.linalg.norm(with_bc) == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)


def test_only_an_odd_k_lets_lookahead_settle_where_gradient_descent_bounces():
    surf, s = oc.get_surface("himmelblau"), settings("lookahead.odd_k")
    assert (s["lr"], s["alpha"], s["inner"], s["steps"]) == (0.026, 0.5, "sgd", 150)
    start = np.array([s["x"], s["y"]])
    gaps = {}
    for option in Q["lookahead.odd_k"].options:
        opt = oc.make_optimizer("lookahead", inner=("sgd", {"lr": 0.026}), k=int(option[1:]), alpha=0.5)
        end = oc.run(opt, surf, start, 150, record=False).params[-1]
        gaps[option] = float(np.min(np.linalg.norm(surf.minima - end, axis=-1)))
    assert Q["lookahead.odd_k"].answer() == min(gaps, key=gaps.get) == "k5"
    assert gaps["k5"] < 1e-6 < 0.1 < gaps["k2"] and gaps["k10"] > 0.1
    alone = oc.run(oc.make_optimizer("sgd", lr=0.026), surf, start, 150, record=False).params
    np.testing.assert_allclose(alone[-1], alone[-3], atol=1e-6)  # the prompt: gradient descent bounces …
    assert np.linalg.norm(alone[-1] - alone[-2]) > 0.5  # … between two points


def test_adam_leaves_the_saddle_first_and_newton_never():
    surf, s = oc.get_surface("saddle"), settings("compare.saddle_escape")
    assert Q["compare.saddle_escape"].options[:-1] == tuple(s["show"])
    specs = {"sgd": ("sgd", {"lr": 0.01}), "rmsprop": ("rmsprop", {"lr": 0.01, "rho": 0.9}),
             "adam": ("adam", {"lr": 0.01, "beta1": 0.9, "beta2": 0.999}),
             "newton": ("newton", {"lr": 1.0, "damping": 0.0})}
    for m, (_, hyper) in specs.items():
        assert {k: s[f"{m}.{k}"] for k in hyper} == hyper
    times = {m: outside_step(surf.bounds, oc.run(oc.make_optimizer(n, **h), surf, np.array([1.8, 0.01]), 300,
                                                 record=False).params) for m, (n, h) in specs.items()}
    assert times["newton"] is None
    assert Q["compare.saddle_escape"].answer() == only_winner(times) == "adam"


def test_the_solver_refuses_an_ill_posed_question():
    with pytest.raises(ValueError):
        questions._earliest({"a": 3, "b": 3})
    with pytest.raises(ValueError):
        questions._earliest({"a": None, "b": None})
    assert questions._earliest({"a": None, "b": None}, nobody="none") == "none"


# ---- right or wrong -------------------------------------------------------------------------------------------------

def test_is_right_for_a_tap_counts_within_the_tolerance():
    q = Q["home.end"]
    x, y = q.answer()
    assert q.is_right((x, y)) and q.is_right([x, y]) and q.is_right(np.array([x, y]))
    assert q.is_right((x + 0.999999 * q.tolerance, y)) and q.is_right((x, y - 0.999999 * q.tolerance))
    assert not q.is_right((x + 1.000001 * q.tolerance, y))
    d = 0.7072 * q.tolerance  # diagonal: √2 · 0.7072 > 1
    assert not q.is_right((x + d, y + d)) and q.is_right((x + 0.7 * q.tolerance, y + 0.7 * q.tolerance))
    for bad in (None, "a", (1.0,), (1.0, 2.0, 3.0), (math.nan, y), (x, math.inf), ("x", "y")):
        assert not q.is_right(bad), bad


def test_is_right_for_a_choice_is_the_answers_id_only():
    q = Q["momentum.best_first"]
    assert q.is_right("momentum")
    for bad in ("sgd", "nesterov", "Momentum", "adam", "", None, ("momentum",), 1):
        assert not q.is_right(bad), bad


def test_share_right():
    tap = Q["adaptive.adagrad_end"]
    x, y = tap.answer()
    assert questions.share_right(tap, [(x, y), (x + 5, y), (x + 0.1, y - 0.1)]) == pytest.approx(2 / 3)
    assert questions.share_right(tap, []) == 0.0 and questions.share_right(tap, iter([(x, y)])) == 1.0
    choice = Q["adam.bias_first"]
    assert questions.share_right(choice, ["larger", "smaller", "larger", "bogus"]) == 0.5


# ---- words in both languages ----------------------------------------------------------------------------------------

def _keys(catalog, prefix: str) -> set[str]:
    return {k for k in catalog if k.startswith(prefix)}


def test_the_new_tables_have_the_same_keys_in_both_languages():
    for prefix in ("questions.", "classroom."):
        assert _keys(EN, prefix) == _keys(KO, prefix), sorted(_keys(EN, prefix) ^ _keys(KO, prefix))
        assert _keys(EN, prefix)
    for q in questions.QUESTIONS:
        for part in ("prompt", "explanation"):
            assert f"questions.{q.id}.{part}" in EN and f"questions.{q.id}.{part}" in KO


@pytest.mark.parametrize("code", ["en", "ko"])
def test_every_prompt_option_and_explanation_reads_in_both_languages(code):
    try:
        i18n.set_language(code)
        for q in questions.QUESTIONS:
            assert "{" not in q.prompt and "{" not in q.explanation, q.id
            if code == "ko":
                assert any("\uac00" <= ch <= "\ud7a3" for ch in q.prompt + q.explanation), q.id
            for option in q.options:
                text = q.option_label(option)
                assert text and "{" not in text, (q.id, option)
                key = f"questions.{q.id}.options.{option}"
                if option in OPTIMIZER_LABELS:
                    assert text == i18n.t(f"optimizer.{option}") and key not in EN
                elif option.startswith("k") and option[1:].isdigit():
                    assert text == f"k = {option[1:]}"
                else:
                    assert key in EN and key in KO and text == i18n.t(key, **q.words()), (q.id, option)
            with pytest.raises(KeyError):
                q.option_label("no such option")
    finally:
        i18n.set_language("en")


def test_the_words_are_the_engines_numbers(english):
    words = Q["momentum.overshoot_first"].words()
    assert words["d"] == "0.03" and words["momentum"] == "79" and words["nesterov"] == "34"
    assert words["sgd"] == "not within 100 steps"
    assert Q["home.end"].words()["steps"] == "300" and Q["taylor.newton_saddle"].words()["x"] == "0"


# ---- the reveal's figures -------------------------------------------------------------------------------------------

def test_choice_bars_mark_exactly_the_right_option(english):
    q = Q["compare.saddle_escape"]
    fig = plain(choice_bars(q, {"adam": 3, "sgd": 1, "newton": 4}))
    (bar,) = fig["data"]
    labels, right = list(bar["x"]), q.answer()
    marked = [i for i, text in enumerate(labels) if text.startswith("✓")]
    assert marked == [list(q.options).index(right)] and labels[marked[0]] == "✓ " + q.option_label(right)
    assert list(bar["y"]) == [1, 0, 3, 4, 0]
    widths = list(bar["marker"]["line"]["width"])
    assert widths[marked[0]] == 4 and all(w == 1 for i, w in enumerate(widths) if i != marked[0])
    colors = bar["marker"]["color"]
    assert len({colors[i] for i in range(len(colors)) if i != marked[0]}) == 1 and colors[marked[0]] != colors[0]
    assert bar["text"][2] == "3 (38%)" and bar["text"][1] == "0 (0%)"
    assert bar["textfont"]["size"] >= 14 and fig["layout"]["yaxis"]["title"]["text"] == "answers"
    empty = plain(choice_bars(q, {}))["data"][0]
    assert list(empty["y"]) == [0] * 5 and empty["text"][0] == "0 (0%)"


def test_tap_traces_show_the_class_and_the_answer(english):
    q = Q["home.end"]
    x, y = q.answer()
    taps = [(0.5, 0.5), (x, y), (-1.0, 1.0)]
    traces = [decode(json.loads(json.dumps(tr, default=lambda a: a.tolist()))) for tr in tap_traces(q, taps)]
    by_meta = {tr.get("meta"): tr for tr in traces}
    answer = by_meta["answer"]
    assert answer["x"] == [x] and answer["y"] == [y] and answer["name"] == "the answer" and answer["showlegend"]
    assert answer["marker"]["size"] >= 20 and answer["marker"]["line"]["color"] == "#111111"
    assert answer["marker"]["symbol"] not in ("star", "circle-open")  # not the ★, not the start ring
    assert traces[-1]["meta"] == "answer"  # drawn on top
    ring = by_meta["answer tolerance"]
    r = np.hypot(np.asarray(ring["x"]) - x, np.asarray(ring["y"]) - y)
    np.testing.assert_allclose(r, q.tolerance, rtol=1e-12)
    assert ring["line"]["width"] >= 3
    marks = by_meta["answers"]
    assert marks["name"] == "the class's answers" and marks["showlegend"]
    np.testing.assert_allclose(np.c_[marks["x"], marks["y"]], taps)
    assert all(tr["type"] == "scatter" for tr in traces)  # scatter only: they survive the player's animation
    alone = tap_traces(q, [])
    assert [tr["meta"] for tr in alone] == ["answer tolerance", "answer"]
    assert [tr["meta"] for tr in tap_traces(q, [(math.nan, 1.0), (1.0,), (0.0, 0.0)])][0] == "answers"


def _pixels(image: dict) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(image["source"].split(",", 1)[1]))))


def test_the_density_picture_covers_the_box_and_is_clear_where_nobody_tapped():
    q = Q["adaptive.adagrad_end"]
    (x0, x1), (y0, y1) = q.box()
    assert density_image(q, []) is None
    image = density_image(q, [(-2.6, 0.0), (-2.5, 0.1), (0.0, 0.0)])
    rgba = _pixels(image)
    n = rgba.shape[0]
    assert rgba.shape == (n, n, 4) and image["layer"] == "below" and image["xref"] == "x"
    dx, dy = (x1 - x0) / (n - 1), (y1 - y0) / (n - 1)  # pixel centres on the grid points
    assert image["x"] == pytest.approx(x0 - dx / 2) and image["sizex"] == pytest.approx(x1 - x0 + dx)
    assert image["y"] == pytest.approx(y1 + dy / 2) and image["sizey"] == pytest.approx(y1 - y0 + dy)

    def pixel(x, y):  # row 0 is the top (largest y)
        return rgba[round((y1 - y) / dy), round((x - x0) / dx)]

    assert pixel(-2.55, 0.05)[3] > 150 and pixel(0.0, 0.0)[3] > 0  # the crowd darker than the lone tap
    assert pixel(-2.55, 0.05)[3] > pixel(0.0, 0.0)[3]
    assert pixel(4.0, -2.0)[3] == 0 and pixel(x0, y1)[3] == 0


def test_with_taps_adds_the_density_under_every_trace_and_the_traces_on_top(english):
    q = Q["home.end"]
    surf, run = _home_picture()
    page = uh.figure(surf, run.params, (-1.2, 1.0), at_step=10)
    before = plain(page)
    after = plain(with_taps(page, q, [(0.0, 0.0), (1.0, 1.0)]))
    assert after["layout"]["images"][0] == before["layout"]["images"][0]  # the surface stays first (beneath)
    assert [im.get("name") for im in after["layout"]["images"]] == [None, "answers density"]
    assert [tr.get("name") for tr in after["data"][: len(before["data"])]] == [
        tr.get("name") for tr in before["data"]]  # the page's traces first: the frames' trace indices stay valid
    assert [tr["meta"] for tr in after["data"][len(before["data"]):]] == ["answers", "answer tolerance", "answer"]
    assert len(after["frames"]) == len(before["frames"])
    hidden = plain(hidden_outcome(with_taps(page, q, [(0.0, 0.0)])))  # a reveal hidden again: no answer left
    assert len(hidden["layout"]["images"]) == 1 and {tr["name"] for tr in hidden["data"]} == {"minimum", "start"}


def _metas_and_names(fig: dict) -> list[tuple]:
    return [(tr.get("meta"), tr.get("name"), tr.get("type")) for tr in fig["data"]]


def _home_picture():
    surf = oc.get_surface("rosenbrock")
    run = oc.run(oc.make_optimizer("sgd", lr=1e-3), surf, np.array([-1.2, 1.0]), 300)
    return surf, run


@pytest.mark.parametrize("at_step", [None, 40])
def test_hidden_outcome_keeps_surface_start_minimum_and_tap_grid(english, at_step):
    surf, run = _home_picture()
    shown = with_tap_grid(uh.figure(surf, run.params, (-1.2, 1.0), at_step=at_step), surf)
    full = plain(shown)
    assert full["frames"] and any(tr.get("meta") == "path" for tr in full["data"])
    hidden = plain(hidden_outcome(shown))
    names = [tr.get("name") for tr in hidden["data"]]
    assert sorted(names[:2]) == ["minimum", "start"] and hidden["data"][-1]["meta"] == TAP_META
    assert len(hidden["data"]) == 3 and not hidden.get("frames")
    assert not {"updatemenus", "sliders"} & set(hidden["layout"])
    assert hidden["layout"]["images"] == full["layout"]["images"]  # the surface picture
    assert hidden["layout"]["xaxis"]["range"] == full["layout"]["xaxis"]["range"]
    np.testing.assert_array_equal(hidden["data"][-1]["x"], full["data"][-1]["x"])  # the whole tap grid


def test_hidden_outcome_drops_every_path_arrow_and_panel_on_other_pages(english):
    surf, start = oc.get_surface("elongated_quadratic"), np.array([-5.0, 1.5])
    runs = {m: oc.run(oc.make_optimizer(m, **um.hyper(m, 0.07, 0.1)), surf, start, 50) for m in um.METHODS}
    moving = um.trajectory_figure(surf, runs, start=start, at_step=3, lr=0.07, mu=0.1).figure
    adaptive = {m: oc.run(oc.make_optimizer(m, **ua.hyper(m, 0.1, 0.9, 0.9, 0.999)), surf, start, 200)
                for m in ua.METHODS}
    panels = ua.step_figure(surf, adaptive, start, 3, "adagrad", 0.1).figure
    for fig in (moving, panels):
        hidden = plain(hidden_outcome(with_tap_grid(fig, surf)))
        assert sorted(_metas_and_names(hidden), key=str) == sorted(
            [(None, "minimum", "scatter"), (None, "start", "scatter"), (TAP_META, "", "scatter")], key=str)


def test_hidden_outcome_knows_the_landmarks_in_korean_too():
    surf, run = _home_picture()
    try:
        i18n.set_language("ko")
        korean = uh.figure(surf, run.params, (-1.2, 1.0))
    finally:
        i18n.set_language("en")
    hidden = plain(hidden_outcome(korean))  # built in Korean, hidden in English: the ★ and the ring stay
    assert sorted(tr["name"] for tr in hidden["data"]) == sorted(["최소점", "시작점"])
