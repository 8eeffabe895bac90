"""The interview screen's state, folded from the conductor's announcements: its clock is the
conductor's, extensions move it, and it never runs a countdown of its own."""

from __future__ import annotations

from tests.sample import answer

from contract.proctoring import EventKind, Severity
from kiosk.domain.model import ProctoringEvent, Question, QuestionKind
from kiosk.live.announcements import (
    AnswerClockStarted,
    AnswerSaved,
    Caption,
    InterviewPaused,
    InterviewProblem,
    InterviewResumed,
    ProctoringFlag,
    QuestionAsked,
    QuestionSpoken,
    TimeExtended,
)
from kiosk.live.view import InterviewView

QUESTION = Question("q1", 0, QuestionKind.TECHNICAL, "How would you index a large table?")


def _fold(*events: object) -> InterviewView:
    view = InterviewView()
    for event in events:
        view = view.apply(event)
    return view


def test_the_clock_is_the_listeners_and_starts_when_listening_does() -> None:
    asked = _fold(QuestionAsked(QUESTION, 1, 5, 90), QuestionSpoken("q1", True, ""))
    assert not asked.answering and asked.seconds_left(now=1000.0) == 90  # not running yet
    listening = asked.apply(AnswerClockStarted("q1", 90.0, started_at=1000.0))
    assert listening.answering
    assert listening.seconds_left(now=1030.4) == 60
    assert listening.seconds_left(now=2000.0) == 0


def test_extra_time_moves_the_running_clock_and_the_next_allowance() -> None:
    listening = _fold(
        QuestionAsked(QUESTION, 1, 5, 90), AnswerClockStarted("q1", 90.0, started_at=0.0)
    )
    extended = listening.apply(TimeExtended(45, 45, answering=True))
    assert extended.seconds_left(now=10.0) == 125 and extended.extra_s == 45
    between = extended.apply(AnswerSaved(answer("q1", "B-trees")))
    assert not between.answering and between.saved
    assert between.apply(TimeExtended(30, 75, answering=False)).extra_s == 75


def test_an_old_questions_announcements_do_not_touch_the_current_one() -> None:
    view = _fold(QuestionAsked(QUESTION, 1, 5, 90), Caption("q1", "I would", 1.0))
    assert view.caption == "I would"
    assert view.apply(Caption("q0", "late words", 9.0)).caption == "I would"
    assert view.apply(AnswerClockStarted("q0", 90.0, 5.0)) == view


def test_pause_problem_and_flags_fold_in_and_out() -> None:
    event = ProctoringEvent("e1", EventKind.NO_FACE, Severity.MEDIUM, 1.0, 3.0, 3.0, "yunet")
    view = _fold(QuestionAsked(QUESTION, 1, 5, 90), InterviewPaused("s"))
    assert view.paused
    view = view.apply(InterviewProblem("The microphone stopped"))
    assert view.problem and view.paused
    view = view.apply(InterviewResumed("s"))
    assert not view.paused and not view.problem
    flagged = view.apply(ProctoringFlag(event, ongoing=True))
    assert flagged.flags == (EventKind.NO_FACE,)
    assert flagged.apply(ProctoringFlag(event, ongoing=False)).flags == ()
    assert view.apply(object()) is view  # anything else changes nothing


def test_a_follow_up_keeps_its_questions_number_and_is_marked() -> None:
    probe = Question("q1-fu", 1, QuestionKind.FOLLOW_UP, "Which columns?", follow_up_of="q1")
    first = _fold(QuestionAsked(QUESTION, 1, 5, 90))
    assert (first.number, first.total, first.follow_up) == (1, 5, False)
    follow = first.apply(QuestionAsked(probe, 1, 5, 90, follow_up=True))
    assert (follow.number, follow.total, follow.follow_up) == (1, 5, True)
    assert follow.question == probe
