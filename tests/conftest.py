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

from urllib.parse import urlsplit

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from harness.server import launch_chromium, page_url, streamlit_server, wait_for_page

PROJECTOR = {"width": 1280, "height": 720}
PHONE = {"width": 390, "height": 844}

# the navigation link whose address is ``path``, clicked from script (it works while the sidebar is hidden)
GO_TO_PAGE_JS = """path => [...document.querySelectorAll('[data-testid=stSidebarNavLink]')]
    .find(a => new URL(a.href).pathname === path).click()"""

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
    """One settled tab per kind of link (query, locale), opened at the projector's size on first use.

    Asked for another page, the tab goes there as a student does, by its navigation link: the app's
    frame and its JavaScript are already loaded, so that costs about a third of the CPU of a fresh
    load. The browser tests are parametrized by page at module scope, so pytest runs every check of
    one page before it moves the tab on to the next.
    """

    def __init__(self, chromium: Chromium, base: str) -> None:
        self.chromium, self.base = chromium, base

    def __call__(self, name: str, query: str = "", viewport: dict = PROJECTOR, locale: str | None = None):
        key = (query, locale)
        tab = self.chromium.tabs.get(key)
        if tab is None or tab.is_closed():
            context = self.chromium.browser.new_context(viewport=PROJECTOR, **({"locale": locale} if locale else {}))
            tab = context.new_page()
            tab.goto(page_url(self.base, name, query))
            wait_for_page(tab)
            self.chromium.tabs[key] = tab
        elif urlsplit(tab.url).path != urlsplit(page_url(self.base, name)).path:
            path = urlsplit(page_url(self.base, name)).path
            if tab.viewport_size != PROJECTOR:  # the sidebar's links are in reach at the projector's size
                tab.set_viewport_size(PROJECTOR)
                wait_for_page(tab)  # the page reruns for its new size (ui.widgets.viewport) before it moves on
            tab.evaluate(GO_TO_PAGE_JS, path)  # a click, even where presenter mode hides the sidebar
            tab.wait_for_function("path => location.pathname === path", arg=path, timeout=15_000)
            wait_for_page(tab)
        if tab.viewport_size != viewport:
            tab.set_viewport_size(viewport)
            wait_for_page(tab)
        tab.evaluate(SCROLL_TOP_JS)
        return tab


@pytest.fixture(scope="session")
def tabs(chromium, app_server) -> Tabs:
    return Tabs(chromium, app_server)


# Under xdist the browser tests are two groups of about equal time, one per worker of a 2-core machine: each
# group's worker starts one server and one Chromium, and the AppTest tests fill in around them.
BROWSER_GROUPS = {"test_browser": "browser-a", "test_browser_korean": "browser-a",
                  "test_browser_classroom": "browser-b", "test_browser_layout": "browser-b",
                  "test_browser_custom": "browser-a", "test_browser_tap": "browser-b", "test_browser_3d": "browser-b",
                  "test_browser_predict": "browser-a"}


def pytest_collection_modifyitems(config, items):
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.xdist_group(BROWSER_GROUPS.get(item.module.__name__, "browser-a")))


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """Close Chromium (and its asyncio loop) when the next test is not a browser test."""
    if item.get_closest_marker("browser") and (nextitem is None or not nextitem.get_closest_marker("browser")):
        _CHROMIUM.close()
