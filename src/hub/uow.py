"""The hub's unit of work: one transaction over the hub's database, with the hub's repositories.

The behaviour (commit or roll back, so a half-applied push batch or a half-done deletion never
reaches the database) is `contract.sqluow`'s, shared with the kiosk.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from contract.sqluow import SqlUnitOfWork
from hub.db.database import HubDatabase
from hub.repositories.accounts import OrganisationRepository, UserRepository
from hub.repositories.api_tokens import ApiTokenRepository
from hub.repositories.ats import AtsRepository
from hub.repositories.audit import AuditRepository
from hub.repositories.audit_search import AuditSearchRepository
from hub.repositories.centres import CentreRepository
from hub.repositories.decisions import DecisionRepository
from hub.repositories.erasures import ErasureRepository
from hub.repositories.ingest import BlobRepository, ReceiptRepository
from hub.repositories.jobs import JobRepository
from hub.repositories.kiosks import KioskRepository
from hub.repositories.mail import MailRepository
from hub.repositories.portal_sessions import PortalSessionRepository
from hub.repositories.session_list import SessionListRepository
from hub.repositories.sessions import SessionRepository


class UnitOfWork(SqlUnitOfWork):
    organisations: OrganisationRepository
    users: UserRepository
    kiosks: KioskRepository
    sessions: SessionRepository
    receipts: ReceiptRepository
    blobs: BlobRepository
    audit: AuditRepository
    centres: CentreRepository
    portal_sessions: PortalSessionRepository
    erasures: ErasureRepository
    session_list: SessionListRepository
    audit_search: AuditSearchRepository
    jobs: JobRepository
    api_tokens: ApiTokenRepository
    ats: AtsRepository
    mail: MailRepository
    decisions: DecisionRepository

    def __init__(self, database: HubDatabase) -> None:
        super().__init__(database.sessions)

    def _attach(self, session: Session) -> None:
        self.organisations = OrganisationRepository(session)
        self.users = UserRepository(session)
        self.kiosks = KioskRepository(session)
        self.sessions = SessionRepository(session)
        self.receipts = ReceiptRepository(session)
        self.blobs = BlobRepository(session)
        self.audit = AuditRepository(session)
        self.centres = CentreRepository(session)
        self.portal_sessions = PortalSessionRepository(session)
        self.erasures = ErasureRepository(session)
        self.session_list = SessionListRepository(session)
        self.audit_search = AuditSearchRepository(session)
        self.jobs = JobRepository(session)
        self.api_tokens = ApiTokenRepository(session)
        self.ats = AtsRepository(session)
        self.mail = MailRepository(session)
        self.decisions = DecisionRepository(session)
