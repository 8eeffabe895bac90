"""The Gemini path with the real google-genai client against the local fake: good replies,
prose, schema violations, 429 storms, 500s, timeouts and wrong keys."""

from __future__ import annotations

import logging

import pytest

from contract.scoring import AnswerScoreOut
from kiosk.brain import FallbackEngine, InterviewContext, OfflineEngine
from kiosk.brain.gemini import (
    GeminiAuthError,
    GeminiEngine,
    GeminiInvalidOutput,
    GeminiTransport,
    GeminiUnavailable,
    RetryPolicy,
)
from kiosk.domain.model import Answer, Question, QuestionKind
from kiosk.engine_setup import gemini_transport
from kiosk.settings import KioskSettings

from .conftest import API_KEY
from .fake_gemini import GOOD_SCORE, FakeGemini, Reply

QUESTION = Question("q01-be-01", 0, QuestionKind.TECHNICAL,
                    "How would you find and fix a slow query in PostgreSQL?", "postgresql",
                    expected_points=("Use EXPLAIN ANALYZE", "Add an index"))
ANSWER = Answer("a1", "q01-be-01", "I run EXPLAIN ANALYZE and then add an index on the column.")


def test_posts_to_v1_generate_content_with_key_header_and_schema(
        fake: FakeGemini, transport: GeminiTransport) -> None:
    result = transport.generate("hello", AnswerScoreOut, "system text")
    request = fake.requests[0]
    assert request.path == "/v1/models/gemini-2.5-flash:generateContent"
    assert request.api_version == "v1"
    assert "x-goog-api-key" not in request.headers  # recorded without the key, sent with it
    assert request.body["generationConfig"]["responseMimeType"] == "application/json"
    assert {"relevance", "depth", "evidence"} <= request.schema_properties
    assert result.value.relevance.score == GOOD_SCORE["relevance"]["score"]
    assert result.attempts == 1 and not result.repaired


def test_prose_gets_one_repair_with_the_validation_error(
        fake: FakeGemini, transport: GeminiTransport) -> None:
    fake.reset(Reply.prose("The answer looks great, 8/10!"), Reply.json(GOOD_SCORE))
    result = transport.generate("hello", AnswerScoreOut, "sys")
    assert result.repaired and len(fake.requests) == 2
    repair = fake.requests[1].body["contents"]
    assert repair[1]["role"] == "model" and "8/10" in repair[1]["parts"][0]["text"]
    assert "not valid" in repair[2]["parts"][0]["text"]


def test_prose_twice_raises_invalid_output(fake: FakeGemini, transport: GeminiTransport) -> None:
    fake.reset(Reply.prose(), Reply.prose())
    with pytest.raises(GeminiInvalidOutput):
        transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == 2


def test_schema_violating_json_is_repaired(fake: FakeGemini, transport: GeminiTransport) -> None:
    bad = dict(GOOD_SCORE, relevance={"score": 42, "rationale": "x"})
    fake.reset(Reply.json(bad), Reply.json(GOOD_SCORE))
    result = transport.generate("hello", AnswerScoreOut, "sys")
    assert result.repaired
    assert "less than or equal" in fake.requests[1].body["contents"][2]["parts"][0]["text"]


def test_429_then_success_backs_off_with_jitter(fake: FakeGemini, transport: GeminiTransport,
                                                sleeps: list[float]) -> None:
    fake.reset(Reply.error(429), Reply.error(503), Reply.json(GOOD_SCORE))
    transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == 3 and len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # base 0.5 x 2^n x [0.5, 1]


def test_429_storm_gives_up_after_bounded_attempts(
        fake: FakeGemini, transport: GeminiTransport, sleeps: list[float]) -> None:
    fake.reset(*[Reply.error(429)] * 10)
    with pytest.raises(GeminiUnavailable, match="429"):
        transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == transport.retry.max_attempts == 4
    assert len(sleeps) == 3


def test_500_is_retried(fake: FakeGemini, transport: GeminiTransport) -> None:
    fake.reset(Reply.error(500), Reply.json(GOOD_SCORE))
    assert transport.generate("hello", AnswerScoreOut, "sys").value.confidence == 0.8


