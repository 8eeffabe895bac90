"""Requirements: what a job asks for, where "Go or Java" is one requirement met by either.

Job descriptions list skills in three ways, and they mean different things:
- "Python, SQL and Docker": three requirements;
- "Go or Java", "Python/Go", "one of AWS, GCP, Azure", "Kafka and/or RabbitMQ": one requirement
  with alternatives;
- "Message queues (Celery, RabbitMQ, Kafka)", "a cache such as Redis or Memcached": examples of
  one kind of thing, so also one requirement with alternatives.
HR may also type required skills on the hub; each entry is read the same way, and an entry the
vocabulary does not know ("Temenos T24") stays a requirement of its own, matched by its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from kiosk.ingest.skills import SkillMention, SkillVocabulary

#: What may stand between two skills of one list.
_GAP = re.compile(r"^[\s,/]*(?:(?:and/or|or|and|&|nor|plus)\b[\s,/]*)?$", re.IGNORECASE)
_OR_GAP = re.compile(r"/|\bor\b|\band/or\b", re.IGNORECASE)
_AND_GAP = re.compile(r"\band\b(?!/)|&|\bplus\b", re.IGNORECASE)
#: Words before a list that make it a choice or a set of examples of one thing.
_CHOICE_LEAD = re.compile(
    r"(?:\bone of|\bany of|\beither|\bsuch as|\be\.g\.?|\bfor example|\blike|\bincluding|"
    r"\bpreferably|\(|\bor similar|\bor equivalent)\s*[:(]?\s*$",
    re.IGNORECASE,
)
#: "... or similar", "... or SQS" (a last option the vocabulary does not know), or ")".
_UNKNOWN_LAST = re.compile(r",?\s*or\s+[\w.+#-]+", re.IGNORECASE)
_CHOICE_TAIL = re.compile(r"^\s*(?:\)|,?\s*or\b)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Requirement:
    """One thing the job asks for, met by any one of `options` (canonical skill names).

    `known` is False for an HR entry the vocabulary does not know: its one option is the
    entry itself in lower case, looked for as words in the resume."""

    options: tuple[str, ...]
    label: str  # as the JD or HR wrote it: "Go or Java"
    required: bool = True
    source: str = "jd"  # "hr" (typed on the hub) or "jd" (read from the description)
    known: bool = True

    @property
    def key(self) -> str:
        """Stable identity for plans and reports: "go | java"."""
        return " | ".join(self.options)

    @property
    def is_choice(self) -> bool:
        return len(self.options) > 1

    def overlaps(self, other: Requirement) -> bool:
        return bool(set(self.options) & set(other.options))

    def implied_by(self, other: Requirement) -> bool:
        """Meeting `other` always meets this one ("Go or Java" is implied by "Go")."""
        return set(other.options) <= set(self.options)


def _groups(text: str, mentions: list[SkillMention]) -> list[list[SkillMention]]:
    """Runs of mentions separated only by commas, slashes, "and", "or"."""
    groups: list[list[SkillMention]] = []
    for mention in mentions:
        if groups and _GAP.match(text[groups[-1][-1].end:mention.start]):
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _split(text: str, group: list[SkillMention]) -> list[tuple[list[SkillMention], bool]]:
    """A run as requirements: (mentions, is a choice). "and" separates requirements, "or"
    and "/" join alternatives, and a list introduced by "one of", "such as" or a parenthesis
    is one choice."""
    lead = text[max(0, group[0].start - 24):group[0].start]
    tail = text[group[-1].end:group[-1].end + 24]
    examples = bool(_CHOICE_LEAD.search(lead)) or bool(_CHOICE_TAIL.match(tail))
    gaps = [text[a.end:b.start] for a, b in pairwise(group)]
    if examples and not any(_AND_GAP.search(g) and not _OR_GAP.search(g) for g in gaps):
        return [(group, len(group) > 1)]
    parts: list[tuple[list[SkillMention], bool]] = [([group[0]], False)]
    for gap, mention in zip(gaps, group[1:], strict=False):
        if _OR_GAP.search(gap):
            parts[-1] = (parts[-1][0] + [mention], True)
        elif _AND_GAP.search(gap) or not examples:
            parts.append(([mention], False))
        else:
            parts[-1] = (parts[-1][0] + [mention], True)
    return parts


def requirements_in(
    text: str, vocabulary: SkillVocabulary, *, required: bool = True, source: str = "jd"
) -> list[Requirement]:
    """The requirements one line (or one HR entry) states, in order."""
    found: list[Requirement] = []
    mentions = vocabulary.find(text)
    for group in _groups(text, mentions):
        for members, choice in _split(text, group):
            options = tuple(dict.fromkeys(m.skill for m in members))
            if choice and len(options) > 1:
                end = members[-1].end
                unknown_last = _UNKNOWN_LAST.match(text, end)
                end = unknown_last.end() if unknown_last else end
                label = text[members[0].start:end].strip()
            else:
                label = members[0].alias
            found.extend(
                [Requirement(options, label, required, source)] if choice or len(options) == 1
                else [Requirement((o,), o, required, source) for o in options]
            )
    return found


def hr_requirements(
    entries: Iterable[str], vocabulary: SkillVocabulary, *, required: bool = True
) -> list[Requirement]:
    """Requirements from the skills HR typed; unknown entries are kept as written."""
    found: list[Requirement] = []
    for entry in entries:
        entry = " ".join(entry.split())
        if not entry:
            continue
        parsed = requirements_in(entry, vocabulary, required=required, source="hr")
        if parsed:
            found.extend(parsed)
        else:
            found.append(Requirement((entry.lower(),), entry, required, "hr", known=False))
    return found


def merge(*lists: Iterable[Requirement]) -> tuple[Requirement, ...]:
    """Requirements in priority order, each once.

    A later requirement that an earlier one implies adds nothing (HR's "Go" makes the JD's "Go
    or Java" redundant); a later, stricter one replaces the looser ("Go" after "Go or Java").
    A nice-to-have that shares a skill with a requirement is dropped: one skill is either
    required or not. Pass the required lists before the nice-to-have ones."""
    kept: list[Requirement] = []
    for requirements in lists:
        for new in requirements:
            if any(new.implied_by(k) for k in kept):
                continue
            if not new.required and any(k.required and k.overlaps(new) for k in kept):
                continue
            looser = [k for k in kept if k.implied_by(new) and k.required <= new.required]
            if looser:
                kept[kept.index(looser[0])] = new
                kept = [k for k in kept if k is new or k not in looser[1:]]
            else:
                kept.append(new)
    return tuple(kept)


__all__ = ["Requirement", "hr_requirements", "merge", "requirements_in"]
