"""The e-mail outbox table: queue, claim for sending, record the outcome, read per session."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from hub.db.models import AuditEntry, InterviewSession, MailMessage

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"


class MailRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, message: MailMessage) -> None:
        self._db.add(message)

    def has_once_key(self, once_key: str) -> bool:
        return self._db.scalar(select(exists().where(MailMessage.once_key == once_key))) or False

    def due_ids(self, now: datetime, limit: int) -> list[int]:
        """Queued messages whose time has come and that no live lease holds, oldest first."""
        query = (
            select(MailMessage.id)
            .where(
                MailMessage.status == QUEUED,
                MailMessage.due_at <= now,
                or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now),
            )
            .order_by(MailMessage.due_at, MailMessage.id)
            .limit(limit)
        )
        return list(self._db.scalars(query))

    def claim(self, message_id: int, now: datetime, until: datetime) -> MailMessage | None:
        """Take the lease on a due message; None when another process took it first (the
        conditional update is atomic in SQLite and PostgreSQL alike)."""
        taken = self._db.execute(
            update(MailMessage)
            .where(
                MailMessage.id == message_id,
                MailMessage.status == QUEUED,
                or_(MailMessage.claimed_until.is_(None), MailMessage.claimed_until < now),
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:
            return None
        return self._db.get(MailMessage, message_id)

    def get(self, message_id: int) -> MailMessage | None:
        return self._db.get(MailMessage, message_id)

    def of_session(self, session_id: str) -> list[MailMessage]:
        query = (
            select(MailMessage)
            .where(MailMessage.session_id == session_id)
            .order_by(MailMessage.id.desc())
        )
        return list(self._db.scalars(query))

    def creator_of(self, org_id: str, session_key: str) -> str | None:
        """The e-mail of the portal user who created the session with this key (the audit
        log's "session.created" entry), None for a walk-in."""
        query = (
            select(AuditEntry.actor)
            .where(
                AuditEntry.org_id == org_id,
                AuditEntry.action == "session.created",
                AuditEntry.target == session_key,
            )
            .order_by(AuditEntry.id)
            .limit(1)
        )
        return self._db.scalar(query)

    def counts(self, org_id: str | None = None) -> dict[str, int]:
        """How many messages are queued, sent and failed (of one organisation, or all)."""
        query = select(MailMessage.status)
        if org_id is not None:
            query = query.where(MailMessage.org_id == org_id)
        found: dict[str, int] = {QUEUED: 0, SENT: 0, FAILED: 0}
        for status in self._db.scalars(query):
            found[status] = found.get(status, 0) + 1
        return found

    def erase_session(self, session_ids: Sequence[str]) -> None:
        """A session's personal data is erased: so are the e-mails about it."""
        self._db.execute(delete(MailMessage).where(MailMessage.session_id.in_(session_ids)))

    def reminder_due(self, now: datetime, before: datetime) -> list[InterviewSession]:
        """Sessions whose candidate was e-mailed their key, not started yet, whose key expires
        between now and `before`, and that have no reminder yet."""
        invitation = aliased(MailMessage)
        reminder = aliased(MailMessage)
        query = select(InterviewSession).where(
            InterviewSession.state == "created",
            InterviewSession.attempt_of.is_(None),
            InterviewSession.purged_at.is_(None),
            InterviewSession.candidate_email != "",
            InterviewSession.expires_at > now,
            InterviewSession.expires_at <= before,
            exists().where(
                invitation.session_id == InterviewSession.id,
                invitation.kind == "invitation",
                invitation.status != FAILED,
            ),
            ~exists().where(
                reminder.session_id == InterviewSession.id, reminder.kind == "reminder"
            ),
        )
        return list(self._db.scalars(query))
