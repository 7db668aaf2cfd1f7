"""The Adaptive page's builders, called directly (no Streamlit)."""

import dataclasses
import json
import math
import re

import numpy as np
import pytest

import optim_core as oc
from pagetest import decode
from ui.figures.theme import color
from ui.pages import adaptive as ua
from ui.registry import scene_state, widget_key

DECK = np.array([[3.0, 1.0], [-2.0, 1.0], [1.0, 1.0]])  # the deck's gradients: sums (14, 3), t̃ = 1/√14, 1/√3
NAMES = {"adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam"}
COLORS = {m: color(m) for m in NAMES}  # one colour per optimizer, app-wide (ui.theme owns the palette)
W_DASHES = ("solid", "dash")  # W₁ solid, W₂ dashed, and no optimizer's colour means a parameter


def _plain(fig) -> dict:
    return decode(json.loads(fig.to_json()))


def _runs(lr=0.3, steps=40, surface="elongated_quadratic"):
    s = oc.get_surface(surface)
    settings = {"adagrad": {"lr": lr}, "rmsprop": {"lr": lr, "rho": 0.9},
                "adam": {"lr": lr, "beta1": 0.9, "beta2": 0.999}}
    return s, {m: oc.run(oc.make_optimizer(m, **h), s, s.start, steps) for m, h in settings.items()}


def test_hyper_gives_each_method_its_own_settings():
    assert ua.hyper("adagrad", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1}
    assert ua.hyper("rmsprop", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1, "rho": 0.9}
    assert ua.hyper("adam", 0.1, 0.9, 0.8, 0.99) == {"lr": 0.1, "beta1": 0.8, "beta2": 0.99}


def test_defaults_are_read_only_and_inside_the_options():
    d = ua.DEFAULTS
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.rho = 0.5
    with pytest.raises(TypeError):
        d.lr["rosenbrock"] = 1.0
    assert set(d.lr) == set(d.steps) == {*d.surfaces, "custom"} and d.surface in d.surfaces  # custom: a typed f
    assert all(lr in ua.LR_OPTIONS for lr in d.lr.values())
    assert all(10 <= s <= d.steps_high for s in d.steps.values())


def test_default_gradients_are_the_decks():
    assert ua.gradients_table() == {"g₁ (∇₁L)": [3.0, -2.0, 1.0], "g₂ (∇₂L)": [1.0, 1.0, 1.0]}


def test_deck_table_sums_and_step_sizes():
    table = ua.adagrad_table(DECK)
    assert list(table) == ["c", "g₁", "g₂", "g₁²", "g₂²", "Σ g₁²", "Σ g₂²", "t̃₁", "t̃₂"]
    assert table["c"] == [1, 2, 3]
    assert table["g₁"] == [3, -2, 1] and table["g₂"] == [1, 1, 1]
    assert table["g₁²"] == [9, 4, 1] and table["g₂²"] == [1, 1, 1]
    assert table["Σ g₁²"] == [9, 13, 14] and table["Σ g₂²"] == [1, 2, 3]
    np.testing.assert_allclose(table["t̃₁"], [1 / 3, 1 / math.sqrt(13), 1 / math.sqrt(14)], rtol=1e-15)
    np.testing.assert_allclose(table["t̃₂"], [1, 1 / math.sqrt(2), 1 / math.sqrt(3)], rtol=1e-15)
    assert all(type(v) is float for v in table["t̃₁"]) and all(type(c) is int for c in table["c"])


def test_table_summary_in_the_decks_notation():
    text = ua.table_summary(ua.adagrad_table(DECK))
    assert text.startswith("After step 3: W₁ moves with **1/√14** ≈ 0.267, W₂ with **1/√3** ≈ 0.577. ")
    assert "larger is given the smaller step" in text


