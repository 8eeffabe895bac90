"""Choose the interview's main questions so that every required skill of the job is asked about.

The mix of kinds follows the question count in `SessionSettings`: an intro when there is room,
technical questions, one behavioural and one situational question, and a closing question in
longer sessions. The technical questions cover the job's required requirements (HR's typed
skills first, then the job text's; "Go or Java" is one requirement):
- one resume-grounded question about a required skill the resume shows in a job
  ("You list Kafka at Acme Payments ..."), never built from the resume's header;
- then, for each requirement still uncovered, the bank question that covers the most
  uncovered requirements at once; when the bank has none for it (a skill HR typed that the
  bank does not know), a question written from the requirement itself;
- spare technical slots go to nice-to-haves, then to the resume's other skills.
When the required requirements outnumber the technical slots, the plan says which were not
asked and why (`InterviewPlan.coverage`).
"""

from __future__ import annotations

import hashlib
import time

from kiosk.brain.bank import BankQuestion, QuestionBank, load_bank
from kiosk.brain.context import (
    InterviewContext,
    InterviewPlan,
    PlannedSlot,
    RequirementCoverage,
)
from kiosk.domain.model import QuestionKind
from kiosk.ingest import RequirementFit

RESUME_GROUNDED = "resume"
#: A technical question written from a requirement the bank has no question for.
REQUIREMENT_PROBE = "requirement"


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


def _required_in_priority(context: InterviewContext, bank: QuestionBank) -> list[RequirementFit]:
    """HR's typed requirements first (HR named them on purpose), then the job text's; within
    each, those the resume shows (probe depth) before the gaps (check them), and those the
    bank has a curated question on before those that need a question written directly."""
    in_bank = {s for q in bank.of_kind(QuestionKind.TECHNICAL) for s in q.skills}
    fits = list(context.match.required)
    return sorted(fits, key=lambda f: (f.requirement.source != "hr", not f.met,
                                       not set(_skills_to_ask(f)) & in_bank))


def _skills_to_ask(fit: RequirementFit) -> tuple[str, ...]:
    """The options a question should be about: the ones the resume shows, else all."""
    return fit.met_by or fit.requirement.options


def _why(fit: RequirementFit) -> str:
    label = fit.requirement.label
    who = "HR's required skill" if fit.requirement.source == "hr" else "required skill"
    if not fit.met:
        return f"{who} {label!r} not found on the resume: checking the gap"
    if fit.via_alternative:
        return f"{who} {label!r}, met by {', '.join(fit.met_by)} on the resume: probing depth"
    return f"{who} {label!r} that the resume shows: probing depth"


def _rank(question: BankQuestion, families: list[str], seed: str) -> tuple[int, str]:
    family_rank = families.index(question.family) if question.family in families else 99
    return family_rank, hashlib.sha256(f"{seed}|{question.bank_id}".encode()).hexdigest()


class _Coverage:
    """Which required requirements the plan asks about so far."""

    def __init__(self, fits: list[RequirementFit]) -> None:
        self.fits = fits
        self.slot_of: dict[str, int] = {}

    def uncovered(self) -> list[RequirementFit]:
        return [f for f in self.fits if f.requirement.key not in self.slot_of]

    def covers(self, skills: tuple[str, ...]) -> list[RequirementFit]:
        return [f for f in self.uncovered() if set(_skills_to_ask(f)) & set(skills)]

    def mark(self, fits: list[RequirementFit], index: int) -> None:
        for fit in fits:
            self.slot_of.setdefault(fit.requirement.key, index)


def _best_question(
    target: RequirementFit, coverage: _Coverage, bank: QuestionBank, families: list[str],
    used: list[str], seed: str,
) -> BankQuestion | None:
    """The unused technical question on `target` that covers the most uncovered requirements."""
    wanted = set(_skills_to_ask(target))
    pool = [q for q in bank.of_kind(QuestionKind.TECHNICAL)
            if q.bank_id not in used and wanted & set(q.skills)]
    if not pool:
        return None
    return min(pool, key=lambda q: (-len(coverage.covers(q.skills)), *_rank(q, families, seed)))


def _grounded(context: InterviewContext, fits: list[RequirementFit]) -> tuple[str, str,
                                                                               RequirementFit
                                                                               ] | None:
    """A required skill the resume shows in a job (not in a skills list or the header)."""
    for fit in fits:
        for skill in fit.met_by:
            role = context.resume.role_for_skill(skill)
            if role is not None and role.organisation:
                return skill, f"resume-grounded: {skill} used at {role.organisation}", fit
    return None


def _extra_skills(context: InterviewContext) -> list[tuple[str, str]]:
    match = context.match
    ranked = [(s, f"nice-to-have skill {f.requirement.label!r} on the resume")
              for f in match.matched_nice for s in f.met_by]
    ranked += [(s, f"nice-to-have skill {f.requirement.label!r}")
               for f in match.missing_nice for s in f.requirement.options if f.requirement.known]
    ranked += [(s, f"resume skill {s!r} related to the role") for s in match.extra_skills]
    return list(dict((s, (s, r)) for s, r in ranked).values())


