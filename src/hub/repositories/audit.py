"""The audit log: who did what to which record, append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
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

    def recent(self, org_id: str, limit: int = 200) -> list[AuditEntry]:
        query = (
            select(AuditEntry)
            .where(AuditEntry.org_id == org_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
        return list(self._db.scalars(query))
