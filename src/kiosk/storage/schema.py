"""The kiosk database's tables. Only Alembic migrations change the schema on disk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from contract.sqltypes import UtcDateTime


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_key: Mapped[str] = mapped_column(String(24), unique=True, index=True)
    state: Mapped[str] = mapped_column(String(20))
    candidate_name: Mapped[str] = mapped_column(Text)
    candidate_email: Mapped[str] = mapped_column(Text, default="")
    resume_text: Mapped[str] = mapped_column(Text, default="")
    job_title: Mapped[str] = mapped_column(Text)
    job_text: Mapped[str] = mapped_column(Text, default="")
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    nice_to_have_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kiosk_id: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    evaluation: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: The data policy the session arrived with (`contract.privacy.DataPolicy`, as data).
    data_policy: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: When the kiosk erased the session's personal data; the row is then an anonymous
    #: tombstone (ids, dates, state) and `erased_because` says why (retention, hub deletion).
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    erased_because: Mapped[str] = mapped_column(String(40), default="", server_default="")
    #: The organisation the pack named, and its logo in the media store (None: no logo).
    organisation_name: Mapped[str] = mapped_column(Text, default="")
    organisation_logo: Mapped[str | None] = mapped_column(String(64), nullable=True)


class StateChangeRow(Base):
    __tablename__ = "state_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")


class MediaRow(Base):
    __tablename__ = "media"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class QuestionRow(Base):
    __tablename__ = "questions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    skill: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")
    expected_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    engine: Mapped[str] = mapped_column(String(40), default="")
    follow_up_of: Mapped[str | None] = mapped_column(String(36), nullable=True)
    spoken: Mapped[bool] = mapped_column(default=False)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AnswerRow(Base):
    __tablename__ = "answers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    question_id: Mapped[str] = mapped_column(ForeignKey("questions.id"), unique=True)
    text: Mapped[str] = mapped_column(Text)
    segments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    audio_sha256: Mapped[str | None] = mapped_column(ForeignKey("media.sha256"), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    end_reason: Mapped[str] = mapped_column(String(20), default="")
    metrics: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AnswerScoreRow(Base):
    """Every scoring is kept (provisional, then final); the newest one counts."""

    __tablename__ = "answer_scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[str] = mapped_column(ForeignKey("answers.id"), index=True)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    feedback: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    engine: Mapped[str] = mapped_column(String(40))
    provisional: Mapped[bool] = mapped_column()
    confidence: Mapped[float] = mapped_column(Float, default=0.5)
    scored_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Offline scores: each expected point's verdict, evidence and who decided (see 0004).
    points: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    path: Mapped[str] = mapped_column(String(20), default="", server_default="")


class ProctoringEventRow(Base):
    __tablename__ = "proctoring_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    severity: Mapped[str] = mapped_column(String(10))
    confidence: Mapped[float] = mapped_column(Float)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    detector: Mapped[str] = mapped_column(String(80))
    thresholds: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    snapshot_sha256: Mapped[str | None] = mapped_column(ForeignKey("media.sha256"), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class ObservationChunkRow(Base):
    """A chunk of a proctoring run's observation track; the blob holds its records."""

    __tablename__ = "observation_chunks"
    __table_args__ = (UniqueConstraint("run_id", "seq"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    run_id: Mapped[str] = mapped_column(String(36))
    seq: Mapped[int] = mapped_column(Integer)
    start: Mapped[float] = mapped_column(Float)
    end: Mapped[float] = mapped_column(Float)
    records: Mapped[int] = mapped_column(Integer)
    track_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ConsentRow(Base):
    """The candidate's answer to the consent notice: agreed or declined, to which words, when."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    agreed: Mapped[bool] = mapped_column(Boolean)
    notice_version: Mapped[str] = mapped_column(String(40))
    notice_sha256: Mapped[str] = mapped_column(String(64))
    biometric: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: sha256 of the data policy's words the notice showed ("" before policies existed).
    policy_sha256: Mapped[str] = mapped_column(String(64), default="", server_default="")


class IntegrityRow(Base):
    """The integrity summary computed when the interview ended, kept as it was computed."""

    __tablename__ = "integrity_summaries"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    policy_digest: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class JobFitRow(Base):
    """The resume's fit with the job and the plan's coverage of its required skills
    (`contract.fit.JobFit`), made when the interview's plan was made, kept as it was made."""

    __tablename__ = "job_fits"

    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), primary_key=True)
    fit: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class IdCheckRow(Base):
    __tablename__ = "id_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    card_sha256: Mapped[str | None] = mapped_column(ForeignKey("media.sha256"), nullable=True)
    live_sha256: Mapped[str | None] = mapped_column(ForeignKey("media.sha256"), nullable=True)
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id"), index=True)
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("media.sha256"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OutboxRow(Base):
    """A change the hub must learn of, written in the same transaction as the change itself."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(40))
    aggregate_id: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Set when the hub refused the row for good (or it waits on a refused row): it is held back,
    #: never deleted, so the rows behind it keep flowing; cleared to push it again.
    quarantined_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True, index=True)
    quarantine_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: The refused row this one is held back with (a later row of the same session); None on
    #: the refused row itself.
    held_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
