"""Build domain `Question`s offline: from a bank entry, from the resume, or as a follow-up."""

from __future__ import annotations

import contextlib
import uuid

from kiosk.brain.bank import QuestionBank
from kiosk.brain.context import InterviewContext, PlannedSlot, Turn
from kiosk.brain.planner import REQUIREMENT_PROBE, RESUME_GROUNDED
from kiosk.domain.model import Question, QuestionKind

#: Phrased as a candidate would say them: MiniLM compares answers with these sentences, and
#: first-person statements sit much closer to real answers than descriptions of answers do.
RESUME_POINTS = (
    "In one project I used {skill} to solve a specific problem for the team or the product",
    "I was personally responsible for the design and made the key decisions myself",
    "Technically, I used {skill} in this way and chose it for these reasons",
    "As a result, performance, reliability or cost improved by a measurable amount",
    "Looking back, I learned from the problems we hit and would change some trade-offs",
)

#: The follow-up "give a concrete example" asks for a short story; these are its parts, in the
#: candidate's voice: the situation, their own actions, a result with a number, the lesson.
EXAMPLE_POINTS = (
    "We had a problem at work: something kept failing, was too slow or blocked people",
    "I fixed it myself by changing how it worked, step by step",
    "The result was a big improvement that we measured, for example from ten a day to one",
    "I learned a lesson from it that I still apply",
)
#: For a required skill the bank has no question on: what a candidate who has it would say.
REQUIREMENT_POINTS = (
    "I used {skill} in a real project and can say what it was for",
    "I did the work with {skill} myself: the setup, the design and the problems",
    "One difficult thing about {skill} was a specific problem, and I solved it this way",
    "Compared with similar tools, {skill} is good for some things and weaker at others",
)

EXAMPLE_PROBE = ("Could you give a concrete example from your own experience: what you did, "
                 "how, and what the result was?")


def question_id(index: int, slot: PlannedSlot) -> str:
    """Unique across sessions (stored rows are keyed by it), with the bank entry readable in it."""
    return f"q{index + 1:02d}-{slot.bank_id or 'gen'}~{uuid.uuid4().hex[:12]}"


def bank_id_of(question: Question) -> str:
    return question.question_id.split("-", 1)[-1].split("~", 1)[0]


def from_slot(
    context: InterviewContext, bank: QuestionBank, slot: PlannedSlot, index: int, engine: str
) -> Question:
    if slot.bank_id == RESUME_GROUNDED:
        role = context.resume.role_for_skill(slot.skill)
        where = f" at {role.organisation}" if role and role.organisation else " on your resume"
        evidence = context.resume.evidence_for(slot.skill)
        spelled = evidence.written if evidence else slot.skill  # "PostgreSQL", not "postgresql"
        text = (f"You list {spelled}{where}. Tell me about a piece of work where you used it: "
                "what was the problem, what did you do yourself, and how did it turn out?")
        points = tuple(p.format(skill=spelled) for p in RESUME_POINTS)
        return Question(question_id(index, slot), index, QuestionKind.TECHNICAL, text,
                        slot.skill, slot.rationale, points, engine)
    if slot.bank_id == REQUIREMENT_PROBE:
        wanted = slot.requirement or slot.skill
        text = (f"This role needs {wanted}. Tell me about your experience with it: what you "
                "built or ran with it, what you did yourself, and what was hard.")
        points = tuple(p.format(skill=wanted) for p in REQUIREMENT_POINTS)
        return Question(question_id(index, slot), index, QuestionKind.TECHNICAL, text,
                        slot.skill, slot.rationale, points, engine)
    entry = bank.by_id(slot.bank_id or "")
    return Question(question_id(index, slot), index, entry.kind, entry.text, slot.skill,
                    slot.rationale, entry.points, engine)


def follow_up(bank: QuestionBank, parent: Turn, index: int, engine: str) -> Question:
    """One probe on a thin answer: the bank's probe, or a request for a concrete example.

    The probe asks something the main question did not, so it carries its own expected points:
    the bank's `probe_points`, else the probe itself, and the parts of a concrete example for
    the generic probe. Scoring it against the parent's points would mark a good answer to the
    probe as off-topic."""
    question = parent.question
    bank_id = bank_id_of(question)
    probe, points = "", EXAMPLE_POINTS
    with contextlib.suppress(KeyError):  # resume-grounded and Gemini questions have no entry
        entry = bank.by_id(bank_id)
        probe = entry.probe
        if probe:
            points = entry.probe_points or (probe,)
    text = f"Let's go a little deeper. {probe}" if probe else EXAMPLE_PROBE
    return Question(
        f"{question.question_id}-fu", index, QuestionKind.FOLLOW_UP, text, question.skill,
        "follow-up: the previous answer was thin", points, engine,
        follow_up_of=question.question_id,
    )


__all__ = ["EXAMPLE_POINTS", "EXAMPLE_PROBE", "REQUIREMENT_POINTS", "RESUME_POINTS", "bank_id_of",
           "follow_up", "from_slot", "question_id"]
