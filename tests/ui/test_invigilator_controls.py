"""The invigilator panel while an interview runs, on recorded media: pause and resume, extra
time, and an abort with a reason; and what the kiosk shell reports while proctoring runs."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from tests.ui import flow

from contract.proctoring import EventKind
from kiosk.bootstrap import LiveInterview
from kiosk.domain.lifecycle import SessionState
from kiosk.live.announcements import AnswerScored, InterviewFinished, QuestionAsked
from kiosk.live.devices import FrameListener
from kiosk.storage.unit_of_work import UnitOfWork
from ui.context import KioskContext
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]
BASE_SECONDS = 90  # flow.demo_session: 90 s per answer, no extra time of its own


def _unlock_panel(qtbot: QtBot, window: MainWindow) -> None:
    window.open_panel()
    panel = window.panel
    panel.prompt.pin.setText(flow.PIN)
    panel.prompt.confirm.click()
    qtbot.waitUntil(lambda: panel.unlocked, timeout=10_000)


def _history(context: KioskContext, session_id: str) -> list[tuple[str, str, str]]:
    with UnitOfWork(context.core.service.database) as uow:
        return [(f, t, why) for f, t, _, why in uow.sessions.state_history(session_id)]


def _seconds(countdown: str) -> int:
    minutes, seconds = countdown.removeprefix("Time left: ").split(":")
    return int(minutes) * 60 + int(seconds)


def _notes(window: MainWindow) -> list[str]:
    return [window.panel.flags.item(i).text() for i in range(window.panel.flags.count())]


def test_pause_holds_the_next_question_and_extra_time_reaches_its_countdown(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media(), lockdown=True)
    session = flow.ready_session(context.core.service, SessionState.DEVICES_CHECKED, questions=2)
    window = make_window(context)
    window.engage_lockdown()
    panel = window.panel
    asked: list[QuestionAsked] = []
    scored: list[AnswerScored] = []
    countdowns: list[str] = []
    window.bridge.questionAsked.connect(asked.append)
    # connected after the screen's own slot: what the candidate sees as the question comes up
    window.bridge.questionAsked.connect(
        lambda _e: countdowns.append(window.interview.countdown.text())
    )
    window.bridge.answerScored.connect(scored.append)
    _unlock_panel(qtbot, window)
    panel.extra.setValue(45)

    def on_first_question(event: QuestionAsked) -> None:
        # while it is read and answered; a follow-up to it (the engine adapts) is number 1 too
        if event.number == 1 and not event.follow_up:
            panel.pause.click()
            panel.extend.click()

    window.bridge.questionAsked.connect(on_first_question)
    flow.sign_in(window, session.session_key)
    screen = window.interview
    qtbot.waitUntil(lambda: screen.view.extra_s == 45, timeout=60_000)  # announced, and shown
    # the panel says whom and what it controls, and offers only what can be done now
    qtbot.waitUntil(lambda: "Question 1 of 2" in panel.time_left.text(), timeout=10_000)
    assert session.candidate.full_name in panel.who.text()
    qtbot.waitUntil(lambda: "left for this answer" in panel.time_left.text(), timeout=60_000)
    assert not panel.pause.isEnabled() and panel.resume.isEnabled()
    assert screen.view.number == 1 and screen.view.limit_s == BASE_SECONDS + 45  # this answer too
    assert _seconds(screen.countdown.text()) > BASE_SECONDS
    qtbot.waitUntil(lambda: bool(scored), timeout=120_000)  # the first answer is done
    assert window.interview.problem.isVisible()  # the candidate is told to wait
    assert "paused" in window.interview.problem.text()
    assert "gave you 45 s more" in window.interview.extra_time.text()

    qtbot.wait(3_000)  # unpaused, the next question follows within milliseconds
    assert [e.number for e in asked] == [1]
    assert len(context.core.service.load(session.session_id).questions) == 1

    panel.resume.click()  # Pause is offered again once the conductor says it resumed
    qtbot.waitUntil(
        lambda: panel.pause.isEnabled() and not panel.resume.isEnabled(), timeout=10_000
    )
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=60_000)
    assert not window.interview.problem.isVisible()
    assert asked[0].answer_seconds == BASE_SECONDS
    assert asked[1].answer_seconds == BASE_SECONDS + 45
    assert countdowns == ["Time left: 1:30", "Time left: 2:15"]

    # while the proctor feed runs, a blocked shortcut joins its stream, on the interview clock
    running = context.core.running_proctor
    qtbot.waitUntil(lambda: running.current is not None and running.current.running)
    proctor = running.current
    assert proctor is not None
    QTest.keyClick(window.interview.help_input, Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)
    reported = [e for e in proctor.events() if e.kind is EventKind.BLOCKED_SHORTCUT]
    assert len(reported) == 1 and reported[0].detail == "Alt+Tab was pressed and blocked"
    service = context.core.service
    qtbot.waitUntil(  # the feed stores it, under the id the proctor gave it
        lambda: reported[0].id in {e.event_id for e in service.load(session.session_id).events},
        timeout=30_000,
    )


def test_abort_with_a_reason_ends_the_session_and_keeps_the_answers_given(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.ready_session(context.core.service, SessionState.DEVICES_CHECKED, questions=2)
    window = make_window(context)
    panel = window.panel
    reason = "fire alarm: the room was evacuated"
    asked: list[QuestionAsked] = []
    finished: list[InterviewFinished] = []
    window.bridge.questionAsked.connect(asked.append)
    window.bridge.interviewFinished.connect(finished.append)
    _unlock_panel(qtbot, window)
    panel.reason.setText(reason)
    before: list[object] = []

    def on_second_question(event: QuestionAsked) -> None:
        if event.number == 2:  # the first answer is stored by now
            before.append(context.core.service.load(session.session_id))
            panel.abort.click()  # asks first: ending a session cannot be undone
            assert panel.confirm_abort.asking and reason in panel.confirm_abort.message.text()
            assert not finished
            panel.confirm_abort.confirm.click()

    window.bridge.questionAsked.connect(on_second_question)
    flow.sign_in(window, session.session_key)
    qtbot.waitUntil(lambda: window.current_screen() is window.completion, timeout=150_000)

    record = context.core.service.load(session.session_id)
    assert record.session.state is SessionState.ABORTED
    assert _history(context, session.session_id)[-1] == ("in_progress", "aborted", reason)
    assert finished and finished[0].aborted
    assert window.completion.title.text() == "The interview has ended"
    assert "ended by the invigilator" in window.completion.message.text()
    assert reason not in window.completion.message.text()  # the reason is for the record
    assert "The session was aborted." in _notes(window)
    first = before[0].answers[0]  # type: ignore[attr-defined]
    assert record.answers[0] == first and first.text.strip()
    assert first.audio is not None
    assert context.core.service.media.read(first.audio.sha256)  # its recording is intact too
    # the first question (and any follow-up to it, which keeps its number), then the second
    assert [e.number for e in asked if not e.follow_up] == [1, 2] and asked[-1].number == 2


def test_controls_given_while_the_interview_loads_are_applied_once_it_starts(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.ready_session(context.core.service, SessionState.DEVICES_CHECKED, questions=2)
    loading = threading.Event()
    build = context.core.live_interview

    def held_build(session_id: str, preview: FrameListener | None = None) -> LiveInterview:
        loading.wait(60)  # the models are "loading" until the test says otherwise
        return build(session_id, preview)

    context.core.live_interview = held_build  # type: ignore[method-assign]
    window = make_window(context)
    panel = window.panel
    asked: list[QuestionAsked] = []
    finished: list[InterviewFinished] = []
    window.bridge.questionAsked.connect(asked.append)
    window.bridge.interviewFinished.connect(finished.append)
    _unlock_panel(qtbot, window)
    flow.sign_in(window, session.session_key)
    try:
        qtbot.waitUntil(lambda: window.current_screen() is window.interview, timeout=20_000)
        assert window.interview.running and window.interview.live is None
        qtbot.waitUntil(panel.pause.isEnabled, timeout=5_000)
        panel.pause.click()
        assert "Paused" in panel.status.text()  # not "no interview is running": it is starting
        assert not panel.pause.isEnabled() and panel.resume.isEnabled()
        panel.reason.setText("candidate felt unwell")
        panel.abort.click()
        assert panel.confirm_abort.asking and "Ending" not in panel.status.text()
        panel.confirm_abort.confirm.click()
        assert "Ending the session" in panel.status.text()
        assert context.core.service.get(session.session_id).state is SessionState.DEVICES_CHECKED
    finally:
        loading.set()
    qtbot.waitUntil(lambda: window.current_screen() is window.completion, timeout=120_000)
    assert asked == []  # aborted before the first question
    assert finished and finished[0].aborted  # the conductor ended it, not a race beside it
    assert context.core.service.load(session.session_id).questions == ()
    history = _history(context, session.session_id)
    assert history[-1] == ("in_progress", "aborted", "candidate felt unwell")
    assert window.completion.title.text() == "The interview has ended"
