"""Build the hub's services once, at start-up, from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hub.blobs import BlobStore
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase, open_database
from hub.security.login_throttle import LoginThrottle
from hub.security.ratelimit import MissLimiter
from hub.services.accounts import Accounts
from hub.services.enrolment import Enrolment
from hub.services.ingest import Ingest
from hub.services.packs import Packs
from hub.services.portal_sessions import PortalSessions, SessionTimeouts
from hub.services.records import Records
from hub.settings import HubSettings


@dataclass(frozen=True)
class Hub:
    settings: HubSettings
    database: HubDatabase
    blobs: BlobStore
    accounts: Accounts
    enrolment: Enrolment
    packs: Packs
    ingest: Ingest
    records: Records
    portal_sessions: PortalSessions
    key_misses: MissLimiter
    code_misses: MissLimiter
    #: What every service above reads the time from (tests move it; see `build_hub`).
    clock: Clock = utc_now

    def close(self) -> None:
        self.database.close()


def build_hub(settings: HubSettings, clock: Clock = utc_now) -> Hub:
    database = open_database(settings.resolved_database_url, blob_dir=settings.resolved_blob_dir)
    blobs = BlobStore(settings.resolved_blob_dir)
    throttle = LoginThrottle(
        database,
        settings.login_failures_before_delay,
        timedelta(minutes=settings.login_max_delay_minutes),
        clock,
    )
    return Hub(
        settings=settings,
        database=database,
        blobs=blobs,
        accounts=Accounts(database, throttle, clock),
        enrolment=Enrolment(database, settings.enrolment_code_hours, clock),
        packs=Packs(database, clock),
        ingest=Ingest(database, blobs, clock),
        records=Records(database, blobs, settings.session_ttl_hours, clock),
        portal_sessions=PortalSessions(
            database,
            SessionTimeouts(
                idle=timedelta(minutes=settings.portal_idle_minutes),
                absolute=timedelta(hours=settings.portal_session_hours),
            ),
            clock,
        ),
        key_misses=MissLimiter(
            database,
            "session_key",
            "unknown session keys",
            settings.key_misses_per_minute,
            clock=clock,
        ),
        code_misses=MissLimiter(
            database,
            "enrolment_code",
            "wrong enrolment codes",
            settings.key_misses_per_minute,
            clock=clock,
        ),
        clock=clock,
    )
