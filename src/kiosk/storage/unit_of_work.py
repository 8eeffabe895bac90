"""The kiosk's unit of work: one transaction over its database, with the kiosk's repositories.

The behaviour (commit or roll back, announce only after a commit) is `contract.sqluow`'s, shared
with the hub; this names what a kiosk step can stage.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from contract.sqluow import Publish, SqlUnitOfWork
from kiosk.storage.database import Database
from kiosk.storage.repositories import MediaRepository, OutboxRepository, SessionRepository


class UnitOfWork(SqlUnitOfWork):
    sessions: SessionRepository
    media: MediaRepository
    outbox: OutboxRepository

    def __init__(self, database: Database, publish: Publish = lambda _event: None) -> None:
        super().__init__(database.sessions, publish)

    def _attach(self, session: Session) -> None:
        self.media = MediaRepository(session)
        self.sessions = SessionRepository(session, self.media)
        self.outbox = OutboxRepository(session)


__all__ = ["Publish", "UnitOfWork"]
