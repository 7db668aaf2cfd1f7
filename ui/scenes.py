"""Named scenes: one click sets every widget of a page to a setting that makes one point.

A scene is data (page, name, the widget values by key), so a lecturer can list
them and open each by link (``?scene=name``). Its title and caption are in the
catalogs, ``[<page>.scenes.<name>]`` ``title`` and ``caption``, so they follow
the chosen language. Each page's ui module declares its own ``SCENES``;
``ui.controls.scene_buttons`` draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .i18n import t


@dataclass(frozen=True)
class Scene:
    """``settings`` maps widget keys (as the page names them) to the values the scene gives them."""

    page: str
    name: str  # a short identifier, stable for links: "zigzag"
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def title(self) -> str:
        """The button's text: "Zig-zag in a narrow valley"."""
        return t(f"{self.page}.scenes.{self.name}.title")

    @property
    def caption(self) -> str:
        """One line: what to look at."""
        return t(f"{self.page}.scenes.{self.name}.caption")

    def __post_init__(self):
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        if not all(key.startswith(f"{self.page}_") for key in self.settings):
            raise ValueError(f"scene {self.name!r}: every widget key must start with {self.page!r}_")
