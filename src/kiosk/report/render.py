"""The kiosk's PDF report: a stored session as a `reporting.ReportRecord`, rendered by the
renderer the hub uses too, so both PDFs of a session show the same content."""

from __future__ import annotations

from kiosk.domain.model import AnswerScore, IdCheck
from kiosk.sessions import SessionRecord
from kiosk.storage.media import MediaStore
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
)
from reporting import render_report as render


def score_line(score: AnswerScore) -> ScoreLine:
    return ScoreLine(
        criteria=tuple(
            CriterionLine(c.criterion.value, c.score, c.rationale) for c in score.criteria
        ),
        feedback=score.feedback,
        evidence=score.evidence,
        engine=score.engine,
        provisional=score.provisional,
        points=tuple(PointLine(p.point, p.verdict, p.evidence, p.decided_by)
                     for p in score.points),
        path=score.path,
    )


def _identity(check: IdCheck | None) -> IdentityLine | None:
    if check is None:
        return None
    return IdentityLine(
        name_on_document=check.name_on_document,
        name_matches=check.name_matches,
        face_matches=check.face_matches,
        face_distance=check.face_distance,
        face_threshold=check.face_threshold,
        document_number=check.document_number,
        date_of_birth=check.date_of_birth,
        expiry_date=check.expiry_date,
        expired=check.expired,
        override_reason=check.override_reason,
        overridden_by=check.overridden_by,
        card_image=check.card_image.sha256 if check.card_image else None,
        live_image=check.live_image.sha256 if check.live_image else None,
    )


def report_record(record: SessionRecord, *, sample: bool = False) -> ReportRecord:
    """What the report shows of a stored session."""
    session = record.session
    questions = []
    for question in record.questions:
        answer = record.answer_for(question)
        score = record.scores.get(answer.answer_id) if answer else None
        questions.append(
            QuestionLine(
                index=question.index,
                kind=question.kind.value,
                text=question.text,
                skill=question.skill,
                rationale=question.rationale,
                answer=answer.text if answer else None,
                score=score_line(score) if score else None,
                recording_damaged=answer is not None and answer.recording_damaged,
            )
        )
    consent = record.consent
    evaluation = record.evaluation
    return ReportRecord(
        session_id=session.session_id,
        session_key=session.session_key,
        candidate_name=session.candidate.full_name,
        job_title=session.job.title,
        held_at=record.interview_started_at or session.created_at,
        status=session.state.value,
        kiosk_id=session.kiosk_id,
        consent=None if consent is None else ConsentLine(
            consent.agreed, consent.biometric, consent.at, consent.notice_version,
            consent.notice_sha256,
        ),
        evaluation=None if evaluation is None else EvaluationLine(
            dict(evaluation.overall), evaluation.strengths, evaluation.concerns,
            evaluation.recommendation, evaluation.behavioural_note, evaluation.engine,
            evaluation.provisional,
        ),
        questions=tuple(questions),
        identity=_identity(record.id_check),
        integrity=record.integrity,
        events=tuple(
            EventLine(e.kind, e.severity, e.confidence, e.start, e.end, e.detail,
                      e.snapshot.sha256 if e.snapshot else None, dict(e.thresholds))
            for e in record.events
        ),
        duration_seconds=record.duration_seconds,
        sample=sample,
        fit=record.fit,
        data_policy=session.data_policy,
    )


def render_report(record: SessionRecord, media: MediaStore, *, sample: bool = False) -> bytes:
    """The report of a stored session as PDF bytes."""
    return render(report_record(record, sample=sample), media.read)


__all__ = ["render_report", "report_record", "score_line"]
