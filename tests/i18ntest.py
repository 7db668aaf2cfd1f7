"""Helpers for language tests: every piece of text a page shows, and which of it did not come through t().

Run a page in the pseudo-language (``open_page_in(page, "xx")``): every catalog string
comes back wrapped in ⟦…⟧. ``untranslated(at)`` then lists each visible text that still has
words outside a wrapper, once LaTeX, numbers, symbols and the names that stay in Latin
letters in every language (Adam, AdaGrad, …) are set aside.
"""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from pagetest import open_link

LATIN_NAMES = ("AdaGrad", "RMSProp", "AdaMax", "Adam", "Lookahead", "Nesterov", "Newton", "SGD", "CSV", "HTML",
               "Rosenbrock", "Beale", "Himmelblau", "Taylor", "Okabe", "Ito", "PyTorch", "optax", "torch", "Kingma",
               "Zhang", "Hinton", "Duchi", "Polyak", "Cauchy", "Robbins", "Monro", "Tieleman", "Sutskever", "Ba")
WRAPPED = re.compile(r"⟦[^⟦⟧]*⟧")  # innermost first: a string built from strings nests wrappers
LATEX = re.compile(r"\$\$.*?\$\$|\$[^$]*\$", re.S)
WORD = re.compile(r"[A-Za-z\uac00-\ud7a3]{3,}")


def open_page_in(page: str, lang: str, params: dict | None = None, timeout: float = 90) -> AppTest:
    """A fresh session of ``lecture/<page>.py`` in ``lang`` ("en", "ko", or the pseudo-language "xx")."""
    return open_link(page, {"lang": lang, **(params or {})}, timeout)


def _chart_texts(spec: dict) -> list[str]:
    out = []
    layout = spec.get("layout", {})
    for value in layout.values():
        if isinstance(value, dict) and isinstance(value.get("title"), dict) and value["title"].get("text"):
            out.append(value["title"]["text"])
    if isinstance(layout.get("title"), dict) and layout["title"].get("text"):
        out.append(layout["title"]["text"])
    for ann in layout.get("annotations", []) or []:
        if ann.get("text"):
            out.append(ann["text"])
    for menu in layout.get("updatemenus", []) or []:
        out += [b.get("label", "") for b in menu.get("buttons", [])]
    for slider in layout.get("sliders", []) or []:
        prefix = (slider.get("currentvalue") or {}).get("prefix")
        if prefix:
            out.append(prefix)
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) is not False and isinstance(trace.get("name"), str) and trace["name"]:
            out.append(trace["name"])
        text = trace.get("text")
        if isinstance(text, str):
            out.append(text)
        elif isinstance(text, list):
            out += [x for x in text if isinstance(x, str)]
    return out


def visible_texts(at: AppTest) -> list[str]:
    """Titles, headings, markdown, captions, notices, widget labels, help, options, buttons, chart text."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        texts += [el.value for el in at.get(kind)]
    for kind in ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "multiselect", "button",
                 "number_input", "text_input"):
        for el in at.get(kind):
            texts.append(el.label)
            if getattr(el, "help", None):
                texts.append(el.help)
            for option in getattr(el, "options", []) or []:
                texts.append(str(option))
    for el in at.get("plotly_chart"):
        texts += _chart_texts(json.loads(el.proto.spec))
    for el in at.get("download_button"):
        texts.append(el.proto.label)
        if el.proto.help:
            texts.append(el.proto.help)
    for el in at.get("popover"):
        texts.append(getattr(getattr(el, "proto", None), "label", "") or "")
    return [x for x in texts if isinstance(x, str) and x.strip()]


def leftover(text: str) -> str:
    """What remains of ``text`` once wrapped strings, LaTeX, names and non-words are removed."""
    while WRAPPED.search(text):
        text = WRAPPED.sub(" ", text)
    text = LATEX.sub(" ", text)
    text = re.sub(r":[a-z]+-badge\[|:material/[a-z_]+:|`[^`]*`", " ", text)  # markdown directives, code
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags in Plotly text
    text = re.sub(r"%\{[^}]*\}", " ", text)  # Plotly hover templates
    for name in LATIN_NAMES:
        text = text.replace(name, " ")
    return " ".join(WORD.findall(text))


def untranslated(at: AppTest) -> list[str]:
    """Each visible text with words that did not come from the catalog."""
    return [text for text in visible_texts(at) if leftover(text)]


def hangul_share(at: AppTest) -> float:
    """The share of letters in the page's visible text that are Hangul (LaTeX and Latin names aside)."""
    letters = hangul = 0
    for text in visible_texts(at):
        text = LATEX.sub(" ", text)
        for name in LATIN_NAMES:
            text = text.replace(name, " ")
        for ch in text:
            if "\uac00" <= ch <= "\ud7a3":
                hangul += 1
                letters += 1
            elif ch.isascii() and ch.isalpha():
                letters += 1
    return hangul / letters if letters else 0.0
