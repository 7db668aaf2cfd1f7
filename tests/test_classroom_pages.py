"""Predict, then reveal, on the pages (issue 20): a student's page hides the outcome while a question is open, takes
a choice or a tap, and after the reveal draws the class's answers on the real picture; the lecturer's key alone
drives the room; a wrong code or a dead store costs one line and never the page.

Every session here talks to a real SQLite store in a temporary file (the app's default backend).
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import classroom
from pagetest import charts, link_of, open_link
from ui import i18n, questions
from ui.widgets import classroom as class_ui


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch):
    """A fresh class store for each test, shared by its AppTest sessions (the app caches one per process)."""
    monkeypatch.setenv("OPTIM_STORE", f"sqlite:///{tmp_path / 'class.sqlite3'}")
    class_ui.shared_store.clear()
    i18n.set_language("en")
    yield classroom.open_store(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    class_ui.shared_store.clear()


def room(store, question: str | None = None):
    code, key = store.create_room()
    if question:
        store.open_question(code, key, question)
    return code, key


def paths(figure: dict) -> list[str]:
    return [tr.get("name") for tr in figure["data"] if tr.get("meta") != "tap"]


def test_a_student_sees_the_start_and_the_surface_only_and_the_scene_of_the_question(store):
    code, _ = room(store, "momentum.best_first")
    at = open_link("momentum", {"room": code.lower()})  # a code typed in lower case finds the room
    assert not at.exception and not at.error
    hero, = charts(at)  # no loss chart, no ‖∇L‖ chart: the rest of the page would give the race away
    assert set(paths(hero)) <= {"minimum", "start"} and hero.get("frames") in (None, [])
    assert link_of(at)["room"] == code and "key" not in link_of(at)
    assert link_of(at)["mu"] == "0.444" or float(link_of(at)["mu"]) == pytest.approx(4 / 9)  # the `best` scene
    prompt = questions.by_id("momentum.best_first").prompt
    assert any(m.value == f"### {prompt}" for m in at.markdown)


def test_a_choice_is_stored_the_latest_wins_and_a_closed_question_refuses(store):
    code, key = room(store, "adam.bias_first")
    at = open_link("adam", {"room": code})
    pills = at.button_group(key="_class_choice_adam.bias_first")
    assert pills.options == ["Larger", "Smaller", "The same"] or len(pills.options) == 3
    pills.set_value("smaller").run()
    sid = at.session_state["_class"]["sid"]
    assert store.answers(code, "adam.bias_first") == {sid: "smaller"}
    time.sleep(0.6)  # the store takes one answer per 0.5 s from a session
    at.button_group(key="_class_choice_adam.bias_first").set_value("larger").run()
    assert store.answers(code, "adam.bias_first") == {sid: "larger"}  # one answer per session: the latest
    store.close_question(code, key)
    at.run()
    assert any("Answers are closed" in i.value for i in at.info)
    assert store.answers(code, "adam.bias_first") == {sid: "larger"}


def test_a_tap_answer_is_shown_back_to_its_student_from_the_store(store):
    """The answer lives in the store under the browser's id: a page drawn again (another worker) shows it."""
    code, _ = room(store, "home.end")
    at = open_link("home", {"room": code})
    sid = at.session_state["_class"]["sid"]
    question = questions.by_id("home.end")
    store.answer(code, sid, question.id, classroom.check_answer((-0.7, 0.6), box=question.box()))
    at.run()
    assert "Your answer: (-0.70, 0.60)" in " ".join(m.value for m in at.markdown)
    with pytest.raises(classroom.BadAnswer):
        classroom.check_answer((5.0, 0.6), box=question.box())  # Rosenbrock's box is −2 … 2 across


def test_the_reveal_draws_the_class_taps_and_the_answer_on_the_real_picture(store):
    code, key = room(store, "home.end")
    question = questions.by_id("home.end")
    answer = question.answer()
    store.answer(code, "a" * 20, question.id, tuple(answer))  # right
    store.answer(code, "b" * 20, question.id, (1.0, 1.0))  # the ★: wrong, 1.81 from the answer
    store.reveal(code, key)
    at = open_link("home", {"room": code})
    assert not at.error
    hero = charts(at)[0]
    names = [tr.get("name") for tr in hero["data"]]
    assert "gradient descent" in names and "the answer" in names and "the class's answers" in names
    mark = next(tr for tr in hero["data"] if tr.get("name") == "the answer" and len(tr["x"]) == 1)  # not its circle
    assert [float(mark["x"][0]), float(mark["y"][0])] == pytest.approx(list(answer), abs=1e-12)
    taps = next(tr for tr in hero["data"] if tr.get("name") == "the class's answers")
    assert sorted(zip(np.asarray(taps["x"], float), np.asarray(taps["y"], float))) == sorted(
        [tuple(answer), (1.0, 1.0)])
    said = " ".join(m.value for m in at.markdown)
    assert "2 answered" in said and "1 (50%) right" in said


