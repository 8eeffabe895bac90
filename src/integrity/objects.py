"""What an object detector's labels mean to the rules, and how a reviewer reads them.

The track stores each detection under the model's own label; the policy's `[objects]` lists say
which labels are a person and which are banned, so a replay under a policy that bans another
label judges it without running any model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from integrity.policy import ObjectClasses


class ObjectCategory(StrEnum):
    """What a detector class means to the proctor, whatever the model calls it."""

    PERSON = "person"
    BANNED = "banned"
    OTHER = "other"


@dataclass(frozen=True)
class ClassMap:
    """Which model labels are a person and which are banned; matching ignores case."""

    person: frozenset[str]
    banned: frozenset[str]

    @classmethod
    def of(cls, person: Iterable[str], banned: Iterable[str]) -> ClassMap:
        return cls(frozenset(p.casefold() for p in person), frozenset(b.casefold() for b in banned))

    def category(self, label: str) -> ObjectCategory:
        key = label.casefold()
        if key in self.person:
            return ObjectCategory.PERSON
        if key in self.banned:
            return ObjectCategory.BANNED
        return ObjectCategory.OTHER


def category_of(label: str, classes: ObjectClasses) -> ObjectCategory:
    """The category of `label` under a policy's `[objects]` lists."""
    return ClassMap.of(classes.person, classes.banned).category(label)


#: What a reviewer reads for a COCO label: the model's names are not words for people.
_WORDS = {
    "cell phone": "a phone",
    "book": "a book",
    "laptop": "a laptop or a second screen",
    "tvmonitor": "a second screen",
    "tv": "a second screen",
    "remote": "a remote control",
    "keyboard": "a keyboard",
    "mouse": "a mouse",
}


def describe_objects(labels: Iterable[str]) -> str:
    """The labels as a reviewer reads them, each once, in a fixed order ("a book, a phone")."""
    words = sorted({_WORDS.get(label.casefold()) or _with_article(label) for label in labels})
    return ", ".join(words)


def _with_article(label: str) -> str:
    return f"{'an' if label[:1].casefold() in 'aeiou' else 'a'} {label}"
