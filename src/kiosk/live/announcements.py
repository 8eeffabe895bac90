"""What the conductor announces while an interview runs (the UI, the demo's progress line, the
tests listen). Changes to the stored session are announced by the core itself, after their
commit: see `kiosk.domain.events`."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, ProctoringEvent, Question


@dataclass(frozen=True)
class QuestionAsked:
    """A question is put to the candidate. `number` of `total` counts the interview's planned
    questions (the plan is fixed when the interview starts, so `total` is exact). A follow-up
    probes the answer just given: it keeps that question's number and says so (`follow_up`),
    so the count neither grows nor guesses. `question.index` is its place among every
    question asked, follow-ups included."""

    question: Question
    number: int
    total: int
    answer_seconds: int
    follow_up: bool = False


@dataclass(frozen=True)
class QuestionSpoken:
    question_id: str
    spoken: bool
    reason: str  # why it was not spoken, e.g. "no audio output device"


@dataclass(frozen=True)
class AnswerClockStarted:
    """The candidate's time to answer starts now: the listener ends the answer at `limit_s`
    seconds of audio (extensions move it: see `TimeExtended`)."""

    question_id: str
    limit_s: float
    started_at: float  # time.monotonic() when listening began


@dataclass(frozen=True)
class TimeExtended:
    """The invigilator gave `seconds` more: to the answer being given when `answering`, and to
    every answer after it; `total_s` is all the extra time given so far."""

    seconds: int
    total_s: int
    answering: bool


@dataclass(frozen=True)
class InterviewPaused:
    """The interview holds before the next question (the current answer is finished first)."""

    session_id: str


@dataclass(frozen=True)
class InterviewResumed:
    session_id: str


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
class AnswerJudged:
    """The on-device judge saved a new score for an answer, in the background (it replaces the
    fast score announced by `AnswerScored`)."""

    session_id: str
    score: AnswerScore
    seconds: float


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
