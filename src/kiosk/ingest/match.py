"""Resume versus job description: which skills meet, which are missing, a score and why."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ingest.jd import JobProfile
from kiosk.ingest.resume import ResumeProfile

#: Required skills weigh four times the nice-to-haves; experience nudges, never dominates.
_REQUIRED_WEIGHT = 0.8
_NICE_WEIGHT = 0.2


@dataclass(frozen=True, slots=True)
class MatchResult:
    matched_required: tuple[str, ...]
    missing_required: tuple[str, ...]
    matched_nice: tuple[str, ...]
    missing_nice: tuple[str, ...]
    extra_skills: tuple[str, ...]  # on the resume, not asked for
    score: float  # 0-100
    reasons: tuple[str, ...]

    @property
    def matched(self) -> tuple[str, ...]:
        return self.matched_required + self.matched_nice

    @property
    def missing(self) -> tuple[str, ...]:
        return self.missing_required + self.missing_nice


def _share(hit: tuple[str, ...], wanted: tuple[str, ...]) -> float | None:
    return len(hit) / len(wanted) if wanted else None


def match_resume(resume: ResumeProfile, job: JobProfile) -> MatchResult:
    have = set(resume.skills)
    matched_req = tuple(s for s in job.required if s in have)
    missing_req = tuple(s for s in job.required if s not in have)
    matched_nice = tuple(s for s in job.nice_to_have if s in have)
    missing_nice = tuple(s for s in job.nice_to_have if s not in have)
    asked = set(job.required) | set(job.nice_to_have)
    extra = tuple(s for s in resume.skills if s not in asked)
    req_share = _share(matched_req, job.required)
    nice_share = _share(matched_nice, job.nice_to_have)
    if req_share is None and nice_share is None:
        score = 0.0
    elif req_share is None:
        score = 100 * (nice_share or 0.0)
    elif nice_share is None:
        score = 100 * req_share
    else:
        score = 100 * (_REQUIRED_WEIGHT * req_share + _NICE_WEIGHT * nice_share)
    reasons = []
    if job.required:
        reasons.append(f"{len(matched_req)} of {len(job.required)} required skills found"
                       + (f": {', '.join(matched_req)}" if matched_req else ""))
    if missing_req:
        reasons.append(f"missing required: {', '.join(missing_req)}")
    if job.nice_to_have:
        reasons.append(f"{len(matched_nice)} of {len(job.nice_to_have)} nice-to-have skills found")
    if not asked:
        reasons.append("the job description names no skill from the vocabulary; no skill match")
    if resume.years_experience is not None:
        reasons.append(f"about {resume.years_experience:g} years of experience")
    if job.language_note:
        reasons.append(job.language_note)
    return MatchResult(
        matched_req, missing_req, matched_nice, missing_nice, extra, round(score, 1),
        tuple(reasons),
    )


__all__ = ["MatchResult", "match_resume"]
