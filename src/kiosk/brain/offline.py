"""The offline engine: question bank + MiniLM scorer. Always available, deterministic."""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.brain.bank import QuestionBank, load_bank
from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.brain.evaluation import offline_evaluation
from kiosk.brain.planner import plan_interview
from kiosk.brain.policy import follow_up_target, next_slot
from kiosk.brain.questions import follow_up, from_slot
from kiosk.brain.scoring import ENGINE_NAME, OfflineScorer
from kiosk.domain.model import Answer, AnswerScore, FinalEvaluation, Question


class OfflineEngine:
    name = ENGINE_NAME

    def __init__(self, bank: QuestionBank | None = None, scorer: OfflineScorer | None = None):
        self.bank = bank or load_bank()
        self.scorer = scorer or OfflineScorer()

    def plan(self, context: InterviewContext) -> InterviewPlan:
        return plan_interview(context, self.name, self.bank)

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        parent = follow_up_target(turns)
        if parent is not None:
            return follow_up(self.bank, parent, len(turns), self.name)
        slot = next_slot(plan, turns)
        if slot is None:
            return None
        return from_slot(context, self.bank, slot, len(turns), self.name)

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        del context  # the offline scorer needs only the question and the answer
        return self.scorer.score(question, answer.answer_id, answer.text, answer.metrics)

    def final_evaluation(
        self, context: InterviewContext, turns: Sequence[Turn], inputs: EvaluationInputs
    ) -> FinalEvaluation:
        return offline_evaluation(turns, inputs, self.name, context.settings.question_count)


__all__ = ["OfflineEngine"]
