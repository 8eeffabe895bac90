"""Replace provisional (offline) scores with an online engine's once it is reachable again.

Called after the session, or when the network returns: each provisional score is sent to the
engine again; a step that still fails keeps its provisional score, so rescoring never loses
a result. The final evaluation is then rebuilt from the new scores by the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kiosk.brain.context import InterviewContext, Turn
from kiosk.brain.engine import EngineError, InterviewEngine

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RescoreResult:
    turns: tuple[Turn, ...]
    rescored: int
    still_provisional: int


def rescore_provisional(
    engine: InterviewEngine, context: InterviewContext, turns: Sequence[Turn]
) -> RescoreResult:
    out: list[Turn] = []
    rescored = kept = 0
    for turn in turns:
        if turn.score is None or turn.answer is None or not turn.score.provisional:
            out.append(turn)
            continue
        try:
            score = engine.score_answer(context, turn.question, turn.answer)
        except EngineError as error:
            _log.info("rescoring %s failed: %s", turn.question.question_id, error)
            out.append(turn)
            kept += 1
            continue
        if score.provisional:  # the engine fell back offline itself: nothing gained
            out.append(turn)
            kept += 1
            continue
        out.append(replace(turn, score=score))
        rescored += 1
    return RescoreResult(tuple(out), rescored, kept)


__all__ = ["RescoreResult", "rescore_provisional"]
