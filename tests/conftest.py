"""Fixtures every test module may use.

The browser tests share one Streamlit server (``app_server``) and one Chromium for the
whole run (``chromium``), and one tab per page and kind of link (``tabs``): a check that
needs another window size resizes the tab (``set_viewport_size``) instead of loading the
page again. Under pytest-xdist each worker has its own (the browser tests are one
``xdist_group``, so ``--dist loadgroup`` keeps them on one worker).

Playwright's sync API keeps an asyncio loop running in the test thread while Chromium is
open. Chromium is therefore closed as soon as the run leaves the browser tests (and
opened again if another comes), and the websocket client runs its own loop on a thread
(``harness.wsclient.run``).
"""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from harness.server import launch_chromium, page_url, streamlit_server, wait_for_page

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}

# every element scrolled back to the top, as a fresh load would show it
SCROLL_TOP_JS = """() => { window.scrollTo(0, 0);
    document.querySelectorAll('*').forEach(el => { if (el.scrollTop) el.scrollTop = 0; }); }"""


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """Every download a page offers, by its file id: the function a click would run."""
    made, register = {}, MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kw):
        file_id = register(self, data_callable, *args, **kw)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made


# ---------------------------------------------------------------- the browser tests' server, Chromium and tabs

@pytest.fixture(scope="session")
def app_server():
    """One app for every browser test, as Streamlit Community Cloud runs it: tracebacks are never shown."""
    with streamlit_server(("--client.showErrorDetails", "false")) as base:
        yield base


class Chromium:
    """Debian's Chromium, started on first use and closed when the run leaves the browser tests."""

    def __init__(self) -> None:
        self._pw = self._browser = None
        self.tabs: dict[tuple, object] = {}

    @property
    def browser(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            self._browser = launch_chromium(self._pw)
        return self._browser

    def close(self) -> None:
        self.tabs.clear()
        if self._browser is not None:
            self._browser.close()
            self._pw.stop()
        self._pw = self._browser = None


_CHROMIUM = Chromium()


@pytest.fixture(scope="session")
def chromium():
    yield _CHROMIUM
    _CHROMIUM.close()


@pytest.fixture
def browser(chromium):
    """The Playwright ``Browser``, for a check that needs a fresh context of its own."""
    return chromium.browser


class Tabs:
    """One settled tab per (page, query, locale), opened on first use at the projector's size."""

    def __init__(self, chromium: Chromium, base: str) -> None:
        self.chromium, self.base = chromium, base

    def __call__(self, name: str, query: str = "", viewport: dict = PROJECTOR, locale: str | None = None):
        key = (name, query, locale)
        tab = self.chromium.tabs.get(key)
        if tab is None or tab.is_closed():
            context = self.chromium.browser.new_context(viewport=PROJECTOR, **({"locale": locale} if locale else {}))
            tab = context.new_page()
            tab.goto(page_url(self.base, name, query))
            wait_for_page(tab)
            self.chromium.tabs[key] = tab
        if tab.viewport_size != viewport:
            tab.set_viewport_size(viewport)
            wait_for_page(tab)
        tab.evaluate(SCROLL_TOP_JS)
        return tab


@pytest.fixture(scope="session")
def tabs(chromium, app_server) -> Tabs:
    return Tabs(chromium, app_server)


def pytest_collection_modifyitems(config, items):
    if config.pluginmanager.hasplugin("xdist"):  # one worker runs every browser test: one server, one Chromium
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Close Chromium (and its asyncio loop) when the next test is not a browser test."""
    if item.get_closest_marker("browser") and (nextitem is None or not nextitem.get_closest_marker("browser")):
        _CHROMIUM.close()
