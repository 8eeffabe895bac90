"""What the conductor tells its subscribers (the UI, the demo's progress line, the tests)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, ProctoringEvent, Question


@dataclass(frozen=True)
class StateChanged:
    session_id: str
    state: SessionState


@dataclass(frozen=True)
class QuestionAsked:
    question: Question
    number: int
    total: int
    answer_seconds: int


@dataclass(frozen=True)
class QuestionSpoken:
    question_id: str
    spoken: bool
    reason: str  # why it was not spoken, e.g. "no audio output device"


@dataclass(frozen=True)
class Caption:
    """Live text of the answer being given; replaced by the final transcript."""

    question_id: str
    text: str
    audio_seconds: float


@dataclass(frozen=True)
class AnswerSaved:
    answer: Answer


@dataclass(frozen=True)
class AnswerScored:
    score: AnswerScore


@dataclass(frozen=True)
class ProctoringFlag:
    """A rule fired (ongoing=True) or an event ended and was recorded (ongoing=False)."""

    event: ProctoringEvent
    ongoing: bool


@dataclass(frozen=True)
class Progress:
    message: str


@dataclass(frozen=True)
class InterviewFinished:
    session_id: str
    evaluation: FinalEvaluation | None
    report_sha256: str | None
    aborted: bool = False


@dataclass(frozen=True)
class InterviewProblem:
    """Something the invigilator must look at (a lost microphone); the interview is paused."""

    message: str
