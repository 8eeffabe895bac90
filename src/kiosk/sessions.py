"""The core API for one interview session: every step is one durable transaction.

Each method validates the step against the lifecycle, writes the change and its outbox entry in
one unit of work, and returns only after the commit, so whatever a caller saw succeed survives a
crash or power cut. Media bytes are stored (fsynced) before the row that refers to them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from kiosk.domain.codec import to_data
from kiosk.domain.consent import Consent, from_note
from kiosk.domain.lifecycle import SessionState, next_state
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    FinalEvaluation,
    IdCheck,
    InterviewSession,
    JobDescription,
    MediaRef,
    ProctoringEvent,
    Question,
    Report,
    SessionSettings,
)
from kiosk.domain.sessionkey import new_session_key, normalise_session_key
from kiosk.settings import KioskSettings
from kiosk.storage.database import Database, open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnknownSessionKeyError(LookupError):
    pass


class SessionExpiredError(RuntimeError):
    pass


class ConsentNotExpectedError(RuntimeError):
    """Consent is asked for once the key is accepted and before the ID check, not at any other
    step; recording it elsewhere would misdate what the candidate agreed to."""


@dataclass(frozen=True)
class SessionRecord:
    """Everything stored about one session: what the report and the hub read."""

    session: InterviewSession
    questions: tuple[Question, ...]
    answers: tuple[Answer, ...]
    scores: dict[str, AnswerScore]
    events: tuple[ProctoringEvent, ...]
    id_check: IdCheck | None
    evaluation: FinalEvaluation | None
    report: Report | None
    interview_started_at: datetime | None = None
    interview_ended_at: datetime | None = None
    #: The latest consent the candidate gave (a session resumed before its ID check asks again).
    consent: Consent | None = None

    def answer_for(self, question: Question) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question.question_id), None)

    @property
    def duration_seconds(self) -> float:
        """Seconds from the interview's start to its end (or to now, while it runs)."""
        if self.interview_started_at is None:
            return 0.0
        end = self.interview_ended_at or utc_now()
        return max(0.0, (end - self.interview_started_at).total_seconds())

    @property
    def next_question_index(self) -> int:
        """Where a resumed interview carries on: after the last answered question."""
        answered = {a.question_id for a in self.answers}
        done = [q.index for q in self.questions if q.question_id in answered]
        return max(done, default=-1) + 1


