"""The audit log: who did what to which record, append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.db.models import AuditEntry


class AuditRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def record(
        self, org_id: str, actor: str, action: str, target: str, detail: str, at: datetime
    ) -> None:
        self._db.add(
            AuditEntry(
                org_id=org_id, actor=actor, action=action, target=target, detail=detail, at=at
            )
        )

    def recent(self, org_id: str, limit: int, offset: int = 0) -> list[AuditEntry]:
        """A page of the organisation's log, newest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.org_id == org_id)
            .order_by(AuditEntry.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(self._db.scalars(query))

    def count(self, org_id: str) -> int:
        query = select(func.count()).where(AuditEntry.org_id == org_id)
        return int(self._db.scalar(query) or 0)

    def about(self, org_id: str, target: str, actions: tuple[str, ...]) -> list[AuditEntry]:
        """Every entry of these actions on one target (a session key), newest first."""
        query = (
            select(AuditEntry)
            .where(
                AuditEntry.org_id == org_id,
                AuditEntry.target == target,
                AuditEntry.action.in_(actions),
            )
            .order_by(AuditEntry.id.desc())
        )
        return list(self._db.scalars(query))
