"""The plan asks about every required skill of the job, HR's typed skills included, counts
"Go or Java" once, says which skills it could not fit and why, and never builds a question
from a resume's header line."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.brain.bank import load_bank
from kiosk.brain.context import InterviewContext
from kiosk.brain.planner import REQUIREMENT_PROBE, RESUME_GROUNDED, plan_interview
from kiosk.brain.questions import from_slot
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Candidate,
    InterviewSession,
    JobDescription,
    QuestionKind,
    SessionSettings,
)

DATA = Path(__file__).resolve().parents[2] / "data"
RESUME = (DATA / "ingest" / "resume_pune_headline.txt").read_text()
JD = """Backend Engineer (Payments)
Requirements
- Go or Java in production
- PostgreSQL schema design and query tuning
- Kafka and Docker
"""


def _context(count: int = 8, hr: tuple[str, ...] = (), jd: str = JD,
             resume: str = RESUME) -> InterviewContext:
    return InterviewContext.build(resume, jd, SessionSettings(question_count=count),
                                  required_skills=hr)


def _questions(context: InterviewContext) -> list[str]:
    plan = plan_interview(context, "offline")
    bank = load_bank()
    return [from_slot(context, bank, s, s.index, "offline").text for s in plan.slots]


def test_every_required_skill_is_asked_when_there_is_room() -> None:
    context = _context(count=8)
    plan = plan_interview(context, "offline")
    assert {c.requirement for c in plan.coverage} == {"Go or Java", "PostgreSQL", "Kafka",
                                                      "Docker"}
    assert plan.not_asked == ()
    for covered in plan.coverage:  # asked by its own question, or by one that covers several
        slot = plan.slots[covered.slot_index]
        assert covered.requirement == slot.requirement or covered.requirement in slot.rationale


def test_alternatives_are_one_requirement_asked_through_the_one_the_resume_shows() -> None:
    context = _context(count=8)
    choice = next(f for f in context.match.required if f.requirement.label == "Go or Java")
    assert choice.met_by == ("go", "java") and choice.via_alternative
    plan = plan_interview(context, "offline")
    slots = [s for s in plan.slots if s.requirement == "Go or Java"]
    assert len(slots) == 1 and slots[0].skill in ("go", "java")


def test_hr_typed_skills_are_used_even_when_the_text_never_names_them() -> None:
    context = _context(count=8, hr=("Terraform", "Temenos T24"))
    labels = [f.requirement.label for f in context.match.required]
    assert labels[:2] == ["Terraform", "Temenos T24"]  # HR's first, then the text's
    plan = plan_interview(context, "offline")
    by_requirement = {s.requirement: s for s in plan.slots}
    assert by_requirement["Terraform"].skill == "terraform"
    unknown = by_requirement["Temenos T24"]  # the bank knows nothing of it: asked directly
    assert unknown.bank_id == REQUIREMENT_PROBE
    bank = load_bank()
    assert "Temenos T24" in from_slot(context, bank, unknown, unknown.index, "offline").text


def test_hr_skills_arrive_from_the_session_pack() -> None:
    session = InterviewSession(
        "s1", "KEY", Candidate("", "", RESUME),
        JobDescription("Backend Engineer", JD, required_skills=("Terraform",)),
        SessionSettings(question_count=8), SessionState.OPENED, datetime.now(UTC),
    )
    context = InterviewContext.for_session(session)
    assert "Terraform" in [f.requirement.label for f in context.match.required]
    assert context.candidate.full_name == "Rahul Verma"  # from the resume when none was given


def test_more_required_skills_than_questions_are_prioritised_and_the_rest_named() -> None:
    context = _context(count=4, hr=("Terraform",))
    plan = plan_interview(context, "offline")
    technical = [s for s in plan.slots if s.kind is QuestionKind.TECHNICAL]
    assert len(technical) == 2
    assert technical[0].requirement == "Terraform" or technical[1].requirement == "Terraform"
    missed = plan.not_asked
    assert len(missed) == len(context.match.required) - 2
    assert all("2 technical questions for 5 required skills" in c.note for c in missed)


def test_no_question_is_built_from_the_header_line() -> None:
    for count in (3, 5, 8):
        for text in _questions(_context(count=count)):
            assert "Pune" not in text, text
    plan = plan_interview(_context(count=8), "offline")
    grounded = [s for s in plan.slots if s.bank_id == RESUME_GROUNDED]
    assert grounded and "Zeta Payments" in grounded[0].rationale


def test_a_resume_with_skills_only_in_a_list_gets_no_made_up_employer() -> None:
    resume = "Rahul Verma\nBackend Engineer · Pune · rahul@example.in\nSkills\nGo, PostgreSQL"
    context = _context(count=8, resume=resume)
    plan = plan_interview(context, "offline")
    assert all(s.bank_id != RESUME_GROUNDED for s in plan.slots)
    assert all(" at " not in t.split(".")[0] for t in _questions(context))


def test_plan_is_deterministic_and_fills_the_count() -> None:
    context = _context(count=6, hr=("Terraform",))
    first, second = plan_interview(context, "a"), plan_interview(context, "a")
    assert first.slots == second.slots and first.coverage == second.coverage
    assert len(first.slots) == 6
    assert len({s.bank_id for s in first.slots if s.bank_id != REQUIREMENT_PROBE}) == len(
        [s for s in first.slots if s.bank_id != REQUIREMENT_PROBE])
    assert replace(context.settings, question_count=6) == context.settings
