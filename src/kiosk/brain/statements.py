"""What in an answer can earn content credit: statements, not echoes, term lists or templates.

An answer earns content credit only for expected points it states. These checks decide, for
each unit of an answer (a sentence, or a piece of a run-on one), whether it states anything at
all, before any model or embedding compares it with a point:

* a list of terms ("EXPLAIN ANALYZE, B-tree index, VACUUM, pg_stat_statements") names things
  without saying anything about them: almost no function words, so no clause;
* a restatement of the question ("to find and fix a slow query in PostgreSQL I would find the
  slow query and fix it") adds no word the question did not already hold;
* a template ("Situation: there was a challenging situation. Result: the result was great.")
  carries only the labels of an answer's shape and words that fit any answer.

Both scoring paths (the judge and the embeddings) give a unit that fails these checks no credit,
so these answers earn nothing for content however close their words are to the points. They are
properties of the text, not lists of known attacks: a candidate cannot word their way around
them without saying something specific, which is what the points then judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from contract.guard import Sentence

#: A unit longer than this is cut into pieces: a transcript can run a whole answer into one
#: "sentence", and a quote should point at the words that matter.
MAX_UNIT_WORDS = 40
#: Fewer words than this state nothing on their own ("Sure.", "Indexes.").
MIN_STATEMENT_WORDS = 4
#: Below this share of function words a unit has no clause: it lists terms.
MIN_FUNCTION_SHARE = 0.12
#: Below this share of new, specific content words a unit only echoes the question or a template.
MIN_NOVEL_SHARE = 0.25

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_'+#./-]*")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS = _word_set("""
a an the this that these those it its i i'd i'm i've i'll me my we we'd we're we've our us
you your he she they them their his her him is are was were be been being am do does did
done have has had having will would shall should can could may might must to of in on at by
for with from into onto about as than then so if when while because but and or nor not no
yes also too very just only there here what which who whom whose where why how after before
until since over under between through during without within again once first next finally
up down out off all any each every some more most other such own same both either neither
few many much one
""")

#: Words that fit any answer: the labels of the situation-task-action-result shape and vague
#: evaluations. A unit made only of these (and of the question's words) states nothing specific.
_GENERIC = _word_set("""
situation task action result results outcome problem issue challenge challenging solution
thing things something everything anything stuff work worked working job role project team
company good great positive happy hard difficult important success successful successfully
well better best really lot lots way ways took take taken taking handle handled deal dealt
solve solved approach approached step steps make made making get got everyone everybody
people learn learned learnt lesson lessons experience situation's goal goals achieve
achieved fine
""")


def _stem(word: str) -> str:
    """A crude English stem, enough to match "fixing" with "fix" and "queries" with "query"."""
    word = word.lower().strip("'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("ss"):
        return word
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def words_of(text: str) -> list[str]:
    return [w.lower().rstrip(".") for w in _WORD.findall(text)]


def _content(words: Iterable[str]) -> list[str]:
    return [_stem(w) for w in words if w not in _FUNCTION_WORDS and len(w) > 1]


@dataclass(frozen=True, slots=True)
class Unit:
    """A piece of the answer, verbatim, with where it starts in the answer's text."""

    text: str
    start: int


def answer_units(sentences: Sequence[Sentence]) -> list[Unit]:
    """The answer's sentences as units, run-on ones cut into pieces of MAX_UNIT_WORDS words."""
    units: list[Unit] = []
    for sentence in sentences:
        spans = [m.span() for m in re.finditer(r"\S+", sentence.text)]
        for first in range(0, len(spans), MAX_UNIT_WORDS):
            piece = spans[first : first + MAX_UNIT_WORDS]
            start, end = piece[0][0], piece[-1][1]
            units.append(Unit(sentence.text[start:end], sentence.start + start))
    return units


def statement_problem(text: str, question: str) -> str:
    """Why this unit states nothing that can earn credit, in words for people; "" if it does."""
    words = words_of(text)
    if len(words) < MIN_STATEMENT_WORDS:
        return "too short to state a point"
    function_share = sum(w in _FUNCTION_WORDS for w in words) / len(words)
    if function_share < MIN_FUNCTION_SHARE and (text.count(",") >= 2 or len(words) >= 8):
        return "a list of terms, not a statement"
    content = _content(words)
    if not content:
        return "says nothing specific"
    asked = set(_content(words_of(question)))
    novel = [w for w in content if w not in asked and w not in _GENERIC]
    if len(novel) / len(content) < MIN_NOVEL_SHARE or not novel:
        echoed = sum(w in asked for w in content) >= sum(w in _GENERIC for w in content)
        return "repeats the question" if echoed else "says nothing specific"
    return ""


_REJECTION = re.compile(
    r"\b(not|never|no longer|don't|doesn't|didn't|won't|wouldn't|shouldn't|can't|cannot|"
    r"avoid|skip|drop|disable|turn off|switch off|remove|stop|useless|pointless|irrelevant|"
    r"waste of time|no need|no point|instead of)\b|n't\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[,;:]|\b(?:but|so|because|since|although|though|while|whereas)\b",
                     re.IGNORECASE)


def rejects(text: str, point: str) -> bool:
    """Whether `text` says not to do what `point` says (or that it does not work).

    The clause of `text` that shares most words with the point is the one that speaks about
    it; a negation or rejection there that the point itself does not have turns it around.
    Embeddings cannot see this ("I would never add an index" sits as close to "add an index"
    as a yes does), and a small model misses it when the wording is long."""
    if _REJECTION.search(point):
        return False
    wanted = set(_content(words_of(point)))
    clauses = [c for c in _CLAUSE.split(text) if c and c.strip()]
    if not clauses or not wanted:
        return False
    overlap = [len(wanted & set(_content(words_of(c)))) for c in clauses]
    if max(overlap) == 0:
        return False
    return any(_REJECTION.search(c) for c, n in zip(clauses, overlap, strict=True)
               if n == max(overlap))


__all__ = ["MAX_UNIT_WORDS", "Unit", "answer_units", "rejects", "statement_problem", "words_of"]
