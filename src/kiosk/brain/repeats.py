"""Whether a question repeats one already asked in the session: by its words, or by meaning.

Gemini writes each question with the session's history in the prompt, yet it sometimes asks the
same thing twice, reworded or not. Such a question is refused (`GeminiEngine` raises, and the
offline engine asks that step). Two tests: the normalised words are the same (case, accents,
punctuation and spacing aside), or the MiniLM embeddings are at least `REPEAT_SIMILARITY` apart.

The threshold is measured on the question bank: the closest two different bank questions sit at
0.76 ("reduce battery use in a mobile app" / "reduce power consumption in a battery-powered
device"); close rewordings of one question at 0.86 and above. A follow-up builds on its parent
("give a concrete example of ..." sits at ~0.9 to it), so it is compared with its parent by its
words only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from kiosk.brain.embeddings import MiniLmEncoder

REPEAT_SIMILARITY = 0.8
_NOT_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class Repeat:
    """The earlier question a new one repeats: its position (0-based), how, how close."""

    index: int
    similarity: float
    same_words: bool

    def describe(self) -> str:
        how = "word for word" if self.same_words else f"in meaning ({self.similarity:.2f})"
        return f"repeats question {self.index + 1} {how}"


def normalised(text: str) -> str:
    """Lower case, no accents, punctuation or repeated spaces: "the same words"."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


def repeated_question(
    text: str,
    earlier: Sequence[str],
    encoder: MiniLmEncoder,
    *,
    parent: str | None = None,
) -> Repeat | None:
    """The earlier question `text` repeats, or None. `parent` (a follow-up's main question)
    counts only when the words are the same."""
    words = normalised(text)
    for index, asked in enumerate(earlier):
        if normalised(asked) == words:
            return Repeat(index, 1.0, True)
    compared = [(i, q) for i, q in enumerate(earlier) if parent is None or q != parent]
    if not compared or not words:
        return None
    vectors = encoder.encode([text, *(q for _, q in compared)])
    similarities = vectors[1:] @ vectors[0]
    best = int(np.argmax(similarities))
    if float(similarities[best]) >= REPEAT_SIMILARITY:
        return Repeat(compared[best][0], round(float(similarities[best]), 3), False)
    return None


__all__ = ["REPEAT_SIMILARITY", "Repeat", "normalised", "repeated_question"]
