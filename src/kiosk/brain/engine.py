"""The one interface the kiosk drives, whichever engine (offline, Gemini, fallback) is behind it.

An engine is stateless between calls: everything it needs comes in as arguments, so a resumed
session can carry on with a fresh engine, and the fallback engine can hand any single step to
another engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, Question


class EngineError(RuntimeError):
    """An engine could not do a step; the fallback engine catches it and asks another.

    `fatal` errors (a refused key) will fail every later step too, so the fallback engine
    stops asking that engine for the rest of the session."""

    fatal = False


@runtime_checkable
class InterviewEngine(Protocol):
    name: str

    def plan(self, context: InterviewContext) -> InterviewPlan:
        """Choose the main questions' kinds and skills for this candidate and job."""
        ...

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        """The next question given the scored turns so far, or None when the interview is done."""
        ...

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        ...

    def final_evaluation(
        self, context: InterviewContext, turns: Sequence[Turn], inputs: EvaluationInputs
    ) -> FinalEvaluation:
        ...


__all__ = ["EngineError", "InterviewEngine"]
