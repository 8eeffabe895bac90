"""The scoring rubric both sides read: the criteria an answer is scored on, each 0 to 10.

The kiosk scores answers on these criteria (offline or with Gemini) and the hub re-scores on the
same ones, so an overall mean means the same whoever made it.
"""

from __future__ import annotations

from enum import StrEnum


class Criterion(StrEnum):
    RELEVANCE = "relevance"
    DEPTH = "depth"
    STRUCTURE = "structure"
    COMMUNICATION = "communication"


__all__ = ["Criterion"]