def test_table_follows_edited_gradients():
    table = ua.adagrad_table([[3.0, 1.0], [4.0, 1.0], [1.0, 1.0], [2.0, 0.5]])
    np.testing.assert_allclose(table["Σ g₁²"], [9, 25, 26, 30])
    np.testing.assert_allclose(table["Σ g₂²"], [1, 2, 3, 3.25])
    np.testing.assert_allclose(table["t̃₁"], [1 / 3, 1 / 5, 1 / math.sqrt(26), 1 / math.sqrt(30)])
    np.testing.assert_allclose(table["t̃₂"], [1, 1 / math.sqrt(2), 1 / math.sqrt(3), 1 / math.sqrt(3.25)])
    assert ua.table_summary(table).startswith("After step 4: W₁ moves with **1/√30** ≈ 0.183, W₂ with **")


def test_a_parameter_with_only_zero_gradients_has_no_step_size_yet():
    sums, sizes = ua.adagrad_steps([[0.0, 2.0], [0.0, 0.0], [3.0, 0.0]])  # no RuntimeWarning (they are errors)
    np.testing.assert_array_equal(sums, [[0, 4], [0, 4], [9, 4]])
    assert np.isnan(sizes[0, 0]) and np.isnan(sizes[1, 0])
    np.testing.assert_allclose(sizes[2], [1 / 3, 1 / 2])
    text = ua.table_summary(ua.adagrad_table([[0.0, 2.0]]))
    assert "W₁ moves with **no step size yet (no gradient)**, W₂ with **1/√4** ≈ 0.500." in text
    assert "nan" not in text
    shown = ua.parameter_table(ua.adagrad_table([[0.0, 2.0], [0.0, 0.0], [3.0, 0.0]]), 0)
    assert shown == {"c": [1, 2, 3], "g₁": [0.0, 0.0, 3.0], "g₁²": [0.0, 0.0, 9.0], "Σ g₁²": [0.0, 0.0, 9.0],
                     "t̃₁": ["—", "—", "1/√9 ≈ 0.3333"]}


@pytest.mark.parametrize("rows, want", [
    ([[3, 1], [-2, 1]], [[3, 1], [-2, 1]]),
    ([["3", " 1 "], ["−2", "0.5"]], [[3, 1], [-2, 0.5]]),  # typed text, typographic minus
    ({"g₁ (∇₁L)": [1.5, 2.0], "g₂ (∇₂L)": [-0.25, 4.0]}, [[1.5, -0.25], [2.0, 4.0]]),  # what st.data_editor returns
])
def test_parse_gradients_accepts_numbers(rows, want):
    np.testing.assert_array_equal(ua.parse_gradients(rows), want)