def test_the_reveal_of_a_choice_draws_a_bar_per_option_with_the_class_counts(store):
    code, key = room(store, "momentum.best_first")
    for i, option in enumerate(["momentum", "momentum", "nesterov", "sgd"]):
        store.answer(code, f"student{i:02d}abcdefgh", "momentum.best_first", option)
    store.reveal(code, key)
    at = open_link("momentum", {"room": code})
    bars = next(c for c in charts(at) if c["data"] and c["data"][0].get("type") == "bar")
    counts = dict(zip(bars["data"][0]["x"], np.asarray(bars["data"][0]["y"], float))) if isinstance(
        bars["data"][0]["x"][0], str) else dict(zip(bars["data"][0]["y"], np.asarray(bars["data"][0]["x"], float)))
    assert sorted(counts.values()) == [1.0, 1.0, 2.0]  # gradient descent 1, momentum 2, Nesterov 1
    assert "2 (50%) right" in " ".join(m.value for m in at.markdown)  # the engine's answer is momentum


def test_a_student_on_another_page_gets_a_link_to_the_question(store):
    code, _ = room(store, "adam.bias_first")
    at = open_link("home", {"room": code})
    links = [str(x.proto.page) for x in at.get("page_link")]
    assert any("adam" in link for link in links)
    assert charts(at)[0]["data"]  # Home itself is whole: its own picture, path included
    assert "gradient descent" in [tr.get("name") for tr in charts(at)[0]["data"]]


def test_only_the_key_makes_a_lecturer_and_a_forged_key_gets_one_line(store):
    code, key = room(store)
    lecturer = open_link("home", {"room": code, "key": key, "present": "1"})
    assert "Open question" in [b.label for b in lecturer.button]
    assert "key" not in link_of(lecturer)  # the key never goes into the address bar
    student = open_link("home", {"room": code, "key": "forged-key-forged-key"})
    assert [e.value for e in student.error] == ["Only the lecturer's link can do this"]
    assert "Open question" not in [b.label for b in student.button]
    assert store.room(code).phase == "idle"


def test_the_lecturer_opens_a_question_and_sees_the_count(store):
    code, key = room(store)
    lecturer = open_link("momentum", {"room": code, "key": key, "present": "1"})
    lecturer.button(key="_class_open").click().run()
    state = store.room(code)
    assert state.question == "momentum.overshoot_first" or state.question == "momentum.best_first"
    assert state.phase == "open"
    store.answer(code, "c" * 20, state.question, "sgd")
    lecturer.run()
    assert "1 answered" in " ".join(m.value for m in [*lecturer.markdown, *lecturer.caption])
    lecturer.button(key="_class_reveal").click().run()
    assert store.room(code).phase == "revealed"


def test_a_wrong_code_is_one_line_and_the_normal_page(store):
    at = open_link("home", {"room": "ZZZZZ"})
    assert [i.value for i in at.info if "No class" in i.value] == [
        "No class with the code ZZZZZ (it may have expired)"]
    assert "gradient descent" in [tr.get("name") for tr in charts(at)[0]["data"]]
    assert "room" not in link_of(at)


def test_an_unreachable_store_costs_the_lecturer_one_line_and_the_page_still_works(monkeypatch):
    monkeypatch.setenv("OPTIM_STORE", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    class_ui.shared_store.clear()
    at = open_link("home", {"room": "ABCDE", "present": "1"})
    assert not at.exception and not at.error
    assert any("unreachable" in w.value for w in at.warning)
    assert "gradient descent" in [tr.get("name") for tr in charts(at)[0]["data"]]
    at.button(key="_class_start").click().run()  # starting a class on a dead store: one line, no crash
    assert not at.exception and any("unreachable" in w.value for w in at.warning)


def test_starting_a_class_shows_the_presenter_link_until_it_is_kept_and_never_puts_the_key_in_the_address(store):
    at = open_link("home", {"present": "1"})
    at.button(key="_class_start").click().run()
    code = link_of(at)["room"]
    assert len(code) == 5 and "key" not in link_of(at)
    shown, = [c.value for c in at.code if "&key=" in c.value]
    key = shown.split("&key=")[1].split("&")[0]
    assert store.check_key(code, key) and shown.endswith("&present=1")
    at.button(key="_class_key_kept").click().run()
    assert not [c.value for c in at.code if "&key=" in c.value]  # shown once: gone once kept
    assert "Open question" in [b.label for b in at.button]  # still the lecturer


def test_a_flood_from_one_student_is_refused_with_a_line_and_changes_nothing(store, monkeypatch):
    monkeypatch.setenv("OPTIM_ANSWER_INTERVAL", "30")  # a flood, whatever this machine's speed: one answer per 30 s
    class_ui.shared_store.clear()
    code, _ = room(store, "adam.bias_first")
    at = open_link("adam", {"room": code})
    sid = at.session_state["_class"]["sid"]
    pills = "_class_choice_adam.bias_first"
    at.button_group(key=pills).set_value("larger").run()
    version = store.version(code)
    for value in ("smaller", "same", "smaller"):
        at.button_group(key=pills).set_value(value).run()
        assert [w.value for w in at.warning] == ["Answers come too fast: wait a moment"]
    assert store.answers(code, "adam.bias_first") == {sid: "larger"} and store.version(code) == version
