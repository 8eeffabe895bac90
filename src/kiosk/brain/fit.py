"""The resume's fit with the job and the plan's coverage of its required skills, as the session
stores them (`contract.fit.JobFit`): made once when the interview's plan is made."""

from __future__ import annotations

from contract.fit import JobFit, RequirementFitLine, SkillEvidence
from kiosk.brain.context import InterviewPlan
from kiosk.ingest import MatchResult, RequirementFit


def _line(fit: RequirementFit, plan: InterviewPlan | None) -> RequirementFitLine:
    requirement = fit.requirement
    covered = None
    if requirement.required and plan is not None:
        covered = next((c for c in plan.coverage if c.requirement == requirement.label), None)
    return RequirementFitLine(
        requirement=requirement.label,
        required=requirement.required,
        from_hr=requirement.source == "hr",
        met_by=fit.met_by,
        evidence=tuple(SkillEvidence(e.skill, e.sentence, e.organisation) for e in fit.evidence),
        planned_main_question=None if covered is None or covered.slot_index is None
        else covered.slot_index + 1,
        not_asked="" if covered is None or covered.slot_index is not None else covered.note,
        choice=requirement.is_choice,
    )


def job_fit(match: MatchResult, plan: InterviewPlan | None) -> JobFit:
    """The match of the resume with the job, each required skill with the question that asks
    it (or why none does), from `plan` (None: the interview has no plan yet)."""
    return JobFit(
        score=round(match.score, 1),
        requirements=tuple(_line(f, plan) for f in match.required + match.nice_to_have),
        extra_skills=match.extra_skills,
        years_experience=match.years_experience,
    )


__all__ = ["job_fit"]
