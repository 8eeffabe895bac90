"""The skills vocabulary (`resources/question_bank/skills.toml`) and finding skills in text.

Aliases map the spellings people write ("k8s", "JS", "postgres") to one canonical name, so a
resume and a job description written in different words still meet. Plain-English words that
are also skills ("Go", "REST") only count when capitalised, and one- or two-letter aliases
("JS", "R") only in upper case, which keeps "let's go" and "r&d" out of the skill list.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.resources import question_bank_dir

# A term is bounded by anything that is not a letter, digit, '+' or '#' ("C" must not match
# inside "C++" or "C#").
_LEFT = r"(?<![A-Za-z0-9_+#])"
_RIGHT = r"(?![A-Za-z0-9_+#])"


@dataclass(frozen=True, slots=True)
class SkillMention:
    skill: str
    alias: str
    start: int
    end: int


@dataclass(frozen=True)
class SkillVocabulary:
    """Canonical skills, their aliases and role families, compiled into one regex."""

    aliases: dict[str, str]  # lower-case spelling -> canonical skill
    families: dict[str, tuple[str, ...]]
    strict: frozenset[str]
    pattern: re.Pattern[str]

    def canonical(self, spelling: str) -> str | None:
        return self.aliases.get(spelling.lower().strip())

    def _accept(self, written: str) -> bool:
        lower = written.lower()
        if lower in self.strict:
            return written != lower
        if len(lower.replace(" ", "")) <= 2:
            return written.isupper()
        return True

    def find(self, text: str) -> list[SkillMention]:
        """Every accepted skill mention, in text order."""
        found = []
        for match in self.pattern.finditer(text):
            written = match.group(0)
            skill = self.aliases.get(written.lower())
            if skill and self._accept(written):
                found.append(SkillMention(skill, written, match.start(), match.end()))
        return found

    def skills_in(self, text: str) -> tuple[str, ...]:
        """Distinct canonical skills, in order of first mention."""
        return tuple(dict.fromkeys(m.skill for m in self.find(text)))

    def families_for(self, skills: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """Role families ranked by how many of `skills` they contain (ties: vocabulary order)."""
        wanted = set(skills)
        ranked = sorted(
            ((len(wanted & set(members)), name) for name, members in self.families.items()),
            key=lambda pair: -pair[0],
        )
        return tuple(name for count, name in ranked if count > 0)


def _compile(spellings: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(spellings), key=len, reverse=True)  # longest first: "react native"
    body = "|".join(re.escape(s).replace(r"\ ", r"[\s\-]+") for s in ordered)
    return re.compile(f"{_LEFT}(?:{body}){_RIGHT}", re.IGNORECASE)


@lru_cache(maxsize=2)
def load_vocabulary(path: Path | None = None) -> SkillVocabulary:
    """Parse and compile the vocabulary once per process."""
    path = path or question_bank_dir() / "skills.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    for skill, spellings in data["skills"].items():
        for spelling in (skill, *spellings):
            aliases.setdefault(spelling.lower(), skill)
    families = {name: tuple(members) for name, members in data.get("families", {}).items()}
    strict = frozenset(data.get("strict", {}).get("terms", ()))
    return SkillVocabulary(aliases, families, strict, _compile(list(aliases)))


__all__ = ["SkillMention", "SkillVocabulary", "load_vocabulary"]
