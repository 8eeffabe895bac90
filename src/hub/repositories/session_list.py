"""The session list's query: search, status groups, filters and sort, all in SQL, so a page and
its total come from the database whatever the organisation's size (no row is cut off)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from hub.db.models import HiringDecision, InterviewSession, ProctoringEvent
from hub.repositories.session_sort import ListSort, order_by

Q = TypeVar("Q", bound=Select[Any])
S = InterviewSession

#: Status groups in HR's words; each is a condition on a session at `now`.
GROUP_WORDS = {
    "waiting": "Waiting for the candidate",
    "expired": "Key expired",
    "under_way": "Interview under way",
    "completed": "Completed",
    "undecided": "Completed, no decision yet",
    "stopped": "Stopped before the end",
    "cancelled": "Cancelled",
    "expiring": "Key expires within 48 hours",
}
#: Keys running out within this long are "expiring" (the dashboard's count and its link).
EXPIRING_WITHIN = timedelta(hours=48)
_UNDER_WAY = ("opened", "id_verified", "devices_checked", "in_progress")
_COMPLETED = ("completed", "reported", "synced")


@dataclass(frozen=True, slots=True)
class ListQuery:
    """What HR asked the list for; empty fields filter nothing."""

    search: str = ""
    groups: tuple[str, ...] = ()
    job_title: str = ""
    centre_id: str = ""
    created_from: date | None = None
    created_to: date | None = None
    sort: ListSort = field(default_factory=ListSort)
    #: sessions with flags nobody has reviewed yet
    open_flags: bool = False


def group_condition(group: str, now: datetime) -> ColumnElement[bool]:
    match group:
        case "waiting":
            return and_(S.state == "created", S.expires_at > now)
        case "expired":
            return or_(S.state == "expired", and_(S.state == "created", S.expires_at <= now))
        case "under_way":
            return S.state.in_(_UNDER_WAY)
        case "completed":
            return S.state.in_(_COMPLETED)
        case "undecided":
            decided = select(HiringDecision.id).where(HiringDecision.session_id == S.id).exists()
            return and_(S.state.in_(_COMPLETED), ~decided)
        case "stopped":
            return S.state == "aborted"
        case "cancelled":
            return S.state == "cancelled"
        case "expiring":
            return and_(
                S.state == "created", S.expires_at > now, S.expires_at <= now + EXPIRING_WITHIN
            )
    return false()


def has_open_flags() -> ColumnElement[bool]:
    return (
        select(ProctoringEvent.id)
        .where(ProctoringEvent.session_id == S.id, ProctoringEvent.review == "open")
        .exists()
    )


def narrowed(
    query: Q, org_id: str, wanted: ListQuery, now: datetime, centres: Sequence[str] | None
) -> Q:
    """`query` over the organisation's sessions the user may see, narrowed to `wanted`."""
    query = query.where(S.org_id == org_id)
    if centres is not None:
        query = query.where(or_(S.centre_id.is_(None), S.centre_id.in_(centres)))
    if wanted.groups:
        query = query.where(or_(*(group_condition(g, now) for g in wanted.groups)))
    if wanted.search.strip():
        like = f"%{_escaped(wanted.search.strip().lower())}%"
        key = f"%{_escaped(wanted.search.strip().upper())}%"
        query = query.where(
            or_(
                func.lower(S.candidate_name).like(like, escape="\\"),
                func.lower(S.candidate_email).like(like, escape="\\"),
                func.lower(S.job_title).like(like, escape="\\"),
                S.session_key.like(key, escape="\\"),
            )
        )
    if wanted.job_title.strip():
        query = query.where(func.lower(S.job_title) == wanted.job_title.strip().lower())
    if wanted.centre_id:
        query = query.where(S.centre_id == wanted.centre_id)
    if wanted.created_from is not None:
        query = query.where(S.created_at >= _start_of(wanted.created_from))
    if wanted.created_to is not None:
        query = query.where(S.created_at < _start_of(wanted.created_to + timedelta(days=1)))
    if wanted.open_flags:
        query = query.where(has_open_flags())
    return query


def _start_of(day: date) -> datetime:
    """Midnight UTC opening `day`: the list's dates are UTC dates, as it shows them."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SessionListRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def page(
        self,
        org_id: str,
        wanted: ListQuery,
        now: datetime,
        centres: Sequence[str] | None,
        limit: int,
        offset: int,
    ) -> list[InterviewSession]:
        query = narrowed(select(S), org_id, wanted, now, centres)
        query = query.order_by(*order_by(wanted.sort, now)).offset(offset).limit(limit)
        return list(self._db.scalars(query))

    def count(
        self, org_id: str, wanted: ListQuery, now: datetime, centres: Sequence[str] | None
    ) -> int:
        query = narrowed(select(func.count()).select_from(S), org_id, wanted, now, centres)
        return int(self._db.scalar(query) or 0)

    def flags(self, session_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(flags, of them still open) per session."""
        if not session_ids:
            return {}
        opened = func.sum(case((ProctoringEvent.review == "open", 1), else_=0))
        query = (
            select(ProctoringEvent.session_id, func.count(), opened)
            .where(ProctoringEvent.session_id.in_(list(session_ids)))
            .group_by(ProctoringEvent.session_id)
        )
        return {sid: (int(n), int(o or 0)) for sid, n, o in self._db.execute(query).all()}

    def job_titles(self, org_id: str) -> list[str]:
        query = select(S.job_title).where(S.org_id == org_id).distinct().order_by(S.job_title)
        return list(self._db.scalars(query))
