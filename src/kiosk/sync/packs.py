"""Store session packs pulled from the hub as local sessions under the hub's own key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from contract.privacy import DataPolicy
from contract.wire import SessionPack
from kiosk.domain.model import Candidate, InterviewSession, JobDescription, SessionSettings
from kiosk.sessions import SessionService
from kiosk.storage.database import Database
from kiosk.storage.unit_of_work import UnitOfWork


class PackExpiredError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class ImportedPack:
    session: InterviewSession
    created: bool  # False when the kiosk already had this key


def import_pack(
    service: SessionService, pack: SessionPack, now: datetime | None = None
) -> ImportedPack:
    """Create the local session for `pack`, once: importing the same pack again is a no-op."""
    with UnitOfWork(service.database) as uow:
        existing = uow.sessions.get_by_key(pack.session_key)
    if existing is not None:
        return ImportedPack(existing, created=False)
    ttl = pack.expires_at - (now or datetime.now(UTC))
    if ttl.total_seconds() <= 0:
        raise PackExpiredError(
            f"session key {pack.session_key} expired on {pack.expires_at:%Y-%m-%d %H:%M} UTC"
        )
    session = service.create(
        Candidate(pack.candidate.full_name, pack.candidate.email, pack.candidate.resume_text),
        JobDescription(
            pack.job.title,
            pack.job.text,
            tuple(pack.job.required_skills),
            tuple(pack.job.nice_to_have_skills),
        ),
        SessionSettings(**pack.settings.model_dump()),
        session_key=pack.session_key,
        ttl=ttl,
        data_policy=DataPolicy(**pack.data_policy.model_dump()),
    )
    return ImportedPack(session, created=True)


def ready_sessions(database: Database, now: datetime | None = None) -> int:
    """Sessions on this kiosk waiting for their candidate: pulled packs (and walk-ins) whose key
    has not been used and has not expired."""
    with UnitOfWork(database) as uow:
        return uow.sessions.count_ready(now or datetime.now(UTC))