class SessionService:
    def __init__(
        self,
        database: Database,
        media: MediaStore,
        *,
        kiosk_id: str = "",
        clock: Clock = utc_now,
        key_ttl: timedelta = timedelta(hours=72),
    ) -> None:
        self.database = database
        self.media = media
        self.kiosk_id = kiosk_id
        self.key_ttl = key_ttl
        self._now = clock

    @classmethod
    def from_settings(cls, settings: KioskSettings) -> SessionService:
        database = open_database(settings.database_path)
        return cls(
            database,
            MediaStore(settings.media_dir),
            kiosk_id=settings.kiosk_id,
            key_ttl=timedelta(hours=settings.session_key_ttl_hours),
        )

    def close(self) -> None:
        self.database.close()

    def _emit(
        self,
        uow: UnitOfWork,
        topic: str,
        session_id: str,
        payload: Any,
        at: datetime | None = None,
    ) -> None:
        body = {"session_id": session_id, **(to_data(payload) if payload is not None else {})}
        uow.outbox.add(topic, session_id, body, at or self._now())

    def _store_media(self, uow: UnitOfWork, data: bytes, kind: str, content_type: str) -> MediaRef:
        ref = self.media.put(data, kind, content_type)
        uow.media.add(ref, self._now())
        self._emit(uow, "media", "", ref)
        return ref

    # -- creating and opening -----------------------------------------------------------------
    def create(
        self,
        candidate: Candidate,
        job: JobDescription,
        settings: SessionSettings,
        *,
        session_key: str | None = None,
        ttl: timedelta | None = None,
    ) -> InterviewSession:
        """A walk-in session (packs from the hub arrive through `kiosk.sync`); its key expires
        after `ttl`, by default the kiosk's KIOSK_SESSION_KEY_TTL_HOURS."""
        now = self._now()
        session = InterviewSession(
            session_id=str(uuid.uuid4()),
            session_key=normalise_session_key(session_key) if session_key else new_session_key(),
            candidate=candidate,
            job=job,
            settings=settings,
            state=SessionState.CREATED,
            created_at=now,
            expires_at=now + (ttl or self.key_ttl),
            kiosk_id=self.kiosk_id,
        )
        with UnitOfWork(self.database) as uow:
            uow.sessions.add(session)
            self._emit(uow, "session.created", session.session_id, session)
            uow.commit()
        return session

    def open(self, key_text: str) -> InterviewSession:
        """Accept a typed key: check it, find its session, refuse an expired one, open it.

        A session already past `opened` (a kiosk restarted mid-interview) is returned as it is,
        so the caller resumes it.
        """
        key = normalise_session_key(key_text)
        with UnitOfWork(self.database) as uow:
            session = uow.sessions.get_by_key(key)
            if session is None:
                raise UnknownSessionKeyError(
                    f"no session with key {key} on this kiosk; check the slip, or pull today's "
                    f"session packs from the hub"
                )
            expired = session.expires_at is not None and session.expires_at <= self._now()
            if session.state is SessionState.EXPIRED or (
                expired and session.state in (SessionState.CREATED, SessionState.OPENED)
            ):
                if session.state is not SessionState.EXPIRED:
                    self._transition(uow, session, SessionState.EXPIRED, "key expired before use")
                    uow.commit()
                raise SessionExpiredError(
                    f"session key {key} expired on {session.expires_at:%Y-%m-%d %H:%M} UTC; "
                    f"ask HR to issue a new session"
                )
            if session.state is SessionState.CREATED:
                session = self._transition(
                    uow, session, SessionState.OPENED, "session key accepted"
                )
                uow.commit()
            return session

    # -- lifecycle ------------------------------------------------------------------------------
    def _transition(
        self, uow: UnitOfWork, session: InterviewSession, target: SessionState, reason: str
    ) -> InterviewSession:
        new = next_state(session.state, target)
        uow.sessions.set_state(session.session_id, new, self._now(), reason)
        self._emit(
            uow,
            "session.state",
            session.session_id,
            {"from": session.state.value, "to": new.value, "reason": reason},
        )
        return replace(session, state=new)

    def advance(self, session_id: str, target: SessionState, reason: str = "") -> InterviewSession:
        with UnitOfWork(self.database) as uow:
            session = self._transition(uow, uow.sessions.get(session_id), target, reason)
            uow.commit()
        return session

    def get(self, session_id: str) -> InterviewSession:
        with UnitOfWork(self.database) as uow:
            return uow.sessions.get(session_id)

    def record_consent(
        self, session_id: str, *, notice_version: str, notice_sha256: str, biometric: bool
    ) -> Consent:
        """Store the candidate's consent, given now, as a note in the state history.

        The note is a change from `opened` to `opened` (see `kiosk.domain.consent`), so it syncs
        to the hub as an ordinary `session.state` entry, dated exactly as stored here.
        """
        consent = Consent(notice_version, notice_sha256, biometric, self._now())
        with UnitOfWork(self.database) as uow:
            session = uow.sessions.get(session_id)
            if session.state is not SessionState.OPENED:
                raise ConsentNotExpectedError(
                    f"session {session_id} is {session.state.value}: consent is recorded only "
                    f"while a session is opened, before its ID check"
                )
            note = consent.to_note()
            uow.sessions.set_state(session_id, session.state, consent.given_at, note)
            self._emit(
                uow,
                "session.state",
                session_id,
                {"from": session.state.value, "to": session.state.value, "reason": note},
                consent.given_at,
            )
            uow.commit()
        return consent

    # -- what happens during the session --------------------------------------------------------
    def record_id_check(
        self,
        session_id: str,
        check: IdCheck,
        *,
        card_jpeg: bytes | None = None,
        live_jpeg: bytes | None = None,
    ) -> IdCheck:
        with UnitOfWork(self.database) as uow:
            if card_jpeg is not None:
                check = replace(
                    check, card_image=self._store_media(uow, card_jpeg, "id_image", "image/jpeg")
                )
            if live_jpeg is not None:
                check = replace(
                    check, live_image=self._store_media(uow, live_jpeg, "id_image", "image/jpeg")
                )
            uow.sessions.add_id_check(session_id, check, self._now())
            self._emit(uow, "id_check", session_id, check)
            uow.commit()
        return check

    def record_question(self, session_id: str, question: Question) -> None:
        with UnitOfWork(self.database) as uow:
            uow.sessions.add_question(session_id, question, self._now())
            self._emit(uow, "question", session_id, question)
            uow.commit()

    def save_answer(
        self, session_id: str, answer: Answer, *, audio_wav: bytes | None = None
    ) -> Answer:
        """Store an answer (and its audio); when this returns, the answer is durable."""
        with UnitOfWork(self.database) as uow:
            if audio_wav is not None:
                answer = replace(
                    answer, audio=self._store_media(uow, audio_wav, "audio", "audio/wav")
                )
            uow.sessions.add_answer(session_id, answer, self._now())
            self._emit(uow, "answer", session_id, answer)
            uow.commit()
        return answer

    def save_score(self, session_id: str, score: AnswerScore) -> None:
        with UnitOfWork(self.database) as uow:
            uow.sessions.add_score(score, self._now())
            self._emit(uow, "score", session_id, score)
            uow.commit()

    def record_event(
        self, session_id: str, event: ProctoringEvent, *, snapshot_jpeg: bytes | None = None
    ) -> ProctoringEvent:
        with UnitOfWork(self.database) as uow:
            if snapshot_jpeg is not None:
                event = replace(
                    event, snapshot=self._store_media(uow, snapshot_jpeg, "snapshot", "image/jpeg")
                )
            uow.sessions.add_event(session_id, event)
            self._emit(uow, "event", session_id, event)
            uow.commit()
        return event

    def save_evaluation(self, session_id: str, evaluation: FinalEvaluation) -> None:
        with UnitOfWork(self.database) as uow:
            uow.sessions.set_evaluation(session_id, evaluation)
            self._emit(uow, "evaluation", session_id, evaluation)
            uow.commit()

    def attach_report(self, session_id: str, pdf: bytes) -> Report:
        """Store the PDF and move a completed session to `reported` in one transaction."""
        with UnitOfWork(self.database) as uow:
            session = uow.sessions.get(session_id)
            report = Report(
                session_id, self._store_media(uow, pdf, "report", "application/pdf"), self._now()
            )
            uow.sessions.add_report(report)
            self._emit(uow, "report", session_id, report)
            if session.state is SessionState.COMPLETED:
                self._transition(uow, session, SessionState.REPORTED, "report written")
            uow.commit()
        return report

    # -- reading ----------------------------------------------------------------------------------
    def load(self, session_id: str) -> SessionRecord:
        with UnitOfWork(self.database) as uow:
            repo = uow.sessions
            history = repo.state_history(session_id)
            started = [at for _, to, at, _ in history if to == SessionState.IN_PROGRESS]
            ended = [at for frm, to, at, _ in history if frm == SessionState.IN_PROGRESS]
            consents = [from_note(reason, at) for frm, to, at, reason in history if frm == to]
            return SessionRecord(
                session=repo.get(session_id),
                questions=tuple(repo.questions(session_id)),
                answers=tuple(repo.answers(session_id)),
                scores=repo.latest_scores(session_id),
                events=tuple(repo.events(session_id)),
                id_check=repo.latest_id_check(session_id),
                evaluation=repo.evaluation(session_id),
                report=repo.latest_report(session_id),
                interview_started_at=started[0] if started else None,
                interview_ended_at=ended[0] if ended else None,
                consent=next((c for c in reversed(consents) if c is not None), None),
            )

    def find(self, session_ref: str) -> InterviewSession:
        """A session by id or by key (as typed): what CLI users have at hand."""
        with UnitOfWork(self.database) as uow:
            try:
                return uow.sessions.get(session_ref)
            except LookupError:
                found = uow.sessions.get_by_key(normalise_session_key(session_ref))
                if found is None:
                    raise UnknownSessionKeyError(
                        f"no session {session_ref!r} on this kiosk"
                    ) from None
                return found

    def list_sessions(self) -> list[InterviewSession]:
        with UnitOfWork(self.database) as uow:
            return uow.sessions.list()

    def pending_outbox(self) -> int:
        with UnitOfWork(self.database) as uow:
            return uow.outbox.count_pending()


def new_id() -> str:
    return str(uuid.uuid4())


__all__ = [
    "ConsentNotExpectedError",
    "SessionRecord",
    "SessionService",
    "UnknownSessionKeyError",
    "new_id",
]
