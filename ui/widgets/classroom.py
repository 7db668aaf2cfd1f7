"""Predict, then reveal: the whole class answers on their phones before the picture moves (issue 20).

- **The lecturer**, in presenter mode, starts a class: a room code, a join link (the page's address with
  ``?room=CODE``) and its QR code, and a presenter link with the room's secret key, shown once. Only a session
  that came with that key opens, closes and reveals a question.
- **A student** opens the join link. While a question of this page is open the page shows its start and its
  surface only (``ui.figures.answers.hidden_outcome``), and the student answers by a choice or a tap; the
  latest answer counts until the lecturer closes it. A question on another page shows as a banner with a link.
- **Reveal** runs the real picture on every screen, with the class's answers drawn on it, the engine's answer
  marked and the share who were right.

Every page polls with a fragment (``POLL_S``) that reads one number, the room's version, and reruns the page
only when the question or its phase changed: an answer from a classmate costs a student's page nothing. The
store (``classroom.open_store``: SQLite by default, Redis with ``OPTIM_STORE=redis://…``) is shared by every
session and worker; this module keeps only the session's own part in ``st.session_state``.
"""

from __future__ import annotations

import os
import re
import secrets

import streamlit as st
from streamlit.errors import StreamlitAPIException
from streamlit.runtime.scriptrunner import get_script_run_ctx

import classroom
from classroom import BadAnswer, Closed, Forbidden, NoRoom, RateLimited, Unreachable
from classroom.ids import normalise
from ui import questions as qs
from ui.figures.answers import choice_bars, hidden_outcome, share_text, with_taps
from ui.i18n import t
from ui.registry import page as page_entry
from ui.widgets.frame import fragment
from ui.widgets.linking import apply_scene, keep_in_link, take
from ui.widgets.presenter import chart, presenting
from ui.widgets.viewport import is_phone

POLL_S = 2.5  # a student sees a question within this (and one rerun) of the lecturer's click
COOKIE = "optim_sid"  # the browser's answer id: it outlives a worker, so a reconnect keeps the answer
CLASS = "_class"
QUESTION_CHART = "class_question"
LIVE = ("open", "closed", "revealed")


class PageStopped(BaseException):  # noqa: N818 - a control flow signal, like Streamlit's own StopException
    """Raised after the question view: the rest of the page would show the outcome. app.py catches it."""


@st.cache_resource(show_spinner=False)
def shared_store() -> classroom.Store:
    """One store for every session of this process (thread-safe: ``classroom``'s backends are).

    ``OPTIM_ANSWER_INTERVAL`` (seconds, default 0.5) is how often one browser may answer: the tests stretch it."""
    return classroom.open_store(interval=float(os.environ.get("OPTIM_ANSWER_INTERVAL", classroom.store.INTERVAL)))


def _class() -> dict:
    return st.session_state.setdefault(CLASS, {"first": True, "code": None, "key": None, "room": None,
                                               "notice": None, "applied": None, "message": None, "fresh_key": None})


def session_id() -> str:
    """The browser's opaque answer id, from its cookie (made and written on its first visit). Nothing personal."""
    c = _class()
    if not c.get("sid"):
        sid = (st.context.cookies or {}).get(COOKIE, "")
        c["sid"] = sid if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", sid or "") else secrets.token_urlsafe(16)
    return c["sid"]


def _remember_browser() -> None:
    sid = session_id()  # only [A-Za-z0-9_-]: nothing to escape
    st.html(f"<script>document.cookie = '{COOKIE}={sid}; path=/; max-age=86400; SameSite=Lax';</script>",
            unsafe_allow_javascript=True)


def _room_or_note(code: str):
    """The room, or None with the session's one line saying why."""
    c = _class()
    try:
        room = shared_store().room(code)
    except Unreachable:
        c["notice"] = ("warning", t("classroom.store_down"))
        return None
    if room is None:
        c.update(code=None, key=None, room=None, notice=("info", t("classroom.no_room", code=code)))
    return room


