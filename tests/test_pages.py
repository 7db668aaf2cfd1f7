"""Every page, every aspect it shares with the others: one parametrized module over ui.registry.PAGES.

What a page file (test_page_<page>.py) checks is its own hand-computed numbers; what
every page must do alike is checked here, once:

- it opens clean at its defaults, and every scene runs, naming only widgets the page has;
- the registry lists exactly the widgets the page links, under the keys widget_key() makes;
- a link rebuilds the same picture in a fresh session (widgets, charts and numbers);
- a link full of junk opens the page at its defaults, with one notice naming every bad setting;
- Next ×3 then Previous ×1 is Next ×2 on every stepping page, and Start goes back to the first step;
- Reset returns to the opening picture;
- a step that raises shows the app's own message, keeps the settings, and the next step recovers;
- no visible text bypasses the catalogs (pseudo-language), and every scene runs in Korean.
"""

from __future__ import annotations

import pytest
from i18ntest import hangul_share, open_page_in, untranslated

from pagetest import assert_clean, chart_json, click, key, latex_text, link_of, open_link, open_page, widgets
from ui import registry
from ui.widgets.linking import LINKS

PAGES = [p.key for p in registry.PAGES]
STEPPING = [p.key for p in registry.PAGES if p.stepping]
SCENES = [(p.key, s.name) for p in registry.PAGES for s in p.scenes]
GLOBAL_LINKS = {"lang", "present"}
# one bad value per kind of widget; each is refused by every parser (a number, a choice, a flag, a list)
JUNK = ("abc", "nan", "inf", "-30", "1e9", "", "../../x", "maybe", "x" * 20_000)


@pytest.fixture(scope="module")
def opened():
    """One fresh session per page at its defaults, shared by the read-only checks below."""
    return {}


def _opening(opened: dict, page: str):
    if page not in opened:
        opened[page] = open_page(page)
    return opened[page]


def _scene(page: str, name: str):
    return next(s for s in registry.page(page).scenes if s.name == name)


def _link_notices(at) -> list[str]:
    return [i.value for i in at.info if i.value.startswith("This link's")]


def _registered(at) -> dict[str, str]:
    return dict(at.session_state[LINKS]["params"])


@pytest.mark.parametrize("page", PAGES)
def test_the_page_opens_clean_at_its_defaults_and_links_every_widget_it_draws(opened, page):
    at = _opening(opened, page)
    assert_clean(at)
    assert at.get("plotly_chart"), "every page draws a chart"
    entry = registry.page(page)
    registered = _registered(at)
    assert set(registered) - GLOBAL_LINKS <= set(entry.linked), set(registered) - set(entry.linked)
    state = {name: at.session_state[k] for name, k in registered.items()}
    for name, widget in registered.items():
        if name not in GLOBAL_LINKS:
            assert widget == entry.key_of(name, state), name


@pytest.mark.parametrize("page, name", SCENES)
def test_every_scene_names_widgets_of_its_page_and_runs(page, name):
    entry, scene = registry.page(page), _scene(page, name)
    assert set(scene.settings) <= set(entry.linked), set(scene.settings) - set(entry.linked)
    at = open_link(page, {"scene": name})
    assert_clean(at)
    assert not _link_notices(at)  # the scene link was used, nothing ignored
    registered = _registered(at)
    drawn = {setting: value for setting, value in scene.settings.items() if setting in registered}
    # Compare's scenes also set the knobs of optimizers they do not show (so showing one later starts it at
    # its demo setting); every other page draws every widget its scenes set
    assert len(drawn) == len(scene.settings) or page == "compare", set(scene.settings) - set(drawn)
    for setting, value in drawn.items():
        assert at.session_state[registered[setting]] == value, setting
    assert at.session_state[registry.scene_key(page)] == name


@pytest.mark.parametrize("page", PAGES)
def test_the_scenes_together_reach_every_linked_widget_of_the_registry(page):
    entry = registry.page(page)
    seen = set(_registered(open_page(page)))
    if "f" in entry.linked:  # the typed f and its box are drawn once "Your own f" is picked, κ with the bowl
        seen |= set(_registered(open_link(page, {"surface": "custom"})))
        seen |= set(_registered(open_link(page, {"surface": "elongated_quadratic"})))
    for scene in entry.scenes:
        seen |= set(_registered(open_link(page, {"scene": scene.name})))
    assert seen - GLOBAL_LINKS == set(entry.linked)


@pytest.mark.parametrize("page", PAGES)
def test_a_link_rebuilds_the_same_picture_in_a_fresh_session(page):
    entry = registry.page(page)
    at = open_link(page, {"scene": entry.scenes[-1].name})  # away from the defaults
    if entry.stepping:
        click(at, f"_{page}_next")
    link = link_of(at)
    assert "scene" not in link and set(link) - GLOBAL_LINKS <= set(entry.linked)
    fresh = open_link(page, link)
    assert_clean(fresh)
    assert not _link_notices(fresh)  # nothing in the link was ignored
    assert widgets(fresh) == widgets(at)
    assert chart_json(fresh) == chart_json(at)
    assert latex_text(fresh) == latex_text(at)


