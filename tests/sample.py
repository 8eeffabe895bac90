"""Small builders of domain objects for tests (fake people, clearly)."""

from __future__ import annotations

from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    Criterion,
    CriterionScore,
    JobDescription,
    Question,
    QuestionKind,
    SessionSettings,
)
from kiosk.sessions import new_id


def candidate(name: str = "José Ñúñez-Øberg") -> Candidate:
    return Candidate(full_name=name, email="jose@example.org", resume_text="Python, SQL, 6 years.")


def job() -> JobDescription:
    return JobDescription(
        title="Backend Engineer",
        text="Build APIs in Python.",
        required_skills=("python", "sql"),
        nice_to_have_skills=("kubernetes",),
    )


def settings() -> SessionSettings:
    return SessionSettings(question_count=3, seconds_per_question=120)


def question(index: int) -> Question:
    return Question(
        question_id=new_id(),
        index=index,
        kind=QuestionKind.TECHNICAL,
        text=f"Question {index}: how do you index a table?",
        skill="sql",
        expected_points=("b-tree", "selectivity"),
        engine="test",
    )


def answer(question_id: str, text: str) -> Answer:
    return Answer(answer_id=new_id(), question_id=question_id, text=text, end_reason="typed")


def score(answer_id: str, value: float, *, provisional: bool = True) -> AnswerScore:
    return AnswerScore(
        answer_id=answer_id,
        criteria=tuple(CriterionScore(c, value, "because") for c in Criterion),
        feedback="fine",
        evidence=("quote",),
        engine="offline",
        provisional=provisional,
    )
