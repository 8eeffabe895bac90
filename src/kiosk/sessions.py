"""The kiosk's use cases: one method per step of a session, each one durable transaction.

Open a session, answer the consent notice, verify identity, confirm the devices, start, record
what happens during the interview, abort, complete and report. Each method validates the step
against the lifecycle and the rules of the step (an ID check must have passed, a device check
must show a face), writes the change and its outbox entry in one unit of work, returns only after
the commit, and only then announces the change (`kiosk.domain.events`) to whoever subscribed:
the screens, the syncer, the logs. Whatever a caller saw succeed survives a crash or power cut.
Media bytes are stored (fsynced) before the row that refers to them. Screens never write: they
call these, through the kiosk's single writer thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from contract.branding import check_logo
from contract.codec import to_data
from contract.fit import JobFit
from contract.privacy import DataPolicy, policy_digest
from contract.proctoring import IntegritySummary
from contract.sessionkey import new_session_key, normalise_session_key
from integrity.track import CONTENT_TYPE as TRACK_CONTENT_TYPE
from kiosk.domain.accessibility import Accessibility
from kiosk.domain.consent import Consent
from kiosk.domain.devices import DeviceCheck
from kiosk.domain.events import ReportRevised, StateChanged
from kiosk.domain.lifecycle import SessionState, next_state
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Branding,
    Candidate,
    FinalEvaluation,
    IdCheck,
    InterviewSession,
    JobDescription,
    MediaRef,
    ObservationChunk,
    ProctoringEvent,
    Question,
    Report,
    SessionSettings,
)
from kiosk.settings import KioskSettings
from kiosk.storage.database import Database, open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import Publish, UnitOfWork
from speech.compress import FLAC_CONTENT_TYPE, wav_to_flac
from speech.errors import AudioFileError

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UnknownSessionKeyError(LookupError):
    pass


class SessionExpiredError(RuntimeError):
    pass


class StepRefusedError(RuntimeError):
    """A step the session's state or the step's own rule does not allow; the message says why."""


class AlreadyFinalError(StepRefusedError):
    """The session's evaluation is final already: revising it again would only add a copy."""


class ConsentNotExpectedError(StepRefusedError):
    """Consent is asked for once the key is accepted and before the ID check, not at any other
    step; recording it elsewhere would misdate what the candidate agreed to."""


#: Sessions an invigilator may start, or pick up again after an interruption.
STARTABLE = (
    SessionState.CREATED,
    SessionState.OPENED,
    SessionState.ID_VERIFIED,
    SessionState.DEVICES_CHECKED,
    SessionState.IN_PROGRESS,
)


@dataclass(frozen=True)
class StartableSession:
    """A session on this kiosk that can be taken now: new, or interrupted and resumable."""

    session: InterviewSession

    @property
    def resumes(self) -> bool:
        """True when a candidate already began it (it picks up where it stopped)."""
        return self.session.state not in (SessionState.CREATED, SessionState.OPENED)


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
    #: The candidate's latest answer to the consent notice (asked again on a resume before the
    #: ID check).
    consent: Consent | None = None
    #: Computed once when the interview ended, with the digest of the policy that made it.
    integrity: IntegritySummary | None = None
    #: The resume's fit with the job and the plan's coverage, made when the interview began.
    fit: JobFit | None = None

    def answer_for(self, question: Question) -> Answer | None:
        return next((a for a in self.answers if a.question_id == question.question_id), None)

    @property
    def duration_seconds(self) -> float:
        """Seconds from the interview's start to its end (or to now, while it runs)."""
        if self.interview_started_at is None:
            return 0.0
        end = self.interview_ended_at or utc_now()
        return max(0.0, (end - self.interview_started_at).total_seconds())