def sync(page: str) -> None:
    """First thing on a page: read ``room`` and ``key`` from a first run's link, and the room's state; set the
    open question's scene once, before the page's widgets exist (the only moment a scene may be set)."""
    c = _class()
    if c["first"]:
        c["first"] = False
        code, key = take("room"), take("key")
        if code:
            code = normalise(code)
            if _room_or_note(code) is not None:
                c["code"] = code
                if key and shared_store().check_key(code, key):
                    c["key"] = key
                elif key:
                    c["notice"] = ("error", t("classroom.lecturer_only"))
    if not c["code"]:
        keep_in_link("room", None)
        return
    room = _room_or_note(c["code"])  # None (and no code) when the room expired
    keep_in_link("room", c["code"])  # a reload keeps the class; the key never goes in the address bar
    c["room"] = room
    question = current_question()
    if question is None or room.phase not in LIVE:
        c["applied"] = None
    elif question.page == page and c["applied"] != question.id:
        c["applied"] = question.id
        apply_scene(question.setting)


def current_question() -> qs.Question | None:
    room = _class().get("room")
    return qs.by_id(room.question) if room is not None and room.question else None


def question_live(page: str) -> bool:
    """Whether this page's question is on screen for the class (its scenes would change what is asked)."""
    found = question_here(page)
    return found is not None and found[1] != "revealed"


def is_lecturer() -> bool:
    return bool(_class()["key"])


def class_bar(page: str) -> None:
    """Under the title: the session's one line, the lecturer's controls, and the poll."""
    c = _class()
    if c["notice"]:
        kind, text = c["notice"]
        getattr(st, kind)(text, icon=":material/groups:")
        if kind != "warning":
            c["notice"] = None
    if not c["code"]:
        return
    _remember_browser()
    if is_lecturer():
        _lecturer_controls(page)
    _poll(page)


def start_button(where) -> None:
    """In presenter mode, with no class yet: "Start a class", in the title's row of tools (no line of its own:
    the picture keeps its place on the projector)."""
    if presenting() and not _class()["code"]:
        where.button(":material/groups:", help=t("classroom.start"), on_click=_start_class, key="_class_start")


def _start_class() -> None:
    c = _class()
    try:
        code, key = shared_store().create_room()
    except Unreachable:
        c["notice"] = ("warning", t("classroom.store_down"))
        return
    c.update(code=code, key=key, fresh_key=key, notice=None)


def _join_url(code: str) -> str:
    base = (st.context.url or "").split("?")[0]
    return f"{base}?room={code}"


def _lecturer_controls(page: str) -> None:
    c, code = _class(), _class()["code"]
    row = st.container(horizontal=True, vertical_alignment="center", gap="small", key="class_bar")
    row.markdown(f"{t('classroom.room_code')}: **{code}** · {t('classroom.join_at')} `{_join_url(code)}`")
    with row.popover(t("classroom.scan"), icon=":material/qr_code_2:"):
        import segno  # the QR code only when a lecturer shows it

        uri = segno.make(_join_url(code), error="m").svg_data_uri(scale=8, border=2)
        st.html(f'<img src="{uri}" alt="{t("classroom.scan")}: {_join_url(code)}" style="width:min(60vh,100%)">')
    if c["fresh_key"]:  # shown until the lecturer has kept it, then never again: it opens the class as lecturer
        with st.expander(t("classroom.presenter_link"), expanded=True, icon=":material/key:"):
            st.code(f"{_join_url(code)}&key={c['fresh_key']}&present=1", language=None)
            st.button(t("classroom.key_kept"), key="_class_key_kept", on_click=c.update, kwargs={"fresh_key": None})
    asked = qs.for_page(page)
    if asked:
        pick = row.selectbox(t("classroom.question"), [q.id for q in asked], key=f"_class_pick_{page}",
                             format_func=lambda qid: qs.by_id(qid).prompt, label_visibility="collapsed")
        row.button(t("classroom.open_question"), key="_class_open", on_click=_lecturer, args=("open", pick),
                   icon=":material/help:")
    room = c["room"]
    if room is not None and room.question:
        row.button(t("classroom.close_answers"), key="_class_close", on_click=_lecturer, args=("close", None),
                   disabled=room.phase != "open", icon=":material/lock:")
        row.button(t("classroom.reveal"), key="_class_reveal", on_click=_lecturer, args=("reveal", None),
                   disabled=room.phase == "revealed", type="primary", icon=":material/visibility:")


