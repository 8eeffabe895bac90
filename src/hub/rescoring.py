"""The hook for re-scoring provisional answers on the hub (e.g. with Gemini, once it is reachable).

A kiosk that scored offline marks its scores provisional. Whoever builds the hub-side brain
implements `Rescorer` and calls `rescore_provisional`; until then nothing calls it and the portal
shows such scores as provisional. A kiosk's later final score still replaces either.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from hub.db.database import HubDatabase
from hub.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class ProvisionalAnswer:
    answer_id: str
    question: str
    answer: str


@dataclass(frozen=True, slots=True)
class FinalScore:
    criteria: tuple[tuple[str, float, str], ...]  # (criterion, 0-10, rationale)
    feedback: str
    engine: str


class Rescorer(Protocol):
    def rescore(self, item: ProvisionalAnswer) -> FinalScore | None:
        """A final score, or None to leave the provisional one (e.g. the model is unreachable)."""


def rescore_provisional(database: HubDatabase, session_id: str, rescorer: Rescorer) -> int:
    """Replace a session's provisional scores by final ones; returns how many were replaced."""
    replaced = 0
    with UnitOfWork(database) as uow:
        questions = {q.id: q.text for q in uow.sessions.questions(session_id)}
        answers = {a.id: a for a in uow.sessions.answers(session_id)}
        for score in uow.sessions.scores(session_id):
            answer = answers.get(score.answer_id)
            if not score.provisional or answer is None:
                continue
            item = ProvisionalAnswer(answer.id, questions.get(answer.question_id, ""), answer.text)
            final = rescorer.rescore(item)
            if final is None:
                continue
            score.criteria = [
                {"criterion": c, "score": s, "rationale": r} for c, s, r in final.criteria
            ]
            score.feedback = final.feedback
            score.engine = final.engine
            score.provisional = False
            replaced += 1
        uow.commit()
    return replaced
