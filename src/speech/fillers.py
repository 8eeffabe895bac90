"""Find filler words in a transcript's word list, with context rules for the ambiguous ones.

Always fillers: um, uh, erm, er, ah, hmm, mm (and their spellings with repeated letters).
Context-dependent (see docs/speech.md for the reasoning):
- "like" counts only when it is set off from its neighbours, i.e. a comma/dash/ellipsis right
  before or after it, or a pause of at least `pause_s` before it, and never right after a word
  that makes it a verb or preposition ("I like", "would like", "looks like", "something like").
- "you know" and "I mean" count when a comma/dash/ellipsis follows them ("I mean, it was..."), or
  when a comma precedes them and any punctuation follows ("it was hard, you know."); so "you know
  the answer", "I mean it" and "that's not what I mean." do not.
- "sort of" and "kind of" count as hedges unless a determiner precedes them ("a kind of tool",
  "what sort of role").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from speech.results import Word

_ALWAYS = re.compile(r"^(u+m+|u+h+m*|e+r+m*|a+h+|h+m+|m+)$")
_SET_OFF = ",;-—–…"
_CLAUSE_END = (*_SET_OFF, ".", "!", "?")
#: After these words "like" is a verb ("I like", "would like") or a preposition ("looks like").
_LIKE_NOT_FILLER_AFTER = frozenset(
    {
        *("i", "you", "we", "they", "he", "she", "it", "people"),
        *("would", "could", "should", "might", "will", "to", "do", "does", "did"),
        *("don't", "doesn't", "didn't", "really", "also", "just", "not"),
        *("look", "looks", "looked", "looking", "sound", "sounds", "sounded"),
        *("feel", "feels", "felt", "seem", "seems", "seemed"),
        *("something", "anything", "nothing", "things", "much", "more", "most"),
    }
)
_DETERMINERS = frozenset(
    {"a", "an", "the", "this", "that", "these", "those", "what", "which", "any", "some", "every"}
    | {"each", "one"}
)


@dataclass(frozen=True)
class Filler:
    """One filler occurrence: its canonical form and where it was said."""

    text: str
    start: float
    end: float


def _bare(word: Word) -> str:
    return word.text.strip().strip("\"'“”").lower().rstrip(".,;:!?—–-…")


def _ends_clause(word: Word) -> bool:
    return word.text.rstrip("\"'”").endswith(_CLAUSE_END)


def find_fillers(words: Sequence[Word], pause_s: float = 0.3) -> tuple[Filler, ...]:
    """Scan `words` in order; multi-word fillers are reported once, with their full span."""
    found: list[Filler] = []
    i = 0
    while i < len(words):
        span = _filler_at(words, i, pause_s)
        if span:
            last = words[i + span - 1]
            text = " ".join(_bare(w) for w in words[i : i + span])
            found.append(Filler(text, words[i].start, last.end))
            i += span
        else:
            i += 1
    return tuple(found)


def _filler_at(words: Sequence[Word], i: int, pause_s: float) -> int:
    """Length of the filler starting at word `i` (0 when there is none)."""
    word = _bare(words[i])
    if _ALWAYS.match(word):
        return 1
    nxt = _bare(words[i + 1]) if i + 1 < len(words) else ""
    if word == "like":
        return 1 if _is_filler_like(words, i, pause_s) else 0
    if (word, nxt) in {("you", "know"), ("i", "mean")}:
        after = words[i + 1].text.rstrip("\"'”")
        comma_before = i > 0 and words[i - 1].text.rstrip("\"'”").endswith(tuple(_SET_OFF))
        if after.endswith(tuple(_SET_OFF)) or (comma_before and _ends_clause(words[i + 1])):
            return 2
        return 0
    if (word, nxt) in {("sort", "of"), ("kind", "of")}:
        before = _bare(words[i - 1]) if i > 0 else ""
        return 0 if before in _DETERMINERS else 2
    return 0


def _is_filler_like(words: Sequence[Word], i: int, pause_s: float) -> bool:
    before = words[i - 1] if i > 0 else None
    if before is not None and not _ends_clause(before) and _bare(before) in _LIKE_NOT_FILLER_AFTER:
        return False
    set_off_after = _ends_clause(words[i])
    set_off_before = before is not None and (
        _ends_clause(before) or words[i].start - before.end >= pause_s
    )
    return set_off_after or set_off_before
