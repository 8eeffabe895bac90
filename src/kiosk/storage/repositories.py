"""Repositories map rows to domain objects and back. They add and read; they never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from contract.codec import from_data, to_data
from contract.fit import JobFit
from contract.privacy import DataPolicy
from contract.proctoring import EventKind, IntegritySummary, Severity
from kiosk.domain.consent import Consent
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    CriterionScore,
    FinalEvaluation,
    IdCheck,
    InterviewSession,
    JobDescription,
    MediaRef,
    ObservationChunk,
    ProctoringEvent,
    Question,
    QuestionKind,
    Report,
    ScoredPoint,
    SessionSettings,
    TranscriptSegment,
)
from kiosk.storage.schema import (
    AnswerRow,
    AnswerScoreRow,
    ConsentRow,
    IdCheckRow,
    IntegrityRow,
    JobFitRow,
    MediaRow,
    ObservationChunkRow,
    OutboxRow,
    ProctoringEventRow,
    QuestionRow,
    ReportRow,
    SessionRow,
    StateChangeRow,
)


class NotFoundError(LookupError):
    pass


class MediaRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, ref: MediaRef, at: datetime) -> None:
        """Record a stored blob; recording the same hash again changes nothing."""
        if self._db.get(MediaRow, ref.sha256) is None:
            self._db.add(
                MediaRow(
                    sha256=ref.sha256,
                    kind=ref.kind,
                    content_type=ref.content_type,
                    size=ref.size,
                    created_at=at,
                )
            )
            self._db.flush()

    def get(self, sha256: str | None) -> MediaRef | None:
        if sha256 is None:
            return None
        row = self._db.get(MediaRow, sha256)
        if row is None:
            raise NotFoundError(f"no media {sha256[:12]}... in the database")
        return MediaRef(
            sha256=row.sha256, kind=row.kind, content_type=row.content_type, size=row.size
        )


class OutboxRepository:
    """Outbox rows are pending (unsent), sent, or quarantined (unsent, held back with a reason)."""

    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, topic: str, aggregate_id: str, payload: dict[str, Any], at: datetime) -> None:
        self._db.add(
            OutboxRow(topic=topic, aggregate_id=aggregate_id, payload=payload, created_at=at)
        )

    @staticmethod
    def _waiting() -> ColumnElement[bool]:
        return and_(OutboxRow.sent_at.is_(None), OutboxRow.quarantined_at.is_(None))

    @staticmethod
    def _held() -> ColumnElement[bool]:
        return and_(OutboxRow.sent_at.is_(None), OutboxRow.quarantined_at.is_not(None))

    def pending(self, limit: int = 100) -> list[OutboxRow]:
        query = select(OutboxRow).where(self._waiting()).order_by(OutboxRow.id).limit(limit)
        return list(self._db.scalars(query))

    def count_pending(self) -> int:
        query = select(func.count()).select_from(OutboxRow).where(self._waiting())
        return int(self._db.scalar(query) or 0)

    def mark_sent(self, ids: list[int], at: datetime) -> None:
        for row in self._db.scalars(select(OutboxRow).where(OutboxRow.id.in_(ids))):
            row.sent_at = at

    # -- quarantine ----------------------------------------------------------------------------
    def quarantined(self) -> list[OutboxRow]:
        query = select(OutboxRow).where(self._held()).order_by(OutboxRow.id)
        return list(self._db.scalars(query))

    def quarantined_sessions(self) -> set[str]:
        """Sessions with a quarantined row: their other unsent rows must wait with it."""
        query = select(OutboxRow.aggregate_id).where(self._held(), OutboxRow.aggregate_id != "")
        return set(self._db.scalars(query.distinct()))

    def quarantine(self, row_id: int, reason: str, at: datetime) -> int:
        """Hold back `row_id` with `reason`, and the waiting rows of its session with it.

        Returns how many rows were held back. A row of no session (media) holds back only
        itself: an entry that refers to its blob is refused on its own if it must be.
        """
        row = self._db.get(OutboxRow, row_id)
        if row is None:
            raise NotFoundError(f"no outbox row {row_id}")
        row.quarantined_at, row.quarantine_reason, row.held_by = at, reason, None
        self._db.flush()
        return 1 + self.hold_followers(at)

    def hold_followers(self, at: datetime) -> int:
        """Hold back every waiting row of a session that has a quarantined row (rows written
        after the refusal included). Each is held by its session's first quarantined row: rows
        are quarantined only at the head of the queue, so that one is the refused row."""
        roots: dict[str, OutboxRow] = {}
        for row in self.quarantined():
            if row.aggregate_id:
                roots.setdefault(row.aggregate_id, row)
        if not roots:
            return 0
        query = select(OutboxRow).where(self._waiting(), OutboxRow.aggregate_id.in_(list(roots)))
        held = 0
        for row in self._db.scalars(query):
            root = roots[row.aggregate_id]
            row.quarantined_at, row.quarantine_reason = at, root.quarantine_reason
            row.held_by = root.id
            held += 1
        return held

    def release_quarantined(self) -> int:
        """Put every quarantined row back in the queue, in its original outbox order."""
        released = 0
        for row in self.quarantined():
            row.quarantined_at, row.quarantine_reason, row.held_by = None, "", None
            released += 1
        return released


class SessionRepository:
    """The interview session aggregate: the session and everything recorded during it."""

    def __init__(self, db: Session, media: MediaRepository) -> None:
        self._db = db
        self._media = media

    # -- the session itself -------------------------------------------------------------------
    def add(self, session: InterviewSession) -> None:
        self._db.add(
            SessionRow(
                id=session.session_id,
                session_key=session.session_key,
                state=session.state.value,
                candidate_name=session.candidate.full_name,
                candidate_email=session.candidate.email,
                resume_text=session.candidate.resume_text,
                job_title=session.job.title,
                job_text=session.job.text,
                required_skills=list(session.job.required_skills),
                nice_to_have_skills=list(session.job.nice_to_have_skills),
                settings=to_data(session.settings),
                data_policy=to_data(session.data_policy),
                kiosk_id=session.kiosk_id,
                created_at=session.created_at,
                expires_at=session.expires_at,
            )
        )
        self._db.flush()

    def _row(self, session_id: str) -> SessionRow:
        row = self._db.get(SessionRow, session_id)
        if row is None:
            raise NotFoundError(f"no session {session_id!r} on this kiosk")
        return row

    @staticmethod
    def _to_domain(row: SessionRow) -> InterviewSession:
        return InterviewSession(
            session_id=row.id,
            session_key=row.session_key,
            candidate=Candidate(row.candidate_name, row.candidate_email, row.resume_text),
            job=JobDescription(
                row.job_title,
                row.job_text,
                tuple(row.required_skills),
                tuple(row.nice_to_have_skills),
            ),
            settings=from_data(SessionSettings, row.settings),
            state=SessionState(row.state),
            created_at=row.created_at,
            expires_at=row.expires_at,
            kiosk_id=row.kiosk_id,
            data_policy=from_data(DataPolicy, row.data_policy or {}),
        )

    def get(self, session_id: str) -> InterviewSession:
        return self._to_domain(self._row(session_id))

    def get_by_key(self, session_key: str) -> InterviewSession | None:
        row = self._db.scalar(select(SessionRow).where(SessionRow.session_key == session_key))
        return None if row is None else self._to_domain(row)

    def list(self) -> list[InterviewSession]:
        rows = self._db.scalars(select(SessionRow).order_by(SessionRow.created_at))
        return [self._to_domain(r) for r in rows]

    def count_ready(self, now: datetime) -> int:
        """Sessions waiting for their candidate: created, with a key that has not expired."""
        query = (
            select(func.count())
            .select_from(SessionRow)
            .where(
                SessionRow.state == SessionState.CREATED.value,
                or_(SessionRow.expires_at.is_(None), SessionRow.expires_at > now),
            )
        )
        return int(self._db.scalar(query) or 0)

    def set_state(self, session_id: str, state: SessionState, at: datetime, reason: str) -> None:
        row = self._row(session_id)
        self._db.add(
            StateChangeRow(
                session_id=session_id,
                from_state=row.state,
                to_state=state.value,
                at=at,
                reason=reason,
            )
        )
        row.state = state.value

    def add_note(self, session_id: str, at: datetime, reason: str) -> None:
        """A line in the session's history that changes no state (an adjustment, in words)."""
        row = self._row(session_id)
        self._db.add(
            StateChangeRow(
                session_id=session_id,
                from_state=row.state,
                to_state=row.state,
                at=at,
                reason=reason,
            )
        )

    def set_settings(self, session_id: str, settings: SessionSettings) -> None:
        self._row(session_id).settings = to_data(settings)

    def set_branding(self, session_id: str, organisation: str, logo: MediaRef | None) -> None:
        row = self._row(session_id)
        row.organisation_name = organisation
        row.organisation_logo = logo.sha256 if logo is not None else None

    def branding(self, session_id: str) -> tuple[str, MediaRef | None]:
        """The organisation's name and logo as the session's pack gave them."""
        row = self._row(session_id)
        return row.organisation_name or "", self._media.get(row.organisation_logo)

    def state_history(self, session_id: str) -> list[tuple[str, str, datetime, str]]:
        query = (
            select(StateChangeRow)
            .where(StateChangeRow.session_id == session_id)
            .order_by(StateChangeRow.id)
        )
        return [(r.from_state, r.to_state, r.at, r.reason) for r in self._db.scalars(query)]

    def set_evaluation(self, session_id: str, evaluation: FinalEvaluation) -> None:
        self._row(session_id).evaluation = to_data(evaluation)

    def evaluation(self, session_id: str) -> FinalEvaluation | None:
        data = self._row(session_id).evaluation
        return None if data is None else from_data(FinalEvaluation, data)

    # -- questions and answers ----------------------------------------------------------------
    def add_question(self, session_id: str, question: Question, at: datetime) -> None:
        self._db.add(
            QuestionRow(
                id=question.question_id,
                session_id=session_id,
                idx=question.index,
                kind=question.kind.value,
                text=question.text,
                skill=question.skill,
                rationale=question.rationale,
                expected_points=list(question.expected_points),
                engine=question.engine,
                follow_up_of=question.follow_up_of,
                spoken=question.spoken,
                asked_at=at,
            )
        )
        self._db.flush()

    def questions(self, session_id: str) -> list[Question]:
        query = (
            select(QuestionRow)
            .where(QuestionRow.session_id == session_id)
            .order_by(QuestionRow.idx)
        )
        return [
            Question(
                question_id=r.id,
                index=r.idx,
                kind=QuestionKind(r.kind),
                text=r.text,
                skill=r.skill,
                rationale=r.rationale,
                expected_points=tuple(r.expected_points),
                engine=r.engine,
                follow_up_of=r.follow_up_of,
                spoken=r.spoken,
            )
            for r in self._db.scalars(query)
        ]

    def add_answer(self, session_id: str, answer: Answer, at: datetime) -> None:
        self._db.add(
            AnswerRow(
                id=answer.answer_id,
                session_id=session_id,
                question_id=answer.question_id,
                text=answer.text,
                segments=[to_data(s) for s in answer.segments],
                audio_sha256=answer.audio.sha256 if answer.audio else None,
                started_at=answer.started_at,
                ended_at=answer.ended_at,
                end_reason=answer.end_reason,
                metrics=dict(answer.metrics),
                saved_at=at,
            )
        )
        self._db.flush()

    def answers(self, session_id: str) -> list[Answer]:
        query = (
            select(AnswerRow)
            .join(QuestionRow, AnswerRow.question_id == QuestionRow.id)
            .where(AnswerRow.session_id == session_id)
            .order_by(QuestionRow.idx)
        )
        return [
            Answer(
                answer_id=r.id,
                question_id=r.question_id,
                text=r.text,
                segments=tuple(from_data(TranscriptSegment, s) for s in r.segments),
                audio=self._media.get(r.audio_sha256),
                started_at=r.started_at,
                ended_at=r.ended_at,
                end_reason=r.end_reason,
                metrics=dict(r.metrics),
            )
            for r in self._db.scalars(query)
        ]

    def add_score(self, score: AnswerScore, at: datetime) -> None:
        self._db.add(
            AnswerScoreRow(
                answer_id=score.answer_id,
                criteria=[to_data(c) for c in score.criteria],
                feedback=score.feedback,
                evidence=list(score.evidence),
                engine=score.engine,
                provisional=score.provisional,
                confidence=score.confidence,
                scored_at=at,
                points=[to_data(p) for p in score.points],
                path=score.path,
            )
        )

    def latest_scores(self, session_id: str) -> dict[str, AnswerScore]:
        """The newest score of each answer: a final re-score replaces a provisional one."""
        query = (
            select(AnswerScoreRow)
            .join(AnswerRow, AnswerScoreRow.answer_id == AnswerRow.id)
            .where(AnswerRow.session_id == session_id)
            .order_by(AnswerScoreRow.id)
        )
        latest: dict[str, AnswerScore] = {}
        for r in self._db.scalars(query):
            latest[r.answer_id] = AnswerScore(
                answer_id=r.answer_id,
                criteria=tuple(from_data(CriterionScore, c) for c in r.criteria),
                feedback=r.feedback,
                evidence=tuple(r.evidence),
                engine=r.engine,
                provisional=r.provisional,
                confidence=r.confidence,
                points=tuple(from_data(ScoredPoint, p) for p in r.points),
                path=r.path,
            )
        return latest

    # -- proctoring, identity, reports --------------------------------------------------------
    def add_event(self, session_id: str, event: ProctoringEvent) -> None:
        """Insert the event, or update it: an event is recorded when it starts and when it ends.

        An id already stored for another session is refused: updating it would move evidence
        from one candidate's record to another's.
        """
        row = self._db.get(ProctoringEventRow, event.event_id) or ProctoringEventRow(
            id=event.event_id, session_id=session_id
        )
        if row.session_id != session_id:
            raise ValueError(
                f"proctoring event {event.event_id} belongs to another session; it is not moved"
            )
        row.kind = event.kind.value
        row.severity = event.severity.value
        row.confidence = event.confidence
        row.start = event.start
        row.end = event.end
        row.detector = event.detector
        row.thresholds = dict(event.thresholds)
        row.detail = event.detail
        if event.snapshot is not None:
            row.snapshot_sha256 = event.snapshot.sha256
        self._db.add(row)

    def events(self, session_id: str) -> list[ProctoringEvent]:
        query = (
            select(ProctoringEventRow)
            .where(ProctoringEventRow.session_id == session_id)
            .order_by(ProctoringEventRow.start)
        )
        return [
            ProctoringEvent(
                event_id=r.id,
                kind=EventKind(r.kind),
                severity=Severity(r.severity),
                confidence=r.confidence,
                start=r.start,
                end=r.end,
                detector=r.detector,
                thresholds=dict(r.thresholds),
                snapshot=self._media.get(r.snapshot_sha256),
                detail=r.detail,
            )
            for r in self._db.scalars(query)
        ]

    def add_consent(self, session_id: str, consent: Consent) -> None:
        self._db.add(
            ConsentRow(
                session_id=session_id,
                agreed=consent.agreed,
                notice_version=consent.notice_version,
                notice_sha256=consent.notice_sha256,
                biometric=consent.biometric,
                at=consent.at,
                policy_sha256=consent.policy_sha256,
            )
        )

    def latest_consent(self, session_id: str) -> Consent | None:
        """The candidate's latest answer (a session resumed before its ID check asks again)."""
        query = (
            select(ConsentRow)
            .where(ConsentRow.session_id == session_id)
            .order_by(ConsentRow.id.desc())
            .limit(1)
        )
        row = self._db.scalar(query)
        if row is None:
            return None
        return Consent(
            row.notice_version,
            row.notice_sha256,
            row.biometric,
            row.at,
            agreed=row.agreed,
            policy_sha256=row.policy_sha256,
        )

    def add_observation_chunk(
        self, session_id: str, chunk: ObservationChunk, at: datetime
    ) -> None:
        self._db.add(
            ObservationChunkRow(
                id=chunk.chunk_id,
                session_id=session_id,
                run_id=chunk.run_id,
                seq=chunk.seq,
                start=chunk.start,
                end=chunk.end,
                records=chunk.records,
                track_sha256=chunk.track.sha256,
                created_at=at,
            )
        )

    def observation_chunks(self, session_id: str) -> list[ObservationChunk]:
        """The session's track chunks, run by run, in order."""
        query = (
            select(ObservationChunkRow)
            .where(ObservationChunkRow.session_id == session_id)
            .order_by(ObservationChunkRow.created_at, ObservationChunkRow.run_id,
                      ObservationChunkRow.seq)
        )
        return [
            ObservationChunk(
                chunk_id=r.id,
                run_id=r.run_id,
                seq=r.seq,
                start=r.start,
                end=r.end,
                records=r.records,
                track=self._media.get(r.track_sha256),  # type: ignore[arg-type]
            )
            for r in self._db.scalars(query)
        ]

    def set_integrity(self, session_id: str, summary: IntegritySummary, at: datetime) -> None:
        """Store the summary computed at the interview's end; computing it again replaces it."""
        row = self._db.get(IntegrityRow, session_id) or IntegrityRow(session_id=session_id)
        row.summary = to_data(summary)
        row.policy_digest = summary.policy_digest
        row.computed_at = at
        self._db.add(row)

    def integrity(self, session_id: str) -> IntegritySummary | None:
        row = self._db.get(IntegrityRow, session_id)
        return None if row is None else from_data(IntegritySummary, row.summary)

    def set_fit(self, session_id: str, fit: JobFit, at: datetime) -> None:
        """Store the fit made with the interview's plan; making it again replaces it."""
        row = self._db.get(JobFitRow, session_id) or JobFitRow(session_id=session_id)
        row.fit = to_data(fit)
        row.computed_at = at
        self._db.add(row)

    def fit(self, session_id: str) -> JobFit | None:
        row = self._db.get(JobFitRow, session_id)
        return None if row is None else from_data(JobFit, row.fit)

    def add_id_check(self, session_id: str, check: IdCheck, at: datetime) -> None:
        self._db.add(
            IdCheckRow(
                session_id=session_id,
                result=to_data(check),
                card_sha256=check.card_image.sha256 if check.card_image else None,
                live_sha256=check.live_image.sha256 if check.live_image else None,
                checked_at=at,
            )
        )

    def latest_id_check(self, session_id: str) -> IdCheck | None:
        query = (
            select(IdCheckRow)
            .where(IdCheckRow.session_id == session_id)
            .order_by(IdCheckRow.id.desc())
            .limit(1)
        )
        row = self._db.scalar(query)
        return None if row is None else from_data(IdCheck, row.result)

    def add_report(self, report: Report) -> None:
        self._db.add(
            ReportRow(
                session_id=report.session_id,
                pdf_sha256=report.pdf.sha256,
                created_at=report.created_at,
            )
        )

    def latest_report(self, session_id: str) -> Report | None:
        query = (
            select(ReportRow)
            .where(ReportRow.session_id == session_id)
            .order_by(ReportRow.id.desc())
            .limit(1)
        )
        row = self._db.scalar(query)
        if row is None:
            return None
        pdf = self._media.get(row.pdf_sha256)
        assert pdf is not None
        return Report(session_id=row.session_id, pdf=pdf, created_at=row.created_at)
