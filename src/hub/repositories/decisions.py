"""HR's decisions on sessions and the organisation's second-reviewer setting (never commits)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hub.db.models import DecisionSetting, HiringDecision

#: Ids per `IN (...)` of a list query: well under every database's limit on parameters.
_CHUNK = 500


class DecisionRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, decision: HiringDecision) -> HiringDecision:
        self._db.add(decision)
        self._db.flush()  # the id orders the history and names the row to confirm
        return decision

    def history(self, org_id: str, session_id: str) -> list[HiringDecision]:
        """Every decision on the session, oldest first."""
        query = (
            select(HiringDecision)
            .where(HiringDecision.org_id == org_id, HiringDecision.session_id == session_id)
            .order_by(HiringDecision.id)
        )
        return list(self._db.scalars(query))

    def latest(self, org_id: str, session_ids: Iterable[str]) -> dict[str, HiringDecision]:
        """The latest decision of each of these sessions that has one: one indexed query per
        500 ids, whatever the length of the history."""
        ids = list(dict.fromkeys(session_ids))
        found: dict[str, HiringDecision] = {}
        for start in range(0, len(ids), _CHUNK):
            newest = (
                select(func.max(HiringDecision.id))
                .where(
                    HiringDecision.org_id == org_id,
                    HiringDecision.session_id.in_(ids[start : start + _CHUNK]),
                )
                .group_by(HiringDecision.session_id)
            )
            rows = self._db.scalars(select(HiringDecision).where(HiringDecision.id.in_(newest)))
            found.update((row.session_id, row) for row in rows)
        return found

    def strip_words(self, session_id: str) -> None:
        """Blank what people wrote about the candidate (notes, scorecard comments): retention
        keeps who decided what, and when, but no words about a person."""
        for row in self._db.scalars(
            select(HiringDecision).where(HiringDecision.session_id == session_id)
        ):
            row.notes = ""
            row.scorecard = [{**line, "comment": ""} for line in row.scorecard]

    def second_reviewer(self, org_id: str) -> bool:
        setting = self._db.get(DecisionSetting, org_id)
        return bool(setting and setting.second_reviewer)

    def set_second_reviewer(self, setting: DecisionSetting) -> None:
        self._db.merge(setting)
