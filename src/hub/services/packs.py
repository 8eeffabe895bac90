"""Session packs for kiosks: one by key (any of the organisation's, so a candidate who turns up
at another centre is still interviewed), or the packs due today at the kiosk's centre."""

from __future__ import annotations

from contract.sessionkey import SessionKeyError, normalise_session_key
from contract.wire import (
    CandidateWire,
    GoneReason,
    JobWire,
    OrganisationWire,
    PackList,
    SessionPack,
    SettingsWire,
)
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, Organisation
from hub.errors import GoneError, NotFoundError
from hub.services.centres import UTC_ZONE, local_day
from hub.services.data_policy import wire_of
from hub.services.lifecycle import CANCELLED
from hub.uow import UnitOfWork
from hub.views import KioskIdentity

#: A session in one of these states was taken to its end: no kiosk gets its pack again.
_OVER = frozenset({"completed", "reported", "synced", "aborted"})


def to_pack(row: InterviewSession, org: Organisation) -> SessionPack:
    """The pack of `row`, with its organisation's data policy and branding as they stand now."""
    return SessionPack(
        session_key=row.session_key,
        candidate=CandidateWire(
            full_name=row.candidate_name, email=row.candidate_email, resume_text=row.resume_text
        ),
        job=JobWire(
            title=row.job_title,
            text=row.job_text,
            required_skills=list(row.required_skills),
            nice_to_have_skills=list(row.nice_to_have_skills),
        ),
        settings=SettingsWire.model_validate(row.settings),
        created_at=row.created_at,
        expires_at=row.expires_at,
        data_policy=wire_of(org),
        organisation=branding_of(org),
    )


class Packs:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def by_key(self, kiosk: KioskIdentity, key_text: str, *, restart: bool = False) -> SessionPack:
        """The pack for a typed key; another organisation's key is as unknown as a made-up one.

        A session started on another kiosk is refused (410, "has already been started", which
        the kiosk offers to restart on) unless `restart` asks for it: the candidate's first kiosk
        died mid-interview. The restart is audited; what the new kiosk pushes becomes an attempt
        session (`hub.services.ingest`). A session that is over or expired is never sent again.
        """
        try:
            key = normalise_session_key(key_text)
        except SessionKeyError as error:
            raise NotFoundError(f"no session with that key: {error}") from error
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.by_key(kiosk.org_id, key)
            if row is None or row.purged_at is not None:
                raise NotFoundError(f"no session with key {key} for {kiosk.org_name}")
            if row.state == CANCELLED:
                raise GoneError(f"session {key} was cancelled by HR", GoneReason.OVER)
            if row.state in _OVER:
                raise GoneError(
                    f"session {key} is over ({row.state}) and cannot be taken again",
                    GoneReason.OVER,
                )
            if row.state == "expired" or row.expires_at <= now:
                raise GoneError(
                    f"session key {key} expired on {row.expires_at:%Y-%m-%d %H:%M} UTC",
                    GoneReason.EXPIRED,
                )
            if row.state == "created":
                return to_pack(row, self._org(uow, kiosk))
            owner = uow.kiosks.get(row.kiosk_id) if row.kiosk_id else None
            where = f" on kiosk {owner.name}" if owner is not None else ""
            if not restart:
                raise GoneError(
                    f"session {key} has already been started ({row.state}){where}",
                    GoneReason.STARTED,
                )
            uow.audit.record(
                kiosk.org_id,
                f"kiosk:{kiosk.name}",
                "pack.restarted",
                key,
                f"sent again to kiosk {kiosk.name} ({kiosk.kiosk_id}): it was {row.state}{where}",
                now,
            )
            pack = to_pack(row, self._org(uow, kiosk))
            uow.commit()
            return pack

    def waiting(self, kiosk: KioskIdentity) -> PackList:
        """The packs due today at the kiosk's centre: its centre's sessions and those for any
        centre, booked for today in the centre's calendar or for no day. What other centres
        book never reaches this kiosk, so a pull's size does not grow with them."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            centre = uow.centres.get(kiosk.centre_id) if kiosk.centre_id else None
            today = local_day(centre.timezone if centre else UTC_ZONE, now)
            rows = uow.sessions.waiting(kiosk.org_id, now, kiosk.centre_id, today)
            org = self._org(uow, kiosk)
            return PackList(packs=[to_pack(r, org) for r in rows])

    @staticmethod
    def _org(uow: UnitOfWork, kiosk: KioskIdentity) -> Organisation:
        org = uow.organisations.get(kiosk.org_id)
        assert org is not None, "an enrolled kiosk always belongs to an organisation"
        return org


def branding_of(org: Organisation) -> OrganisationWire:
    """The organisation as the kiosk's header shows it to the candidate."""
    return OrganisationWire(name=org.display_name or org.name, logo=org.logo)
