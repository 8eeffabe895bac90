"""Choose the interview's main questions from the match between resume and job.

The mix follows the question count in `SessionSettings`: an intro when there is room, one
resume-grounded question about a skill the job needs and the resume shows, technical questions
on required skills (shown ones first, then gaps), one behavioural and one situational question,
and a closing question in longer sessions.
"""

from __future__ import annotations

import time

from kiosk.brain.bank import QuestionBank, load_bank
from kiosk.brain.context import InterviewContext, InterviewPlan, PlannedSlot
from kiosk.domain.model import QuestionKind

RESUME_GROUNDED = "resume"


def _kinds(count: int) -> list[QuestionKind]:
    """Kinds in asking order; technical questions fill whatever the others leave."""
    if count <= 0:
        return []
    intro = count >= 3
    closing = count >= 7
    soft = [QuestionKind.BEHAVIOURAL] if count >= 2 and count != 3 else []
    if count >= 5:
        soft.append(QuestionKind.SITUATIONAL)
    body = [QuestionKind.TECHNICAL] * (count - len(soft) - intro - closing)
    # Spread the soft questions between technical ones so no block gets tiring.
    for offset, kind in enumerate(soft):
        body.insert(min(len(body), 1 + offset * 2 + offset), kind)
    return [QuestionKind.INTRO] * intro + body + [QuestionKind.CLOSING] * closing


def _skill_priorities(context: InterviewContext) -> list[tuple[str, str]]:
    match = context.match
    ranked: list[tuple[str, str]] = []
    ranked += [(s, f"required skill {s!r} that the resume shows: probing depth")
               for s in match.matched_required]
    ranked += [(s, f"required skill {s!r} not found on the resume: checking the gap")
               for s in match.missing_required]
    ranked += [(s, f"nice-to-have skill {s!r} on the resume") for s in match.matched_nice]
    ranked += [(s, f"nice-to-have skill {s!r}") for s in match.missing_nice]
    ranked += [(s, f"resume skill {s!r} related to the role") for s in match.extra_skills]
    return list(dict((s, (s, r)) for s, r in ranked).values())


def _resume_grounded(context: InterviewContext) -> PlannedSlot | None:
    for skill in context.match.matched_required + context.match.matched_nice:
        role = context.resume.role_for_skill(skill)
        if role is not None:
            return PlannedSlot(0, QuestionKind.TECHNICAL, skill,
                               f"resume-grounded: {skill} listed at {role.organisation}",
                               RESUME_GROUNDED)
    return None


def plan_interview(
    context: InterviewContext, engine: str, bank: QuestionBank | None = None
) -> InterviewPlan:
    started = time.perf_counter()
    bank = bank or load_bank()
    kinds = _kinds(context.settings.question_count)
    skills = _skill_priorities(context)
    families = list(context.job_profile.families) or list(bank.families)
    seed = context.job.text
    used: list[str] = []
    slots: list[PlannedSlot] = []
    grounded = _resume_grounded(context) if kinds.count(QuestionKind.TECHNICAL) >= 2 else None
    skill_cursor = 0
    for index, kind in enumerate(kinds):
        if kind == QuestionKind.TECHNICAL and grounded is not None:
            slots.append(PlannedSlot(index, kind, grounded.skill, grounded.rationale,
                                     RESUME_GROUNDED))
            skill_cursor = next((i + 1 for i, (s, _) in enumerate(skills)
                                 if s == grounded.skill), 0)
            grounded = None
            continue
        if kind == QuestionKind.TECHNICAL:
            choice = None
            while skill_cursor < len(skills) and choice is None:
                skill, why = skills[skill_cursor]
                skill_cursor += 1
                candidate = bank.pick(kind, [skill], families, used, seed)
                if candidate is not None and skill in candidate.skills:
                    choice, rationale, target = candidate, why, skill
            if choice is None:
                choice = bank.pick(kind, [], families, used, seed)
                rationale = f"core question for the {choice.family} role family" if choice else ""
                target = choice.skills[0] if choice and choice.skills else ""
            if choice is None:
                continue
            used.append(choice.bank_id)
            slots.append(PlannedSlot(index, kind, target, rationale, choice.bank_id))
            continue
        picked = bank.pick(kind, [], [], used, seed)
        if picked is None:
            continue
        used.append(picked.bank_id)
        slots.append(PlannedSlot(index, kind, picked.skills[0] if picked.skills else "",
                                 f"{kind.value} question: {', '.join(picked.skills) or 'rapport'}",
                                 picked.bank_id))
    slots = [PlannedSlot(i, s.kind, s.skill, s.rationale, s.bank_id) for i, s in enumerate(slots)]
    return InterviewPlan(
        tuple(slots),
        context.settings.answer_seconds(),
        engine,
        {"plan_ms": round((time.perf_counter() - started) * 1000, 2)},
    )


__all__ = ["RESUME_GROUNDED", "plan_interview"]
