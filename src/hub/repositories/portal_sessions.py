"""Signed-in portal browsers, by the digest of their cookie's id."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from hub.db.models import PortalSession


class PortalSessionRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, session: PortalSession) -> None:
        self._db.add(session)
        self._db.flush()

    def get(self, id_digest: str) -> PortalSession | None:
        return self._db.get(PortalSession, id_digest)

    def end_all(self, user_id: str, now: datetime, because: str, keep: str | None = None) -> int:
        """End every open session of `user_id` (but `keep`, a digest); how many ended."""
        query = update(PortalSession).where(
            PortalSession.user_id == user_id, PortalSession.ended_at.is_(None)
        )
        if keep is not None:
            query = query.where(PortalSession.id_digest != keep)
        ended = self._db.execute(
            query.values(ended_at=now, ended_because=because),
            execution_options={"synchronize_session": False},
        )
        return int(ended.rowcount or 0)