@pytest.mark.parametrize("page", PAGES)
def test_a_link_full_of_junk_opens_the_defaults_and_names_every_bad_setting_once(opened, page):
    names = [*registry.page(page).linked, *sorted(GLOBAL_LINKS), "scene", "no_such"]
    junk = {name: JUNK[i % len(JUNK)] for i, name in enumerate(names)}
    at = open_link(page, junk)
    assert_clean(at)
    notice, = _link_notices(at)
    assert notice.startswith("This link's settings ") and notice.endswith("the page uses its own value instead.")
    for name in names:
        assert notice.count(f"`{name}=") == 1, name
    assert chart_json(at) == chart_json(_opening(opened, page))
    assert link_of(at) == link_of(_opening(opened, page))  # the junk leaves the address bar


@pytest.mark.parametrize("page, params, notice", [
    ("momentum", {"lr": "abc"},
     "This link's setting `lr=abc` (not one of the choices) was ignored; the page uses its own value instead."),
    ("home", {"surface": "../../x", "x": "9"},
     "This link's settings `surface=../../x` (not one of the choices), `x=9` (outside -2 … 2) were ignored; "
     "the page uses its own value instead."),
])
def test_a_bad_setting_is_named_with_its_reason(opened, page, params, notice):
    at = open_link(page, params)
    assert _link_notices(at) == [notice]
    assert chart_json(at) == chart_json(_opening(opened, page))


@pytest.mark.parametrize("page", STEPPING)
def test_next_three_then_previous_is_next_twice_and_start_goes_back(page):
    a, b = open_page(page), open_link(page, {"step": "2"})
    step = key(page, "step")
    first = a.session_state[step]
    for _ in range(3):
        click(a, f"_{page}_next")
    click(a, f"_{page}_prev")
    assert a.session_state[step] == first + 2
    b.slider(key=step).set_value(first + 2).run()
    assert chart_json(a) == chart_json(b) and latex_text(a) == latex_text(b)
    click(a, f"_{page}_first")
    assert a.session_state[step] == 0
    click(a, f"_{page}_prev")  # never below the first step
    assert a.session_state[step] == 0


@pytest.mark.parametrize("page", PAGES)
def test_reset_returns_to_the_opening_picture(opened, page):
    entry = registry.page(page)
    at = open_link(page, {"scene": entry.scenes[-1].name})
    if entry.stepping:
        click(at, f"_{page}_next")
    click(at, f"_reset_{page}")
    assert_clean(at)
    assert chart_json(at) == chart_json(_opening(opened, page))
    assert widgets(at) == widgets(_opening(opened, page))
    assert latex_text(at) == latex_text(_opening(opened, page))


@pytest.mark.parametrize("page", STEPPING)
def test_a_step_that_fails_shows_the_apps_message_and_keeps_the_settings(page, monkeypatch):
    """The step view lays its parts out inside the app's frame (tests/test_widgets_frame.py checks the frame
    of a fragment alone, with no app.py around it); here a failing step on every stepping page."""
    from ui.widgets import stepping

    at = open_page(page)
    before = widgets(at)

    def broken(where, blocks):
        raise RuntimeError("a drawing bug")

    monkeypatch.setattr(stepping, "_blocks", broken)
    click(at, f"_{page}_next")
    assert not at.exception
    message, = (e.value for e in at.error)
    assert message.startswith("This page hit a problem it did not expect (RuntimeError: a drawing bug).")
    step = key(page, "step")
    assert {k: v for k, v in widgets(at).items() if k != step} == {k: v for k, v in before.items() if k != step}
    monkeypatch.undo()
    click(at, f"_{page}_next")
    assert_clean(at)


@pytest.mark.parametrize("page", PAGES)
def test_no_visible_text_bypasses_the_catalogs(page):
    entry = registry.page(page)
    params = {"scene": entry.scenes[-1].name}
    if entry.stepping:
        params["step"] = "3"
    for at in (open_page_in(page, "xx"), open_page_in(page, "xx", params)):
        assert_clean(at)
        assert untranslated(at) == []


@pytest.mark.parametrize("page, name", SCENES)
def test_every_scene_runs_in_korean(page, name):
    at = open_page_in(page, "ko", {"scene": name})
    assert_clean(at)
    assert hangul_share(at) > 0.5


def test_presenter_mode_stays_on_from_page_to_page_until_switched_off():
    """The switch is drawn by each page, and Streamlit forgets a page's widgets when another page runs."""
    at = open_link("home", {"present": "1"})
    for page in PAGES[1:]:
        at.switch_page(registry.page(page).script).run()
        assert_clean(at)
        assert at.toggle(key="present").value is True and link_of(at)["present"] == "1", page
    at.toggle(key="present").set_value(False).run()
    at.switch_page(registry.page("home").script).run()
    assert at.toggle(key="present").value is False and "present" not in link_of(at)
