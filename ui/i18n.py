"""Every word the app shows, in English and in Korean: ``t(key, **values)``.

The strings live in one TOML catalog per language (``assets/i18n/en.toml``,
``assets/i18n/ko.toml``), a table per page: ``t("momentum.title")`` reads
``title`` from ``[momentum]``. Values are filled in with ``str.format``, and
numbers take the chosen language's style (``num``). Maths stays in code: a
LaTeX formula is the same in both languages.

The language of the running script is a context variable set once per run by
``ui.controls`` (each browser session runs on its own thread, so sessions never
see each other's choice). ``xx`` is a pseudo-language for tests: it wraps the
English string in ⟦…⟧, so a test can find any text on a page that did not come
through ``t``.
"""

from __future__ import annotations

import tomllib
from contextvars import ContextVar
from pathlib import Path
from types import MappingProxyType

CATALOG_DIR = Path(__file__).resolve().parents[1] / "assets" / "i18n"
LANGUAGES = MappingProxyType({"en": "English", "ko": "한국어"})
DEFAULT = "en"
PSEUDO = "xx"  # tests only: English wrapped in ⟦…⟧
OPEN, CLOSE = "⟦", "⟧"
# A stack that covers Hangul on every common system, then the Latin faces the app already used.
FONT_STACK = ('Inter, "Segoe UI", "Noto Sans KR", "Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", '
              '"Nanum Gothic", Helvetica, Arial, sans-serif')

_language: ContextVar[str] = ContextVar("language", default=DEFAULT)


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def load(code: str) -> MappingProxyType:
    """One language's catalog as a flat, read-only ``{"page.key": text}``."""
    with open(CATALOG_DIR / f"{code}.toml", "rb") as f:
        return MappingProxyType(_flatten(tomllib.load(f)))


CATALOGS = MappingProxyType({code: load(code) for code in LANGUAGES})


def set_language(code: str) -> None:
    """Fix the language of this thread's code (tests, notebooks); a Streamlit session uses its own choice."""
    _language.set(code if code in LANGUAGES or code == PSEUDO else DEFAULT)


def language() -> str:
    """The session's language inside a Streamlit run (its ``lang`` widget), else the one set here."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
    except ImportError:  # pragma: no cover - streamlit is always installed with the app
        ctx = None
    if ctx is not None:
        import streamlit as st

        state = st.session_state
        if state.get("_lang_pseudo"):
            return PSEUDO
        code = state.get("lang")
        if code in LANGUAGES:
            return code
    return _language.get()


def from_locale(locale: str | None) -> str:
    """The app's language for a browser's ``ko-KR``, ``en-US``, …; English when we have no match."""
    code = (locale or "").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT


def num(x: float, digits: int = 3) -> str:
    """``x`` with ``digits`` significant digits, grouped in thousands (both languages write 1,234.5)."""
    x = float(x)
    if x != x or abs(x) == float("inf"):
        return str(x)
    text = f"{x:,.{digits}g}" if abs(x) < 1e6 else f"{x:.{digits}g}"
    return text


def t(key: str, **values) -> str:
    """The text of ``key`` in the current language, with ``values`` filled in."""
    code = language()
    if code == PSEUDO:
        return OPEN + _lookup(DEFAULT, key, values) + CLOSE
    return _lookup(code, key, values)


def _lookup(code: str, key: str, values: dict) -> str:
    catalog = CATALOGS[code]
    text = catalog.get(key)
    if text is None:
        text = CATALOGS[DEFAULT].get(key)
    if text is None:
        raise KeyError(f"no text {key!r} in the {code} catalog")
    return text.format(**values) if values else text


def has(key: str) -> bool:
    return key in CATALOGS[DEFAULT]
