"""What every engine is given and returns besides the domain objects: the interview context,
the plan, and one turn (question, answer, score, timings)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    InterviewSession,
    JobDescription,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.ingest import (
    JobProfile,
    MatchResult,
    ResumeProfile,
    SecondPass,
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
        candidate_name: str = "",
        job_title: str = "",
        *,
        required_skills: tuple[str, ...] = (),
        nice_to_have_skills: tuple[str, ...] = (),
        second_pass: SecondPass | None = None,
    ) -> InterviewContext:
        """`required_skills` / `nice_to_have_skills`: what HR typed on the hub; they come
        before the skills read from the job text. An empty `candidate_name` takes the name
        from the resume ("Candidate" when it has none)."""
        resume = parse_resume(resume_text, second_pass=second_pass)
        job_profile = parse_job(job_text, job_title, hr_required=required_skills,
                                hr_nice_to_have=nice_to_have_skills)
        name = candidate_name or resume.name or "Candidate"
        return cls(
            candidate=Candidate(full_name=name, resume_text=resume_text),
            job=job_profile.to_domain(),
            settings=settings or SessionSettings(),
            resume=resume,
            job_profile=job_profile,
            match=match_resume(resume, job_profile),
        )

    @classmethod
    def for_session(
        cls, session: InterviewSession, second_pass: SecondPass | None = None
    ) -> InterviewContext:
        """The context of a stored session, with HR's skills from its pack."""
        return cls.build(
            session.candidate.resume_text,
            session.job.text,
            session.settings,
            candidate_name=session.candidate.full_name,
            job_title=session.job.title,
            required_skills=session.job.required_skills,
            nice_to_have_skills=session.job.nice_to_have_skills,
            second_pass=second_pass,
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
    requirement: str = ""  # the job requirement it asks about, as written ("Go or Java")


@dataclass(frozen=True, slots=True)
class RequirementCoverage:
    """Whether the plan asks about one required requirement, and if not, why not."""

    requirement: str
    slot_index: int | None
    note: str


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    slots: tuple[PlannedSlot, ...]
    seconds_per_question: int
    engine: str
    timings: dict[str, float] = field(default_factory=dict)
    coverage: tuple[RequirementCoverage, ...] = ()

    @property
    def not_asked(self) -> tuple[RequirementCoverage, ...]:
        return tuple(c for c in self.coverage if c.slot_index is None)


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


__all__ = ["EvaluationInputs", "InterviewContext", "InterviewPlan", "PlannedSlot",
           "RequirementCoverage", "Turn"]
