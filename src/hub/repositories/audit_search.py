"""The audit log searched: by who acted, what they did and when, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from hub.db.models import AuditEntry

Q = TypeVar("Q", bound=Select[Any])


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Empty fields filter nothing; `actor` and `action` match part of the text, any case;
    the days are UTC days, as the log shows its times."""

    actor: str = ""
    action: str = ""
    on_or_after: date | None = None
    on_or_before: date | None = None


def _narrowed(query: Q, org_id: str, wanted: AuditQuery) -> Q:
    query = query.where(AuditEntry.org_id == org_id)
    for column, text in ((AuditEntry.actor, wanted.actor), (AuditEntry.action, wanted.action)):
        if text.strip():
            query = query.where(func.lower(column).contains(text.strip().lower(), autoescape=True))
    if wanted.on_or_after is not None:
        query = query.where(AuditEntry.at >= datetime.combine(wanted.on_or_after, time(0), UTC))
    if wanted.on_or_before is not None:
        end = datetime.combine(wanted.on_or_before + timedelta(days=1), time(0), UTC)
        query = query.where(AuditEntry.at < end)
    return query


class AuditSearchRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def count(self, org_id: str, wanted: AuditQuery) -> int:
        query = _narrowed(select(func.count()).select_from(AuditEntry), org_id, wanted)
        return int(self._db.scalar(query) or 0)

    def page(
        self, org_id: str, wanted: AuditQuery, limit: int, offset: int = 0, below: int | None = None
    ) -> list[AuditEntry]:
        """Matching entries, newest first; `below`: only entries older than that id."""
        query = _narrowed(select(AuditEntry), org_id, wanted)
        if below is not None:
            query = query.where(AuditEntry.id < below)
        query = query.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)
        return list(self._db.scalars(query))
