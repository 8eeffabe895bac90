"""The whole kiosk, end to end, on recorded media: real ID check, offline engine, Whisper on the
bundled answers, the proctor on camera.mp4; then a shutdown mid-interview and the resume."""

from __future__ import annotations

from collections.abc import Callable

import jiwer
from pytestqt.qtbot import QtBot
from tests.ui import flow

from kiosk.domain.lifecycle import SessionState
from kiosk.live.announcements import Caption, QuestionAsked
from ui.context import KioskContext
from ui.window import MainWindow

MakeContext = Callable[..., KioskContext]
MakeWindow = Callable[[KioskContext], MainWindow]


def test_a_whole_session_from_key_to_thanks(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    context = make_context(flow.recorded_media())
    session = flow.demo_session(context.core.service, questions=2)
    window = make_window(context)
    asked: list[QuestionAsked] = []
    captions: list[Caption] = []
    window.bridge.questionAsked.connect(asked.append)
    window.bridge.caption.connect(captions.append)
    # the invigilator adds a minute while the first question is on screen
    window.open_panel()
    window.panel.pages.setCurrentIndex(1)  # as if unlocked with the PIN
    window.bridge.questionAsked.connect(
        lambda e: window.panel.extend.click() if e.number == 1 else None
    )
    meter = flow.StallMeter()
    meter.start()
    flow.run_whole_session(window, session.session_key)
    stall = meter.stop()

    record = context.core.service.load(session.session_id)
    assert record.session.state is SessionState.REPORTED
    assert record.id_check is not None and record.id_check.passed
    # two planned questions, and the follow-ups the engine chose to ask
    assert len(record.answers) == len(record.questions) >= 2
    assert all(a.audio is not None for a in record.answers)
    meant = flow.script_answers()
    for question in record.questions:
        answer = record.answer_for(question)
        assert answer is not None
        scripted = meant.get(" ".join(question.text.split()).casefold())
        if scripted is not None:
            assert jiwer.wer(scripted.lower(), answer.text.lower()) < 0.35
    assert [e.question.index for e in asked] == list(range(len(record.questions)))
    assert asked[1].answer_seconds == asked[0].answer_seconds + 60  # the extension applied
    assert captions and window.interview.camera.frames_shown > 0
    assert "no scores" not in window.completion.message.text().lower()
    assert "Thank you" in window.completion.title.text()
    print(f"longest event-loop stall during the full flow: {stall:.0f} ms ({meter.beats} beats)")
    print(f"beats over 50 ms late (s into the flow, ms): {meter.stalls}")


def test_closing_mid_interview_and_relaunching_resumes_the_same_question(
    qtbot: QtBot, make_context: MakeContext, make_window: MakeWindow
) -> None:
    first = make_context(flow.recorded_media())
    session = flow.ready_session(first.core.service, SessionState.DEVICES_CHECKED, questions=2)
    window = make_window(first)
    asked: list[QuestionAsked] = []
    window.bridge.questionAsked.connect(asked.append)
    # power off as soon as the second question comes up (the first answer is saved by then)
    window.bridge.questionAsked.connect(lambda e: window.close() if len(asked) == 2 else None)
    stopped: list[bool] = []
    window.shut_down.connect(lambda: stopped.append(True))
    flow.sign_in(window, session.session_key)
    qtbot.waitUntil(lambda: bool(stopped), timeout=120_000)
    before = first.core.service.load(session.session_id)
    assert before.session.state is SessionState.IN_PROGRESS
    assert len(before.answers) == 1 and len(before.questions) == 2

    second = make_context(flow.recorded_media())  # a new kiosk process, the same data
    relaunched = make_window(second)
    resumed: list[QuestionAsked] = []
    relaunched.bridge.questionAsked.connect(resumed.append)
    flow.sign_in(relaunched, session.session_key)
    qtbot.waitUntil(lambda: bool(resumed), timeout=60_000)  # resumed, at the question it was on
    assert relaunched.current_screen() is relaunched.interview
    qtbot.waitUntil(lambda: relaunched.current_screen() is relaunched.completion, timeout=240_000)
    after = second.core.service.load(session.session_id)
    assert resumed[0].question.index == 1  # the second question asked, and its number
    assert resumed[0].number == asked[1].number and resumed[0].total == asked[1].total
    assert resumed[0].question.question_id == before.questions[1].question_id
    assert after.answers[0] == before.answers[0]  # the finished answer is intact
    assert len(after.answers) == len(after.questions) >= 2
    assert after.session.state is SessionState.REPORTED
