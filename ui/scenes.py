"""Named scenes: one click sets every widget of a page to a setting that makes one point.

A scene is data (page, name, title, caption, the widget values by key), so a
lecturer can list them and the next step can turn each into a link. Each page's
ui module declares its own ``SCENES``; ``ui.controls.scene_buttons`` draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Scene:
    """``settings`` maps widget keys (as the page names them) to the values the scene gives them."""

    page: str
    name: str  # a short identifier, stable for links: "zigzag"
    title: str  # the button's text: "Zig-zag in a narrow valley"
    caption: str  # one line: what to look at
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self):
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        if not all(key.startswith(f"{self.page}_") for key in self.settings):
            raise ValueError(f"scene {self.name!r}: every widget key must start with {self.page!r}_")
