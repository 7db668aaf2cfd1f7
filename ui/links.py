"""Scenes by link: reading a setting out of a URL parameter, and writing it back.

Pure (no Streamlit): ``ui.widgets.linking`` binds each widget to a short parameter
name (``lr``, ``surface``, ``step``) and uses these to read the link a session
opened with and to write the current scene into the address bar.

A parameter that cannot be used is never an error: the parser raises
``Rejected`` with a reason a student can read, the widget keeps its default, and
the page shows one notice that names every parameter it ignored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from ui.i18n import t

MAX_VALUE_CHARS = 64  # no setting needs more; a 20,000-character value is quoted cut short
SHOWN_VALUE_CHARS = 24
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class Rejected(ValueError):
    """A parameter's value that cannot set its widget; the message says why."""


def _checked(text: str) -> str:
    if len(text) > MAX_VALUE_CHARS:
        raise Rejected(t("links.too_long", count=f"{len(text):,}"))
    return text.strip()


def parse_number(text: str, low: float, high: float, *, integer: bool = False) -> float | int:
    """``text`` as a finite number in ``[low, high]``; an int when ``integer``."""
    text = _checked(text)
    try:
        value = float(text)
    except ValueError:
        raise Rejected(t("links.not_a_number")) from None
    if not math.isfinite(value):
        raise Rejected(t("links.not_finite"))
    if integer:
        if value != int(value):
            raise Rejected(t("links.not_whole"))
        value = int(value)
    if not low <= value <= high:
        raise Rejected(t("links.outside", low=format_value(low), high=format_value(high)))
    return value


def parse_choice(text: str, options: Sequence):
    """The option that ``text`` names: a name exactly, a number by value (``1e-3`` is ``0.001``)."""
    text = _checked(text)
    for option in options:
        if isinstance(option, str):
            if option == text:
                return option
        elif isinstance(option, bool):
            continue
        else:
            try:
                if float(text) == float(option):
                    return option
            except ValueError:
                break
    raise Rejected(t("links.not_a_choice"))


def parse_flag(text: str) -> bool:
    word = _checked(text).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise Rejected(t("links.not_a_flag"))


def parse_choices(text: str, options: Sequence) -> list:
    """A comma-separated list of options (a multiselect), in the order given."""
    if len(text) > MAX_VALUE_CHARS * 4:
        raise Rejected(t("links.too_long", count=f"{len(text):,}"))
    names = [part for part in text.split(",") if part.strip()]
    return list(dict.fromkeys(parse_choice(name, options) for name in names))


def format_value(value) -> str:
    """The parameter text for a widget value; the parsers above read it back to the same value."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (list, tuple)):
        return ",".join(format_value(v) for v in value)
    return str(value)


def shown(text: str) -> str:
    """A parameter value fit to quote in a notice: short, printable."""
    text = text if text.isprintable() else ascii(text)[1:-1]
    return text if len(text) <= SHOWN_VALUE_CHARS else text[:SHOWN_VALUE_CHARS] + "…"


def ignored_notice(ignored: Iterable[tuple[str, str, str]]) -> str | None:
    """One line naming each ignored ``(name, value, reason)``, or None when nothing was ignored."""
    parts = [f"`{shown(name)}={shown(value)}` ({reason})" for name, value, reason in ignored]
    if not parts:
        return None
    return t("links.one" if len(parts) == 1 else "links.many", items=", ".join(parts))


def scene_url(base: str, params: Mapping[str, str]) -> str:
    """``base`` (the page's address, any old query dropped) with ``params`` as its query."""
    base = base.split("?", 1)[0].split("#", 1)[0]
    return f"{base}?{urlencode(params)}" if params else base