def plan_interview(
    context: InterviewContext, engine: str, bank: QuestionBank | None = None
) -> InterviewPlan:
    started = time.perf_counter()
    bank = bank or load_bank()
    kinds = _kinds(context.settings.question_count)
    technical_slots = kinds.count(QuestionKind.TECHNICAL)
    families = list(context.job_profile.families) or list(bank.families)
    seed = context.job.text
    fits = _required_in_priority(context, bank)
    coverage = _Coverage(fits)
    extras = _extra_skills(context)
    used: list[str] = []
    slots: list[PlannedSlot] = []
    grounded = _grounded(context, fits) if technical_slots >= 2 else None
    for kind in kinds:
        index = len(slots)
        if kind is not QuestionKind.TECHNICAL:
            picked = bank.pick(kind, [], [], used, seed)
            if picked is None:
                continue
            used.append(picked.bank_id)
            slots.append(PlannedSlot(
                index, kind, picked.skills[0] if picked.skills else "",
                f"{kind.value} question: {', '.join(picked.skills) or 'rapport'}",
                picked.bank_id))
            continue
        if grounded is not None:
            skill, why, fit = grounded
            grounded = None
            coverage.mark([fit], index)
            slots.append(PlannedSlot(index, kind, skill, why, RESUME_GROUNDED,
                                     fit.requirement.label))
            continue
        slot = _requirement_slot(index, coverage, bank, families, used, seed)
        if slot is None:
            slot = _extra_slot(index, extras, bank, families, used, seed)
        if slot is not None:
            slots.append(slot)
    return InterviewPlan(
        tuple(slots),
        context.settings.answer_seconds(),
        engine,
        {"plan_ms": round((time.perf_counter() - started) * 1000, 2)},
        _coverage_notes(coverage, technical_slots),
    )


def _requirement_slot(
    index: int, coverage: _Coverage, bank: QuestionBank, families: list[str], used: list[str],
    seed: str,
) -> PlannedSlot | None:
    uncovered = coverage.uncovered()
    if not uncovered:
        return None
    target = uncovered[0]
    question = _best_question(target, coverage, bank, families, used, seed)
    if question is None:
        coverage.mark([target], index)
        skill = _skills_to_ask(target)[0] if target.requirement.known else target.requirement.label
        return PlannedSlot(index, QuestionKind.TECHNICAL, skill,
                           _why(target) + " (no bank question on it: asked directly)",
                           REQUIREMENT_PROBE, target.requirement.label)
    covered = coverage.covers(question.skills)
    coverage.mark(covered, index)
    used.append(question.bank_id)
    skill = next(s for s in question.skills if s in _skills_to_ask(target))
    also = [f.requirement.label for f in covered if f is not target]
    rationale = _why(target) + (f"; also covers {', '.join(also)}" if also else "")
    return PlannedSlot(index, QuestionKind.TECHNICAL, skill, rationale, question.bank_id,
                       target.requirement.label)


def _extra_slot(
    index: int, extras: list[tuple[str, str]], bank: QuestionBank, families: list[str],
    used: list[str], seed: str,
) -> PlannedSlot | None:
    while extras:
        skill, why = extras.pop(0)
        candidate = bank.pick(QuestionKind.TECHNICAL, [skill], families, used, seed)
        if candidate is not None and skill in candidate.skills:
            used.append(candidate.bank_id)
            return PlannedSlot(index, QuestionKind.TECHNICAL, skill, why, candidate.bank_id)
    choice = bank.pick(QuestionKind.TECHNICAL, [], families, used, seed)
    if choice is None:
        return None
    used.append(choice.bank_id)
    return PlannedSlot(index, QuestionKind.TECHNICAL, choice.skills[0] if choice.skills else "",
                       f"core question for the {choice.family} role family", choice.bank_id)


def _coverage_notes(coverage: _Coverage, technical_slots: int) -> tuple[RequirementCoverage, ...]:
    """Each required requirement: the question that asks about it, or why none does."""
    notes = []
    missed = coverage.uncovered()
    for fit in coverage.fits:
        label = fit.requirement.label
        index = coverage.slot_of.get(fit.requirement.key)
        if index is not None:
            notes.append(RequirementCoverage(label, index, f"asked in question {index + 1}"))
            continue
        if technical_slots == 0:
            reason = "not asked: this interview has no technical questions"
        else:
            reason = (f"not asked: {technical_slots} technical question"
                      f"{'s' if technical_slots != 1 else ''} for {len(coverage.fits)} required "
                      f"skills; HR's skills and those the resume shows were asked first "
                      f"({len(missed)} left out)")
        notes.append(RequirementCoverage(label, None, reason))
    return tuple(notes)


__all__ = ["REQUIREMENT_PROBE", "RESUME_GROUNDED", "plan_interview"]