def _lecturer(action: str, question: str | None) -> None:
    """Open, close or reveal: only with the room's key (the store checks it again)."""
    c = _class()
    store = shared_store()
    try:
        if action == "open":
            store.open_question(c["code"], c["key"], question)
            if (q := qs.by_id(question)) is not None:
                apply_scene(q.setting)  # the lecturer's own picture is the question's scene too
                c["applied"] = q.id
        elif action == "close":
            store.close_question(c["code"], c["key"])
        else:
            store.reveal(c["code"], c["key"])
    except Forbidden:
        c["notice"] = ("error", t("classroom.lecturer_only"))
    except (NoRoom, Closed, Unreachable) as err:
        c["notice"] = ("warning", t("classroom.store_down") if isinstance(err, Unreachable) else str(err))


@fragment(run_every=POLL_S)
def _poll(page: str) -> None:
    """Every ``POLL_S``: one read of the room's version; the page reruns only when its question or phase changed."""
    c = _class()
    try:
        version = shared_store().version(c["code"])
    except Unreachable:
        if is_lecturer():
            st.warning(t("classroom.store_down"), icon=":material/cloud_off:")
        return
    known = c["room"]
    if known is None or version != known.version:
        room = shared_store().room(c["code"]) if version is not None else None
        changed = room is None or known is None or (room.question, room.phase) != (known.question, known.phase)
        c["room"] = room
        ctx = get_script_run_ctx()
        if changed and ctx is not None and ctx.fragment_ids_this_run:
            st.rerun(scope="app")
    room, question = c["room"], current_question()
    if room is None or question is None or room.phase not in LIVE:
        if not is_lecturer():
            st.caption(f"{t('classroom.room_code')}: **{c['code']}** · {t('classroom.waiting')}")
        return
    if is_lecturer() and question.page == page:  # the question itself is under the bar
        st.markdown(f"**{t('classroom.answered', n=_count(question))}**")
    elif is_lecturer():
        st.markdown(f"**{question.prompt}** · {t('classroom.answered', n=_count(question))}")
    elif question.page != page:
        entry = page_entry(question.page)
        st.page_link(entry.script, label=f"{t('classroom.other_page')}: {entry.title}", icon=":material/help:")


# --- the question on this page: hidden, then revealed -------------------------------------------------------------

def question_here(page: str) -> tuple[qs.Question, str] | None:
    """(the question, its phase) when this page's question is open, closed or revealed in the session's class."""
    question, room = current_question(), _class().get("room")
    if question is None or question.page != page or room is None or room.phase not in LIVE:
        return None
    return question, room.phase


def question_view(page: str, figure, question: qs.Question, phase: str) -> None:
    """The question phase: the question first, then the start and the surface only, and the way to answer.
    On a phone the choices come before the picture, so the first screen holds all a student needs.
    Stops the page (PageStopped)."""
    hidden = hidden_outcome(figure) if figure is not None else None
    hero = st.container(key="hero")  # on a phone the hero comes first under the title: the question is in it
    hero.markdown(f"### {question.prompt}")
    answer = hero.container() if is_phone() else None
    picture, side = hero.columns([1, 0.42], gap="medium")
    answer = answer or side
    if hidden is not None and len(hidden.to_dict()["data"]) > 1:  # a map (Taylor's slice keeps nothing: no picture)
        chart(picture, hidden, key=QUESTION_CHART, alt=question.prompt)
        if question.kind == "tap" and not is_lecturer() and phase == "open":
            _tap_reporter(picture, question)
    mine = _my_answer(question)
    if is_lecturer():  # the count is the poll's, live, in the class bar
        pass
    elif phase == "open":
        if question.kind == "choice":
            answer.pills(t("classroom.your_answer"), list(question.options), format_func=question.option_label,
                         key=f"_class_choice_{question.id}", default=mine, on_change=_chose, args=(question,))
        else:
            answer.info(t("classroom.tap_hint"), icon=":material/touch_app:")
        answer.caption(t("classroom.can_change"))
    else:
        answer.info(t("classroom.closed"), icon=":material/lock:")
    if mine is not None and question.kind == "tap":
        answer.markdown(f"{t('classroom.your_answer')}: ({mine[0]:.2f}, {mine[1]:.2f})")
    if message := _class().get("message"):
        answer.warning(message)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{page}_")]:
        try:  # the page's widgets below are not drawn: Streamlit forgets their values unless we hold them
            st.session_state[key] = st.session_state[key]
        except StreamlitAPIException:  # drawn above in this run (the sidebar's): kept anyway
            pass
    raise PageStopped


