"""Parse a job description into required and nice-to-have requirements, and notice its language.

Recruiters mark the split with headings ("Requirements", "Nice to have", "Bonus points") or
inline ("... is a plus"). Skills under a nice-to-have heading or on a "plus" line are optional;
everything else the vocabulary finds is required. "Go or Java" is one requirement with two
alternatives (`requirements.py`). The skills HR typed on the hub come first and are merged with
what the text says, so neither is lost.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.domain.model import JobDescription
from kiosk.ingest.language import LanguageGuess, detect_language
from kiosk.ingest.requirements import Requirement, hr_requirements, merge, requirements_in
from kiosk.ingest.skills import SkillVocabulary, load_vocabulary

_NICE_HEADING = re.compile(
    r"^\W*(nice[\s-]to[\s-]haves?|bonus(?: points)?|preferred(?: qualifications)?|"
    r"pluses|good to have|desirable|optional)\b",
    re.IGNORECASE,
)
_REQUIRED_HEADING = re.compile(
    r"^\W*(requirements|required|must[\s-]haves?|what you('| wi)ll need|qualifications|"
    r"what we('re| are) looking for|you have|skills)\b",
    re.IGNORECASE,
)
_OTHER_HEADING = re.compile(
    r"^\W*(about (us|the company)|benefits|perks|what we offer|why join|responsibilities)\b",
    re.IGNORECASE,
)
_NICE_INLINE = re.compile(
    r"\b(nice to have|is a plus|a plus|bonus|preferred|ideally|desirable)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class JobProfile:
    title: str
    text: str
    requirements: tuple[Requirement, ...]  # required first, each once, HR's before the text's
    families: tuple[str, ...]  # role families of the question bank, best first
    language: LanguageGuess

    @property
    def required(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.required)

    @property
    def nice_to_have(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if not r.required)

    @property
    def skills(self) -> tuple[str, ...]:
        """Every canonical skill any requirement names, for hints and role families."""
        return tuple(dict.fromkeys(o for r in self.requirements if r.known for o in r.options))

    @property
    def language_note(self) -> str:
        """Empty for English; otherwise a sentence for the invigilator."""
        if self.language.code in ("en", "unknown"):
            return ""
        return (
            f"The job description appears to be in {self.language.name}; questions and "
            "offline scoring are in English, so skills were matched by name only."
        )

    def to_domain(self) -> JobDescription:
        return JobDescription(self.title, self.text, tuple(r.label for r in self.required),
                              tuple(r.label for r in self.nice_to_have))


def _title(lines: list[str], given: str) -> str:
    if given:
        return given
    for line in lines[:3]:
        stripped = line.strip(" #*-")
        if 0 < len(stripped) <= 80:
            return stripped.removeprefix("Job title:").removeprefix("Title:").strip()
    return "Untitled role"


def parse_job(
    text: str,
    title: str = "",
    vocabulary: SkillVocabulary | None = None,
    *,
    hr_required: tuple[str, ...] | list[str] = (),
    hr_nice_to_have: tuple[str, ...] | list[str] = (),
) -> JobProfile:
    """`hr_required` / `hr_nice_to_have`: the skills HR typed for the session (the session
    pack's `JobDescription.required_skills` / `nice_to_have_skills`)."""
    vocabulary = vocabulary or load_vocabulary()
    lines = [line for line in text.splitlines() if line.strip()]
    required: list[Requirement] = []
    nice: list[Requirement] = []
    section = "required"
    for line in lines:
        if _NICE_HEADING.match(line):
            section = "nice"
        elif _REQUIRED_HEADING.match(line):
            section = "required"
        elif _OTHER_HEADING.match(line):
            section = "other"
        optional = section == "nice" or bool(_NICE_INLINE.search(line))
        found = requirements_in(line, vocabulary, required=not optional)
        (nice if optional else required).extend(found)
    requirements = merge(
        hr_requirements(hr_required, vocabulary),
        required,
        hr_requirements(hr_nice_to_have, vocabulary, required=False),
        nice,
    )
    skills = [o for r in requirements if r.known for o in r.options]
    return JobProfile(
        title=_title(lines, title),
        text=text,
        requirements=requirements,
        families=vocabulary.families_for(skills),
        language=detect_language(text),
    )


__all__ = ["JobProfile", "Requirement", "parse_job"]
