"""Speech-recognition hints for a session: the job's and resume's own spellings, bounded, and
never the content of a good answer."""

from __future__ import annotations

from pathlib import Path

from kiosk.brain.bank import load_bank
from kiosk.brain.context import InterviewContext
from kiosk.brain.planner import plan_interview
from kiosk.brain.questions import from_slot
from kiosk.brain.speech_hints import hint_terms, transcription_hints
from kiosk.domain.model import SessionSettings
from speech.results import MAX_HOTWORDS_CHARS

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"


def _demo(hr: tuple[str, ...] = ()) -> InterviewContext:
    return InterviewContext.build((DEMO / "resume.txt").read_text(),
                                  (DEMO / "job_description.txt").read_text(),
                                  SessionSettings(question_count=5), required_skills=hr)


def test_terms_are_spelled_as_written_job_first_then_resume_then_employers() -> None:
    terms = hint_terms(_demo(hr=("Temenos T24",)))
    assert terms[0] == "Temenos T24"  # HR's typed skills lead
    assert "PostgreSQL" in terms and "postgresql" not in terms
    assert terms.index("FastAPI") < terms.index("Snowflake")  # the job's before the resume's
    assert terms[-2:] == ("Tramline Logistics", "Quinta Analytics")
    assert all("Lisbon" not in t and "José" not in t for t in terms)


def test_hints_are_bounded_and_carry_the_question_but_no_expected_points() -> None:
    context = _demo()
    plan = plan_interview(context, "offline")
    bank = load_bank()
    for slot in plan.slots:
        question = from_slot(context, bank, slot, slot.index, "offline")
        hints = transcription_hints(context, question.text)
        assert len(hints.hotwords) <= MAX_HOTWORDS_CHARS
        assert hints.prompt == question.text
        for point in question.expected_points:
            assert point not in hints.hotwords and point not in hints.prompt
