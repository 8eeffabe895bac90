"""A question Gemini writes that repeats one already asked in the session is refused, and the
offline engine asks that step instead: the real google-genai client against the local fake,
the real MiniLM for similarity."""

from __future__ import annotations

import pytest

from kiosk.brain import FallbackEngine, InterviewContext, OfflineEngine, Turn
from kiosk.brain.gemini import GeminiEngine
from kiosk.brain.planner import plan_interview
from kiosk.brain.repeats import REPEAT_SIMILARITY, repeated_question
from kiosk.domain.model import Answer, AnswerScore, CriterionScore

from .fake_gemini import GOOD_QUESTION, FakeGemini, Reply

FIRST = "How would you find and fix a slow query in PostgreSQL?"


def _turn(question, text: str = "I would use EXPLAIN ANALYZE and add an index.") -> Turn:
    from contract.rubric import Criterion

    answer = Answer(f"a-{question.question_id}", question.question_id, text)
    score = AnswerScore(answer.answer_id, tuple(CriterionScore(c, 8.0) for c in Criterion),
                        "good", (), "test", False)
    return Turn(question, answer, score)


def _ask(engine: FallbackEngine, context: InterviewContext, turns: list[Turn]):
    plan = plan_interview(context, engine.name, engine.fallback.bank)  # type: ignore[attr-defined]
    question = engine.next_question(context, plan, turns)
    assert question is not None
    return question


@pytest.mark.parametrize("repeat", [
    FIRST,
    "  how would you FIND and fix a slow query in postgresql ",
    "What steps would you take to diagnose and speed up a slow PostgreSQL query?",
], ids=["same", "case-and-spacing", "paraphrase"])
def test_a_repeated_question_is_refused_and_the_offline_engine_asks(
    fake: FakeGemini, gemini: GeminiEngine, offline: OfflineEngine,
    backend_context: InterviewContext, repeat: str,
) -> None:
    engine = FallbackEngine(gemini, offline)
    fake.reset(Reply.json(dict(GOOD_QUESTION, text=FIRST)), Reply.json(dict(GOOD_QUESTION,
                                                                            text=repeat)))
    first = _ask(engine, backend_context, [])
    assert first.engine == gemini.name and first.text == FIRST
    second = _ask(engine, backend_context, [_turn(first)])
    assert len(fake.requests) == 2  # Gemini was asked, and its question refused
    assert second.engine == offline.name and second.text != repeat
    event = engine.events[-1]
    assert event.fell_back and "repeats question 1" in event.reason


def test_a_different_question_on_the_same_skill_is_asked(
    fake: FakeGemini, gemini: GeminiEngine, offline: OfflineEngine,
    backend_context: InterviewContext,
) -> None:
    engine = FallbackEngine(gemini, offline)
    other = "How would you design a rate limiter for a public API?"
    fake.reset(Reply.json(dict(GOOD_QUESTION, text=FIRST)), Reply.json(dict(GOOD_QUESTION,
                                                                            text=other)))
    first = _ask(engine, backend_context, [])
    second = _ask(engine, backend_context, [_turn(first)])
    assert second.engine == gemini.name and second.text == other


def test_a_follow_up_may_build_on_its_parent_but_not_repeat_it(offline: OfflineEngine) -> None:
    """"Give a concrete example of X" sits close to "X" (cosine ~0.9): a follow-up is compared
    with its parent by its words only."""
    encoder = offline.scorer.encoder
    design = "How would you design an idempotent payments API?"
    probe = "Can you give a concrete example of an idempotent payments API you built?"
    assert repeated_question(probe, [design], encoder, parent=design) is None
    assert repeated_question(design.upper(), [design], encoder, parent=design) is not None
    found = repeated_question(probe, [design], encoder)
    assert found is not None and found.similarity >= REPEAT_SIMILARITY
