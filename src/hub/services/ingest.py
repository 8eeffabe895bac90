"""Apply a kiosk's pushed outbox entries: in order, all or none, each exactly once.

(kiosk, outbox id) is every entry's idempotency key, recorded in the same transaction as the
change, so a retried or duplicated batch changes nothing the second time. Records keep the kiosk's
own ids, a second line of defence. An entry that refers to a blob the hub does not hold yet fails
the whole batch with the list of missing hashes, so the kiosk uploads them and tries again.

A pack several kiosks hold links each kiosk's session to the pack's hub session; the first to push
past "created" owns it, and a later one that starts it too gets an attempt session of its own
(`_Applier._claim_or_fork`): nothing is lost and no kiosk's queue stalls on a shared key.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError, OperationalError

from contract.wire import (
    AnswerEntry,
    ConsentEntry,
    EvaluationEntry,
    EventEntry,
    FitEntry,
    IdCheckEntry,
    IntegrityEntry,
    MediaEntry,
    MediaRefWire,
    ObservationsEntry,
    OutboxEntry,
    PushBatch,
    PushResult,
    QuestionEntry,
    ReportEntry,
    ScoreEntry,
    SessionCreatedEntry,
    StateEntry,
)
from hub.blobs import BlobStore
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import (
    Answer,
    Blob,
    Consent,
    IdCheck,
    InterviewSession,
    KioskSessionLink,
    LatestScore,
    ObservationChunk,
    ProctoringEvent,
    Question,
    Receipt,
    ReportPdf,
    StateChange,
)
from hub.errors import ConflictError, ForbiddenError, InvalidInputError, MissingBlobsError
from hub.services.erasures import order_late_link
from hub.services.mail import MailQueue
from hub.uow import UnitOfWork
from hub.views import KioskIdentity

_RACE_RETRIES = 5
WALK_IN_TTL = timedelta(hours=72)


def referenced_blobs(entry: OutboxEntry) -> Iterator[MediaRefWire]:
    """Every blob an entry points at: the hub must hold each before applying it."""
    if isinstance(entry, MediaEntry):
        yield entry.payload
    elif isinstance(entry, AnswerEntry) and entry.payload.audio:
        yield entry.payload.audio
    elif isinstance(entry, EventEntry) and entry.payload.snapshot:
        yield entry.payload.snapshot
    elif isinstance(entry, IdCheckEntry):
        images = (entry.payload.card_image, entry.payload.live_image)
        yield from (ref for ref in images if ref is not None)
    elif isinstance(entry, ReportEntry):
        yield entry.payload.pdf
    elif isinstance(entry, ObservationsEntry):
        yield entry.payload.track


class Ingest:
    def __init__(
        self,
        database: HubDatabase,
        store: BlobStore,
        clock: Clock = utc_now,
        mail: MailQueue | None = None,
    ) -> None:
        self._database = database
        self._store = store
        self._now = clock
        self._mail = mail

    def push(self, kiosk: KioskIdentity, batch: PushBatch) -> PushResult:
        ids = [e.outbox_id for e in batch.entries]
        if len(set(ids)) != len(ids) or ids != sorted(ids):
            raise InvalidInputError("a batch lists distinct outbox ids in increasing order")
        self._check_blobs(kiosk.org_id, batch)
        for attempt in range(_RACE_RETRIES):
            try:
                return self._apply(kiosk, batch)
            except (IntegrityError, OperationalError):
                # a concurrent copy of this batch (a retry that overtook its original) won the
                # race; once it has committed, this one finds its receipts and changes nothing
                if attempt == _RACE_RETRIES - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _check_blobs(self, org_id: str, batch: PushBatch) -> None:
        """Every blob the batch refers to must be one this kiosk's organisation uploaded: a hash
        another organisation holds is as missing as one nobody holds."""
        sizes: dict[str, int | None] = {}  # a blob is often named twice (its media entry, its use)
        for ref in (ref for entry in batch.entries for ref in referenced_blobs(entry)):
            if ref.sha256 not in sizes:
                sizes[ref.sha256] = self._store.size(org_id, ref.sha256)
            size = sizes[ref.sha256]
            if size is not None and size != ref.size:
                raise InvalidInputError(
                    f"blob {ref.sha256} has {size} bytes on the hub, the entry says {ref.size}"
                )
        missing = [sha256 for sha256, size in sizes.items() if size is None]
        if missing:
            raise MissingBlobsError(missing)

    def _apply(self, kiosk: KioskIdentity, batch: PushBatch) -> PushResult:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            seen = uow.receipts.seen(kiosk.kiosk_id, (e.outbox_id for e in batch.entries))
            applier = _Applier(uow, kiosk, now, self._mail)
            applied = [e for e in batch.entries if e.outbox_id not in seen]
            for entry in applied:
                applier.apply(entry)
            # added together, the receipts go to the database as one multi-row INSERT
            uow.receipts.add_all(
                Receipt(
                    kiosk_id=kiosk.kiosk_id,
                    outbox_id=entry.outbox_id,
                    topic=entry.topic,
                    received_at=now,
                )
                for entry in applied
            )
            kiosk_row = uow.kiosks.get(kiosk.kiosk_id)
            if kiosk_row is not None:
                kiosk_row.last_seen_at = now
            uow.commit()
        return PushResult(applied=[e.outbox_id for e in applied], duplicates=sorted(seen))


class _Applier:
    """Applies a batch's entries, one at a time, inside the batch's unit of work."""

    def __init__(
        self, uow: UnitOfWork, kiosk: KioskIdentity, now: datetime, mail: MailQueue | None
    ) -> None:
        self.uow = uow
        self.kiosk = kiosk
        self.now = now
        self.mail = mail
        #: kiosk session id -> the hub session its entries go to. Resolving is idempotent, and
        #: a batch carries a session's whole outbox, so each is resolved once. Holding the rows
        #: also matters: SQLAlchemy's identity map keeps clean rows only while something
        #: refers to them, so without this every entry re-read its link and session.
        self._resolved: dict[str, InterviewSession] = {}

    def apply(self, entry: OutboxEntry) -> None:
        if isinstance(entry, SessionCreatedEntry):
            self._session_created(entry)
            return
        if isinstance(entry, MediaEntry):
            ref = entry.payload
            self.uow.blobs.add_if_absent(
                Blob(
                    org_id=self.kiosk.org_id,
                    sha256=ref.sha256,
                    kind=ref.kind,
                    content_type=ref.content_type,
                    size=ref.size,
                    created_at=self.now,
                )
            )
            return
        session = self._session(entry.payload.session_id)
        if session.purged_at is not None:
            return  # erased on purpose (retention or a deletion request): keep it erased
        for ref in referenced_blobs(entry):
            self.uow.sessions.link_blob(session.id, ref.sha256)
        session.updated_at = self.now
        match entry:
            case StateEntry():
                self._state(session, entry)
            case QuestionEntry():
                self._question(session, entry)
            case AnswerEntry():
                self._answer(session, entry)
            case ScoreEntry():
                self._score(session, entry)
            case EventEntry():
                self._event(session, entry)
            case IdCheckEntry():
                result = entry.payload.model_dump(mode="json", exclude={"session_id"})
                existing = self.uow.sessions.id_check(session.id)
                if existing is None:
                    self.uow.sessions.add_id_check(IdCheck(session_id=session.id, result=result))
                else:
                    existing.result = result
            case ConsentEntry():
                c = entry.payload
                self.uow.sessions.add_consent(
                    Consent(
                        session_id=session.id,
                        agreed=c.agreed,
                        notice_version=c.notice_version,
                        notice_sha256=c.notice_sha256,
                        biometric=c.biometric,
                        at=c.at,
                        policy_sha256=c.policy_sha256,
                    )
                )
            case ObservationsEntry():
                self._observations(session, entry)
            case IntegrityEntry():
                session.integrity = entry.payload.model_dump(mode="json", exclude={"session_id"})
            case FitEntry():
                session.job_fit = entry.payload.model_dump(mode="json", exclude={"session_id"})
            case EvaluationEntry():
                session.evaluation = entry.payload.model_dump(mode="json", exclude={"session_id"})
            case ReportEntry():
                pdf = entry.payload.pdf.sha256
                if self.uow.sessions.report(session.id, pdf) is None:
                    self.uow.sessions.add_report(
                        ReportPdf(
                            session_id=session.id,
                            pdf_sha256=pdf,
                            created_at=entry.payload.created_at,
                        )
                    )

    def _session(self, kiosk_session_id: str) -> InterviewSession:
        """The hub session this kiosk session's entries go to (see `_claim_or_fork`)."""
        session = self._resolved.get(kiosk_session_id)
        if session is None:
            session = self._resolved[kiosk_session_id] = self._resolve(kiosk_session_id)
        return session

    def _resolve(self, kiosk_session_id: str) -> InterviewSession:
        link = self.uow.sessions.link(kiosk_session_id)
        session = self.uow.sessions.get(link.session_id) if link is not None else None
        if link is None or session is None:
            raise ConflictError(
                f"the hub has no session {kiosk_session_id}: its session.created entry must be "
                f"pushed first"
            )
        if session.org_id != self.kiosk.org_id:
            raise ForbiddenError("that session belongs to another organisation")
        if session.kiosk_session_id == kiosk_session_id:
            return session
        return self._claim_or_fork(link, session.id)

    def _claim_or_fork(self, link: KioskSessionLink, session_id: str) -> InterviewSession:
        """A kiosk session that shares its pack with others pushes past "created".

        Several kiosks may hold one pack (all pulled today's packs; or the candidate restarted
        on a second kiosk after the first died). The first to push anything past "created" owns
        the hub session; a later one that started it too gets an attempt session of its own
        (same organisation, key, candidate and job, `attempt_of` the first), so its interview
        is kept whole next to the other and HR decides. The row is locked while deciding, so
        two kiosks pushing at once through two hub processes cannot both take it.
        """
        session = self.uow.sessions.locked(session_id)
        assert session is not None, "a link always names an existing session"
        if session.kiosk_session_id == link.kiosk_session_id or session.purged_at is not None:
            return session  # a purged session stays inert, whoever pushes to it
        if session.state == "created":
            session.kiosk_session_id = link.kiosk_session_id
            session.kiosk_id = link.kiosk_id
            return session
        attempt = InterviewSession(
            id=str(uuid.uuid4()),
            org_id=session.org_id,
            session_key=session.session_key,
            attempt_of=session.id,
            kiosk_session_id=link.kiosk_session_id,
            kiosk_id=link.kiosk_id,
            origin=session.origin,
            state="created",
            candidate_name=session.candidate_name,
            candidate_email=session.candidate_email,
            resume_text=session.resume_text,
            job_title=session.job_title,
            job_text=session.job_text,
            required_skills=list(session.required_skills),
            nice_to_have_skills=list(session.nice_to_have_skills),
            settings=dict(session.settings),
            created_at=link.created_at,
            expires_at=session.expires_at,
            updated_at=self.now,
            centre_id=session.centre_id,
            interview_on=session.interview_on,
        )
        self.uow.sessions.add(attempt)
        link.session_id = attempt.id
        return attempt

    def _session_created(self, entry: SessionCreatedEntry) -> None:
        p = entry.payload
        link = self.uow.sessions.link(p.session_id)
        if link is not None:
            linked = self.uow.sessions.get(link.session_id)
            if linked is not None and linked.org_id != self.kiosk.org_id:
                raise ForbiddenError("that session belongs to another organisation")
            return
        by_key = self.uow.sessions.by_key(self.kiosk.org_id, p.session_key)
        if by_key is not None:
            # a pack this kiosk pulled (HR's, or another kiosk's walk-in): link to it; the first
            # kiosk session linked holds it until one of them pushes past "created". Keys are per
            # organisation: another organisation's key is a new walk-in here, and tells nothing
            self._link(p.session_id, by_key.id)
            order_late_link(self.uow, by_key, self.kiosk.kiosk_id, p.session_id, self.now)
            if by_key.kiosk_session_id is None:
                by_key.kiosk_session_id = p.session_id
                by_key.kiosk_id = self.kiosk.kiosk_id
                by_key.updated_at = self.now
            return
        # a walk-in session the kiosk created offline: the hub adopts it under the kiosk's org
        session = InterviewSession(
            id=str(uuid.uuid4()),
            org_id=self.kiosk.org_id,
            session_key=p.session_key,
            kiosk_session_id=p.session_id,
            kiosk_id=self.kiosk.kiosk_id,
            origin="kiosk",
            state=p.state,
            candidate_name=p.candidate.full_name,
            candidate_email=p.candidate.email,
            resume_text=p.candidate.resume_text,
            job_title=p.job.title,
            job_text=p.job.text,
            required_skills=list(p.job.required_skills),
            nice_to_have_skills=list(p.job.nice_to_have_skills),
            settings=p.settings.model_dump(mode="json"),
            created_at=p.created_at,
            expires_at=p.expires_at or p.created_at + WALK_IN_TTL,
            updated_at=self.now,
            centre_id=self.kiosk.centre_id,  # a walk-in belongs to the centre it walked into
        )
        self.uow.sessions.add(session)
        self._link(p.session_id, session.id)

    def _link(self, kiosk_session_id: str, session_id: str) -> None:
        self.uow.sessions.add_link(
            KioskSessionLink(
                kiosk_session_id=kiosk_session_id,
                session_id=session_id,
                kiosk_id=self.kiosk.kiosk_id,
                created_at=self.now,
            )
        )

    def _state(self, session: InterviewSession, entry: StateEntry) -> None:
        p = entry.payload
        self.uow.sessions.add_state_change(
            StateChange(
                session_id=session.id,
                from_state=p.from_state,
                to_state=p.to,
                reason=p.reason,
                at=entry.created_at,
            )
        )
        session.state = p.to
        if p.to == "completed" and self.mail is not None:
            self.mail.notify_arrival(self.uow, session, self.now)  # HR hears of it, once

    def _question(self, session: InterviewSession, entry: QuestionEntry) -> None:
        p = entry.payload
        if self.uow.sessions.question(p.question_id) is not None:
            return
        self.uow.sessions.add_question(
            Question(
                id=p.question_id,
                session_id=session.id,
                idx=p.index,
                kind=p.kind,
                text=p.text,
                skill=p.skill,
                rationale=p.rationale,
                expected_points=list(p.expected_points),
                engine=p.engine,
                follow_up_of=p.follow_up_of,
                spoken=p.spoken,
            )
        )

    def _answer(self, session: InterviewSession, entry: AnswerEntry) -> None:
        p = entry.payload
        if self.uow.sessions.answer(p.answer_id) is not None:
            return
        self.uow.sessions.add_answer(
            Answer(
                id=p.answer_id,
                session_id=session.id,
                question_id=p.question_id,
                text=p.text,
                segments=[s.model_dump(mode="json") for s in p.segments],
                audio_sha256=p.audio.sha256 if p.audio else None,
                started_at=p.started_at,
                ended_at=p.ended_at,
                end_reason=p.end_reason,
                metrics=dict(p.metrics),
            )
        )

    def _score(self, session: InterviewSession, entry: ScoreEntry) -> None:
        p = entry.payload
        criteria = [c.model_dump(mode="json") for c in p.criteria]
        points = [point.model_dump(mode="json") for point in p.points]
        existing = self.uow.sessions.score(p.answer_id)
        if existing is None:
            self.uow.sessions.add_score(
                LatestScore(
                    answer_id=p.answer_id,
                    session_id=session.id,
                    criteria=criteria,
                    feedback=p.feedback,
                    evidence=list(p.evidence),
                    engine=p.engine,
                    provisional=p.provisional,
                    confidence=p.confidence,
                    points=points,
                    path=p.path,
                )
            )
            return
        if existing.session_id != session.id:
            raise ForbiddenError("that answer belongs to another session")
        existing.criteria = criteria
        existing.feedback = p.feedback
        existing.evidence = list(p.evidence)
        existing.engine = p.engine
        existing.provisional = p.provisional
        existing.confidence = p.confidence
        existing.points = points
        existing.path = p.path

    def _observations(self, session: InterviewSession, entry: ObservationsEntry) -> None:
        """A chunk of an observation track; sent again (a retried batch), it changes nothing."""
        p = entry.payload
        existing = self.uow.sessions.observation_chunk(p.chunk_id)
        if existing is not None:
            if existing.session_id != session.id:
                raise ForbiddenError("that observation chunk belongs to another session")
            return
        self.uow.sessions.add_observation_chunk(
            ObservationChunk(
                id=p.chunk_id,
                session_id=session.id,
                run_id=p.run_id,
                seq=p.seq,
                start=p.start,
                end=p.end,
                records=p.records,
                track_sha256=p.track.sha256,
            )
        )

    def _event(self, session: InterviewSession, entry: EventEntry) -> None:
        """A kiosk records an event when it starts and again when it ends (same id, final end,
        peak confidence and snapshot): the later entry updates the row; the review stays."""
        p = entry.payload
        existing = self.uow.sessions.event(p.event_id)
        if existing is not None:
            if existing.session_id != session.id:
                raise ForbiddenError("that event belongs to another session")
            existing.severity = p.severity
            existing.confidence = p.confidence
            existing.start = p.start
            existing.end = p.end
            existing.thresholds = dict(p.thresholds)
            existing.detail = p.detail
            if p.snapshot is not None:
                existing.snapshot_sha256 = p.snapshot.sha256
            return
        self.uow.sessions.add_event(
            ProctoringEvent(
                id=p.event_id,
                session_id=session.id,
                kind=p.kind,
                severity=p.severity,
                confidence=p.confidence,
                start=p.start,
                end=p.end,
                detector=p.detector,
                thresholds=dict(p.thresholds),
                snapshot_sha256=p.snapshot.sha256 if p.snapshot else None,
                detail=p.detail,
                review="open",
                review_comment="",
                reviewed_by="",
            )
        )
