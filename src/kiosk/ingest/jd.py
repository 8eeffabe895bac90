"""Parse a job description into required and nice-to-have skills, and notice its language.

Recruiters mark the split with headings ("Requirements", "Nice to have", "Bonus points") or
inline ("... is a plus"). Skills under a nice-to-have heading or on a "plus" line are optional;
everything else the vocabulary finds is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.domain.model import JobDescription
from kiosk.ingest.language import LanguageGuess, detect_language
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
    required: tuple[str, ...]
    nice_to_have: tuple[str, ...]
    families: tuple[str, ...]  # role families of the question bank, best first
    language: LanguageGuess

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
        return JobDescription(self.title, self.text, self.required, self.nice_to_have)


def _title(lines: list[str], given: str) -> str:
    if given:
        return given
    for line in lines[:3]:
        stripped = line.strip(" #*-")
        if 0 < len(stripped) <= 80:
            return stripped.removeprefix("Job title:").removeprefix("Title:").strip()
    return "Untitled role"


def parse_job(
    text: str, title: str = "", vocabulary: SkillVocabulary | None = None
) -> JobProfile:
    vocabulary = vocabulary or load_vocabulary()
    lines = [line for line in text.splitlines() if line.strip()]
    required: list[str] = []
    nice: list[str] = []
    section = "required"
    for line in lines:
        if _NICE_HEADING.match(line):
            section = "nice"
        elif _REQUIRED_HEADING.match(line):
            section = "required"
        elif _OTHER_HEADING.match(line):
            section = "other"
        skills = vocabulary.skills_in(line)
        if section == "nice" or _NICE_INLINE.search(line):
            nice.extend(skills)
        else:
            required.extend(skills)
    required_set = tuple(dict.fromkeys(required))
    nice_set = tuple(s for s in dict.fromkeys(nice) if s not in required_set)
    return JobProfile(
        title=_title(lines, title),
        text=text,
        required=required_set,
        nice_to_have=nice_set,
        families=vocabulary.families_for(list(required_set) + list(nice_set)),
        language=detect_language(text),
    )


__all__ = ["JobProfile", "parse_job"]
