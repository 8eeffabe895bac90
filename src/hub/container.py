"""Build the hub's services once, at start-up, from its settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from hub.blobs import BlobStore, FolderBlobStore
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase, open_database
from hub.mail.config import MailConfig
from hub.security.login_throttle import LoginThrottle
from hub.security.ratelimit import MissLimiter
from hub.services.accounts import Accounts
from hub.services.api_tokens import ApiTokens
from hub.services.ats import AtsReads
from hub.services.audit_log import AuditLog
from hub.services.centres import Centres
from hub.services.data_policy import DataPolicies
from hub.services.decisions import Decisions
from hub.services.enrolment import Enrolment
from hub.services.erasures import Erasures
from hub.services.ingest import Ingest
from hub.services.lifecycle import SessionLifecycle
from hub.services.mail import MailQueue, MailSender
from hub.services.packs import Packs
from hub.services.password_resets import PasswordResets
from hub.services.portal_sessions import PortalSessions, SessionTimeouts
from hub.services.records import Records
from hub.services.replays import Replays
from hub.services.session_list import SessionList
from hub.services.user_admin import UserAdmin
from hub.settings import HubConfigurationError, HubSettings


@dataclass(frozen=True)
class Hub:
    settings: HubSettings
    database: HubDatabase
    blobs: BlobStore
    accounts: Accounts
    centres: Centres
    enrolment: Enrolment
    packs: Packs
    ingest: Ingest
    records: Records
    replays: Replays
    portal_sessions: PortalSessions
    key_misses: MissLimiter
    code_misses: MissLimiter
    data_policies: DataPolicies
    erasures: Erasures
    lifecycle: SessionLifecycle
    session_list: SessionList
    user_admin: UserAdmin
    audit_log: AuditLog
    api_tokens: ApiTokens
    ats: AtsReads
    token_misses: MissLimiter
    mail: MailQueue
    mail_sender: MailSender
    decisions: Decisions
    password_resets: PasswordResets
    #: What every service above reads the time from (tests move it; see `build_hub`).
    clock: Clock = utc_now

    def close(self) -> None:
        self.database.close()


def build_blob_store(settings: HubSettings) -> BlobStore:
    """The folder store, or the S3 one when `HUB_BLOB_STORE=s3` (which needs a bucket)."""
    if settings.blob_store == "folder":
        return FolderBlobStore(settings.resolved_blob_dir)
    if not settings.s3_bucket:
        raise HubConfigurationError(
            "HUB_BLOB_STORE=s3 needs HUB_S3_BUCKET (and HUB_S3_ENDPOINT_URL for anything but "
            "AWS itself): the bucket is created beforehand, the hub only reads and writes in it"
        )
    from hub.s3blobs import S3BlobStore  # boto3 loads only when a hub uses it

    secret = settings.s3_secret_access_key
    return S3BlobStore(
        settings.s3_bucket,
        settings.spool_dir,
        prefix=settings.s3_prefix,
        endpoint_url=settings.s3_endpoint_url or None,
        region=settings.s3_region or None,
        access_key_id=settings.s3_access_key_id or None,
        secret_access_key=secret.get_secret_value() if secret else None,
    )


def build_hub(settings: HubSettings, clock: Clock = utc_now) -> Hub:
    blobs = build_blob_store(settings)  # a configuration error before anything is opened
    mail_config = MailConfig.from_settings(settings)  # so is a mail server without a sender
    database = open_database(
        settings.resolved_database_url, blob_dir=settings.resolved_blob_dir, pool=settings.pool
    )
    throttle = LoginThrottle(
        database,
        settings.login_failures_before_delay,
        timedelta(minutes=settings.login_max_delay_minutes),
        clock,
    )
    mail = MailQueue(database, mail_config, clock)
    records = Records(database, blobs, settings.session_ttl_hours, clock, mail)
    return Hub(
        settings=settings,
        database=database,
        blobs=blobs,
        accounts=Accounts(database, throttle, clock),
        centres=Centres(database, clock),
        enrolment=Enrolment(database, settings.enrolment_code_hours, clock),
        packs=Packs(database, clock),
        ingest=Ingest(database, blobs, clock, mail),
        records=records,
        replays=Replays(database, blobs, clock),
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
        data_policies=DataPolicies(database, clock),
        erasures=Erasures(database, clock),
        lifecycle=SessionLifecycle(database, clock),
        session_list=SessionList(database, clock),
        user_admin=UserAdmin(database, clock),
        audit_log=AuditLog(database),
        api_tokens=ApiTokens(database, clock),
        ats=AtsReads(database, records, clock),
        token_misses=MissLimiter(
            database, "api_token", "refused API tokens", settings.key_misses_per_minute, clock=clock
        ),
        mail=mail,
        mail_sender=MailSender(database, mail_config, clock),
        decisions=Decisions(database, clock),
        password_resets=PasswordResets(database, clock),
        clock=clock,
    )
