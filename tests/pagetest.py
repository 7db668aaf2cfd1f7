"""Helpers for AppTest page tests: open a page through app.py and read its charts."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from ui import registry

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def open_page(page: str, timeout: float = 60) -> AppTest:
    """A fresh session of ``page`` (a registry key) at its defaults, opened as a deep link would open it."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.switch_page(registry.page(page).script).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_link(page: str, params: dict[str, str], timeout: float = 60) -> AppTest:
    """Open ``lecture/<page>.py`` as a fresh session whose first request carries ``params``: a shared link."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(registry.page(page).script).run()
    return at


def key(page: str, name: str, *scope: str) -> str:
    """The Streamlit key of ``page``'s linked widget ``name`` (``ui.registry.widget_key``)."""
    return registry.widget_key(page, name, *scope)


def link_of(at: AppTest) -> dict[str, str]:
    """The URL parameters the page wrote for the scene on screen."""
    return {name: value[0] if isinstance(value, list) else value for name, value in dict(at.query_params).items()}


def latex_text(at: AppTest) -> str:
    """Every formula on the page, joined: to find a step's numbers in the algorithm's lines."""
    return "\n".join(el.value for el in at.latex)


def assert_clean(at: AppTest) -> None:
    """No exception, and no error box (app.py turns an exception that escapes a page into st.error)."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def decode(value):
    """Undo Plotly's base64 array encoding everywhere inside a JSON value."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            if "shape" in value:
                arr = arr.reshape([int(d) for d in str(value["shape"]).split(",")])
            return arr
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def charts(at: AppTest) -> list[dict]:
    """Every Plotly chart on the page as a decoded figure dict."""
    return [decode(json.loads(el.proto.spec)) for el in at.get("plotly_chart")]


def chart_json(at: AppTest) -> list[str]:
    """Every chart's figure exactly as sent to the browser: equal JSON is an equal picture."""
    return [el.proto.spec for el in at.get("plotly_chart")]


def chart_bytes(at: AppTest) -> list[int]:
    return [len(el.proto.spec) for el in at.get("plotly_chart")]


def trace(figure: dict, name: str) -> dict:
    """The first trace called ``name``."""
    for t in figure["data"]:
        if t.get("name") == name:
            return t
    raise KeyError(f"no trace named {name!r}; have {[t.get('name') for t in figure['data']]}")


def xy(t: dict) -> np.ndarray:
    return np.column_stack([np.asarray(t["x"], dtype=float), np.asarray(t["y"], dtype=float)])


def apply_scene(at: AppTest, scene) -> AppTest:
    """What a scene button's callback does: write the scene's widget values, then rerun."""
    for name, value in registry.scene_state(scene).items():
        at.session_state[name] = value
    return at.run()


def pick_scene(at: AppTest, page: str, name: str) -> AppTest:
    """Tap the scene ``name`` among ``page``'s scene pills (what a lecturer does), and rerun."""
    return at.button_group(key=f"_{page}_scenes").set_value(name).run()


def click(at: AppTest, key: str) -> AppTest:
    """Click the button ``key`` and rerun."""
    return at.button(key=key).click().run()


def download(at: AppTest, downloads: dict, key: str) -> str:
    """What the download button ``key`` gives when clicked (``downloads`` is conftest's fixture)."""
    button, = [b for b in at.get("download_button") if b.proto.id.endswith(f"-{key}")]
    return downloads[button.proto.deferred_file_id]()


def widgets(at: AppTest) -> dict:
    """Every widget's value by key (buttons aside)."""
    kinds = ("slider", "select_slider", "selectbox", "multiselect", "radio", "toggle")
    return {w.key: w.value for kind in kinds for w in getattr(at, kind)}


def assert_link_ignored(at: AppTest, params: dict[str, str]) -> None:
    """The page's only notice is the one naming each of ``params``' settings once, as ``name=value``."""
    notice, = [i.value for i in at.info]
    assert notice.startswith("This link's setting"), notice
    for name, value in params.items():
        assert notice.count(f"`{name}={value}`") == 1, (name, notice)


def scene(page: str, name: str):
    """The scene ``name`` of ``page``, from the registry."""
    return next(s for s in registry.page(page).scenes if s.name == name)


def sessions(page: str):
    """A function ``get(scene=None)``: the session of ``page`` at its defaults, or opened by the link
    ``?scene=<scene>``; each opened on first use and then shared (a module-scoped fixture for read-only checks)."""
    opened: dict[str | None, AppTest] = {}

    def get(scene: str | None = None) -> AppTest:
        if scene not in opened:
            opened[scene] = open_page(page) if scene is None else open_link(page, {"scene": scene})
        return opened[scene]

    return get
