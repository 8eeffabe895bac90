"""The Gemini engine: the same plan and adaptive policy as offline, Gemini writes and scores.

A question that repeats one already asked in the session (`kiosk.brain.repeats`) is refused,
so the fallback engine asks that step.

The plan (which kinds and skills) stays deterministic so an interview's shape does not depend
on the network; Gemini writes each question for its slot and scores answers. Replies are
checked after validation too, by the rules the hub's re-scoring shares (`contract.scoring`):
evidence must be verbatim quotes from the answer, and when the guard found text addressed to the
grader, no criterion may exceed the offline score of the same answer, so an injection that
fooled the model still cannot raise a score.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from contract.rubric import Criterion
from contract.scoring import AnswerScoreOut, judged_score, needs_cap, score_prompt
from kiosk.brain.bank import QuestionBank, load_bank
from kiosk.brain.context import EvaluationInputs, InterviewContext, InterviewPlan, Turn
from kiosk.brain.evaluation import criterion_means, integrity_sentence, speech_sentence
from kiosk.brain.gemini import prompts
from kiosk.brain.gemini.schemas import FinalOut, QuestionOut
from kiosk.brain.gemini.transport import GeminiError, GeminiTransport
from kiosk.brain.planner import plan_interview
from kiosk.brain.policy import follow_up_target, next_slot
from kiosk.brain.questions import question_id
from kiosk.brain.repeats import repeated_question
from kiosk.brain.scoring import OfflineScorer
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    CriterionScore,
    FinalEvaluation,
    Question,
    QuestionKind,
    Recommendation,
)

_HISTORY_CHARS = 600


class GeminiEngine:
    def __init__(
        self,
        transport: GeminiTransport,
        guard_scorer: OfflineScorer | None = None,
        bank: QuestionBank | None = None,
    ) -> None:
        self.transport = transport
        self.name = f"gemini:{transport.model}"
        self.guard_scorer = guard_scorer or OfflineScorer()
        self.bank = bank or load_bank()
        self.last_call_seconds = 0.0

    def plan(self, context: InterviewContext) -> InterviewPlan:
        return plan_interview(context, self.name, self.bank)

    def _history(self, turns: Sequence[Turn]) -> list[str]:
        lines = []
        for turn in turns:
            answer = turn.answer.text[:_HISTORY_CHARS] if turn.answer else "(no answer)"
            lines.append(f"Q: {turn.question.text}\nA: {answer}")
        return lines

    def next_question(
        self, context: InterviewContext, plan: InterviewPlan, turns: Sequence[Turn]
    ) -> Question | None:
        parent = follow_up_target(turns)
        if parent is not None:
            kind, skill = QuestionKind.FOLLOW_UP, parent.question.skill
            why = (f"follow-up probe: the answer to '{parent.question.text}' was thin "
                   f"({parent.score.feedback if parent.score else ''})")
            qid = f"{parent.question.question_id}-fu"
        else:
            slot = next_slot(plan, turns)
            if slot is None:
                return None
            kind, skill, why = slot.kind, slot.skill, slot.rationale
            qid = question_id(len(turns), slot)
        prompt = prompts.question_prompt(
            kind.value, skill, why, context.job.title,
            context.job.required_skills + context.job.nice_to_have_skills,
            context.resume.text, self._history(turns),
        )
        result = self.transport.generate(prompt, QuestionOut, prompts.SYSTEM_ASSESSOR)
        self.last_call_seconds = result.seconds
        out = result.value
        text = out.text.strip()
        repeat = repeated_question(
            text, [t.question.text for t in turns], self.guard_scorer.encoder,
            parent=parent.question.text if parent else None,
        )
        if repeat is not None:  # the fallback engine asks this step instead
            raise GeminiError(f"Gemini's question {repeat.describe()}; it was not asked")
        return Question(
            qid, len(turns), kind, text, skill, out.rationale,
            tuple(out.expected_points), self.name,
            follow_up_of=parent.question.question_id if parent else None,
        )

    def score_answer(
        self, context: InterviewContext, question: Question, answer: Answer
    ) -> AnswerScore:
        del context
        prompt = score_prompt(question.text, question.skill, question.expected_points, answer.text)
        result = self.transport.generate(prompt, AnswerScoreOut, prompts.SYSTEM_ASSESSOR)
        self.last_call_seconds = result.seconds
        caps: dict[Criterion, float] = {}
        if needs_cap(answer.text):
            offline = self.guard_scorer.score(question, answer.answer_id, answer.text,
                                              answer.metrics)
            caps = {c.criterion: c.score for c in offline.criteria}
        judged = judged_score(result.value, answer.text, caps)
        criteria = tuple(CriterionScore(c, value, why) for c, value, why in judged.criteria)
        return AnswerScore(answer.answer_id, criteria, judged.feedback, judged.evidence,
                           self.name, False, judged.confidence)

    def final_evaluation(
        self, context: InterviewContext, turns: Sequence[Turn], inputs: EvaluationInputs
    ) -> FinalEvaluation:
        overall = criterion_means(turns)
        per_answer = [
            f"{t.question.kind.value} ({t.question.skill or 'general'}): "
            f"{t.score.overall if t.score else 'unscored'}/10 - "
            f"{t.answer.text[:_HISTORY_CHARS] if t.answer else '(no answer)'}"
            for t in turns
        ]
        speech = speech_sentence(inputs.speech_metrics)
        integrity = integrity_sentence(inputs.integrity)
        started = time.perf_counter()
        result = self.transport.generate(
            prompts.final_prompt(context.job.title, per_answer, overall, speech, integrity),
            FinalOut, prompts.SYSTEM_ASSESSOR,
        )
        self.last_call_seconds = time.perf_counter() - started
        out = result.value
        provisional = any(t.score is not None and t.score.provisional for t in turns)
        note = out.behavioural_note
        if inputs.integrity and "not proof" not in note.lower():
            note = f"{note} {integrity}"  # the cautious wording is not left to the model
        return FinalEvaluation(overall, tuple(out.strengths), tuple(out.concerns),
                               Recommendation(out.recommendation), note, self.name, provisional)


__all__ = ["GeminiEngine"]
