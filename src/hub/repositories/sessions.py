"""Interview sessions and everything kiosks recorded in them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from hub.db.models import (
    Answer,
    Consent,
    HiringDecision,
    IdCheck,
    InterviewSession,
    KioskSessionLink,
    LatestScore,
    ObservationChunk,
    ProctoringEvent,
    Question,
    ReplayDecision,
    ReportPdf,
    SessionBlob,
    StateChange,
)

_RECORDS = (
    Question,
    Answer,
    LatestScore,
    ProctoringEvent,
    IdCheck,
    Consent,
    ReportPdf,
    StateChange,
    ObservationChunk,
    ReplayDecision,
    HiringDecision,
)


Q = TypeVar("Q", bound=Select[Any])


class SessionRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    # -- sessions -------------------------------------------------------------------------------
    def add(self, session: InterviewSession) -> None:
        self._db.add(session)
        self._db.flush()

    def get(self, session_id: str) -> InterviewSession | None:
        return self._db.get(InterviewSession, session_id)

    def locked(self, session_id: str) -> InterviewSession | None:
        """The row as committed now, held until the transaction ends (PostgreSQL row lock;
        SQLite's BEGIN IMMEDIATE already holds the whole database)."""
        return self._db.get(
            InterviewSession, session_id, with_for_update=True, populate_existing=True
        )

    def by_key(self, org_id: str, session_key: str) -> InterviewSession | None:
        """The organisation's first session with this key (attempts on other kiosks repeat it);
        another organisation's session with the same key is never found."""
        query = select(InterviewSession).where(
            InterviewSession.org_id == org_id,
            InterviewSession.session_key == session_key,
            InterviewSession.attempt_of.is_(None),
        )
        return self._db.scalar(query)

    def attempts_of(self, session_id: str) -> list[InterviewSession]:
        query = select(InterviewSession).where(InterviewSession.attempt_of == session_id)
        return list(self._db.scalars(query.order_by(InterviewSession.created_at)))

    # -- which hub session each kiosk session pushes into -----------------------------------------
    def link(self, kiosk_session_id: str) -> KioskSessionLink | None:
        return self._db.get(KioskSessionLink, kiosk_session_id)

    def add_link(self, link: KioskSessionLink) -> None:
        self._db.add(link)
        self._db.flush()

    def in_org(
        self,
        org_id: str,
        states: Sequence[str] = (),
        limit: int = 500,
        offset: int = 0,
        centres: Sequence[str] | None = None,
    ) -> list[InterviewSession]:
        """A page of the organisation's sessions, newest first (id breaks ties, so pages never
        overlap or skip a row created in the same instant); `centres`: only those centres'
        sessions and the ones for any centre (None: every session)."""
        query = _scoped(select(InterviewSession), org_id, states, centres)
        order = (InterviewSession.created_at.desc(), InterviewSession.id.desc())
        query = query.order_by(*order).offset(offset).limit(limit)
        return list(self._db.scalars(query))

    def count_in_org(
        self, org_id: str, states: Sequence[str] = (), centres: Sequence[str] | None = None
    ) -> int:
        return int(self._db.scalar(_scoped(select(func.count()), org_id, states, centres)) or 0)

    def waiting(
        self, org_id: str, now: datetime, centre_id: str | None, day: date
    ) -> list[InterviewSession]:
        """Sessions HR created that no kiosk has opened yet and whose key is still valid, at
        `centre_id` or any centre, for `day` or any day."""
        query = (
            select(InterviewSession)
            .where(
                InterviewSession.org_id == org_id,
                InterviewSession.attempt_of.is_(None),
                InterviewSession.state == "created",
                InterviewSession.expires_at > now,
                InterviewSession.purged_at.is_(None),
                or_(
                    InterviewSession.centre_id.is_(None),
                    InterviewSession.centre_id == centre_id,
                ),
                or_(InterviewSession.interview_on.is_(None), InterviewSession.interview_on == day),
            )
            .order_by(InterviewSession.created_at)
        )
        return list(self._db.scalars(query))

    def older_than(self, org_id: str, before: datetime) -> list[InterviewSession]:
        query = select(InterviewSession).where(
            InterviewSession.org_id == org_id,
            InterviewSession.created_at < before,
            InterviewSession.purged_at.is_(None),
        )
        return list(self._db.scalars(query))

    def add_state_change(self, change: StateChange) -> None:
        self._db.add(change)

    def state_changes(self, session_id: str) -> list[StateChange]:
        query = select(StateChange).where(StateChange.session_id == session_id)
        return list(self._db.scalars(query.order_by(StateChange.id)))

    # -- records ----------------------------------------------------------------------------------
    def question(self, question_id: str) -> Question | None:
        return self._db.get(Question, question_id)

    def add_question(self, question: Question) -> None:
        self._db.add(question)
        self._db.flush()

    def questions(self, session_id: str) -> list[Question]:
        query = select(Question).where(Question.session_id == session_id).order_by(Question.idx)
        return list(self._db.scalars(query))

    def answer(self, answer_id: str) -> Answer | None:
        return self._db.get(Answer, answer_id)

    def add_answer(self, answer: Answer) -> None:
        self._db.add(answer)
        self._db.flush()

    def answers(self, session_id: str) -> list[Answer]:
        return list(self._db.scalars(select(Answer).where(Answer.session_id == session_id)))

    def score(self, answer_id: str) -> LatestScore | None:
        return self._db.get(LatestScore, answer_id)

    def add_score(self, score: LatestScore) -> None:
        self._db.add(score)
        self._db.flush()

    def scores(self, session_id: str) -> list[LatestScore]:
        query = select(LatestScore).where(LatestScore.session_id == session_id)
        return list(self._db.scalars(query))

    def event(self, event_id: str) -> ProctoringEvent | None:
        return self._db.get(ProctoringEvent, event_id)

    def add_event(self, event: ProctoringEvent) -> None:
        self._db.add(event)
        self._db.flush()

    def events(self, session_id: str) -> list[ProctoringEvent]:
        query = select(ProctoringEvent).where(ProctoringEvent.session_id == session_id)
        return list(self._db.scalars(query.order_by(ProctoringEvent.start)))

    def observation_chunk(self, chunk_id: str) -> ObservationChunk | None:
        return self._db.get(ObservationChunk, chunk_id)

    def add_observation_chunk(self, chunk: ObservationChunk) -> None:
        self._db.add(chunk)
        self._db.flush()

    def observation_chunks(self, session_id: str) -> list[ObservationChunk]:
        query = select(ObservationChunk).where(ObservationChunk.session_id == session_id)
        return list(
            self._db.scalars(query.order_by(ObservationChunk.run_id, ObservationChunk.seq))
        )

    def add_replay_decision(self, decision: ReplayDecision) -> None:
        self._db.add(decision)
        self._db.flush()

    def replay_decisions_of_org(self, org_id: str) -> list[ReplayDecision]:
        query = (
            select(ReplayDecision)
            .join(InterviewSession, InterviewSession.id == ReplayDecision.session_id)
            .where(InterviewSession.org_id == org_id)
        )
        return list(self._db.scalars(query.order_by(ReplayDecision.id)))

    def replay_decisions(self, session_id: str) -> list[ReplayDecision]:
        query = select(ReplayDecision).where(ReplayDecision.session_id == session_id)
        return list(self._db.scalars(query.order_by(ReplayDecision.id)))

    def id_check(self, session_id: str) -> IdCheck | None:
        return self._db.get(IdCheck, session_id)

    def add_id_check(self, check: IdCheck) -> None:
        self._db.add(check)
        self._db.flush()

    def add_consent(self, consent: Consent) -> None:
        self._db.add(consent)

    def consents(self, session_id: str) -> list[Consent]:
        query = select(Consent).where(Consent.session_id == session_id).order_by(Consent.id)
        return list(self._db.scalars(query))

    def report(self, session_id: str, pdf_sha256: str) -> ReportPdf | None:
        query = select(ReportPdf).where(
            ReportPdf.session_id == session_id, ReportPdf.pdf_sha256 == pdf_sha256
        )
        return self._db.scalar(query)

    def add_report(self, report: ReportPdf) -> None:
        self._db.add(report)
        self._db.flush()

    def latest_report(self, session_id: str) -> ReportPdf | None:
        query = (
            select(ReportPdf)
            .where(ReportPdf.session_id == session_id)
            .order_by(ReportPdf.id.desc())
            .limit(1)
        )
        return self._db.scalar(query)

    # -- blobs a session refers to ----------------------------------------------------------------
    def link_blob(self, session_id: str, sha256: str) -> None:
        if self._db.get(SessionBlob, (session_id, sha256)) is None:
            self._db.add(SessionBlob(session_id=session_id, sha256=sha256))
            self._db.flush()

    def links_blob(self, session_id: str, sha256: str) -> bool:
        return self._db.get(SessionBlob, (session_id, sha256)) is not None

    def blobs_of(self, session_id: str) -> set[str]:
        query = select(SessionBlob.sha256).where(SessionBlob.session_id == session_id)
        return set(self._db.scalars(query))

    def blob_in_use(self, org_id: str, sha256: str) -> bool:
        """Whether any session of `org_id` still refers to its blob `sha256`."""
        query = (
            select(func.count())
            .select_from(SessionBlob)
            .join(InterviewSession, InterviewSession.id == SessionBlob.session_id)
            .where(SessionBlob.sha256 == sha256, InterviewSession.org_id == org_id)
        )
        return bool(self._db.scalar(query))

    def unlink_blobs(self, session_id: str) -> None:
        self._db.execute(delete(SessionBlob).where(SessionBlob.session_id == session_id))

    def delete_records(self, session_id: str) -> None:
        """Remove every record of the session, keeping its row (the caller handles blob files)."""
        self.unlink_blobs(session_id)
        for table in _RECORDS:
            self._db.execute(delete(table).where(table.session_id == session_id))


def _scoped(query: Q, org_id: str, states: Sequence[str], centres: Sequence[str] | None) -> Q:
    """`query` narrowed to the organisation, the states (none: all) and the centres (None: all;
    otherwise those centres' sessions and the ones for any centre)."""
    query = query.where(InterviewSession.org_id == org_id)
    if states:
        query = query.where(InterviewSession.state.in_(list(states)))
    if centres is not None:
        query = query.where(
            or_(InterviewSession.centre_id.is_(None), InterviewSession.centre_id.in_(centres))
        )
    return query
