"""What the interview needs from a resume: skills, roles, years of experience, education.

Heuristics over lines, not a layout model: resumes are free-form, so each extractor looks for the
few shapes people actually use ("Senior Engineer, Acme (2019 - 2023)", "5+ years of ...",
"BSc Computer Science, ...") and leaves the rest alone. The skill context line is kept so the
brain can ask resume-grounded questions ("You list Kafka at Acme; tell me about ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kiosk.ingest.skills import SkillVocabulary, load_vocabulary

_ROLE_WORDS = (
    "engineer|developer|programmer|manager|analyst|scientist|designer|architect|lead|"
    "consultant|specialist|administrator|tester|intern|director|executive|representative|"
    "owner|researcher|technician|officer|head|sre|devops|qa"
)
_ROLE_LINE = re.compile(
    rf"^(?P<title>[A-Z][\w/&+.\- ]{{0,60}}?\b(?:{_ROLE_WORDS})\b[\w ]{{0,20}}?)"
    r"\s*(?:,|\bat\b|@|\||–|—|-)\s*(?P<org>[A-Z0-9][\w&.'\- ]{1,60}?)"
    r"\s*(?:[,(|–—-]|$)",
    re.IGNORECASE,
)
_YEAR = r"(?:19[7-9]\d|20\d\d)"
_RANGE = re.compile(
    rf"(?:\b\w{{3,9}}\.?\s+)?(?P<start>{_YEAR})\s*(?:-|–|—|to|until)\s*"
    rf"(?:\b\w{{3,9}}\.?\s+)?(?P<end>{_YEAR}|present|current|now|today)",
    re.IGNORECASE,
)
_EXPLICIT_YEARS = re.compile(
    r"(?P<n>\d{1,2}(?:\.\d)?)\s*\+?\s*(?:years?|yrs?)(?:\s+of)?(?:\s+\w+){0,3}?\s+experience",
    re.IGNORECASE,
)
_EDUCATION = re.compile(
    r"\b(?:b\.?sc|m\.?sc|b\.?s\.?|m\.?s\.?|b\.?a\.?|m\.?a\.?|b\.?eng|m\.?eng|b\.?tech|m\.?tech|"
    r"ph\.?d|mba|bachelor'?s?|master'?s?|doctorate|diploma|associate degree|university|"
    r"college|institute of technology)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class RoleEntry:
    title: str
    organisation: str
    start_year: int | None = None
    end_year: int | None = None


@dataclass(frozen=True, slots=True)
class ResumeProfile:
    """The parsed resume; `skill_context` maps a skill to the line it was first seen on."""

    text: str
    skills: tuple[str, ...]
    roles: tuple[RoleEntry, ...]
    years_experience: float | None
    education: tuple[str, ...]
    skill_context: dict[str, str]

    def role_for_skill(self, skill: str) -> RoleEntry | None:
        """The role whose block of lines mentions the skill, for resume-grounded questions."""
        line = self.skill_context.get(skill, "")
        for role in self.roles:
            if role.organisation and role.organisation in line:
                return role
        return _nearest_role_above(self.text, line, self.roles)


def _nearest_role_above(text: str, line: str, roles: tuple[RoleEntry, ...]) -> RoleEntry | None:
    if not line or not roles:
        return None
    position = text.find(line)
    best: tuple[int, RoleEntry] | None = None
    for role in roles:
        at = text.find(role.title)
        if 0 <= at <= position and (best is None or at > best[0]):
            best = (at, role)
    return best[1] if best else None


def _year(value: str, today: date) -> int:
    return today.year if not value[:1].isdigit() else int(value)


def _roles(lines: list[str], today: date) -> tuple[RoleEntry, ...]:
    roles = []
    for line in lines:
        match = _ROLE_LINE.match(line.strip(" •*-\t"))
        if not match or len(line) > 160:
            continue
        span = _RANGE.search(line)
        start = int(span.group("start")) if span else None
        end = _year(span.group("end"), today) if span else None
        roles.append(
            RoleEntry(match.group("title").strip(), match.group("org").strip(" ,."), start, end)
        )
    return tuple(roles)


def _years(text: str, today: date) -> float | None:
    explicit = [float(m.group("n")) for m in _EXPLICIT_YEARS.finditer(text)]
    spans = sorted(
        (int(m.group("start")), _year(m.group("end"), today)) for m in _RANGE.finditer(text)
    )
    merged: list[list[int]] = []
    for start, end in spans:
        if end < start or end > today.year:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    from_dates = float(sum(end - start for start, end in merged)) if merged else None
    candidates = [v for v in (max(explicit, default=None), from_dates) if v is not None]
    return max(candidates) if candidates else None


def parse_resume(
    text: str, vocabulary: SkillVocabulary | None = None, today: date | None = None
) -> ResumeProfile:
    vocabulary = vocabulary or load_vocabulary()
    today = today or date.today()
    lines = [line for line in text.splitlines() if line.strip()]
    context: dict[str, str] = {}
    for line in lines:
        for skill in vocabulary.skills_in(line):
            context.setdefault(skill, line.strip())
    education = tuple(
        dict.fromkeys(line.strip(" •*-\t") for line in lines if _EDUCATION.search(line))
    )[:5]
    return ResumeProfile(
        text=text,
        skills=vocabulary.skills_in(text),
        roles=_roles(lines, today),
        years_experience=_years(text, today),
        education=education,
        skill_context=context,
    )


__all__ = ["ResumeProfile", "RoleEntry", "parse_resume"]
