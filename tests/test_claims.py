"""What the pages claim, checked against the maths and the engine (issue 17's list): each formula or sentence
that was wrong is held to the statement that is right, in both languages, with the numbers behind it."""

import numpy as np
import pytest

import optim_core as oc
from ui import i18n
from ui.pages import adam as ua
from ui.pages import adaptive as uad
from ui.pages import compare as cmp
from ui.pages import conclusion as uc
from ui.pages.adaptive_table import lecturer_notes

EN, KO = i18n.CATALOGS["en"], i18n.CATALOGS["ko"]


def test_adagrad_step_size_is_inverse_to_the_root_of_the_summed_squares():
    """1/t̃ ∝ √Σg², not Σg² (the deck's slip): on the deck's gradients t̃·√Σg² stays t at every step."""
    rule = uad.RULE_LATEX["adagrad"]
    assert r"\propto \sqrt{" in rule and r"\frac{t}{\sqrt{s_{k,c}} + \epsilon}" in rule
    grads = np.array(uad.DEFAULTS.grads, dtype=float)
    lr = 1.0
    opt = oc.make_optimizer("adagrad", lr=lr, eps=0.0)
    state = opt.init(np.zeros(2))
    summed = np.zeros(2)
    for g in grads:
        _, state = opt.update(g, state, np.zeros(2))
        summed += g**2
        step_size = lr / np.sqrt(summed)
        np.testing.assert_allclose(step_size * np.sqrt(summed), lr, rtol=1e-15)
        np.testing.assert_allclose(1 / step_size, np.sqrt(summed) / lr, rtol=1e-15)  # ∝ √Σg², factor 1/t


def test_adams_correction_on_the_adaptive_page_divides_by_one_minus_beta_to_the_c_plus_one():
    """c counts from 0 there (W₀ is the start), so the correction is 1 − β₂^(c+1): at c = 0 it is 1 − β₂, not 0.
    The step table's numbers use the same count: update n (c = n − 1) divides by 1 − βⁿ."""
    assert r"1-\beta_2^{\,c+1}" in uad.RULE_LATEX["adam"]
    for text in (EN["adaptive.intro"], KO["adaptive.intro"]):
        assert r"1-\beta^{c+1}" in text and "c + 1" in text
    surface = oc.get_surface("elongated_quadratic")
    hyper = uad.hyper("adam", 0.3, 0.9, 0.9, 0.999)
    run = oc.run(oc.make_optimizer("adam", **hyper), surface, surface.start, 3)
    table = uad.step_table(run, "adam", hyper, 1)
    assert r"(1 - 0.999^{1})" in table and r"(1 - 0.9^{1})" in table and r"(c = 0)" in table


def test_the_robustness_table_is_cifar_100():
    for catalog in (EN, KO):
        assert "CIFAR-100" in catalog["lookahead.paper_table"] and "CIFAR-10," not in catalog["lookahead.paper_table"]


def test_adams_step_per_coordinate_is_bounded_so_it_rarely_explodes():
    """The conclusion says what holds: |Δθ_i| ≤ α·max(1, (1 − β₁)/√(1 − β₂)) (Kingma & Ba, §2.1), checked on
    every step of a run on Rosenbrock with steep and flat coordinates; never "Adam never explodes"."""
    remember = EN["conclusion.remember"]
    assert "never explodes" not in remember and "rarely explodes" in remember and "α" in remember
    korean = KO["conclusion.remember"]
    assert "Adam은 발산하지 않지만" not in korean and "좀처럼 발산하지 않지만" in korean
    surface = oc.get_surface("rosenbrock")
    for beta1, beta2 in ((0.9, 0.999), (0.9, 0.95), (0.0, 0.999)):
        lr = 0.05
        run = oc.run(oc.make_optimizer("adam", lr=lr, beta1=beta1, beta2=beta2, eps=0.0), surface, surface.start, 400)
        moves = np.abs(np.diff(run.params, axis=0))
        bound = lr * max(1.0, (1 - beta1) / np.sqrt(1 - beta2))
        assert moves.max() <= bound * (1 + 1e-12)
        assert moves.max() > 0.5 * lr  # and the bound is met, not vacuous


def test_the_uncorrected_first_step_is_too_large_only_when_one_minus_beta1_exceeds_root_one_minus_beta2():
    """The factor at t = 1 is (1 − β₁)/√(1 − β₂): 3.16 for (0.9, 0.999), 0.447 for (0.9, 0.95), the counter-example
    to "when β₂ > β₁"; the text names the real condition and both cases."""
    assert ua.uncorrected_factor(0.9, 0.999, 1) == pytest.approx(0.1 / np.sqrt(0.001), rel=1e-12)
    assert ua.uncorrected_factor(0.9, 0.95, 1) == pytest.approx(0.1 / np.sqrt(0.05), rel=1e-12)
    assert ua.uncorrected_factor(0.9, 0.95, 1) < 1 < ua.uncorrected_factor(0.9, 0.999, 1)
    for catalog in (EN, KO):
        text = catalog["adam.bias.uncorrected"]
        assert r"1-\beta_1 > \sqrt{1-\beta_2}" in text and "3.16" in text and "0.45" in text
        assert r"\beta_2 > \beta_1" not in text


