"""What every engine is given and returns besides the domain objects: the interview context,
the plan, and one turn (question, answer, score, timings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    JobDescription,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.ingest import (
    JobProfile,
    MatchResult,
    ResumeProfile,
    match_resume,
    parse_job,
    parse_resume,
)


@dataclass(frozen=True, slots=True)
class InterviewContext:
    """Everything known before the first question; built once per session."""

    candidate: Candidate
    job: JobDescription
    settings: SessionSettings
    resume: ResumeProfile
    job_profile: JobProfile
    match: MatchResult

    @classmethod
    def build(
        cls,
        resume_text: str,
        job_text: str,
        settings: SessionSettings | None = None,
        candidate_name: str = "Candidate",
        job_title: str = "",
    ) -> InterviewContext:
        resume = parse_resume(resume_text)
        job_profile = parse_job(job_text, job_title)
        return cls(
            candidate=Candidate(full_name=candidate_name, resume_text=resume_text),
            job=job_profile.to_domain(),
            settings=settings or SessionSettings(),
            resume=resume,
            job_profile=job_profile,
            match=match_resume(resume, job_profile),
        )


@dataclass(frozen=True, slots=True)
class PlannedSlot:
    """One main question to ask: its kind and target skill, and the bank question behind it
    (None when an engine writes the text itself)."""

    index: int
    kind: QuestionKind
    skill: str
    rationale: str
    bank_id: str | None = None


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    slots: tuple[PlannedSlot, ...]
    seconds_per_question: int
    engine: str
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Turn:
    """A question, the answer to it (None if the interview ended first) and its score."""

    question: Question
    answer: Answer | None = None
    score: AnswerScore | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EvaluationInputs:
    """Signals from outside the brain: speech metrics and the proctoring integrity summary."""

    speech_metrics: Mapping[str, float] = field(default_factory=dict)
    integrity: Mapping[str, object] = field(default_factory=dict)


__all__ = ["EvaluationInputs", "InterviewContext", "InterviewPlan", "PlannedSlot", "Turn"]
