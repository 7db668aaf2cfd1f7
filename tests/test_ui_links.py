"""URL parameters: each parser takes what a link may carry and names what it refuses."""

import math

import pytest

from ui import links


@pytest.mark.parametrize("text, low, high, integer, want", [
    ("0.5", 0, 1, False, 0.5), ("1e-3", 0, 1, False, 0.001), (" 7 ", 0, 10, True, 7), ("10", 10, 1000, True, 10),
    ("-1.2", -2, 2, False, -1.2), ("30.0", 10, 1000, True, 30)])
def test_numbers_in_range_parse_to_the_value(text, low, high, integer, want):
    got = links.parse_number(text, low, high, integer=integer)
    assert got == want and type(got) is (int if integer else float)


@pytest.mark.parametrize("text, reason", [
    ("abc", "not a number"), ("", "not a number"), ("nan", "not a finite number"), ("inf", "not a finite number"),
    ("-inf", "not a finite number"), ("-30", "outside 10 … 1000"), ("1e9", "outside 10 … 1000"),
    ("12.5", "not a whole number"), ("x" * 20_000, "too long (20,000 characters)")])
def test_bad_numbers_are_rejected_with_a_reason(text, reason):
    with pytest.raises(links.Rejected, match=reason.replace("(", r"\(").replace(")", r"\)")):
        links.parse_number(text, 10, 1000, integer=True)


def test_choices_match_names_exactly_and_numbers_by_value():
    assert links.parse_choice("saddle", ("rosenbrock", "saddle")) == "saddle"
    assert links.parse_choice("1e-3", (1e-4, 1e-3, 0.05)) == 1e-3
    assert links.parse_choice("0.0010", (1e-4, 1e-3)) == 1e-3
    for text in ("Saddle", "../../x", "saddle ", "nan", "0.002"):
        options = ("rosenbrock", "saddle") if text[0].isalpha() or text[0] == "." else (1e-4, 1e-3)
        if text == "saddle ":  # surrounding spaces are stripped: a copied link may carry one
            assert links.parse_choice(text, options) == "saddle"
            continue
        with pytest.raises(links.Rejected, match="not one of the choices"):
            links.parse_choice(text, options)


def test_flags_and_lists():
    assert [links.parse_flag(t) for t in ("1", "true", "On", "0", "no")] == [True, True, True, False, False]
    with pytest.raises(links.Rejected):
        links.parse_flag("maybe")
    assert links.parse_choices("adam,sgd,adam", ("sgd", "adam", "rmsprop")) == ["adam", "sgd"]
    with pytest.raises(links.Rejected):
        links.parse_choices("adam,bogus", ("sgd", "adam"))


@pytest.mark.parametrize("value", [0.1, 0.07, 1e-8, -1.2, 0.8999999999999999, 2 / 3, 5.0, 50, True, False, "saddle"])
def test_format_then_parse_gives_back_the_same_value_exactly(value):
    text = links.format_value(value)
    if isinstance(value, bool):
        assert links.parse_flag(text) is value
    elif isinstance(value, str):
        assert links.parse_choice(text, (value,)) == value
    else:
        back = links.parse_number(text, -100, 100, integer=isinstance(value, int))
        assert back == value and (not isinstance(value, float) or math.copysign(1, back) == math.copysign(1, value))
    assert links.format_value([0.05, "adam"]) == "0.05,adam"


def test_the_notice_names_each_ignored_parameter_and_quotes_values_short():
    assert links.ignored_notice([]) is None
    one = links.ignored_notice([("lr", "abc", "not a number")])
    assert one == "This link's setting `lr=abc` (not a number) was ignored; the page uses its own value instead."
    two = links.ignored_notice([("k", "x" * 20_000, "too long"), ("q", "\x00", "no such setting on this page")])
    assert "`k=" + "x" * 24 + "…` (too long)" in two and r"`q=\x00`" in two and two.count("`") == 4
    assert " were ignored" in two


def test_scene_urls_replace_any_old_query():
    assert links.scene_url("http://localhost:8501/momentum?mu=0.2#x", {"mu": "0.5", "lr": "0.07"}) == \
        "http://localhost:8501/momentum?mu=0.5&lr=0.07"
    assert links.scene_url("http://h/adam", {}) == "http://h/adam"
    assert links.scene_url("http://h/adam", {"scene": "a b&c"}) == "http://h/adam?scene=a+b%26c"
