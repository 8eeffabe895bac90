"""Complete a session's record on the hub once a re-score leaves no provisional answer.

Before this, a re-score replaced the answers' scores but left the kiosk's evaluation, its
recommendation and its PDF as they were: provisional and made from the old scores, while the page
said the scores were final. Now, when no answer of the session is provisional any more, the
evaluation's figures (criterion means, recommendation, strengths, concerns) are computed again
from the final scores with the arithmetic the kiosk uses (`contract.evaluation`), the kiosk's
behavioural note is kept (speech and proctoring never change with the scores), and a new PDF is
rendered by the shared renderer and stored as the session's latest report.

The PDF is rendered outside any transaction; the new evaluation and report are written in one
short transaction, and only if every score is still final then and the session was not erased
meanwhile. A kiosk's later evaluation or report still replaces the hub's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from contract import evaluation as shared
from hub.blobs import BlobStore
from hub.db.database import HubDatabase
from hub.db.models import Blob, ReportPdf
from hub.rescoring.report import report_record
from hub.uow import UnitOfWork
from reporting import render_report


def _turns(uow: UnitOfWork, session_id: str) -> list[shared.ScoredTurn] | None:
    """The session's questions as the shared arithmetic reads them; None while any answer's
    score is provisional."""
    answers = {a.question_id: a for a in uow.sessions.answers(session_id)}
    scores = {s.answer_id: s for s in uow.sessions.scores(session_id)}
    turns = []
    for q in uow.sessions.questions(session_id):
        answer = answers.get(q.id)
        score = scores.get(answer.id) if answer else None
        if score is not None and score.provisional:
            return None
        turns.append(
            shared.ScoredTurn(
                label=q.skill or q.kind,
                kind=q.kind,
                follow_up=q.follow_up_of is not None,
                answered=answer is not None,
                criteria=None if score is None else {
                    str(c["criterion"]): float(c["score"]) for c in score.criteria
                },
                flagged=score is not None and shared.addressed_the_grader(score.feedback),
            )
        )
    return turns


def recomputed(
    stored: Mapping[str, Any], turns: list[shared.ScoredTurn], planned: int
) -> dict[str, Any]:
    """The stored evaluation with its figures made again from final scores."""
    figures = shared.evaluate(turns, planned)
    return {
        **stored,
        "overall": figures.overall,
        "strengths": list(figures.strengths),
        "concerns": list(figures.concerns),
        "recommendation": figures.recommendation.value,
        "provisional": False,
    }


def complete_record(
    database: HubDatabase, blobs: BlobStore, session_id: str, now: datetime
) -> str:
    """Recompute the evaluation and regenerate the PDF if every score is final; returns what
    was done, in words for the audit log ("" when nothing was)."""
    with UnitOfWork(database) as uow:
        row = uow.sessions.get(session_id)
        if row is None or row.purged_at is not None or not row.evaluation:
            return ""
        turns = _turns(uow, session_id)
        if turns is None or not any(t.answered for t in turns):
            return ""
        planned = int(row.settings.get("question_count", 0))
        evaluation = recomputed(row.evaluation, turns, planned)
        record = report_record(uow, row, evaluation)
        org_id = row.org_id
    stored = blobs.put(org_id, render_report(record, lambda sha256: blobs.read(org_id, sha256)))
    with UnitOfWork(database) as uow:
        row = uow.sessions.locked(session_id)
        if row is None or row.purged_at is not None or _turns(uow, session_id) is None:
            return ""  # erased, or a kiosk sent a provisional score meanwhile
        row.evaluation = evaluation
        row.updated_at = now
        uow.blobs.add_if_absent(
            Blob(
                org_id=org_id,
                sha256=stored.sha256,
                kind="report",
                content_type="application/pdf",
                size=stored.size,
                created_at=now,
            )
        )
        uow.sessions.link_blob(session_id, stored.sha256)
        if uow.sessions.report(session_id, stored.sha256) is None:
            uow.sessions.add_report(
                ReportPdf(session_id=session_id, pdf_sha256=stored.sha256, created_at=now)
            )
        uow.commit()
    words = shared.RECOMMENDATION_WORDS[shared.Recommendation(evaluation["recommendation"])]
    return f"every score is final: evaluation recomputed ({words}) and report regenerated"


__all__ = ["complete_record", "recomputed"]
