"""Read-only API tokens for an organisation's applicant-tracking system (ATS).

An admin creates a token with a name and an optional expiry; it is shown once and stored only as
its sha256 (`hub.security.tokens`), like a kiosk's device token. Every refusal (unknown, revoked,
expired) reads the same, so a caller learns nothing about which tokens exist. Creation and
revocation are audited; the first use is too, so an admin sees when a new token went live.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import ApiToken
from hub.errors import InvalidInputError, NotAuthenticatedError, NotFoundError
from hub.security.tokens import digest
from hub.uow import UnitOfWork
from hub.views import PortalUser

#: Tells an ATS token from a kiosk's device token (`hk_`) at a glance, in logs and in leaks.
ATS_TOKEN_PREFIX = "hkats_"
NAME_MAX = 100
MAX_DAYS = 3650
REFUSED = "the hub does not accept this API token (unknown, revoked or expired)"


@dataclass(frozen=True, slots=True)
class ApiClient:
    """The organisation a valid token reads for, and which token it was (for the audit log)."""

    token_id: str
    name: str
    org_id: str


@dataclass(frozen=True, slots=True)
class ApiTokenView:
    """One token as the admin page lists it (never the token itself)."""

    token_id: str
    name: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    #: "active", "expired" or "revoked": the page words them
    status: str


@dataclass(frozen=True, slots=True)
class IssuedApiToken:
    """A token just created: `token` is shown to the admin this once."""

    name: str
    token: str
    expires_at: datetime | None


def new_api_token() -> str:
    return ATS_TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiTokens:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def create(self, admin: PortalUser, name: str, days: int | None) -> IssuedApiToken:
        """A new token for the admin's organisation, valid for `days` (None: until revoked)."""
        name = " ".join(name.split())
        if not name:
            raise InvalidInputError("name the token after the system that will use it")
        if len(name) > NAME_MAX:
            raise InvalidInputError(f"a token's name has at most {NAME_MAX} characters")
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise InvalidInputError(f"a token is valid for 1 to {MAX_DAYS} days, or until revoked")
        now = self._now()
        token = new_api_token()
        row = ApiToken(
            id=str(uuid.uuid4()),
            org_id=admin.org_id,
            name=name,
            token_hash=digest(token),
            created_by=admin.email,
            created_at=now,
            expires_at=now + timedelta(days=days) if days is not None else None,
        )
        with UnitOfWork(self._database) as uow:
            uow.api_tokens.add(row)
            validity = f"valid {days} days" if days is not None else "valid until revoked"
            uow.audit.record(admin.org_id, admin.email, "api_token.created", name, validity, now)
            uow.commit()
        return IssuedApiToken(name, token, row.expires_at)

    def revoke(self, admin: PortalUser, token_id: str) -> None:
        """Refuse the token from now on (a token of another organisation is not found)."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.api_tokens.get(token_id)
            if row is None or row.org_id != admin.org_id:
                raise NotFoundError("no such API token in your organisation")
            if row.revoked_at is None:
                row.revoked_at = now
                uow.audit.record(admin.org_id, admin.email, "api_token.revoked", row.name, "", now)
                uow.commit()

    def in_org(self, admin: PortalUser) -> list[ApiTokenView]:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            return [_view(row, now) for row in uow.api_tokens.in_org(admin.org_id)]

    def authenticate(self, token: str) -> ApiClient:
        """The client of a live token; `NotAuthenticatedError` (the same words) otherwise."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.api_tokens.by_hash(digest(token)) if token else None
            if row is None or _status(row, now) != "active":
                raise NotAuthenticatedError(REFUSED)
            if row.last_used_at is None:
                uow.audit.record(
                    row.org_id, f"API token “{row.name}”", "api_token.first_used", row.name, "", now
                )
            row.last_used_at = now
            uow.commit()
            return ApiClient(row.id, row.name, row.org_id)


def _status(row: ApiToken, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and row.expires_at <= now:
        return "expired"
    return "active"


def _view(row: ApiToken, now: datetime) -> ApiTokenView:
    return ApiTokenView(
        row.id,
        row.name,
        row.created_by,
        row.created_at,
        row.expires_at,
        row.revoked_at,
        row.last_used_at,
        _status(row, now),
    )