def reveal_figure(figure, question: qs.Question, answers: dict):
    """The page's picture with the class's taps and the engine's answer drawn on it (a tap question)."""
    return with_taps(figure, question, list(answers.values())) if question.kind == "tap" else figure


def reveal_panel(question: qs.Question, answers: dict) -> None:
    """Under the revealed picture: the share who were right, the bars of a choice, why, and the student's own."""
    right = sum(question.is_right(a) for a in answers.values())
    box = st.container(border=True, key="class_reveal")
    box.markdown(f"**{question.prompt}** · {t('classroom.answered', n=len(answers))} · "
                 f"{t('classroom.share_right', share=share_text(right, len(answers)))}")
    if question.kind == "choice":
        counts = {o: sum(1 for a in answers.values() if a == o) for o in question.options}
        chart(box, choice_bars(question, counts), key="class_bars", alt=question.prompt)
    if (mine := answers.get(session_id())) is not None and not is_lecturer():
        verdict = t("classroom.right" if question.is_right(mine) else "classroom.wrong")
        box.markdown(f"{t('classroom.your_answer')}: **{verdict}**")
    box.markdown(f"**{t('classroom.explanation')}.** {question.explanation}")


def class_answers(question: qs.Question) -> dict:
    """Every answer of the session's class to ``question``, by answer id (none when the store is down)."""
    try:
        return shared_store().answers(_class()["code"], question.id)
    except Unreachable:
        return {}


def _count(question: qs.Question) -> int:
    try:
        return shared_store().count(_class()["code"], question.id)
    except Unreachable:
        return 0


def _my_answer(question: qs.Question):
    return class_answers(question).get(session_id())


def submit(question: qs.Question, value) -> None:
    """A student's answer: checked against the question, then stored (the latest wins); a refusal says why."""
    c = _class()
    try:
        checked = (classroom.check_answer(value, options=question.options) if question.kind == "choice"
                   else classroom.check_answer(value, box=question.box()))
        shared_store().answer(c["code"], session_id(), question.id, checked)
        c["message"] = None
    except BadAnswer:
        c["message"] = t("classroom.not_an_option" if question.kind == "choice" else "classroom.tap_inside")
    except RateLimited:
        c["message"] = t("classroom.too_fast")
    except Closed:
        c["message"] = t("classroom.closed")
    except (NoRoom, Unreachable):
        c["message"] = t("classroom.store_down")


def _chose(question: qs.Question) -> None:
    value = st.session_state.get(f"_class_choice_{question.id}")
    if value is not None:
        submit(question, value)


_TAP_JS = """
export default function ({ data, setTriggerValue }) {
  const seek = () => document.querySelector(`.st-key-${data.chart} .js-plotly-plot`);
  const watch = () => {
    const gd = seek();
    if (!gd || !gd.on || gd.__optimAnswer) return;
    gd.__optimAnswer = true;
    gd.on("plotly_click", event => {
      const hit = (event.points || []).find(p => p.data && p.data.meta === "tap");
      if (hit) setTriggerValue("tap", { x: hit.x, y: hit.y });
    });
  };
  watch();
  const timer = setInterval(watch, 400);
  return () => clearInterval(timer);
}
"""
_tap_component = st.components.v2.component("optim_answer_tap", html="", js=_TAP_JS)


def _tap_reporter(where, question: qs.Question) -> None:
    """A finger or a mouse on the question's picture answers with that point (the invisible grid's, ui.figures.tap)."""
    key = f"_class_tap_{question.id}"

    def tapped() -> None:
        result = st.session_state.get(key)
        point = result.get("tap") if isinstance(result, dict) else getattr(result, "tap", None)
        if isinstance(point, dict):
            submit(question, (point.get("x"), point.get("y")))

    with where:
        _tap_component(key=key, data={"chart": QUESTION_CHART}, on_tap_change=tapped)


__all__ = ["PageStopped", "class_answers", "class_bar", "question_here", "question_live", "question_view",
           "reveal_figure", "reveal_panel", "session_id", "shared_store", "start_button", "submit", "sync"]
