"""Reading the model's one-word reply to one point (the verdicts are `contract.rubric.Verdict`,
which the report and the hub print too).

The model writes no quote: the evidence for its verdict is the answer's own unit it was shown
(verbatim by construction), so nothing the model writes can be quoted as the candidate's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from contract.rubric import Verdict

_REPLIES = {"yes": Verdict.COVERED, "opposite": Verdict.CONTRADICTED, "no": Verdict.ABSENT}


@dataclass(frozen=True, slots=True)
class Reply:
    """The model's reply to one point, read; `error` says why it could not be, else "".

    `confidence`: the model's probability for the reply it gave, among the three it may give
    (None when the runtime reported no probabilities). Greedy decoding picks "yes" at 0.41
    as it does at 0.95; measured here, words that only share a topic with a point get the
    first, words that state it the second."""

    verdict: Verdict | None
    error: str = ""
    confidence: float | None = None


def parse_reply(text: str, first_token_probs: Mapping[str, float] | None = None) -> Reply:
    """`yes` / `opposite` / `no` (the grammar allows nothing else); anything else is an error,
    never a verdict."""
    word = text.strip().lower()
    if word in _REPLIES:
        return Reply(_REPLIES[word], confidence=_confidence(word, first_token_probs or {}))
    return Reply(None, f"unreadable reply {text[:30]!r}")


def _confidence(word: str, first_token_probs: Mapping[str, float]) -> float | None:
    """The share of `word` in the probability of the three replies. A first-token candidate
    counts for the reply it begins ("op" for "opposite"; case and spaces aside)."""
    mass = dict.fromkeys(_REPLIES, 0.0)
    for token, probability in first_token_probs.items():
        start = token.strip().lower()
        owners = [reply for reply in _REPLIES if start and reply.startswith(start)]
        if len(owners) == 1:
            mass[owners[0]] += probability
    total = sum(mass.values())
    return round(mass[word] / total, 4) if total > 0 else None


__all__ = ["Reply", "Verdict", "parse_reply"]
