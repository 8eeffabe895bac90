"""Reading the model's one-word reply to one point (the verdicts are `contract.rubric.Verdict`,
which the report and the hub print too).

The model writes no quote: the evidence for its verdict is the answer's own unit it was shown
(verbatim by construction), so nothing the model writes can be quoted as the candidate's.
"""

from __future__ import annotations

from dataclasses import dataclass

from contract.rubric import Verdict

_REPLIES = {"yes": Verdict.COVERED, "opposite": Verdict.CONTRADICTED, "no": Verdict.ABSENT}


@dataclass(frozen=True, slots=True)
class Reply:
    """The model's reply to one point, read; `error` says why it could not be, else ""."""

    verdict: Verdict | None
    error: str = ""


def parse_reply(text: str) -> Reply:
    """`yes` / `opposite` / `no` (the grammar allows nothing else); anything else is an error,
    never a verdict."""
    word = text.strip().lower()
    if word in _REPLIES:
        return Reply(_REPLIES[word])
    return Reply(None, f"unreadable reply {text[:30]!r}")


__all__ = ["Reply", "Verdict", "parse_reply"]
