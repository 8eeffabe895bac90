"""How the session list is ordered: a column HR clicked and its direction, turned into an ORDER BY
that every database reads the same way.

Two rules hold whatever the column:
* sessions with no score (or no recommendation) yet come last in both directions, written as an
  explicit "is it missing" key first: SQLite puts NULL first when ascending and PostgreSQL last,
  and `NULLS LAST` is not in every SQLite a hub may run on;
* ties are broken by creation time, newest first, then by id, so the order is total and a page
  boundary never repeats or skips a session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select

from contract.evaluation import Recommendation
from hub.db.models import InterviewSession, ProctoringEvent
from hub.glossary import STATES

S = InterviewSession

#: The list's sortable columns, each with the direction its first click asks for: what HR most
#: likely wants on top (the newest, A to Z, the best score and recommendation, the most flags
#: to review).
FIRST_DIRECTION = {
    "date": "desc",
    "name": "asc",
    "score": "desc",
    "recommendation": "desc",
    "flags": "desc",
    "status": "asc",
}
DIRECTIONS = ("asc", "desc")
#: Sorts the list's old "Sort by" menu sent; links and bookmarks made with them keep working.
_FORMER = {"newest": ("date", "desc"), "oldest": ("date", "asc")}
#: Recommendations from the weakest to the strongest.
_RECOMMENDATION_RANK = {
    r.value: rank
    for rank, r in enumerate(
        (Recommendation.STRONG_NO, Recommendation.NO, Recommendation.YES, Recommendation.STRONG_YES)
    )
}


@dataclass(frozen=True, slots=True)
class ListSort:
    column: str = "date"
    direction: str = "desc"

    @classmethod
    def asked(cls, column: str, direction: str) -> ListSort:
        """The sort a request asked for. An unknown column falls back to the default (newest
        first) and an unknown direction to the column's first one: a stale bookmark or a typed
        URL still shows the list rather than an error."""
        if column in _FORMER:
            return cls(*_FORMER[column])
        if column not in FIRST_DIRECTION:
            return cls()
        return cls(column, direction if direction in DIRECTIONS else FIRST_DIRECTION[column])

    @property
    def is_default(self) -> bool:
        return self == ListSort()

    def link_to(self, column: str) -> ListSort:
        """What clicking `column`'s header asks for: the other direction if the list is sorted
        by it already, else its first direction."""
        if column == self.column:
            return ListSort(column, "asc" if self.direction == "desc" else "desc")
        return ListSort(column, FIRST_DIRECTION[column])


def _open_flags() -> Any:
    return (
        select(func.count(ProctoringEvent.id))
        .where(ProctoringEvent.session_id == S.id, ProctoringEvent.review == "open")
        .scalar_subquery()
    )


def _all_flags() -> Any:
    return (
        select(func.count(ProctoringEvent.id))
        .where(ProctoringEvent.session_id == S.id)
        .scalar_subquery()
    )


def _recommendation_rank() -> ColumnElement[Any]:
    return case(_RECOMMENDATION_RANK, value=S.recommendation, else_=None)


def _status_rank(now: datetime) -> ColumnElement[Any]:
    """A session's status in the lifecycle's order (the glossary's), a waiting session whose
    key ran out by `now` among the expired ones, as the list shows it."""
    rank = {code: n for n, code in enumerate(STATES)}
    return case(
        (and_(S.state == "created", S.expires_at <= now), rank["expired"]),
        *((S.state == code, n) for code, n in rank.items()),
        else_=len(rank),
    )


def order_by(sort: ListSort, now: datetime) -> tuple[Any, ...]:
    """The ORDER BY of `sort` (statuses as they stand at `now`), ending in the tie-break."""

    def directed(key: Any) -> Any:
        return key.desc() if sort.direction == "desc" else key.asc()

    newest_first = (S.created_at.desc(), S.id.desc())
    match sort.column:
        case "date":
            return (directed(S.created_at), directed(S.id))
        case "name":
            return (directed(func.lower(S.candidate_name)), *newest_first)
        case "score":
            return (S.overall_score.is_(None).asc(), directed(S.overall_score), *newest_first)
        case "recommendation":
            rank = _recommendation_rank()
            return (
                rank.is_(None).asc(),
                directed(rank),
                S.overall_score.is_(None).asc(),
                S.overall_score.desc(),
                *newest_first,
            )
        case "flags":
            return (directed(_open_flags()), directed(_all_flags()), *newest_first)
        case "status":
            return (directed(_status_rank(now)), *newest_first)
    raise ValueError(f"no such sort column: {sort.column}")
