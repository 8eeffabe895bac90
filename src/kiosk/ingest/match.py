"""Resume versus job: which requirements the resume meets, with what evidence, and a score.

The result is structured for the people who read it (the PDF report, the hub's session page):
each requirement with the skill that meets it, the sentence of the resume that shows it and the
organisation where it was used; choices ("Go or Java") say which alternative was met.
`MatchResult.to_dict()` is the plain-JSON form for storage and the wire.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kiosk.ingest.jd import JobProfile
from kiosk.ingest.requirements import Requirement
from kiosk.ingest.resume import ResumeProfile

#: Required skills weigh four times the nice-to-haves; experience nudges, never dominates.
_REQUIRED_WEIGHT = 0.8
_NICE_WEIGHT = 0.2
_MAX_EVIDENCE = 2


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence of the resume that shows a skill, and where it was used."""

    skill: str
    sentence: str
    organisation: str = ""  # "" when the sentence is not under a job (a skills list, summary)


@dataclass(frozen=True, slots=True)
class RequirementFit:
    requirement: Requirement
    met_by: tuple[str, ...]  # the options the resume shows, in the requirement's order
    evidence: tuple[Evidence, ...]

    @property
    def met(self) -> bool:
        return bool(self.met_by)

    @property
    def via_alternative(self) -> bool:
        """Met through a choice ("Go or Java": the resume shows Java)."""
        return self.met and self.requirement.is_choice

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement.label,
            "options": list(self.requirement.options),
            "required": self.requirement.required,
            "source": self.requirement.source,
            "met": self.met,
            "met_by": list(self.met_by),
            "via_alternative": self.via_alternative,
            "evidence": [
                {"skill": e.skill, "sentence": e.sentence, "organisation": e.organisation}
                for e in self.evidence
            ],
        }


@dataclass(frozen=True, slots=True)
class MatchResult:
    required: tuple[RequirementFit, ...]
    nice_to_have: tuple[RequirementFit, ...]
    extra_skills: tuple[str, ...]  # on the resume, not asked for
    score: float  # 0-100
    reasons: tuple[str, ...]
    years_experience: float | None = None

    @property
    def matched_required(self) -> tuple[RequirementFit, ...]:
        return tuple(f for f in self.required if f.met)

    @property
    def missing_required(self) -> tuple[RequirementFit, ...]:
        return tuple(f for f in self.required if not f.met)

    @property
    def matched_nice(self) -> tuple[RequirementFit, ...]:
        return tuple(f for f in self.nice_to_have if f.met)

    @property
    def missing_nice(self) -> tuple[RequirementFit, ...]:
        return tuple(f for f in self.nice_to_have if not f.met)

    @property
    def alternatives_satisfied(self) -> tuple[RequirementFit, ...]:
        return tuple(f for f in self.required + self.nice_to_have if f.via_alternative)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the report, storage and the hub."""
        return {
            "score": self.score,
            "required": [f.to_dict() for f in self.required],
            "nice_to_have": [f.to_dict() for f in self.nice_to_have],
            "matched_required": [f.requirement.label for f in self.matched_required],
            "missing_required": [f.requirement.label for f in self.missing_required],
            "alternatives_satisfied": [
                {"requirement": f.requirement.label, "met_by": list(f.met_by)}
                for f in self.alternatives_satisfied
            ],
            "extra_skills": list(self.extra_skills),
            "years_experience": self.years_experience,
            "reasons": list(self.reasons),
        }


def _evidence(resume: ResumeProfile, skill: str) -> tuple[Evidence, ...]:
    mentions = sorted(
        (e for e in resume.evidence if e.skill == skill),
        key=lambda e: (e.role_index is None, e.section != "experience"),
    )
    chosen: list[Evidence] = []
    for mention in mentions:
        organisation = (resume.roles[mention.role_index].organisation
                        if mention.role_index is not None else "")
        if all(c.sentence != mention.sentence for c in chosen):
            chosen.append(Evidence(skill, mention.sentence, organisation))
        if len(chosen) == _MAX_EVIDENCE:
            break
    return tuple(chosen)


def _unknown_evidence(resume: ResumeProfile, wording: str) -> tuple[Evidence, ...]:
    """An HR entry the vocabulary does not know: its words, whole, anywhere in the resume."""
    pattern = re.compile(rf"(?<!\w){re.escape(wording)}(?!\w)", re.IGNORECASE)
    lines = [line.strip() for line in resume.text.splitlines() if pattern.search(line)]
    return tuple(Evidence(wording, line) for line in lines[:_MAX_EVIDENCE])


def fit(resume: ResumeProfile, requirement: Requirement) -> RequirementFit:
    """How the resume meets one requirement."""
    if not requirement.known:
        evidence = _unknown_evidence(resume, requirement.options[0])
        return RequirementFit(requirement, requirement.options if evidence else (), evidence)
    have = set(resume.skills)
    met_by = tuple(o for o in requirement.options if o in have)
    evidence = tuple(e for skill in met_by for e in _evidence(resume, skill))[:_MAX_EVIDENCE]
    return RequirementFit(requirement, met_by, evidence)


def _share(fits: tuple[RequirementFit, ...]) -> float | None:
    return sum(f.met for f in fits) / len(fits) if fits else None


def _labels(fits: tuple[RequirementFit, ...]) -> str:
    return ", ".join(f.requirement.label for f in fits)


def match_resume(resume: ResumeProfile, job: JobProfile) -> MatchResult:
    required = tuple(fit(resume, r) for r in job.required)
    nice = tuple(fit(resume, r) for r in job.nice_to_have)
    asked = {o for r in job.requirements for o in r.options}
    extra = tuple(s for s in resume.skills if s not in asked)
    req_share, nice_share = _share(required), _share(nice)
    if req_share is None and nice_share is None:
        score = 0.0
    elif req_share is None:
        score = 100 * (nice_share or 0.0)
    elif nice_share is None:
        score = 100 * req_share
    else:
        score = 100 * (_REQUIRED_WEIGHT * req_share + _NICE_WEIGHT * nice_share)
    met = tuple(f for f in required if f.met)
    missing = tuple(f for f in required if not f.met)
    reasons = []
    if required:
        reasons.append(f"{len(met)} of {len(required)} required skills found"
                       + (f": {_labels(met)}" if met else ""))
    for choice in (f for f in required + nice if f.via_alternative):
        reasons.append(f"{choice.requirement.label}: met by {', '.join(choice.met_by)}")
    if missing:
        reasons.append(f"missing required: {_labels(missing)}")
    if nice:
        reasons.append(f"{sum(f.met for f in nice)} of {len(nice)} nice-to-have skills found")
    if not asked:
        reasons.append("the job description names no skill from the vocabulary; no skill match")
    if resume.years_experience is not None:
        reasons.append(f"about {resume.years_experience:g} years of experience")
    if job.language_note:
        reasons.append(job.language_note)
    return MatchResult(required, nice, extra, round(score, 1), tuple(reasons),
                       resume.years_experience)


__all__ = ["Evidence", "MatchResult", "RequirementFit", "fit", "match_resume"]