def test_a_straight_line_on_a_linear_axis_means_the_same_amount():
    assert "same amount" in EN["compare.loss_note_linear"] and "factor" not in EN["compare.loss_note_linear"]
    assert "같은 양만큼" in KO["compare.loss_note_linear"] and "비율" not in KO["compare.loss_note_linear"]
    assert "same factor" in EN["compare.loss_note_log"]  # on a log axis it is the factor


def test_alpha_has_the_papers_name_the_slow_weights_step_size():
    keys = ("lookahead.alpha", "lookahead.grid_y_axis", "compare.knobs.alpha.label")
    for key in keys:
        assert "slow weights' step size" in EN[key] and "step back" not in EN[key]
        assert "느린 가중치의 스텝 크기" in KO[key]
        assert "한 걸음 뒤로" not in KO[key] and "되돌아가기" not in KO[key]
    assert "larger α pulls back less" in EN["lookahead.alpha_help"]


def test_compares_rules_define_every_symbol_they_use():
    adam = " ".join(cmp.RULES["adam"])
    assert r"\hat m_t = \frac{m_t}{1-\beta_1^t}" in adam and r"\hat v_t = \frac{v_t}{1-\beta_2^t}" in adam
    adamax = " ".join(cmp.RULES["adamax"])
    assert r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t" in adamax


def test_adam_is_placed_at_iclr_2015():
    assert next(i.year for i in uc.IDEAS if i.key == "adam") == 2015
    kingma = next(text for key, text in EN.items() if key.endswith(".kingma"))
    assert kingma.startswith("Kingma, D. P., & Ba, J. (2015)")


def test_smaller_claims_say_what_holds():
    assert "constant μ" in EN["conclusion.ideas.nesterov.fixed"]
    assert "상수" in KO["conclusion.ideas.nesterov.fixed"]
    intro = EN["adaptive.intro"]
    assert "recent squared gradients" not in intro and "AdaGrad sums all of them" in intro
    for catalog, word in ((EN, "diagonal"), (KO, "대각")):
        assert word in catalog["adam.scale.larger"] and word in catalog["adam.scale.smaller"]


def test_the_lecturer_notes_name_the_decks_slips_with_the_engines_numbers():
    """√14 and √3 are the gradient histories' lengths; AdaGrad at t = 1 on the deck's gradients moves W₁ by
    −(3/3 − 2/√13 + 1/√14) = −0.71 (path 1 + 2/√13 + 1/√14 = 1.82) and W₂ by −(1 + 1/√2 + 1/√3) = −2.28; both step
    sizes shrink, W₁'s from 1/3 to 1/√14, W₂'s from 1 to 1/√3."""
    i18n.set_language("en")
    proportional, history, arrows = lecturer_notes()
    assert r"1/\tilde t \propto \sqrt{\sum g^2}" in proportional
    moved1, path1 = 1 - 2 / np.sqrt(13) + 1 / np.sqrt(14), 1 + 2 / np.sqrt(13) + 1 / np.sqrt(14)
    moved2 = 1 + 1 / np.sqrt(2) + 1 / np.sqrt(3)
    assert "√14 and √3" in history
    assert f"W₁ ends {moved1:.2f}" in history and f"add up to {path1:.2f}" in history and "0.71" in history
    assert f"W₂ ends {moved2:.2f}" in history and "2.28" in history
    assert f"from {1 / 3:.3f} to {1 / np.sqrt(14):.3f}" in arrows and f"from {1:.3f} to {1 / np.sqrt(3):.3f}" in arrows
    i18n.set_language("ko")
    assert "√14, √3 두 값을" in lecturer_notes()[1]
    i18n.set_language("en")


@pytest.mark.parametrize(("page", "needle"), [("taylor", r"W_c - H^{-1}\nabla L(W_c)"),
                                              ("adaptive", r"1/\tilde t \propto \sqrt{\sum g^2}")])
def test_the_notes_sit_collapsed_at_the_end_of_their_page(page, needle):
    from pagetest import open_page

    at = open_page(page)
    notes = [e for e in at.expander if e.label == EN["lecturer_notes.heading"]]
    assert len(notes) == 1
    assert any(needle in m.value for m in notes[0].markdown)
