"""Split a resume into its header and its sections by the headings people use.

Resumes differ in layout but agree on headings: "Experience", "WORK HISTORY", "Professional
Experience:", "Education and training" (Europass), "Academic Qualifications" (common in India),
"Technical Skills". A heading is a short line made of such words; everything before the first
heading is the header (name, contact, headline), which never holds a job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class SectionKind(StrEnum):
    HEADER = "header"
    SUMMARY = "summary"
    EXPERIENCE = "experience"
    EDUCATION = "education"
    SKILLS = "skills"
    PROJECTS = "projects"
    CERTIFICATIONS = "certifications"
    PERSONAL = "personal"  # name and contact under a heading (Europass "Personal information")
    OTHER = "other"


_HEADINGS: dict[SectionKind, tuple[str, ...]] = {
    SectionKind.SUMMARY: (
        "summary", "professional summary", "profile", "professional profile", "about me",
        "objective", "career objective", "career summary", "personal statement", "overview",
        "executive summary", "introduction",
    ),
    SectionKind.EXPERIENCE: (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "career", "professional background", "positions held", "experience summary",
        "industry experience", "internships", "internship", "work",
    ),
    SectionKind.EDUCATION: (
        "education", "education and training", "academic qualifications", "academics",
        "educational qualifications", "educational qualification", "academic background",
        "qualifications", "academic details", "education & training", "studies",
        "academic profile", "scholastic record",
    ),
    SectionKind.SKILLS: (
        "skills", "technical skills", "key skills", "core skills", "skills and tools",
        "core competencies", "competencies", "technologies", "tech stack", "tools",
        "technical expertise", "areas of expertise", "expertise", "skill set", "skillset",
        "personal skills", "digital skills", "it skills", "software skills",
        "technical proficiency",
        "skills & tools", "tools and technologies", "tools & technologies",
    ),
    SectionKind.PROJECTS: (
        "projects", "key projects", "selected projects", "personal projects", "project experience",
        "academic projects", "open source", "side projects",
    ),
    SectionKind.CERTIFICATIONS: (
        "certifications", "certificates", "licenses and certifications", "courses",
        "training", "trainings",
    ),
    SectionKind.PERSONAL: (
        "personal details", "personal information", "personal data", "contact",
        "contact details", "contact information", "personal profile",
    ),
    SectionKind.OTHER: (
        "languages", "interests", "hobbies", "awards", "achievements", "honours", "honors",
        "publications", "references",
        "volunteering", "volunteer experience", "extracurricular activities", "declaration",
        "additional information", "activities", "memberships", "mother tongue",
        "other languages", "strengths", "accomplishments", "patents", "talks",
    ),
}
_LOOKUP = {phrase: kind for kind, phrases in _HEADINGS.items() for phrase in phrases}
_DECORATION = re.compile(r"^[\s#*=_•▪■►◆●\-–—|:]+|[\s#*=_•▪■►◆●\-–—|:]+$")


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    heading: str  # as written; "" for the header
    lines: tuple[str, ...]  # non-empty lines, stripped of trailing spaces
    start_line: int  # index of the first line in the document's non-empty lines


def heading_kind(line: str) -> SectionKind | None:
    """The section a line opens, or None when it is not a heading."""
    text = _DECORATION.sub("", line).strip()
    if not text or len(text) > 48 or len(text.split()) > 5:
        return None
    key = re.sub(r"\s+", " ", text.lower().replace("&", "and"))
    key = key.removesuffix(" section")
    if key in _LOOKUP:
        return _LOOKUP[key]
    key_amp = re.sub(r"\s+", " ", text.lower())
    return _LOOKUP.get(key_amp)


def split_sections(lines: list[str]) -> list[Section]:
    """The header, then one section per heading, in document order."""
    sections: list[Section] = []
    kind, heading, start, body = SectionKind.HEADER, "", 0, []
    for index, line in enumerate(lines):
        found = heading_kind(line)
        if found is not None:
            if body or kind is not SectionKind.HEADER:
                sections.append(Section(kind, heading, tuple(body), start))
            kind, heading, start, body = found, line.strip(), index + 1, []
            continue
        body.append(line)
    sections.append(Section(kind, heading, tuple(body), start))
    return sections


__all__ = ["Section", "SectionKind", "heading_kind", "split_sections"]
