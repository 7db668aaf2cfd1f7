"""The page's key settings, drawn beside its picture: read now, drawn later by the step view.

A page computes its runs from its key sliders before the step view lays out the picture and the column
beside it, where they belong. ``HeroControls`` squares the two: each call returns the widget's current
value at once (the link's value on a first run, else the session's, else the default) and keeps how to
draw it; the step view draws them beside the chart (under it in presenter mode), outside its fragment,
so a change reruns the whole page, whose runs depend on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import links
from ui.registry import widget_key
from ui.widgets import linking


class HeroControls:
    """The page's key linked widgets, in the order they are declared; ``draw`` puts them in containers."""

    def __init__(self, page: str) -> None:
        self.page = page
        self._draws: list[Callable[[Any], Any]] = []

    def __len__(self) -> int:
        return len(self._draws)

    def slider(self, name: str, label: str, low, high, value, step=None, *, scope=(), **kw):
        integer = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high, value))
        return self._add(name, value, scope, lambda text: links.parse_number(text, low, high, integer=integer),
                         lambda where: linking.slider(where, self.page, name, label, low, high, value, step,
                                                      scope=scope, **kw))

    def select_slider(self, name: str, label: str, options, value, *, scope=(), **kw):
        options = list(options)
        return self._add(name, value, scope, lambda text: links.parse_choice(text, options),
                         lambda where: linking.select_slider(where, self.page, name, label, options, value,
                                                             scope=scope, **kw),
                         options)

    def radio(self, name: str, label: str, options, index: int = 0, *, scope=(), **kw):
        options = list(options)
        return self._add(name, options[index], scope, lambda text: links.parse_choice(text, options),
                         lambda where: linking.radio(where, self.page, name, label, options, index, scope=scope,
                                                     **kw),
                         options)

    def multiselect(self, name: str, label: str, options, default, *, scope=(), **kw):
        options = list(options)
        value = self._add(name, list(default), scope, lambda text: links.parse_choices(text, options),
                          lambda where: linking.multiselect(where, self.page, name, label, options, default,
                                                            scope=scope, **kw))
        return [v for v in value if v in options] if isinstance(value, list) else list(default)

    def button(self, name: str, label: str, on_click, *, args=(), **kw) -> None:
        """A button beside the sliders (not linked: what it does, its callback writes into linked widgets)."""
        self._draws.append(lambda where: where.button(label, on_click=on_click, args=args,
                                                      key=widget_key(self.page, name), **kw))

    def _add(self, name: str, default, scope, parse, draw, options=None):
        key = widget_key(self.page, name, *scope)
        linking.seed(name, key, parse)  # a link's value goes in now, before the page computes with it
        self._draws.append(draw)
        value = st.session_state.get(key, default)
        return default if options is not None and value not in options else value

    def draw(self, containers) -> list:
        """Draw every control, the i-th into ``containers[i]`` (a list) or all into one container."""
        many = isinstance(containers, (list, tuple))
        return [draw(containers[i] if many else containers) for i, draw in enumerate(self._draws)]


__all__ = ["HeroControls"]
