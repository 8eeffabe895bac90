"""Unit fixtures for the brain: small documents made on the fly, stub engines, no model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from contract.rubric import Criterion
from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.brain.engine import EngineError
from kiosk.brain.planner import plan_interview
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    CriterionScore,
    FinalEvaluation,
    Question,
    QuestionKind,
    Recommendation,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "brain"


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def backend_context() -> InterviewContext:
    return InterviewContext.build((DATA / "resume_backend.txt").read_text(),
                                  (DATA / "jd_backend.txt").read_text())


def flat_score(answer_id: str, value: float, engine: str = "stub",
               provisional: bool = True) -> AnswerScore:
    return AnswerScore(answer_id, tuple(CriterionScore(c, value) for c in Criterion), "fb",
                       (), engine, provisional)


class StubEngine:
    """Scores by answer length (words / 5, capped at 10); questions from the real planner."""

    def __init__(self, name: str = "stub", fail_with: EngineError | None = None,
                 provisional: bool = True) -> None:
        self.name = name
        self.fail_with = fail_with
        self.provisional = provisional
        self.calls: list[str] = []

    def _maybe_fail(self, step: str) -> None:
        self.calls.append(step)
        if self.fail_with is not None:
            raise self.fail_with

    def plan(self, context: InterviewContext) -> InterviewPlan:
        self._maybe_fail("plan")
        return plan_interview(context, self.name)

    def next_question(self, context: InterviewContext, plan: InterviewPlan,
                      turns: Sequence[Turn]) -> Question | None:
        self._maybe_fail("next_question")
        from kiosk.brain.policy import follow_up_target, next_slot

        parent = follow_up_target(turns)
        if parent is not None:
            return Question(parent.question.question_id + "-fu", len(turns),
                            QuestionKind.FOLLOW_UP, "Tell me more.", engine=self.name,
                            follow_up_of=parent.question.question_id)
        slot = next_slot(plan, turns)
        if slot is None:
            return None
        return Question(f"q{len(turns)}", len(turns), slot.kind, f"Question about {slot.skill}",
                        slot.skill, engine=self.name)

    def score_answer(self, context: InterviewContext, question: Question,
                     answer: Answer) -> AnswerScore:
        self._maybe_fail("score_answer")
        return flat_score(answer.answer_id, min(10.0, len(answer.text.split()) / 5), self.name,
                          self.provisional)

    def final_evaluation(self, context: InterviewContext, turns: Sequence[Turn],
                         inputs: EvaluationInputs) -> FinalEvaluation:
        self._maybe_fail("final_evaluation")
        return FinalEvaluation({}, (), (), Recommendation.NO, "", self.name, self.provisional)
