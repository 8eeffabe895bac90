"""The hub's tables. Only the hub's own Alembic migrations change them on disk.

Records pushed by kiosks keep the kiosk's ids (uuids) as primary keys, so a replayed entry finds
its row and changes nothing; every such row hangs off a session, and a session off an
organisation, which is what every access check walks.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from contract.sqltypes import UtcDateTime


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    retention_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The data policy's own settings (with `retention_days`, see `hub.services.data_policy`):
    #: whether kiosks send answer audio, and how long they keep data after the hub has it.
    send_answer_audio: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    kiosk_days_after_sync: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    #: What the kiosk's header shows candidates (`kiosk-hub branding`): a display name (the
    #: organisation's name when unset) and a small PNG or JPEG logo (`contract.branding`).
    display_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class User(Base):
    """A portal user. An e-mail address is unique within an organisation only: whether another
    organisation has a user with it is nothing an admin may learn by adding one."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("org_id", "email", name="uq_users_org_email"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: set by an admin: the user cannot sign in and every session of theirs has ended
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the second factor (base32 TOTP secret) once confirmed; the one being set up; the time
    #: step of the last code accepted (no code is accepted twice)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_pending: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: set when an admin reset the password: the password is a temporary one, it signs in until
    #: then, and the user must choose a new one before any other page (`hub.services.
    #: password_resets`); None: the password is the user's own
    password_temporary_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class PortalSession(Base):
    """A signed-in browser. Its cookie holds only a random id; the hub keeps the id's sha256, so
    the table read by someone else is no set of cookies. `stage` is "password" between the
    password and the second factor, "signed_in" after both; `ended_at` ends it for good."""

    __tablename__ = "portal_sessions"

    id_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    ended_because: Mapped[str] = mapped_column(String(40), default="")


