"""Does the name on the card belong to the registered candidate?

Tolerant of what legitimately differs between a booking and an ID: case, accents, punctuation,
word order (surname first on many cards), middle names present on one side only, initials, and
one OCR slip per name part. Strict about what matters: every name part of the shorter of the two
must be found in the other, and at least two parts must agree unless both are a single part.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class NameMatch:
    matched: bool
    score: float
    registered: tuple[str, ...]
    read: tuple[str, ...]
    unmatched: tuple[str, ...]
    token_similarity: float


def name_tokens(name: str) -> tuple[str, ...]:
    """Lower-case, accent-free name parts: 'José  GARCÍA-López' -> ('jose', 'garcia', 'lopez')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return tuple(re.findall(r"[^\W\d_]+", plain))


def _similarity(a: str, b: str) -> float:
    if len(a) == 1 or len(b) == 1:  # an initial stands for any name with that first letter
        return 1.0 if a[0] == b[0] else 0.0
    return SequenceMatcher(None, a, b).ratio()


def match_name(registered: str, read: str, token_similarity: float = 0.85) -> NameMatch:
    """Compare the registered name with the name read from the card."""
    mine, theirs = name_tokens(registered), name_tokens(read)
    shorter, longer = (mine, list(theirs)) if len(mine) <= len(theirs) else (theirs, list(mine))
    scores, unmatched = [], []
    for token in shorter:
        best = max(longer, key=lambda other: _similarity(token, other), default=None)
        similarity = _similarity(token, best) if best is not None else 0.0
        if best is not None and similarity >= token_similarity:
            scores.append(similarity)
            longer.remove(best)
        else:
            unmatched.append(token)
    needed = min(2, max(len(mine), len(theirs)))
    matched = bool(shorter) and not unmatched and len(scores) >= needed
    score = sum(scores) / len(shorter) if shorter else 0.0
    return NameMatch(matched, round(score, 3), mine, theirs, tuple(unmatched), token_similarity)