class SessionService:
    def __init__(
        self,
        database: Database,
        media: MediaStore,
        *,
        kiosk_id: str = "",
        clock: Clock = utc_now,
        key_ttl: timedelta = timedelta(hours=72),
        publish: Publish = lambda _event: None,
        unit_of_work: Callable[[], UnitOfWork] | None = None,
    ) -> None:
        """`unit_of_work` makes each step's transaction (default: one over `database` that
        publishes to `publish`); unit tests give an in-memory one."""
        self.database = database
        self.media = media
        self.kiosk_id = kiosk_id
        self.key_ttl = key_ttl
        self._now = clock
        self._uow = unit_of_work or (lambda: UnitOfWork(database, publish))

    @classmethod
    def from_settings(
        cls, settings: KioskSettings, *, publish: Publish = lambda _event: None
    ) -> SessionService:
        database = open_database(settings.database_path)
        return cls(
            database,
            MediaStore(settings.media_dir),
            kiosk_id=settings.kiosk_id,
            key_ttl=timedelta(hours=settings.session_key_ttl_hours),
            publish=publish,
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

    def _store_media(
        self, uow: UnitOfWork, data: bytes, kind: str, content_type: str, *, send: bool = True
    ) -> MediaRef:
        """Store a blob; `send=False` keeps it on the kiosk (no outbox row: the hub never
        learns of it), as the data policy says of answer audio by default."""
        ref = self.media.put(data, kind, content_type)
        uow.media.add(ref, self._now())
        if send:
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
        data_policy: DataPolicy | None = None,
        branding: Branding | None = None,
    ) -> InterviewSession:
        """A walk-in session (packs from the hub arrive through `kiosk.sync`, with their
        organisation's data policy and `branding`; a walk-in gets the default policy); its key
        expires after `ttl`, by default the kiosk's KIOSK_SESSION_KEY_TTL_HOURS."""
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
            data_policy=data_policy or DataPolicy(),
        )
        with self._uow() as uow:
            uow.sessions.add(session)
            if branding is not None:
                uow.sessions.set_branding(
                    session.session_id, branding.organisation, self._store_logo(uow, branding)
                )
            self._emit(uow, "session.created", session.session_id, session)
            uow.commit()
        return session

    def _store_logo(self, uow: UnitOfWork, branding: Branding) -> MediaRef | None:
        """The organisation's logo in the media store, once for every session that shows it.
        It came from the hub, so it is not queued to go back there."""
        if branding.logo is None:
            return None
        ref = self.media.put(branding.logo, "logo", check_logo(branding.logo))
        uow.media.add(ref, self._now())
        return ref

    def branding(self, session_id: str) -> Branding:
        """The organisation a session is held for, as its pack named it (empty for a walk-in)."""
        with self._uow() as uow:
            name, logo = uow.sessions.branding(session_id)
        return Branding(name, self.media.read(logo.sha256) if logo is not None else None)

    def open(self, key_text: str) -> InterviewSession:
        """Accept a typed key: check it, find its session, refuse an expired one, open it.

        A session already past `opened` (a kiosk restarted mid-interview) is returned as it is,
        so the caller resumes it.
        """
        key = normalise_session_key(key_text)
        with self._uow() as uow:
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
        uow.announce(StateChanged(session.session_id, new, reason))
        return replace(session, state=new)

    def _step(self, session_id: str, target: SessionState, reason: str) -> InterviewSession:
        with self._uow() as uow:
            session = self._transition(uow, uow.sessions.get(session_id), target, reason)
            uow.commit()
        return session

    def get(self, session_id: str) -> InterviewSession:
        with self._uow() as uow:
            return uow.sessions.get(session_id)

    def startable(self) -> list[StartableSession]:
        """The sessions an invigilator may start now, new ones and interrupted ones alike."""
        now = self._now()
        with self._uow() as uow:
            sessions = uow.sessions.list()
        return [
            StartableSession(s)
            for s in sessions
            if s.state in STARTABLE
            and not (
                s.state in (SessionState.CREATED, SessionState.OPENED)
                and s.expires_at is not None
                and s.expires_at <= now
            )
        ]

    # -- before the interview -------------------------------------------------------------------
    def set_accessibility(
        self, session_id: str, accessibility: Accessibility, *, by: str
    ) -> InterviewSession:
        """The invigilator adjusts the candidate's accessibility with them, before the consent
        notice (which states the time per answer) is shown. The change is kept in the session's
        history, in words, with who made it; nothing changed records nothing."""
        if not by.strip():
            raise StepRefusedError("an accessibility change is recorded with who made it")
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            if session.state not in (SessionState.CREATED, SessionState.OPENED):
                raise StepRefusedError(
                    f"session {session_id} is {session.state.value}: accessibility is set before "
                    f"the identity check, when the consent notice can still state it"
                )
            changes = accessibility.changes_from(Accessibility.of(session.settings))
            if not changes:
                return session
            if uow.sessions.latest_consent(session_id) is not None:
                raise StepRefusedError(
                    f"the candidate of session {session_id} has already answered the consent "
                    f"notice, which stated the time per answer: ask HR to issue a new session"
                )
            session = replace(session, settings=accessibility.applied_to(session.settings))
            uow.sessions.set_settings(session_id, session.settings)
            reason = f"accessibility set at the kiosk by {by.strip()}: {'; '.join(changes)}"
            uow.sessions.add_note(session_id, self._now(), reason)
            state = session.state.value
            note = {"from": state, "to": state, "reason": reason}
            self._emit(uow, "session.state", session_id, note)
            uow.commit()
        return session

    def _consent(self, uow: UnitOfWork, session: InterviewSession, consent: Consent) -> None:
        if session.state is not SessionState.OPENED:
            raise ConsentNotExpectedError(
                f"session {session.session_id} is {session.state.value}: consent is answered "
                f"only while a session is opened, before its ID check"
            )
        uow.sessions.add_consent(session.session_id, consent)
        self._emit(uow, "consent", session.session_id, consent, consent.at)

    def record_consent(
        self, session_id: str, *, notice_version: str, notice_sha256: str
    ) -> Consent:
        """The candidate agreed to the notice, biometric processing included (the ID check and
        proctoring need it: a candidate who does not agree to it declines)."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            consent = Consent(
                notice_version,
                notice_sha256,
                True,
                self._now(),
                policy_sha256=policy_digest(session.data_policy),
            )
            self._consent(uow, session, consent)
            uow.commit()
        return consent

    def refuse_consent(
        self, session_id: str, *, notice_version: str, notice_sha256: str
    ) -> InterviewSession:
        """The candidate declined: the refusal is recorded and the session ends, together."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            consent = Consent(
                notice_version,
                notice_sha256,
                False,
                self._now(),
                agreed=False,
                policy_sha256=policy_digest(session.data_policy),
            )
            self._consent(uow, session, consent)
            session = self._transition(uow, session, SessionState.ABORTED, "consent declined")
            uow.commit()
        return session

    def verify_identity(
        self,
        session_id: str,
        check: IdCheck,
        *,
        card_jpeg: bytes | None = None,
        live_jpeg: bytes | None = None,
    ) -> InterviewSession:
        """Store a passed ID check (or one an invigilator accepted) with its pictures, and move
        the session on to the device check, in one step."""
        if not check.passed:
            raise StepRefusedError(
                "the identity check has not passed: the invigilator must check the ID card in "
                "person and accept it with a reason"
            )
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            consent = uow.sessions.latest_consent(session_id)
            if consent is None or not consent.agreed:
                raise StepRefusedError(
                    f"session {session_id} has no consent from the candidate: the identity check "
                    f"comes after the consent notice"
                )
            check = self._store_id_pictures(uow, check, card_jpeg, live_jpeg)
            uow.sessions.add_id_check(session_id, check, self._now())
            self._emit(uow, "id_check", session_id, check)
            reason = "ID card and face verified" + (
                " (invigilator override)" if check.override_reason else ""
            )
            session = self._transition(uow, session, SessionState.ID_VERIFIED, reason)
            uow.commit()
        return session

    def _store_id_pictures(
        self, uow: UnitOfWork, check: IdCheck, card: bytes | None, live: bytes | None
    ) -> IdCheck:
        if card is not None:
            check = replace(
                check, card_image=self._store_media(uow, card, "id_image", "image/jpeg")
            )
        if live is not None:
            check = replace(
                check, live_image=self._store_media(uow, live, "id_image", "image/jpeg")
            )
        return check

    def confirm_devices(self, session_id: str, check: DeviceCheck) -> InterviewSession:
        """Accept the device check's outcome: a face on camera, the candidate heard by the
        microphone and hearing the speakers, or an invigilator's override of what fell short."""
        if not check.passed:
            raise StepRefusedError(
                f"the device check has not passed ({'; '.join(check.problems)}); fix the device "
                f"or let the invigilator accept it with a reason"
            )
        return self._step(session_id, SessionState.DEVICES_CHECKED, check.describe())

    # -- the interview ----------------------------------------------------------------------------
    def start_text_interview(self, session_id: str) -> InterviewSession:
        """A text-mode interview at a terminal (`kiosk interview`): answers are typed, there is
        no ID card, camera or microphone. Its history says so at every step it skips."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            for target, reason in (
                (SessionState.OPENED, "text-mode interview at a terminal"),
                (SessionState.ID_VERIFIED, "text-mode interview: no identity check"),
                (SessionState.DEVICES_CHECKED, "text-mode interview: typed answers, no devices"),
                (SessionState.IN_PROGRESS, "interview started"),
            ):
                session = self._transition(uow, session, target, reason)
            uow.commit()
        return session

    def start_interview(self, session_id: str) -> InterviewSession:
        """Start the interview after the device check; one already under way is resumed as is."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            if session.state is SessionState.IN_PROGRESS:
                return session
            if session.state is not SessionState.DEVICES_CHECKED:
                raise StepRefusedError(
                    f"session {session_id} is {session.state.value}; the interview runs only "
                    f"after the device check"
                )
            session = self._transition(uow, session, SessionState.IN_PROGRESS, "interview started")
            uow.commit()
        return session

    def record_fit(self, session_id: str, fit: JobFit) -> None:
        """The resume's fit with the job and the plan's coverage of its required skills, made
        with the interview's plan; kept with the session, printed in the report, synced."""
        with self._uow() as uow:
            uow.sessions.set_fit(session_id, fit, self._now())
            self._emit(uow, "fit", session_id, fit)
            uow.commit()

    def record_question(self, session_id: str, question: Question) -> None:
        with self._uow() as uow:
            uow.sessions.add_question(session_id, question, self._now())
            self._emit(uow, "question", session_id, question)
            uow.commit()

    def save_answer(
        self,
        session_id: str,
        answer: Answer,
        *,
        audio_wav: bytes | None = None,
        audio: EncodedAudio | None = None,
    ) -> Answer:
        """Store an answer (and its audio); when this returns, the answer is durable.

        The audio is kept once, as FLAC (lossless; a recording too damaged to read stays the
        WAV it is). It goes to the hub only when the session's data policy sends answer audio:
        otherwise no outbox row names it and the answer reaches the hub without it. The live
        interview passes `audio` already encoded (`encode_answer_audio`, on its own thread), so
        the writer thread never spends its time compressing.
        """
        if audio is None and audio_wav is not None:
            audio = encode_answer_audio(audio_wav)
        with self._uow() as uow:
            send = uow.sessions.get(session_id).data_policy.send_answer_audio
            if audio is not None:
                answer = replace(
                    answer,
                    audio=self._store_media(
                        uow, audio.data, "audio", audio.content_type, send=send
                    ),
                )
            uow.sessions.add_answer(session_id, answer, self._now())
            self._emit(uow, "answer", session_id, answer if send else replace(answer, audio=None))
            uow.commit()
        return answer

    def save_score(self, session_id: str, score: AnswerScore) -> None:
        with self._uow() as uow:
            uow.sessions.add_score(score, self._now())
            self._emit(uow, "score", session_id, score)
            uow.commit()

    def record_event(
        self, session_id: str, event: ProctoringEvent, *, snapshot_jpeg: bytes | None = None
    ) -> ProctoringEvent:
        with self._uow() as uow:
            if snapshot_jpeg is not None:
                event = replace(
                    event, snapshot=self._store_media(uow, snapshot_jpeg, "snapshot", "image/jpeg")
                )
            uow.sessions.add_event(session_id, event)
            self._emit(uow, "event", session_id, event)
            uow.commit()
        return event

    def record_observations(
        self,
        session_id: str,
        *,
        run_id: str,
        seq: int,
        start: float,
        end: float,
        records: int,
        chunk: bytes,
    ) -> ObservationChunk:
        """Store one chunk of the observation track (gzip JSON lines) and queue it for the hub;
        when this returns the chunk is durable."""
        with self._uow() as uow:
            ref = self._store_media(uow, chunk, "observations", TRACK_CONTENT_TYPE)
            stored = ObservationChunk(str(uuid.uuid4()), run_id, seq, start, end, records, ref)
            uow.sessions.add_observation_chunk(session_id, stored, self._now())
            self._emit(uow, "observations", session_id, stored)
            uow.commit()
        return stored

    def observation_chunks(self, session_id: str) -> list[ObservationChunk]:
        with self._uow() as uow:
            return uow.sessions.observation_chunks(session_id)

    def abort(self, session_id: str, reason: str) -> InterviewSession:
        """End the session before its interview completed (the invigilator's decision)."""
        return self._step(session_id, SessionState.ABORTED, reason or "aborted by the invigilator")

    # -- after the interview ----------------------------------------------------------------------
    def complete_interview(self, session_id: str, integrity: IntegritySummary) -> InterviewSession:
        """The last question is answered: the session is complete, with its integrity summary
        (computed now, once, and stored as it is) in the same step."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            uow.sessions.set_integrity(session_id, integrity, self._now())
            self._emit(uow, "integrity", session_id, integrity)
            session = self._transition(
                uow, session, SessionState.COMPLETED, "last question answered"
            )
            uow.commit()
        return session

    def save_evaluation(self, session_id: str, evaluation: FinalEvaluation) -> None:
        with self._uow() as uow:
            uow.sessions.set_evaluation(session_id, evaluation)
            self._emit(uow, "evaluation", session_id, evaluation)
            uow.commit()

    def attach_report(self, session_id: str, pdf: bytes) -> Report:
        """Store the PDF and move a completed session to `reported` in one transaction."""
        with self._uow() as uow:
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

    def revise_result(
        self, session_id: str, evaluation: FinalEvaluation, pdf: bytes
    ) -> Report:
        """A reported session's new evaluation and the new version of its report, together: its
        answer scores became final after the report was first written. The session keeps its
        state (reported or synced); both go to the hub like any other record."""
        with self._uow() as uow:
            session = uow.sessions.get(session_id)
            if session.state not in (SessionState.REPORTED, SessionState.SYNCED):
                raise StepRefusedError(
                    f"session {session_id} is {session.state.value}: only a reported session's "
                    "result is revised (the interview writes the first report itself)"
                )
            stored = uow.sessions.evaluation(session_id)
            if stored is not None and not stored.provisional:
                raise AlreadyFinalError(f"session {session_id}'s evaluation is final already")
            uow.sessions.set_evaluation(session_id, evaluation)
            self._emit(uow, "evaluation", session_id, evaluation)
            report = Report(
                session_id, self._store_media(uow, pdf, "report", "application/pdf"), self._now()
            )
            uow.sessions.add_report(report)
            self._emit(uow, "report", session_id, report)
            uow.announce(ReportRevised(session_id, report.pdf.sha256))
            uow.commit()
        return report

    def mark_synced(self, session_id: str) -> InterviewSession:
        """The hub acknowledged every record of a reported session."""
        return self._step(session_id, SessionState.SYNCED, "hub acknowledged every record")

    # -- reading ----------------------------------------------------------------------------------
    def load(self, session_id: str) -> SessionRecord:
        with self._uow() as uow:
            repo = uow.sessions
            history = repo.state_history(session_id)
            started = [at for _, to, at, _ in history if to == SessionState.IN_PROGRESS]
            ended = [at for frm, to, at, _ in history if frm == SessionState.IN_PROGRESS]
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
                consent=repo.latest_consent(session_id),
                integrity=repo.integrity(session_id),
                fit=repo.fit(session_id),
            )

    def find(self, session_ref: str) -> InterviewSession:
        """A session by id or by key (as typed): what CLI users have at hand."""
        with self._uow() as uow:
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
        with self._uow() as uow:
            return uow.sessions.list()

    def pending_outbox(self) -> int:
        with self._uow() as uow:
            return uow.outbox.count_pending()


@dataclass(frozen=True, slots=True)
class EncodedAudio:
    """An answer's audio as the kiosk keeps it (its one copy)."""

    data: bytes
    content_type: str


def encode_answer_audio(wav: bytes) -> EncodedAudio:
    """The one copy of an answer's audio the kiosk keeps: FLAC, or the WAV itself when it is
    too damaged to read (kept as evidence of what the microphone gave)."""
    try:
        return EncodedAudio(wav_to_flac(wav), FLAC_CONTENT_TYPE)
    except AudioFileError:
        return EncodedAudio(wav, "audio/wav")


def new_id() -> str:
    return str(uuid.uuid4())


__all__ = [
    "STARTABLE",
    "AlreadyFinalError",
    "ConsentNotExpectedError",
    "EncodedAudio",
    "SessionRecord",
    "SessionService",
    "StartableSession",
    "StepRefusedError",
    "UnknownSessionKeyError",
    "encode_answer_audio",
    "new_id",
]
