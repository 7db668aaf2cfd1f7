"""The catalogs: both languages have every key, nothing is empty, placeholders agree; t() fills values."""

import re
import string

import pytest

from ui import i18n

EN, KO = i18n.CATALOGS["en"], i18n.CATALOGS["ko"]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_is_in_both_catalogs_and_none_is_empty():
    assert set(EN) == set(KO), sorted(set(EN) ^ set(KO))
    assert len(EN) > 100
    for code, catalog in i18n.CATALOGS.items():
        empty = [key for key, text in catalog.items() if not isinstance(text, str) or not text.strip()]
        assert not empty, (code, empty)


def test_placeholders_agree_between_languages():
    for key, text in EN.items():
        if "{" in text and re.search(r"\{[a-z_]+(:[^{}]*)?\}", text):
            assert _fields(text) == _fields(KO[key]), key


def test_korean_catalog_is_korean():
    latin_only = [key for key, text in KO.items() if not HANGUL.search(text) and re.search(r"[A-Za-z]{4,}", text)
                  and not re.fullmatch(r"[\sA-Za-z0-9.,:;()·/+\-–—=<>%₁₂×…'\"]*", text or "")]
    share = sum(bool(HANGUL.search(text)) for text in KO.values()) / len(KO)
    assert share > 0.8, (share, latin_only[:20])


def test_t_fills_values_and_the_pseudo_language_wraps():
    i18n.set_language("en")
    assert i18n.t("links.outside", low="10", high="1000") == "outside 10 … 1000"
    try:  # the language is a context variable: put English back even if a check fails
        i18n.set_language("ko")
        assert i18n.t("links.outside", low="10", high="1000") == "10 … 1000 범위 밖입니다"
        assert i18n.t("optimizer.sgd") == "경사 하강법" and i18n.t("optimizer.adam") == "Adam"
        i18n.set_language("xx")  # the pseudo-language, through the same door as ?lang=xx
        assert i18n.t("optimizer.sgd") == "⟦Gradient descent⟧"
    finally:
        i18n.set_language("en")
    with pytest.raises(KeyError):
        i18n.t("no.such.key")


@pytest.mark.parametrize("locale, want", [("ko-KR", "ko"), ("ko", "ko"), ("en-US", "en"), ("de-DE", "en"),
                                          (None, "en"), ("", "en"), ("KO_kr", "ko")])
def test_the_browser_language_picks_the_app_language(locale, want):
    assert i18n.from_locale(locale) == want


def test_glossary_terms_are_the_ones_the_catalog_uses():
    glossary = (i18n.CATALOG_DIR / "glossary.md").read_text(encoding="utf-8")
    for term in ("경사 하강법", "확률적 경사 하강법", "미니배치", "모멘텀", "적응적 학습률", "학습률", "편향 보정",
                 "룩어헤드", "빠른 가중치", "느린 가중치"):
        assert term in glossary
    assert KO["optimizer.sgd"] == "경사 하강법" and KO["optimizer.momentum"] == "모멘텀"
    assert KO["optimizer.lookahead"] == "Lookahead"  # optimizer names stay in Latin letters
