"""Enrolling kiosks: one-time codes for devices, bearer tokens, revocation."""

from __future__ import annotations

import uuid
from datetime import timedelta

from contract.wire import EnrolResponse
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import EnrolmentCode, Kiosk
from hub.errors import NotAuthenticatedError, NotFoundError
from hub.security.tokens import (
    digest,
    new_device_token,
    new_enrolment_code,
    normalise_enrolment_code,
)
from hub.services.centres import own_centre
from hub.uow import UnitOfWork
from hub.views import IssuedCode, KioskIdentity, KioskView


class InvalidEnrolmentCodeError(NotAuthenticatedError):
    pass


class Enrolment:
    def __init__(self, database: HubDatabase, code_hours: int, clock: Clock = utc_now) -> None:
        self._database = database
        self._code_life = timedelta(hours=code_hours)
        self._now = clock

    def issue_code(self, org_id: str, actor: str, centre_id: str | None = None) -> IssuedCode:
        """A one-time code; the kiosk enrolled with it stands in `centre_id` (None: none)."""
        now = self._now()
        code = new_enrolment_code()
        with UnitOfWork(self._database) as uow:
            centre = own_centre(uow, org_id, centre_id).name if centre_id else ""
            uow.kiosks.add_code(
                EnrolmentCode(
                    code_hash=digest(code),
                    org_id=org_id,
                    created_at=now,
                    expires_at=now + self._code_life,
                    centre_id=centre_id,
                )
            )
            uow.audit.record(org_id, actor, "enrolment_code.issued", centre, "", now)
            uow.commit()
        return IssuedCode(code=code, expires_at=now + self._code_life)

    def enrol(self, code: str, kiosk_name: str) -> EnrolResponse:
        """Exchange a one-time code for a device token (shown this once, stored hashed)."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.kiosks.code(digest(normalise_enrolment_code(code)))
            if row is None or row.used_at is not None or row.expires_at <= now:
                raise InvalidEnrolmentCodeError(
                    "the enrolment code is unknown, used or expired; ask an admin for a new one"
                )
            token = new_device_token()
            kiosk = Kiosk(
                id=str(uuid.uuid4()),
                org_id=row.org_id,
                name=kiosk_name,
                token_hash=digest(token),
                created_at=now,
                centre_id=row.centre_id,
            )
            uow.kiosks.add(kiosk)
            row.used_at = now
            row.kiosk_id = kiosk.id
            org = uow.organisations.get(row.org_id)
            assert org is not None
            uow.audit.record(org.id, f"kiosk:{kiosk_name}", "kiosk.enrolled", kiosk.id, "", now)
            uow.commit()
            return EnrolResponse(kiosk_id=kiosk.id, organisation=org.name, token=token)

    def authenticate(self, token: str) -> KioskIdentity:
        with UnitOfWork(self._database) as uow:
            kiosk = uow.kiosks.by_token_hash(digest(token)) if token else None
            if kiosk is None or kiosk.revoked_at is not None:
                raise NotAuthenticatedError(
                    "the hub does not accept this kiosk's token (revoked or never issued); "
                    "enrol the kiosk again"
                )
            org = uow.organisations.get(kiosk.org_id)
            assert org is not None
            return KioskIdentity(kiosk.id, kiosk.name, org.id, org.name, kiosk.centre_id)

    def revoke(self, org_id: str, kiosk_id: str, actor: str) -> None:
        now = self._now()
        with UnitOfWork(self._database) as uow:
            kiosk = uow.kiosks.get(kiosk_id)
            if kiosk is None or kiosk.org_id != org_id:
                raise NotFoundError("no such kiosk in your organisation")
            if kiosk.revoked_at is None:
                kiosk.revoked_at = now
                uow.audit.record(org_id, actor, "kiosk.revoked", kiosk.id, kiosk.name, now)
                uow.commit()

    def kiosks(self, org_id: str) -> list[KioskView]:
        with UnitOfWork(self._database) as uow:
            centres = {c.id: c.name for c in uow.centres.in_org(org_id)}
            return [
                KioskView(
                    k.id,
                    k.name,
                    k.created_at,
                    k.revoked_at,
                    k.last_seen_at,
                    centres.get(k.centre_id or "", ""),
                )
                for k in uow.kiosks.in_org(org_id)
            ]
