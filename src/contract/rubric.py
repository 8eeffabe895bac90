"""The scoring rubric both sides read: the criteria an answer is scored on, each 0 to 10, and
what an answer does with each expected point.

The kiosk scores answers on these criteria (offline or with Gemini) and the hub re-scores on the
same ones, so an overall mean means the same whoever made it. An offline score also says, point
by point, whether the answer states the point (`Verdict`), which words show it, and who decided
(`DecidedBy`); the report and the hub's session page print them in the words below, so a reader
sees the same sentence on paper and on screen.
"""

from __future__ import annotations

from enum import StrEnum


class Criterion(StrEnum):
    RELEVANCE = "relevance"
    DEPTH = "depth"
    STRUCTURE = "structure"
    COMMUNICATION = "communication"


class Verdict(StrEnum):
    """What an answer does with one expected point."""

    COVERED = "covered"
    CONTRADICTED = "contradicted"
    ABSENT = "absent"


class DecidedBy(StrEnum):
    """Who decided a point's verdict: the on-device judge (a small language model reading the
    words), or the embeddings (how close the answer's wording comes to the point)."""

    JUDGE = "judge"
    EMBEDDINGS = "embeddings"


VERDICT_WORDS = {
    Verdict.COVERED: "Covered",
    Verdict.CONTRADICTED: "Contradicted",
    Verdict.ABSENT: "Not covered",
}
DECIDED_BY_WORDS = {
    DecidedBy.JUDGE: "decided by the on-device judge",
    DecidedBy.EMBEDDINGS: "decided by closeness of wording",
}
#: How the points of an offline score were decided (`AnswerScore.path`), for people.
_PATH_WORDS = {
    "judge": "every point was decided by the on-device judge",
    "judge+embeddings": (
        "the on-device judge decided the points it could; closeness of wording decided the rest"
    ),
    "embeddings": "the points were decided by closeness of wording only",
    "none": "the answer stated nothing that could be compared with the points",
}


def path_words(path: str) -> str:
    """A sentence for how a score's points were decided; "" for a score with no points
    (one made by Gemini, which judges the answer as a whole)."""
    return _PATH_WORDS.get(path, "")


__all__ = ["DECIDED_BY_WORDS", "VERDICT_WORDS", "Criterion", "DecidedBy", "Verdict",
           "path_words"]
