"""The composite engine: which step it hands to the offline engine, and what it logs."""

from __future__ import annotations

from kiosk.brain import FallbackEngine, InterviewContext
from kiosk.brain.context import EvaluationInputs
from kiosk.brain.gemini import GeminiAuthError, GeminiUnavailable
from kiosk.domain.model import Answer, Question, QuestionKind

from .conftest import StubEngine


def _answer(text: str = "one two three four five six seven eight nine ten") -> Answer:
    return Answer("a1", "q1", text)


def test_healthy_primary_does_every_step(backend_context: InterviewContext) -> None:
    engine = FallbackEngine(StubEngine("primary", provisional=False), StubEngine("offline"))
    plan = engine.plan(backend_context)
    question = engine.next_question(backend_context, plan, [])
    score = engine.score_answer(backend_context, question, _answer())
    assert question.engine == "primary" and score.engine == "primary"
    assert [e.engine for e in engine.events] == ["primary"] * 3
    assert not any(e.fell_back for e in engine.events)


def test_failing_step_falls_back_and_is_logged(backend_context: InterviewContext) -> None:
    primary = StubEngine("primary", fail_with=GeminiUnavailable("429 storm"))
    engine = FallbackEngine(primary, StubEngine("offline"))
    question = Question("q1", 0, QuestionKind.TECHNICAL, "q")
    score = engine.score_answer(backend_context, question, _answer())
    score_again = engine.score_answer(backend_context, question, _answer())
    assert score.engine == score_again.engine == "offline"
    assert engine.events[0].fell_back and "429" in engine.events[0].reason
    assert primary.calls == ["score_answer", "score_answer"]  # transient: tried again


def test_refused_key_disables_primary_for_the_session(backend_context: InterviewContext) -> None:
    primary = StubEngine("primary", fail_with=GeminiAuthError("HTTP 401"))
    engine = FallbackEngine(primary, StubEngine("offline"))
    engine.plan(backend_context)
    engine.final_evaluation(backend_context, [], EvaluationInputs())
    assert primary.calls == ["plan"]
    assert engine.primary_disabled and all(e.fell_back for e in engine.events)


def test_unexpected_crash_also_falls_back(backend_context: InterviewContext) -> None:
    class Broken(StubEngine):
        def plan(self, context: InterviewContext):  # type: ignore[override]
            raise KeyError("bug")

    engine = FallbackEngine(Broken("primary"), StubEngine("offline"))
    assert engine.plan(backend_context).engine == "offline"


