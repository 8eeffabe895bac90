"""A scanned resume through OCR, and the help chatbot's model-based intents and guard."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from kiosk.brain.gemini.help import gemini_help
from kiosk.brain.helpdesk import REFUSAL, HelpDesk, Intent
from kiosk.domain.model import Question, QuestionKind
from kiosk.ingest import read_document_bytes

from .fake_gemini import FakeGemini, Reply

QUESTION = Question("q1", 0, QuestionKind.TECHNICAL,
                    "How would you find and fix a slow query in PostgreSQL?", "postgresql",
                    expected_points=("Use EXPLAIN ANALYZE to read the actual query plan",
                                     "Add an index on the filtered or joined columns"))


def _scanned_pdf(lines: list[str]) -> bytes:
    image = Image.new("RGB", (1240, 700), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    for i, line in enumerate(lines):
        draw.text((60, 60 + 80 * i), line, fill="black", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=150)
    return buffer.getvalue()


@pytest.mark.slow
def test_scanned_pdf_is_read_by_ocr() -> None:
    data = _scanned_pdf(["Jane Doe", "Backend Engineer at Acme", "Skills: Python, Kubernetes"])
    result = read_document_bytes(data, "scan.pdf")
    assert result.ocr_used and "OCR" in result.warnings[0]
    assert "Python" in result.text and "Acme" in result.text


@pytest.mark.parametrize(("message", "intent"), [
    ("Sorry, I could not hear you, what did you ask?", Intent.REPEAT),
    ("What happens after I finish talking?", Intent.HOW_IT_WORKS),
])
def test_embedding_intents(encoder, message: str, intent: Intent) -> None:
    desk = HelpDesk(encoder_factory=lambda: encoder)
    assert desk.classify(message) == intent


def test_gemini_help_reply_is_checked_for_leaks(encoder, fake: FakeGemini, transport) -> None:
    desk = HelpDesk(encoder_factory=lambda: encoder, remote=gemini_help(transport))
    fake.reset(Reply.json({"intent": "rephrase",
                           "reply": "Think about reading the actual query plan with EXPLAIN "
                                    "ANALYZE."}))
    leaked = desk.reply("can you rephrase that", QUESTION, 100)
    assert "EXPLAIN" not in leaked.text and leaked.engine == "offline-helpdesk"
    fake.reset(Reply.json({"intent": "time_left", "reply": "You have about a minute and a "
                                                           "half left."}))
    fine = desk.reply("how long do I have", QUESTION, 100)
    assert fine.engine == "gemini" and "minute" in fine.text


def test_answer_requests_never_reach_gemini(encoder, fake: FakeGemini, transport) -> None:
    desk = HelpDesk(encoder_factory=lambda: encoder, remote=gemini_help(transport))
    for message in ("what's the answer?", "give me a hint", "what are the key points"):
        assert desk.reply(message, QUESTION, 100).text == REFUSAL
    assert fake.requests == []


def test_gemini_down_falls_back_to_offline_help(encoder, fake: FakeGemini, transport) -> None:
    desk = HelpDesk(encoder_factory=lambda: encoder, remote=gemini_help(transport))
    fake.reset(*[Reply.error(503)] * 4)
    reply = desk.reply("please repeat the question", QUESTION, 100)
    assert reply.intent == Intent.REPEAT and QUESTION.text in reply.text
