"""The queries of the ATS read API: an organisation's sessions in the order of their last change,
so an applicant-tracking system can sync incrementally and page without gaps or repeats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hub.db.models import InterviewSession, ProctoringEvent


@dataclass(frozen=True, slots=True)
class SessionFilter:
    org_id: str
    states: Sequence[str] = ()
    updated_since: datetime | None = None
    job_title: str | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended: the last row's (updated_at, id); the next page starts after it."""

    updated_at: datetime
    session_id: str


class AtsRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def sessions(
        self, where: SessionFilter, after: Position | None, limit: int
    ) -> list[InterviewSession]:
        """Up to `limit` sessions after `after`, oldest change first (id breaks ties, so a page
        boundary between rows changed in the same instant skips and repeats nothing)."""
        query = _filtered(select(InterviewSession), where)
        if after is not None:
            query = query.where(
                or_(
                    InterviewSession.updated_at > after.updated_at,
                    and_(
                        InterviewSession.updated_at == after.updated_at,
                        InterviewSession.id > after.session_id,
                    ),
                )
            )
        order = (InterviewSession.updated_at, InterviewSession.id)
        return list(self._db.scalars(query.order_by(*order).limit(limit)))

    def count(self, where: SessionFilter) -> int:
        return int(self._db.scalar(_filtered(select(func.count()), where)) or 0)

    def flag_reviews(self, session_id: str) -> dict[str, int]:
        """How many of the session's proctoring flags are open, confirmed and dismissed."""
        query = (
            select(ProctoringEvent.review, func.count())
            .where(ProctoringEvent.session_id == session_id)
            .group_by(ProctoringEvent.review)
        )
        return {str(review): int(n) for review, n in self._db.execute(query).all()}


def _filtered(query: Any, where: SessionFilter) -> Any:
    query = query.select_from(InterviewSession).where(InterviewSession.org_id == where.org_id)
    if where.states:
        query = query.where(InterviewSession.state.in_(list(where.states)))
    if where.updated_since is not None:
        query = query.where(InterviewSession.updated_at >= where.updated_since)
    if where.job_title:
        query = query.where(func.lower(InterviewSession.job_title) == where.job_title.lower())
    return query
