"""The frame of a fragment run: the error guard and the language, without app.py around it."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

SCRIPT = str(Path(__file__).resolve().parent / "apps" / "failing_fragment.py")


def test_a_fragment_that_raises_shows_the_apps_message_and_keeps_what_the_student_set():
    at = AppTest.from_file(SCRIPT, default_timeout=30).run()
    assert [m.value for m in at.markdown] == ["drawn"]
    at.number_input(key="kept").set_value(9).run()
    at.button(key="break").click().run()
    assert not at.exception  # no traceback box
    message, = (e.value for e in at.error)
    assert message == ("This page hit a problem it did not expect (RuntimeError: a drawing bug). Your settings are "
                       "kept: change one of them, or pick another page, and it will redraw.")
    assert at.number_input(key="kept").value == 9
    at.run()  # the next run draws again
    assert not at.error and [m.value for m in at.markdown] == ["drawn"]


def test_a_fragment_speaks_the_sessions_language():
    at = AppTest.from_file(SCRIPT, default_timeout=30)
    at.session_state["lang"] = "ko"
    at.run()
    at.button(key="break").click().run()
    message, = (e.value for e in at.error)
    assert message == ("이 페이지에서 예상하지 못한 문제가 생겼습니다 (RuntimeError: a drawing bug). 설정은 그대로 "
                       "남아 있습니다. 설정을 하나 바꾸거나 다른 페이지를 고르면 다시 그립니다.")
