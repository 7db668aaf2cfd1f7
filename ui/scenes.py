"""Named scenes: one click sets every widget of a page to a setting that makes one point.

A scene is data: its page, its name, and the values it gives the page's linked
widgets, named by their link names (``{"surface": "rosenbrock", "lr": 0.01}``),
as a ``?scene=name`` link or a shared URL would. Its title and caption are in the
catalogs, ``[<page>.scenes.<name>]`` ``title`` and ``caption``, so they follow
the chosen language. Each page module declares its ``SCENES``;
``ui.registry.scene_state`` turns one into widget keys and values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from ui.i18n import t


@dataclass(frozen=True)
class Scene:
    """``settings`` maps link names (as in a shared URL) to the values the scene gives those widgets."""

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
