"""The unit of work owns one transaction: repositories stage changes, `commit()` makes them durable.

Leaving the `with` block without `commit()` rolls everything back, so a half-recorded step and
its outbox entry vanish together.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from kiosk.storage.database import Database
from kiosk.storage.repositories import MediaRepository, OutboxRepository, SessionRepository


class UnitOfWork:
    sessions: SessionRepository
    media: MediaRepository
    outbox: OutboxRepository

    def __init__(self, database: Database) -> None:
        self._database = database
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        self._session = self._database.sessions()
        self.media = MediaRepository(self._session)
        self.sessions = SessionRepository(self._session, self.media)
        self.outbox = OutboxRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def commit(self) -> None:
        assert self._session is not None, "commit() outside the unit of work's `with` block"
        self._session.commit()