def test_timeout_is_reported_at_once_not_retried(fake: FakeGemini) -> None:
    """Retrying a timeout costs another whole timeout: Gemini is treated as offline instead
    (the breaker's own tests are in test_gemini_breaker.py)."""
    transport = GeminiTransport(API_KEY, base_url=fake.base_url, timeout_s=0.3,
                                retry=RetryPolicy(max_attempts=2, sleep=lambda _s: None))
    fake.reset(Reply.slow(1.5, GOOD_SCORE), Reply.slow(1.5, GOOD_SCORE))
    with pytest.raises(GeminiUnavailable, match="timed out"):
        transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == 1 and transport.breaker.state.open


def test_wrong_key_is_not_retried_and_never_logged(
        fake: FakeGemini, caplog: pytest.LogCaptureFixture) -> None:
    secret = "wrong-key-SECRET-9876"
    transport = GeminiTransport(secret, base_url=fake.base_url, timeout_s=1.0,
                                retry=RetryPolicy(sleep=lambda _s: None))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(GeminiAuthError) as caught:
        transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == 1
    assert secret not in str(caught.value) and secret not in caplog.text


def test_forbidden_key(fake: FakeGemini, transport: GeminiTransport) -> None:
    fake.reset(Reply.error(403))
    with pytest.raises(GeminiAuthError, match="403"):
        transport.generate("hello", AnswerScoreOut, "sys")


def test_the_kiosk_settings_make_the_transport_and_no_key_means_offline(
    fake: FakeGemini, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_GEMINI_API_KEY", API_KEY)
    settings = KioskSettings(gemini_base_url=fake.base_url)
    transport = gemini_transport(settings)
    assert transport is not None
    transport.generate("hello", AnswerScoreOut, "sys")
    assert len(fake.requests) == 1
    monkeypatch.delenv("KIOSK_GEMINI_API_KEY")
    assert gemini_transport(settings) is None


def test_engine_scores_with_verbatim_evidence_only(
        fake: FakeGemini, gemini: GeminiEngine, backend_context: InterviewContext) -> None:
    fake.reset(Reply.json(dict(GOOD_SCORE, evidence=["I run EXPLAIN ANALYZE",
                                                     "an invented quote"])))
    score = gemini.score_answer(backend_context, QUESTION, ANSWER)
    assert score.engine == "gemini:gemini-2.5-flash" and not score.provisional
    assert score.evidence == ("I run EXPLAIN ANALYZE",)
    assert {c.criterion.value: c.score for c in score.criteria}["relevance"] == 7


def test_engine_writes_questions_and_final_evaluation(
        fake: FakeGemini, gemini: GeminiEngine, backend_context: InterviewContext) -> None:
    plan = gemini.plan(backend_context)
    question = gemini.next_question(backend_context, plan, [])
    assert question.engine.startswith("gemini") and len(question.expected_points) == 3
    assert question.kind == plan.slots[0].kind
    evaluation = gemini.final_evaluation(backend_context, [], __import__(
        "kiosk.brain.context", fromlist=["EvaluationInputs"]).EvaluationInputs(
        {"words_per_minute": 150.0}, {"level": "medium", "reasons": ["second face seen"]}))
    assert evaluation.engine.startswith("gemini")
    assert "not proof" in evaluation.behavioural_note.lower()


@pytest.mark.parametrize("failure", [
    [Reply.prose(), Reply.prose()],
    [Reply.error(429)] * 4,
    [Reply.error(500)] * 4,
    [Reply.error(401)],
])
def test_fallback_takes_over_a_failing_step(
        fake: FakeGemini, gemini: GeminiEngine, offline: OfflineEngine,
        backend_context: InterviewContext, failure: list[Reply]) -> None:
    engine = FallbackEngine(gemini, offline)
    fake.reset(*failure)
    score = engine.score_answer(backend_context, QUESTION, ANSWER)
    assert score.engine == offline.name and score.provisional
    assert engine.events[-1].fell_back and engine.events[-1].reason
    fake.reset()
    next_score = engine.score_answer(backend_context, QUESTION, ANSWER)
    if failure[0].status == 401:
        assert next_score.engine == offline.name and fake.requests == []
    else:
        assert next_score.engine == gemini.name
