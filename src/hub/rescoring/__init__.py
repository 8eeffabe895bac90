"""Re-scoring provisional answers on the hub (with Gemini, once a key is configured).

A kiosk that scored offline marks its scores provisional. `rescore_provisional` asks a `Rescorer`
for a final score of each one, with what the kiosk's own online scoring would have had: the
question, its targeted skill, its expected points, the answer, and the provisional (offline)
score that caps an answer which addresses the grader (`contract.scoring`). The model calls happen
outside any database transaction (a transaction held open across minutes of network calls would
pin a connection and a snapshot), and each final score is written in its own short transaction
only if the answer's score is still provisional then, so a kiosk's final score that arrived in
the meantime is never overwritten. A kiosk's later final score still replaces the hub's.
When a run leaves no provisional answer, `completion.complete_record` recomputes the session's
evaluation from the final scores and regenerates its PDF.
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
    skill: str = ""
    expected_points: tuple[str, ...] = ()
    #: The provisional score per criterion: the offline score the kiosk made.
    provisional: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class FinalScore:
    criteria: tuple[tuple[str, float, str], ...]  # (criterion, 0-10, rationale)
    feedback: str
    engine: str
    evidence: tuple[str, ...] = ()
    confidence: float = 0.5


class Rescorer(Protocol):
    def rescore(self, item: ProvisionalAnswer) -> FinalScore | None:
        """A final score, or None to leave the provisional one (e.g. the model is unreachable)."""


def provisional_answers(database: HubDatabase, session_id: str) -> list[ProvisionalAnswer]:
    """The session's answers whose latest score is provisional, with their questions."""
    with UnitOfWork(database) as uow:
        questions = {q.id: q for q in uow.sessions.questions(session_id)}
        answers = {a.id: a for a in uow.sessions.answers(session_id)}
        found = []
        for score in uow.sessions.scores(session_id):
            answer = answers.get(score.answer_id)
            if not score.provisional or answer is None:
                continue
            question = questions.get(answer.question_id)
            found.append(
                ProvisionalAnswer(
                    answer.id,
                    question.text if question else "",
                    answer.text,
                    question.skill if question else "",
                    tuple(question.expected_points) if question else (),
                    tuple((c["criterion"], float(c["score"])) for c in score.criteria),
                )
            )
        return found


def apply_final(database: HubDatabase, answer_id: str, final: FinalScore) -> bool:
    """Replace the answer's score by `final` if it is still provisional; True when replaced."""
    with UnitOfWork(database) as uow:
        score = uow.sessions.score(answer_id)
        if score is None or not score.provisional:
            return False
        score.criteria = [
            {"criterion": c, "score": s, "rationale": r} for c, s, r in final.criteria
        ]
        score.feedback = final.feedback
        score.evidence = list(final.evidence)
        score.confidence = final.confidence
        score.engine = final.engine
        score.provisional = False
        # the points belonged to the offline score: the final one judges the answer as a whole
        score.points = []
        score.path = ""
        uow.commit()
    return True


def rescore_provisional(database: HubDatabase, session_id: str, rescorer: Rescorer) -> int:
    """Replace a session's provisional scores by final ones; returns how many were replaced."""
    replaced = 0
    for item in provisional_answers(database, session_id):
        final = rescorer.rescore(item)
        if final is not None and apply_final(database, item.answer_id, final):
            replaced += 1
    return replaced


__all__ = [
    "FinalScore",
    "ProvisionalAnswer",
    "Rescorer",
    "apply_final",
    "provisional_answers",
    "rescore_provisional",
]