@pytest.mark.parametrize("rows, message", [
    ([[3, None]], "Row 1, g₂ is empty or not a number: type a number."),  # an emptied editor cell
    ({"a": [3.0, 1.0], "b": [1.0, None]}, "Row 2, g₂ is empty or not a number: type a number."),
    ([[3, 1], [float("nan"), 1]], "Row 2, g₁ is empty or not a number"),
    ([[3, 1], ["abc", 1]], "Row 2, g₁: 'abc' is not a number"),
    ([[3, ""]], "Row 1, g₂ is empty: type a number."),
    ([[float("inf"), 1]], "Row 1, g₁ must be a finite number"),
    ([[2e6, 1]], "Row 1, g₁: 2e+06 is too large"),
    ([[True, 1]], "is not a number"),
    ([[1, 2, 3]], "Row 1 must have exactly two gradients"),
    ({"a": [1.0]}, "Row 1 must have exactly two gradients (g₁, g₂), got 1"),
    ([], "at least one row"),
    ({"a": [], "b": []}, "at least one row"),
    ([[1, 1]] * 11, "At most 10 rows of gradients, got 11"),
])
def test_parse_gradients_rejects_bad_cells_with_a_clear_message(rows, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ua.parse_gradients(rows)


def test_exact_step_size_matches_the_deck_notation():
    assert ua.exact_step_size(14.0) == "1/√14"
    assert ua.exact_step_size(3.0) == "1/√3"
    assert ua.exact_step_size(1.0) == "1"
    assert ua.exact_step_size(3.25) == "0.5547"  # 1/√3.25
    assert ua.exact_step_size(0.0) == "no step size yet (no gradient)"
    # the shown cells: exact form and 4 decimals (1/√14 = 0.267261…), "1" for a sum of 1, "—" for 1/0
    assert [ua.step_size_cell(x) for x in (14.0, 1.0, 3.25, 0.0, float("nan"))] == [
        "1/√14 ≈ 0.2673", "1", "0.5547", "—", "—"]


def test_text_holds_the_decks_rules():
    latex = " ".join(rule for rule, _ in ua.rules())
    # AdaGrad: 1/t̃ ∝ √Σg², not the deck's Σg²
    assert r"\frac{1}{\tilde t_{k,c}} &\propto \sqrt{\textstyle\sum_{q \le c}" in latex
    # c counts from 0: the first update divides by 1 − β₂
    assert r"\rho\, s_{k,c-1} + (1-\rho)" in latex and r"\hat v_c &= \frac{v_c}{1-\beta_2^{\,c+1}}" in latex
    assert [words.split("**")[1] for _, words in ua.rules()] == ["AdaGrad", "RMSProp", "Adam"]
    assert "add a row (up to 7)" in ua.table_text(7)
    assert r"\frac{1}{\sqrt{\sum_{q \le c} g_{k,q}^2}}" in ua.TABLE_LATEX


def test_step_size_dots_follow_the_records():
    sizes = np.array([[0.5, 0.1], [0.4, 0.2], [0.3, 0.3]])
    assert ua.step_size_at(sizes, 0) == {"x": [], "y": []}
    assert ua.step_size_at(sizes, 2) == {"x": [2, 2], "y": [0.4, 0.2]}
    assert ua.step_size_at(sizes, 9) == {"x": [3, 3], "y": [0.3, 0.3]}  # clipped to the last step


def test_combined_figure_lines_paths_and_moving_dots():
    s, runs = _runs()
    sizes = {m: r.records["step_size"] for m, r in runs.items()}
    fig = _plain(ua.combined_figure(s, {m: r.params for m, r in runs.items()}, sizes, start=s.start))
    data = fig["data"]
    domains = []
    for m in ("adagrad", "rmsprop", "adam"):
        path = next(t for t in data if t.get("name") == NAMES[m])
        np.testing.assert_allclose(np.column_stack([path["x"], path["y"]]), runs[m].params)
        assert path["line"]["color"] == COLORS[m]
        lines = [t for t in data if t.get("meta") == m]
        assert len(lines) == 2
        for k, line in enumerate(lines):
            np.testing.assert_array_equal(line["x"], np.arange(1, 41))
            np.testing.assert_allclose(line["y"], sizes[m][:, k])
            assert line["line"]["dash"] == W_DASHES[k]
            assert line["line"]["color"] not in {color(o) for o in ("sgd", "momentum", "nesterov", "adagrad",
                                                                     "rmsprop", "adam", "adamax", "lookahead")}
        assert lines[0]["line"]["color"] != lines[1]["line"]["color"]
        y_axis = fig["layout"][line["yaxis"].replace("y", "yaxis")]
        assert y_axis["type"] == "log" and y_axis["gridcolor"] == "#D0D7DE" and y_axis["anchor"] == "x2"
        domains.append(y_axis["domain"])
        dot = next(i for i, t in enumerate(data) if t.get("name") == f"{NAMES[m]} now")
        frame = next(f for f in fig["frames"] if f["name"] == "17")
        moved = frame["data"][list(frame["traces"]).index(dot)]
        np.testing.assert_allclose(moved["x"], [17, 17])
        np.testing.assert_allclose(moved["y"], sizes[m][16])
    # three stacked panels, top to bottom, inside the figure and not overlapping
    assert domains[0][1] == 1.0 and domains[-1][0] == 0.0
    assert all(upper[0] > lower[1] for upper, lower in zip(domains, domains[1:]))
    shown = [t.get("name") for t in data if t.get("showlegend", True) and t.get("name")]
    assert "minimum" not in shown and "start" not in shown
    assert fig["layout"]["xaxis"]["domain"] == [0, 0.55]
    assert fig["layout"]["xaxis2"]["title"]["text"] == "step c" and fig["layout"]["xaxis2"]["domain"][0] > 0.55
    assert [a["text"] for a in fig["layout"]["annotations"]] == ["<b>AdaGrad</b>", "<b>RMSProp</b>", "<b>Adam</b>"]


def test_adagrad_step_sizes_only_shrink_and_rmsprop_recovers():
    """The page's claim, on its default surface: AdaGrad's t̃ never grows; RMSProp's grows back."""
    _, runs = _runs(steps=200)
    ada = runs["adagrad"].records["step_size"]
    assert (np.diff(ada, axis=0) <= 0).all()
    rms = runs["rmsprop"].records["step_size"]
    assert rms[-1, 0] > 10 * rms[0, 0]
    assert (ada[-1] < ada[0]).all()
    assert ada[-1, 0] > ada[-1, 1]  # the flat direction W₁ keeps the larger step size


def test_scenes_set_every_widget_of_the_picture_to_a_value_it_offers():
    from ui.catalog import BETA1_OPTIONS, BETA2_OPTIONS, RHO_OPTIONS
    assert [s.name for s in ua.SCENES] == ["steep_flat", "out_of_steam", "keeps_going"]
    bowl = "elongated_quadratic"
    for scene in ua.SCENES:
        s = scene.settings
        assert set(s) == {"surface", "x", "y", "steps", "lr", "rho", "beta1", "beta2"} and s["surface"] == bowl
        assert s["lr"] in ua.LR_OPTIONS
        assert s["rho"] in RHO_OPTIONS
        assert s["beta1"] in BETA1_OPTIONS and s["beta2"] in BETA2_OPTIONS
        state = scene_state(scene)  # step size, steps and start are kept per surface
        assert state[widget_key("adaptive", "lr", bowl)] == s["lr"]
        assert state[widget_key("adaptive", "steps", bowl)] == s["steps"]
        assert state[widget_key("adaptive", "start", bowl)] == (s["x"], s["y"])


# --- Step-through: parts, arrows, table, caption ------------------------------------------------------------

def test_step_parts_are_read_from_the_run():
    s, runs = _runs(steps=10)
    assert ua.step_parts(runs["adagrad"], "adagrad", 0) is None
    for m, run in runs.items():
        for n in (1, 4, 10, 99):  # 99: clipped to the last update
            p = ua.step_parts(run, m, n)
            c = min(n, 10) - 1
            np.testing.assert_array_equal(p["at"], run.params[c])
            np.testing.assert_array_equal(p["next"], run.params[c + 1])
            np.testing.assert_array_equal(p["grad"], run.grads[c])
            np.testing.assert_array_equal(p["update"], run.params[c + 1] - run.params[c])
            names = ("m", "v", "m_hat", "v_hat", "step_size") if m == "adam" else ("accumulator", "step_size")
            for name in names:
                np.testing.assert_array_equal(p[name], run.records[name][c])
            # the rule itself holds on the engine's numbers: the move is −t̃ ⊙ g (AdaGrad, RMSProp) or −t̃ ⊙ m̂
            np.testing.assert_allclose(p["update"], -p["step_size"] * (p["m_hat"] if m == "adam" else p["grad"]),
                                       rtol=1e-10, atol=1e-14)


def test_adagrad_first_step_by_hand():
    """s₁ = g₁², t̃₁ = t/(|g₁| + ε): W₁ = W₀ − t·sign(g₁) per coordinate, up to ε."""
    s, runs = _runs(lr=0.3, steps=3)
    p = ua.step_parts(runs["adagrad"], "adagrad", 1)
    np.testing.assert_array_equal(p["grad"], [-5.0, 37.5])  # ∇(x²/2 + 25y²/2) at (−5, 1.5)
    np.testing.assert_array_equal(p["accumulator"], [25.0, 1406.25])
    np.testing.assert_allclose(p["step_size"], [0.3 / 5, 0.3 / 37.5], rtol=1e-8)
    np.testing.assert_allclose(p["next"], [-5 + 0.3, 1.5 - 0.3], atol=1e-8)


def test_arrow_scale_is_a_nice_factor_that_fits():
    s = oc.get_surface("elongated_quadratic")  # half-widths (6, 3): room 0.5 · 3 = 1.5
    assert ua.arrow_scale(np.array([[1.5, -11.25]]), s) == 0.1  # 11.35 · 0.1 = 1.13 ≤ 1.5 < 11.35 · 0.2
    assert ua.arrow_scale(np.array([[0.3, -0.3]]), s) == 2  # 0.85 fits; 2.1 at ×5 would not
    assert ua.arrow_scale(np.array([[0.01, 0.0]]), s) == 100
    assert ua.arrow_scale(np.array([[30.0, 0.0]]), s) == 0.05
    assert ua.arrow_scale(np.zeros((3, 2)), s) == 1
    assert ua.arrow_scale(np.array([[np.inf, 0.0], [0.1, 0.0]]), s) == 10  # non-finite vectors are left out


def test_update_arrows_start_at_w_c_and_keep_their_scale():
    s, runs = _runs(lr=0.3, steps=40)
    run = runs["rmsprop"]
    scales = ua.step_scales(run, 0.3, s, 5)
    push_at, move_at = (at for _, at in ua.update_arrows(run, "rmsprop", 0.3, scales))
    assert push_at(0) == move_at(0) == {"x": [None], "y": [None]}
    for n in (1, 5, 40):
        w = run.params[n - 1]
        np.testing.assert_allclose(np.diff(xy_of(push_at(n)), axis=0)[0], -0.3 * scales["push"] * run.grads[n - 1])
        np.testing.assert_allclose(np.diff(xy_of(move_at(n)), axis=0)[0],
                                   scales["update"] * (run.params[n] - w), atol=1e-12)
        np.testing.assert_allclose(xy_of(push_at(n))[0], w)
    # each scale fits its longest arrow from step 5 on (and a later step can only be allowed a larger one)
    room = 0.5 * 3
    longest_push = np.max(np.linalg.norm(0.3 * run.grads[4:], axis=1))
    assert scales["push"] * longest_push <= room < 2.5 * scales["push"] * longest_push
    assert ua.step_scales(run, 0.3, s, 30)["push"] >= scales["push"]


def xy_of(arrow: dict) -> np.ndarray:
    return np.column_stack([arrow["x"], arrow["y"]]).astype(float)


def test_step_figure_opens_at_the_step_with_both_arrows():
    s, runs = _runs(lr=0.3, steps=40)
    shown = ua.step_figure(s, runs, s.start, 7, "adam", 0.3)
    fig = _plain(shown.figure)
    names = [t.get("name") for t in fig["data"]]
    push = fig["data"][next(i for i, n in enumerate(names) if str(n).startswith("push −t∇L"))]
    move = fig["data"][names.index("this step's move" + ("" if shown.scales["update"] == 1
                                                        else f" (×{shown.scales['update']:g})"))]
    run = runs["adam"]
    np.testing.assert_allclose(xy_of(push)[0], run.params[6])
    np.testing.assert_allclose(xy_of(move)[1], run.params[6] + shown.scales["update"] * (run.params[7] - run.params[6]))
    assert push["line"]["dash"] == "dash" and move["line"]["dash"] == "solid"
    assert "sliders" not in fig["layout"]  # the page's step slider is the scrubber
    assert [f["name"] for f in fig["frames"]][:8] == [str(k) for k in range(8)]  # every early step is a frame
    dot = next(i for i, t in enumerate(fig["data"]) if t.get("name") == "Adam now")
    np.testing.assert_allclose(fig["data"][dot]["y"], run.records["step_size"][6])  # the dots are at step 7 too
    # the step-size panels are the same as without stepping
    plain = _plain(ua.combined_figure(s, {m: r.params for m, r in runs.items()},
                                      {m: r.records["step_size"] for m, r in runs.items()}, start=s.start))
    for m in NAMES:
        assert [t["y"].tolist() for t in fig["data"] if t.get("meta") == m] == [
            t["y"].tolist() for t in plain["data"] if t.get("meta") == m]


def test_step_table_rows_and_marked_line():
    s, runs = _runs(lr=0.3, steps=5)
    settings = {m: ua.hyper(m, 0.3, 0.9, 0.9, 0.999) for m in NAMES}
    zero = ua.step_table(runs["adagrad"], "adagrad", settings["adagrad"], 0)
    assert r"\text{AdaGrad, step } 0" in zero and r"\blacktriangleright & \colorbox" in zero and "s_{-1} = 0" in zero
    table = ua.step_table(runs["adam"], "adam", settings["adam"], 3)
    lines = table.splitlines()
    assert r"\text{Adam, step } 3\ (c = 2)" in lines[0]
    labels = [line.split(" & ")[1] for line in lines[1:]]
    assert labels[:3] == ["W_c", r"g_c = \nabla L(W_c)", r"-0.3\, g_c\ (\text{push})"]
    assert r"m_c = 0.9\, m_{c-1} + 0.1\, g_c" in table and r"v_c = 0.999\, v_{c-1} + 0.001\, g_c^2" in table
    assert r"\hat m_c = m_c / (1 - 0.9^{3})" in table and r"\hat v_c = v_c / (1 - 0.999^{3})" in table
    assert [i for i, line in enumerate(lines) if r"\blacktriangleright" in line] == [len(lines) - 1]
    run = runs["adam"]
    # m̂₃ = m₃ / (1 − 0.9³), v̂₃ = v₃ / (1 − 0.999³): the table's divisors are the engine's
    np.testing.assert_allclose(run.records["bias_correction1"][2], 1 - 0.9**3)
    np.testing.assert_allclose(run.records["bias_correction2"][2], 1 - 0.999**3)
    np.testing.assert_allclose(run.records["m_hat"][2], run.records["m"][2] / (1 - 0.9**3))
    rms = ua.step_table(runs["rmsprop"], "rmsprop", settings["rmsprop"], 2)
    assert r"s_c = 0.9\, s_{c-1} + 0.1\, g_c^2" in rms


def test_step_caption_names_the_step_sizes_and_a_divergence():
    s, runs = _runs(lr=0.3, steps=5)
    assert ua.step_caption(runs["adagrad"], "adagrad", 0.3, 0, {"push": 1, "update": 1}).startswith("Step 0")
    text = ua.step_caption(runs["adagrad"], "adagrad", 0.3, 1, {"push": 0.05, "update": 1.0})  # scales as given
    assert "(W₁ 0.06, W₂ 0.008 instead of t = 0.3 for both)" in text
    assert "push drawn ×0.05; move at true length" in text and "diverged" not in text
    assert "which turns it 37° away from the push" in text  # atan(37.5/5) − 45° = 37.4°: push vs the diagonal
    assert ua.turn_angle([1.5, -11.25], [0.3, -0.3]) == pytest.approx(math.degrees(math.atan(7.5)) - 45)
    assert ua.turn_angle([1.0, 0.0], [0.0, 0.0]) is None
    adam = ua.step_caption(runs["adam"], "adam", 0.3, 2, {"push": 1, "update": 1})
    assert "applied to m̂, its average of the gradients," in adam
    bad = oc.run(oc.make_optimizer("rmsprop", lr=2.0, rho=0.999), s, s.start, 5)
    assert "RMSProp diverged at step 1" in ua.step_caption(bad, "rmsprop", 2.0, 3, {"push": 1, "update": 1})


def test_the_pages_csv_parses_back_to_the_engines_runs():
    """What the page's CSV button writes (ui.export with this page's fields) reads back to the runs exactly."""
    import csv
    import io

    from ui.export import trajectories_csv
    _, runs = _runs(steps=6)
    rows = list(csv.DictReader(io.StringIO(trajectories_csv({NAMES[m]: r for m, r in runs.items()},
                                                             ("accumulator", "step_size", "m", "v")))))
    assert len(rows) == 3 * 7
    for m, run in runs.items():
        mine = [r for r in rows if r["optimizer"] == NAMES[m]]
        np.testing.assert_array_equal([[float(r["x"]), float(r["y"])] for r in mine], run.params)
        for field in ("accumulator", "m", "v"):
            cells = [[r[f"{field}_x"], r[f"{field}_y"]] for r in mine[1:]]
            if field in run.records:
                np.testing.assert_array_equal(np.asarray(cells, dtype=float), run.records[field])
            else:
                assert cells == [["", ""]] * 6  # AdaGrad has no m, Adam no accumulator
        assert mine[0]["step_size_x"] == ""  # step 0 has no update yet
