"""The hub's unit of work: one transaction; repositories stage, `commit()` makes it durable.

Leaving the `with` block without `commit()` rolls everything back, so a half-applied push batch
or a half-done deletion never reaches the database.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.orm import Session

from hub.db.database import HubDatabase
from hub.repositories.accounts import OrganisationRepository, UserRepository
from hub.repositories.audit import AuditRepository
from hub.repositories.ingest import BlobRepository, ReceiptRepository
from hub.repositories.kiosks import KioskRepository
from hub.repositories.portal_sessions import PortalSessionRepository
from hub.repositories.sessions import SessionRepository


class UnitOfWork:
    organisations: OrganisationRepository
    users: UserRepository
    kiosks: KioskRepository
    sessions: SessionRepository
    receipts: ReceiptRepository
    blobs: BlobRepository
    audit: AuditRepository
    portal_sessions: PortalSessionRepository

    def __init__(self, database: HubDatabase) -> None:
        self._database = database
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        db = self._session = self._database.sessions()
        self.organisations = OrganisationRepository(db)
        self.users = UserRepository(db)
        self.kiosks = KioskRepository(db)
        self.sessions = SessionRepository(db)
        self.receipts = ReceiptRepository(db)
        self.blobs = BlobRepository(db)
        self.audit = AuditRepository(db)
        self.portal_sessions = PortalSessionRepository(db)
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
