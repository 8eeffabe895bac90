"""Adaptive flow shared by every engine: when to probe, when to move on, when to stop.

A thin answer (overall below `THIN_ANSWER`) to a main question gets one follow-up probe; a
strong one moves on. Follow-ups never get follow-ups and never count towards the planned
number of questions, so the session length stays bounded at twice the plan.
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.brain.context import InterviewPlan, PlannedSlot, Turn
from kiosk.domain.model import QuestionKind

THIN_ANSWER = 5.0
_NO_PROBE = {QuestionKind.FOLLOW_UP, QuestionKind.CLOSING, QuestionKind.INTRO}


def follow_up_target(turns: Sequence[Turn]) -> Turn | None:
    """The last turn if it deserves a probe, else None."""
    if not turns:
        return None
    last = turns[-1]
    if last.question.kind in _NO_PROBE or last.score is None or last.answer is None:
        return None
    if any(t.question.follow_up_of == last.question.question_id for t in turns):
        return None
    return last if last.score.overall < THIN_ANSWER else None


def next_slot(plan: InterviewPlan, turns: Sequence[Turn]) -> PlannedSlot | None:
    asked = sum(1 for t in turns if t.question.follow_up_of is None)
    return plan.slots[asked] if asked < len(plan.slots) else None


def main_turns(turns: Sequence[Turn]) -> list[Turn]:
    return [t for t in turns if t.question.follow_up_of is None]


__all__ = ["THIN_ANSWER", "follow_up_target", "main_turns", "next_slot"]
