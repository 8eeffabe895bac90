"""What the interview screen shows, folded from what the conductor announces.

The conductor owns the interview's clock (the listener ends an answer at its time limit); the
screen must show that clock, not run one of its own. `InterviewView` is a Qt-free, immutable
state: `apply(event)` returns the state after one announcement, and the widgets only render it
(napari's evented model, as a pure fold). The help desk asks it for the time left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from contract.proctoring import EventKind
from kiosk.domain.model import Question
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


@dataclass(frozen=True)
class InterviewView:
    question: Question | None = None
    number: int = 0
    total: int = 0
    #: The question probes the answer to question `number` (see `QuestionAsked`).
    follow_up: bool = False
    #: Seconds allowed for the current answer (the listener's limit, extensions included).
    limit_s: float = 0.0
    #: When the answer clock started (`time.monotonic()`); None while it does not run.
    clock_started_at: float | None = None
    spoken: bool = True
    caption: str = ""
    saved: bool = False
    paused: bool = False
    problem: str = ""
    extra_s: int = 0
    flags: tuple[EventKind, ...] = ()

    @property
    def answering(self) -> bool:
        return self.clock_started_at is not None

    def seconds_left(self, now: float) -> int | None:
        """Whole seconds left to answer; the full allowance before the clock starts; None with
        no question yet."""
        if self.question is None:
            return None
        if self.clock_started_at is None:
            return round(self.limit_s)
        return max(0, round(self.clock_started_at + self.limit_s - now))

    def apply(self, event: object) -> InterviewView:
        match event:
            case QuestionAsked():
                return replace(
                    self,
                    question=event.question,
                    number=event.number,
                    total=event.total,
                    follow_up=event.follow_up,
                    limit_s=float(event.answer_seconds),
                    clock_started_at=None,
                    spoken=True,
                    caption="",
                    saved=False,
                )
            case QuestionSpoken() if self._current(event.question_id):
                return replace(self, spoken=event.spoken)
            case AnswerClockStarted() if self._current(event.question_id):
                return replace(self, limit_s=event.limit_s, clock_started_at=event.started_at)
            case TimeExtended():
                extended = replace(self, extra_s=event.total_s)
                if event.answering or self.clock_started_at is None:
                    extended = replace(extended, limit_s=self.limit_s + event.seconds)
                return extended
            case Caption() if self._current(event.question_id):
                return replace(self, caption=event.text)
            case AnswerSaved():
                return replace(self, clock_started_at=None, saved=True)
            case InterviewPaused():
                return replace(self, paused=True)
            case InterviewResumed():
                return replace(self, paused=False, problem="")
            case InterviewProblem():
                return replace(self, problem=event.message, paused=True)
            case ProctoringFlag():
                kind = event.event.kind
                others = tuple(k for k in self.flags if k != kind)
                return replace(self, flags=(*others, kind) if event.ongoing else others)
        return self

    def _current(self, question_id: str) -> bool:
        return self.question is not None and self.question.question_id == question_id


__all__ = ["InterviewView"]
