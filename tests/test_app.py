import ast
from pathlib import Path

from pagetest import ROOT, key, open_page
from ui import registry

LECTURE_ORDER = ["home", "taylor", "stochastic", "momentum", "adaptive", "adam", "lookahead", "compare",
                 "conclusion"]


def _page_lists_in_app() -> list[str]:
    """What app.py builds its navigation from: the iterable of each list comprehension around ``st.Page``."""
    tree = ast.parse((ROOT / "app.py").read_text())
    pages = [node for node in ast.walk(tree)
             if isinstance(node, ast.ListComp) and getattr(node.elt.func, "attr", "") == "Page"]
    assert sum(isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "Page" for n in ast.walk(tree)) == len(pages)
    return [ast.unparse(comp.generators[0].iter) for comp in pages]


def test_navigation_lists_every_page_in_lecture_order():
    assert _page_lists_in_app() == ["registry.PAGES"]  # one st.Page per registry entry, and no other
    assert [p.key for p in registry.PAGES] == LECTURE_ORDER
    assert [Path(p.script) for p in registry.PAGES] == [Path("lecture", f"{name}.py") for name in LECTURE_ORDER]
    assert sorted(p.stem for p in (ROOT / "lecture").glob("*.py")) == sorted(LECTURE_ORDER)


def test_app_starts_on_home_with_a_chart():
    at = open_page("home")
    assert at.title[0].value == "How optimizers find the bottom"
    assert len(at.get("plotly_chart")) >= 1


def test_no_module_level_mutable_state_in_shared_modules():
    """Sessions must be independent: imported modules hold no module-level lists or sets.

    (Page scripts are re-executed in a fresh namespace on every run, so their
    top-level names are per-run locals; ``ui`` and ``optim_core`` are imported once.)
    """
    for path in sorted((ROOT / "ui").rglob("*.py")) + sorted((ROOT / "optim_core").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            if any(getattr(t, "id", "") == "__all__" for t in targets):
                continue
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                value = node.value
                if isinstance(value, (ast.List, ast.Set, ast.ListComp, ast.SetComp)):
                    raise AssertionError(f"{path.name}:{node.lineno} module-level mutable {type(value).__name__}")
                names = [getattr(t, "id", "") for t in targets]
                if any("DEFAULTS" in n for n in names) and isinstance(value, (ast.Dict, ast.DictComp)):
                    raise AssertionError(f"{path.name}:{node.lineno} {names[0]} is a plain dict: make it read-only")


WIDGET_KINDS = ("slider", "select_slider", "selectbox", "multiselect", "radio", "checkbox", "toggle",
                "number_input", "text_input", "button")


def test_every_control_on_every_page_has_a_help_tooltip():
    missing = []
    for page in LECTURE_ORDER:
        at = open_page(page)
        for kind in WIDGET_KINDS:
            for widget in getattr(at, kind):
                if not (getattr(widget, "help", "") or "").strip():
                    missing.append(f"{page}: {kind} {widget.label!r}")
    assert not missing, missing


def test_an_unexpected_error_becomes_a_plain_message_not_a_traceback(monkeypatch):
    """Community Cloud hides exception details; the frame must still say what happened, kindly."""
    import ui.widgets.compute

    def broken(*args, **kwargs):
        raise RuntimeError("the engine is on strike")

    at = open_page("home")
    monkeypatch.setattr(ui.widgets.compute, "run", broken)
    at.slider(key=key("home", "x", "rosenbrock")).set_value(0.0).run()
    assert not at.exception
    message = at.error[0].value
    assert "This page hit a problem it did not expect (RuntimeError: the engine is on strike)" in message
    assert "Your settings are kept" in message
    assert at.slider(key=key("home", "x", "rosenbrock")).value == 0.0
    assert at.title[0].value == "How optimizers find the bottom"


def test_lang_in_the_link_chooses_korean_for_the_shared_frame():
    from i18ntest import open_page_in

    at = open_page_in("home", "ko", {"lr": "abc"})
    assert at.selectbox(key="lang").value == "ko"
    assert at.selectbox(key="lang").label == "Language · 언어"
    assert at.query_params["lang"] in ("ko", ["ko"])
    notice = at.info[0].value  # the ignored setting is named in Korean
    assert "`lr=abc`" in notice and "무시" in notice
    english = open_page("home")
    assert english.selectbox(key="lang").value == "en"  # no parameter and no browser language: English


def test_a_bad_lang_is_ignored_with_the_notice():
    from i18ntest import open_page_in

    at = open_page_in("home", "en", {"lang": "fr"})
    assert at.selectbox(key="lang").value == "en"
    assert "`lang=fr`" in at.info[0].value
