"""The hub's PDF of a session: its stored records as a `reporting.ReportRecord`, rendered by the
renderer the kiosk uses too, so the two PDFs of a session show the same content.

Everything comes from what the kiosk pushed (the wire's shapes, stored as they arrived): the
kiosk's own session id, the interview's start from its state changes, the latest consent, the ID
check, the integrity summary as the kiosk computed it, events, and each answer's latest score
with its points, and HR's flag reviews and decisions (which the kiosk never knows: its PDF has
no such section). The "Kiosk" line differs too: the hub names the kiosk as it was enrolled.
Pictures are read from the blob store; a session's erased pictures print as unavailable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contract.codec import from_data
from contract.evaluation import Recommendation
from contract.fit import JobFit
from contract.privacy import DataPolicy, policy_digest
from contract.proctoring import EventKind, IntegritySummary, Severity
from contract.rubric import DecidedBy, Verdict
from contract.wire import RECORDING_DAMAGED
from hub.blobs import BlobStore
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, LatestScore
from hub.errors import NotFoundError
from hub.services.data_policy import policy_of
from hub.services.decisions import report_line
from hub.uow import UnitOfWork
from reporting import (
    ConsentLine,
    CriterionLine,
    EvaluationLine,
    EventLine,
    IdentityLine,
    PointLine,
    QuestionLine,
    ReportRecord,
    ScoreLine,
    render_report,
)


def score_line(row: LatestScore) -> ScoreLine:
    return ScoreLine(
        criteria=tuple(
            CriterionLine(str(c["criterion"]), float(c["score"]), str(c.get("rationale", "")))
            for c in row.criteria
        ),
        feedback=row.feedback,
        evidence=tuple(row.evidence),
        engine=row.engine,
        provisional=row.provisional,
        points=tuple(
            PointLine(
                str(p["point"]),
                Verdict(p["verdict"]),
                str(p.get("evidence", "")),
                DecidedBy(p.get("decided_by", DecidedBy.EMBEDDINGS)),
            )
            for p in row.points
        ),
        path=row.path,
    )


def evaluation_line(stored: Mapping[str, Any] | None) -> EvaluationLine | None:
    if not stored:
        return None
    return EvaluationLine(
        overall={str(k): float(v) for k, v in stored.get("overall", {}).items()},
        strengths=tuple(stored.get("strengths", ())),
        concerns=tuple(stored.get("concerns", ())),
        recommendation=Recommendation(stored["recommendation"]),
        behavioural_note=str(stored.get("behavioural_note", "")),
        engine=str(stored.get("engine", "")),
        provisional=bool(stored.get("provisional", False)),
    )


def _picture(value: object) -> str | None:
    return str(value["sha256"]) if isinstance(value, dict) and value.get("sha256") else None


def identity_line(result: Mapping[str, Any] | None) -> IdentityLine | None:
    """The ID check as the kiosk sent it; an erased one is no check to print."""
    if not result or result.get("purged"):
        return None
    return IdentityLine(
        name_on_document=str(result.get("name_on_document", "")),
        name_matches=bool(result.get("name_matches")),
        face_matches=bool(result.get("face_matches")),
        face_distance=result.get("face_distance"),
        face_threshold=result.get("face_threshold"),
        document_number=str(result.get("document_number", "")),
        date_of_birth=str(result.get("date_of_birth", "")),
        expiry_date=str(result.get("expiry_date", "")),
        expired=bool(result.get("expired")),
        override_reason=str(result.get("override_reason", "")),
        overridden_by=str(result.get("overridden_by", "")),
        card_image=_picture(result.get("card_image")),
        live_image=_picture(result.get("live_image")),
    )


def report_record(
    uow: UnitOfWork,
    row: InterviewSession,
    evaluation: Mapping[str, Any] | None = None,
) -> ReportRecord:
    """What the report shows of a stored session; `evaluation` replaces the stored one."""
    repo = uow.sessions
    answers = {a.question_id: a for a in repo.answers(row.id)}
    scores = {s.answer_id: s for s in repo.scores(row.id)}
    questions = []
    for q in repo.questions(row.id):
        answer = answers.get(q.id)
        score = scores.get(answer.id) if answer else None
        questions.append(
            QuestionLine(
                index=q.idx,
                kind=q.kind,
                text=q.text,
                skill=q.skill,
                rationale=q.rationale,
                answer=answer.text if answer else None,
                score=score_line(score) if score else None,
                recording_damaged=answer is not None
                and answer.end_reason == RECORDING_DAMAGED,
            )
        )
    history = repo.state_changes(row.id)
    started = next((c.at for c in history if c.to_state == "in_progress"), None)
    ended = next((c.at for c in history if c.from_state == "in_progress"), None)
    consents = repo.consents(row.id)
    consent = consents[-1] if consents else None
    check = repo.id_check(row.id)
    kiosk = uow.kiosks.get(row.kiosk_id) if row.kiosk_id else None
    return ReportRecord(
        session_id=row.kiosk_session_id or row.id,
        session_key=row.session_key,
        candidate_name=row.candidate_name,
        job_title=row.job_title,
        held_at=started or row.created_at,
        status=row.state,
        kiosk_id=kiosk.name if kiosk else "",
        consent=None if consent is None else ConsentLine(
            consent.agreed, consent.biometric, consent.at, consent.notice_version,
            consent.notice_sha256,
        ),
        evaluation=evaluation_line(evaluation if evaluation is not None else row.evaluation),
        questions=tuple(questions),
        identity=identity_line(check.result if check else None),
        integrity=None if row.integrity is None else from_data(IntegritySummary, row.integrity),
        fit=None if row.job_fit is None else from_data(JobFit, row.job_fit),
        events=tuple(
            EventLine(EventKind(e.kind), Severity(e.severity), e.confidence, e.start, e.end,
                      e.detail, e.snapshot_sha256, dict(e.thresholds or {}))
            for e in repo.events(row.id)
        ),
        duration_seconds=(ended - started).total_seconds() if started and ended else 0.0,
        data_policy=_shown_policy(uow, row, consent.policy_sha256 if consent else ""),
        decisions=report_line(uow, row),
    )


def _shown_policy(uow: UnitOfWork, row: InterviewSession, shown_sha256: str) -> DataPolicy | None:
    """The organisation's data policy, if its words are the ones the candidate agreed to; a
    policy changed since then is not the one to print, and the hub keeps no older copy."""
    org = uow.organisations.get(row.org_id)
    if org is None or not shown_sha256:
        return None
    policy = policy_of(org)
    return policy if policy_digest(policy) == shown_sha256 else None


def render_session_report(database: HubDatabase, blobs: BlobStore, session_id: str) -> bytes:
    """The PDF of a session as the hub holds it now."""
    with UnitOfWork(database) as uow:
        row = uow.sessions.get(session_id)
        if row is None:
            raise NotFoundError("no such session")
        record = report_record(uow, row)
        org_id = row.org_id
    return render_report(record, lambda sha256: blobs.read(org_id, sha256))


__all__ = ["evaluation_line", "render_session_report", "report_record", "score_line"]
