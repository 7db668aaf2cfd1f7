"""Every word the app shows, in English and in Korean: ``t(key, **values)``.

The strings live in one TOML catalog per language (``assets/i18n/en.toml``,
``assets/i18n/ko.toml``), a table per page: ``t("momentum.title")`` reads
``title`` from ``[momentum]``. Values are filled in with ``str.format``, and
numbers take the chosen language's style (``num``). Maths stays in code: a
LaTeX formula is the same in both languages.

The language is a context variable, and ``t`` reads nothing else. The widgets
set it at the start of every run and of every fragment run from the session's
choice (``ui.widgets.frame.begin_run``); each browser session runs on its own
thread, so sessions never see each other's choice. ``xx`` is a pseudo-language,
a translator's check: it wraps the English string in ⟦…⟧, so any text on a page
that did not come through ``t`` stands out. A link opens it with ``?lang=xx``.
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


def known(code) -> bool:
    """Whether ``code`` is a language ``t`` can speak: a catalog's, or the pseudo-language."""
    return code in LANGUAGES or code == PSEUDO


def set_language(code: str) -> None:
    """Speak ``code`` from here on in this context: each run and fragment run of a session sets it first
    (``ui.widgets.frame.begin_run``), and so may a test or a notebook."""
    _language.set(code if known(code) else DEFAULT)


def language() -> str:
    """The language ``t`` speaks in this context."""
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
