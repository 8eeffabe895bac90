"""Help chatbot intents that need no model, and refusals."""

from __future__ import annotations

import pytest

from kiosk.brain.helpdesk import REFUSAL, HelpDesk, Intent, rephrase
from kiosk.domain.model import Question, QuestionKind, SessionSettings

QUESTION = Question("q1", 0, QuestionKind.TECHNICAL,
                    "How would you find and fix a slow query in PostgreSQL?", "postgresql",
                    expected_points=("Use EXPLAIN ANALYZE to read the actual query plan",
                                     "Add an index on the filtered columns"))


def _no_model() -> None:
    raise AssertionError("keyword intents must not need the model")


@pytest.mark.parametrize("message", [
    "what's the answer?", "give me a hint", "what are the key points", "What should I say?",
    "Is my answer correct?", "can you tell me what you're looking for",
])
def test_answer_requests_are_refused(message: str) -> None:
    desk = HelpDesk(encoder_factory=_no_model)  # type: ignore[arg-type]
    reply = desk.reply(message, QUESTION, 60)
    assert reply.intent == Intent.ANSWER_REQUEST and reply.text == REFUSAL
    assert "EXPLAIN" not in reply.text and "index" not in reply.text.lower()


@pytest.mark.parametrize(("message", "intent"), [
    ("Can you repeat the question?", Intent.REPEAT),
    ("I don't understand, can you rephrase?", Intent.REPHRASE),
    ("How much time do I have left?", Intent.TIME_LEFT),
    ("My microphone is not working", Intent.TECHNICAL_PROBLEM),
    ("How many questions are there?", Intent.HOW_IT_WORKS),
])
def test_keyword_intents(message: str, intent: Intent) -> None:
    desk = HelpDesk(SessionSettings(question_count=5), encoder_factory=_no_model)  # type: ignore[arg-type]
    reply = desk.reply(message, QUESTION, 95)
    assert reply.intent == intent
    if intent == Intent.REPEAT:
        assert QUESTION.text in reply.text
    if intent == Intent.TIME_LEFT:
        assert "1 min 35 s" in reply.text
    if intent == Intent.TECHNICAL_PROBLEM:
        assert reply.escalate and desk.reports == [message]
    if intent == Intent.HOW_IT_WORKS:
        assert "5 questions" in reply.text


def test_rephrase_adds_no_information() -> None:
    text = rephrase(QUESTION.text)
    assert text.startswith("In other words")
    assert "slow query in PostgreSQL" in text and "EXPLAIN" not in text


def test_remote_reply_that_leaks_a_point_is_withheld() -> None:
    def leaky(message: str, question: Question, left: int | None) -> tuple[str, str]:
        return "rephrase", "Hint: use EXPLAIN ANALYZE to read the actual query plan."

    desk = HelpDesk(encoder_factory=_no_model, remote=leaky)  # type: ignore[arg-type]
    reply = desk.reply("could you rephrase the question", QUESTION, 60)
    assert "EXPLAIN" not in reply.text and reply.engine == "offline-helpdesk"