class TestCentre(Base):
    """A place where candidates sit interviews: its kiosks pull its sessions, for its own day
    (`timezone`, an IANA name, says when that day begins), and its invigilators see them."""

    __tablename__ = "test_centres"
    __table_args__ = (UniqueConstraint("org_id", "name", name="uq_test_centres_org_name"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: where candidates go (several lines) and what to do on arrival: told in the invitation,
    #: the reminder and on the printed slip; None: not given
    address: Mapped[str | None] = mapped_column(String(500), nullable=True, default=None)
    instructions: Mapped[str | None] = mapped_column(String(500), nullable=True, default=None)


class UserCentre(Base):
    """An invigilator works at these centres (none: the whole organisation, as before)."""

    __tablename__ = "user_centres"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    centre_id: Mapped[str] = mapped_column(ForeignKey("test_centres.id"), primary_key=True)


class Kiosk(Base):
    """An enrolled device. Its bearer token is stored only as a sha256 digest."""

    __tablename__ = "kiosks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the centre the kiosk stands in (from its enrolment code); None: no centre, as before
    centre_id: Mapped[str | None] = mapped_column(
        ForeignKey("test_centres.id"), nullable=True, index=True
    )


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(ForeignKey("kiosks.id"), nullable=True)
    centre_id: Mapped[str | None] = mapped_column(ForeignKey("test_centres.id"), nullable=True)


class InterviewSession(Base):
    """One interview on the hub. A key HR issued names one first session; when a second kiosk
    also starts that pack, its interview becomes an *attempt* session (`attempt_of` the first)
    with the same key, candidate and job, so nothing is lost and HR decides which counts.
    `kiosk_session_id` is the kiosk session whose records this row holds (its owner)."""

    __tablename__ = "interview_sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    session_key: Mapped[str] = mapped_column(String(24))
    attempt_of: Mapped[str | None] = mapped_column(
        ForeignKey("interview_sessions.id"), nullable=True, index=True
    )
    kiosk_session_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    kiosk_id: Mapped[str | None] = mapped_column(ForeignKey("kiosks.id"), nullable=True)
    origin: Mapped[str] = mapped_column(String(10))  # "hub" (HR created it) | "kiosk" (walk-in)
    state: Mapped[str] = mapped_column(String(20), index=True)
    candidate_name: Mapped[str] = mapped_column(Text)
    candidate_email: Mapped[str] = mapped_column(Text, default="")
    resume_text: Mapped[str] = mapped_column(Text, default="")
    job_title: Mapped[str] = mapped_column(Text)
    job_text: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    nice_to_have_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: The kiosk's integrity summary as computed when the interview ended (contract form).
    integrity: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: The resume's fit with the job and the plan's coverage, as the kiosk made it when the
    #: interview began (`contract.fit.JobFit` form).
    job_fit: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    purged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: A re-scoring run holds this session (one run at a time, across every hub process).
    rescore_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the centre the candidate sits the interview at (None: any centre) and the day, in that
    #: centre's calendar (None: any day while the key is valid); kiosks pull by both
    centre_id: Mapped[str | None] = mapped_column(
        ForeignKey("test_centres.id"), nullable=True, index=True
    )
    interview_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: the job (requisition) the candidate interviews for; None: a session typed free-hand
    job_id: Mapped[str | None] = mapped_column(ForeignKey("jobs.id"), nullable=True, index=True)
    #: The evaluation's figures the session list sorts by, copied from `evaluation` whenever it
    #: is set (`_copy_sort_keys`, at the end of this module): the criteria's mean out of 10
    #: (None: not scored yet) and the recommendation's code (None: none yet).
    overall_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    recommendation: Mapped[str | None] = mapped_column(String(20), nullable=True)


# a key names one first session of its organisation; only its attempts repeat it. Keys are
# per organisation, so a key of another organisation is as unknown as a made-up one
Index(
    "uq_interview_sessions_first_key",
    InterviewSession.org_id,
    InterviewSession.session_key,
    unique=True,
    sqlite_where=InterviewSession.attempt_of.is_(None),
    postgresql_where=InterviewSession.attempt_of.is_(None),
)


class KioskSessionLink(Base):
    """Which hub session a kiosk session's entries go to. Every kiosk that pulled a pack links
    its own session to the pack's; the first to push past "created" owns it, and a later one
    that starts it too is moved to an attempt session of its own (see `hub.services.ingest`)."""

    __tablename__ = "kiosk_session_links"

    kiosk_session_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    kiosk_id: Mapped[str | None] = mapped_column(ForeignKey("kiosks.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class StateChange(Base):
    __tablename__ = "state_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime)


class Question(Base):
    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    skill: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    expected_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    engine: Mapped[str] = mapped_column(String(500), default="")
    follow_up_of: Mapped[str | None] = mapped_column(String(64), nullable=True)
    spoken: Mapped[bool] = mapped_column(Boolean, default=False)


class Answer(Base):
    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    segments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    audio_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    end_reason: Mapped[str] = mapped_column(String(500), default="")
    metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)


class LatestScore(Base):
    """Only the newest score of an answer is kept: a final re-score replaces a provisional one."""

    __tablename__ = "latest_scores"

    answer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    feedback: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    engine: Mapped[str] = mapped_column(String(500))
    provisional: Mapped[bool] = mapped_column(Boolean)
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    #: An offline score's expected points (`contract.wire.ScoredPointWire` as JSON) and how
    #: they were decided; empty for a Gemini score.
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    path: Mapped[str] = mapped_column(String(20), default="", server_default="")


class ProctoringEvent(Base):
    __tablename__ = "proctoring_events"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    detector: Mapped[str] = mapped_column(String(500))
    thresholds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    snapshot_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[str] = mapped_column(String(10), default="open")  # open|confirmed|dismissed
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_by: Mapped[str] = mapped_column(String(320), default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ObservationChunk(Base):
    """A chunk of a proctoring run's observation track (`integrity.track`, gzip JSON lines in
    the blob store): what the session page re-judges under another policy."""

    __tablename__ = "observation_chunks"
    __table_args__ = (UniqueConstraint("session_id", "run_id", "seq"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    run_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    records: Mapped[int] = mapped_column(Integer)
    track_sha256: Mapped[str] = mapped_column(String(64))


class ReplayDecision(Base):
    """A reviewer's decision after re-judging a session's track under another policy: the
    policy itself (its text and digest), what changed, and who decided what, and why."""

    __tablename__ = "replay_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    policy_digest: Mapped[str] = mapped_column(String(64))
    policy_text: Mapped[str] = mapped_column(Text)
    original_policy_digest: Mapped[str] = mapped_column(String(64))
    differences: Mapped[list[str]] = mapped_column(JSON, default=list)
    decision: Mapped[str] = mapped_column(String(20))  # original_stands | rejudged_stands
    comment: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(320))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Consent(Base):
    """The candidate's answer to the consent notice on the kiosk: agreed or declined, to which
    words (version and sha256 of the text shown), and when."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    agreed: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str] = mapped_column(String(40))
    notice_sha256: Mapped[str] = mapped_column(String(64))
    biometric: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: sha256 of the data policy's words the notice showed ("" from older kiosks).
    policy_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")


class KioskErasure(Base):
    """A deletion on the hub that a kiosk must carry out: one row per kiosk that held the
    session (its kiosk session id). The kiosk reads its open rows at each sync, erases, and
    reports back; `done_at` and `done_detail` are that report (also in the audit log)."""

    __tablename__ = "kiosk_erasures"
    __table_args__ = (UniqueConstraint("kiosk_id", "kiosk_session_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), index=True)
    kiosk_session_id: Mapped[str] = mapped_column(String(64))
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    session_key: Mapped[str] = mapped_column(String(24))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    done_detail: Mapped[str] = mapped_column(Text, default="")


class IdCheck(Base):
    """The latest identity check of a session (a retry replaces the earlier one)."""

    __tablename__ = "id_checks"

    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class ReportPdf(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("session_id", "pdf_sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), index=True)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Blob(Base):
    """A verified blob of one organisation in the blob store (the file is named by its sha256
    inside the organisation's namespace). `content_type` is what the kiosk declared, kept for
    the record only: the portal serves what the bytes are (`hub.media`)."""

    __tablename__ = "blobs"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SessionBlob(Base):
    """Which session refers to which blob: the portal serves a blob only through such a link."""

    __tablename__ = "session_blobs"

    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class Receipt(Base):
    """One applied outbox entry: (kiosk, outbox id) is the idempotency key of every push."""

    __tablename__ = "receipts"

    kiosk_id: Mapped[str] = mapped_column(ForeignKey("kiosks.id"), primary_key=True)
    outbox_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic: Mapped[str] = mapped_column(String(40))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Miss(Base):
    """One counted try at a guessable secret (a session key, an enrolment code) for one key
    (`kiosk:<id>`, `ip:<address>`). Every hub process counts in this table, so a limit holds
    for all of them together; rows older than the window are pruned as new ones arrive."""

    __tablename__ = "rate_limit_misses"
    __table_args__ = (Index("ix_rate_limit_misses_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class Job(Base):
    """A requisition of an organisation: what its sessions are interviewed for. Its title,
    description, skills and settings are copied into each session made for it (the kiosk's pack
    carries them), so editing a job later never changes an interview already booked."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: `contract.wire.SettingsWire` fields HR chose for the job (question count, seconds, ...)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: closed jobs take no new sessions; their candidates stay readable
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class ShortlistEntry(Base):
    """A candidate (session) HR put on a job's shortlist."""

    __tablename__ = "job_shortlist"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id"), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        ForeignKey("interview_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    added_by: Mapped[str] = mapped_column(String(320))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ApiToken(Base):
    """A read-only token an applicant-tracking system calls the ATS API with (`hub.api.ats`).

    Only the sha256 of the token is kept (it carries 256 random bits, like a kiosk's): the
    organisation's admin sees it once, at creation. A revoked or expired token stays as a row so
    the admin page and the audit log can still name it.
    """

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class MailMessage(Base):
    """One e-mail in the outbox (`hub.mail`): queued in the transaction of what caused it, with
    its words already written, and sent later by the background sender or `kiosk-hub mail
    send`. `status` is "queued" (waiting, or retrying after `last_error` until `due_at`),
    "sent", or "failed" (the server refused the address for good). `claimed_until` is a sending
    process's lease, so two hub processes never send one message twice at once. `once_key`
    names a message that must go at most once (an expiry reminder: `reminder:<session id>`)."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    session_id: Mapped[str | None] = mapped_column(
        ForeignKey("interview_sessions.id"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # invitation|reminder|completed|flags
    once_key: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    to_address: Mapped[str] = mapped_column(String(320))
    to_name: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class HiringDecision(Base):
    """One decision HR recorded on a completed interview (advance, hold or reject), kept for
    ever as history: a new decision or a second reviewer's confirmation is a new row, never an
    edit. `hub.services.decisions` reads the session's state from its latest row."""

    __tablename__ = "hiring_decisions"
    __table_args__ = (Index("ix_hiring_decisions_session_id_id", "session_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("interview_sessions.id"))
    outcome: Mapped[str] = mapped_column(String(20))  # advance | hold | reject
    notes: Mapped[str] = mapped_column(Text, default="")
    #: HR's own scorecard on the rubric's criteria: [{"criterion", "score" 0-10, "comment"}].
    scorecard: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    decided_by: Mapped[str] = mapped_column(String(320))  # e-mail, as the audit log names people
    decided_by_user: Mapped[str] = mapped_column(String(36))  # "a different user" compares ids
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: The organisation asked for a second reviewer when this was recorded.
    needs_second_review: Mapped[bool] = mapped_column(Boolean, default=False)
    #: This row is a second reviewer's confirmation of that decision (which it makes final).
    confirms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: This row is a second reviewer's different decision on that (still unconfirmed) one.
    disagrees_with: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DecisionSetting(Base):
    """Whether an organisation's decisions need a second reviewer (no row: they do not)."""

    __tablename__ = "decision_settings"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    second_reviewer: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime)


def overall_score(evaluation: dict[str, Any] | None) -> float | None:
    """The mean of an evaluation's criterion means (out of 10): the one overall score the list
    shows and sorts by; None without an evaluation or without a criterion in it."""
    marks = [
        float(v)
        for v in ((evaluation or {}).get("overall") or {}).values()
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return sum(marks) / len(marks) if marks else None


@event.listens_for(InterviewSession.evaluation, "set")
def _copy_sort_keys(
    target: InterviewSession, value: dict[str, Any] | None, _old: object, _initiator: object
) -> None:
    """Keep the sort columns equal to the evaluation whoever sets it (a kiosk's first or
    revised evaluation, the hub's re-score, an erasure), so no writer can forget them."""
    target.overall_score = overall_score(value)
    code = (value or {}).get("recommendation")
    target.recommendation = str(code) if code else None
