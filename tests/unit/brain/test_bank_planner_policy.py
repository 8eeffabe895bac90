"""The question bank's shape, the plan's composition and the adaptive policy."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from kiosk.brain.bank import load_bank
from kiosk.brain.context import InterviewContext, Turn
from kiosk.brain.planner import RESUME_GROUNDED, plan_interview
from kiosk.brain.policy import THIN_ANSWER, follow_up_target, next_slot
from kiosk.domain.model import Answer, Question, QuestionKind
from kiosk.ingest import load_vocabulary

from .conftest import flat_score


def test_bank_size_families_and_fields() -> None:
    bank = load_bank()
    technical = bank.of_kind(QuestionKind.TECHNICAL)
    assert len(bank.questions) >= 200
    assert len({q.family for q in technical}) >= 10
    assert len(bank.of_kind(QuestionKind.BEHAVIOURAL)) >= 10
    assert len(bank.of_kind(QuestionKind.SITUATIONAL)) >= 10
    assert len({q.bank_id for q in bank.questions}) == len(bank.questions)
    vocabulary = load_vocabulary()
    for question in bank.questions:
        assert 3 <= len(question.points) <= 5, question.bank_id
        assert question.difficulty in (1, 2, 3)
        if question.kind == QuestionKind.TECHNICAL:
            assert question.probe, question.bank_id
            assert all(vocabulary.canonical(s) == s for s in question.skills), question.bank_id


@pytest.mark.parametrize("count", [1, 2, 3, 4, 6, 8])
def test_plan_length_and_kinds_follow_settings(backend_context: InterviewContext,
                                               count: int) -> None:
    context = replace(backend_context,
                      settings=replace(backend_context.settings, question_count=count))
    plan = plan_interview(context, "offline")
    kinds = Counter(s.kind for s in plan.slots)
    assert len(plan.slots) == count
    assert kinds[QuestionKind.TECHNICAL] >= max(1, count - 4)
    assert (kinds[QuestionKind.INTRO] == 1) == (count >= 3)
    assert len({s.bank_id for s in plan.slots}) == count  # no repeats
    assert plan.seconds_per_question == context.settings.answer_seconds()


def test_plan_targets_required_skills_and_grounds_one_question(
        backend_context: InterviewContext) -> None:
    plan = plan_interview(backend_context, "offline")
    technical = [s for s in plan.slots if s.kind == QuestionKind.TECHNICAL]
    grounded = [s for s in technical if s.bank_id == RESUME_GROUNDED]
    shown = {o for f in backend_context.match.matched_required for o in f.met_by}
    assert len(grounded) == 1 and grounded[0].skill in shown
    required = {o for f in backend_context.match.required for o in f.requirement.options}
    assert all(s.skill in required for s in technical)
    assert all(s.rationale for s in plan.slots)


def test_plan_is_deterministic(backend_context: InterviewContext) -> None:
    assert plan_interview(backend_context, "a").slots == plan_interview(backend_context,
                                                                         "a").slots


def _turn(qid: str, value: float, kind: QuestionKind = QuestionKind.TECHNICAL,
          parent: str | None = None) -> Turn:
    question = Question(qid, 0, kind, "q", follow_up_of=parent)
    return Turn(question, Answer("a" + qid, qid, "text"), flat_score("a" + qid, value))


def test_thin_answer_gets_one_follow_up_strong_one_moves_on() -> None:
    assert follow_up_target([_turn("q1", THIN_ANSWER - 1)]) is not None
    assert follow_up_target([_turn("q1", THIN_ANSWER + 1)]) is None
    thin_then_probe = [_turn("q1", 1.0), _turn("q1-fu", 1.0, QuestionKind.FOLLOW_UP, "q1")]
    assert follow_up_target(thin_then_probe) is None
    assert follow_up_target([_turn("q1", 1.0, QuestionKind.CLOSING)]) is None


def test_next_slot_ignores_follow_ups(backend_context: InterviewContext) -> None:
    plan = plan_interview(backend_context, "offline")
    turns = [_turn("q1", 1.0), _turn("q1-fu", 1.0, QuestionKind.FOLLOW_UP, "q1")]
    assert next_slot(plan, turns) == plan.slots[1]
