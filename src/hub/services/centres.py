"""Test centres: where candidates sit interviews, and the calendar day a kiosk pulls packs for.

A centre has an IANA time zone. "Today" for a kiosk is the calendar date in its centre's zone
(UTC for a kiosk enrolled into no centre), and a session booked for a day is due on that date
there: a kiosk in Auckland pulls 25 November's packs while London is still on the 24th. A
booking's key stays valid at least until that day has ended in the centre's zone.

A centre may also have a postal address and arrival instructions, which the invitation, the
reminder and the printed slip tell the candidate. Both are plain text written by an admin,
line breaks kept, every other control character refused: the e-mails and pages escape them.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import TestCentre
from hub.errors import ConflictError, InvalidInputError, NotFoundError
from hub.uow import UnitOfWork
from hub.views import CentreView, PortalUser

UTC_ZONE = "UTC"
PLACE_TEXT_LIMIT = 500
#: Control characters other than the line break (and tab): invisible, and able to garble a mail.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def place_text(typed: str, what: str) -> str | None:
    """An address or arrival instructions as stored: line breaks made plain (\\n), outer blanks
    trimmed, None when empty; `InvalidInputError` naming `what` when too long or garbled."""
    lines = typed.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip()
    if _CONTROL.search(text):
        raise InvalidInputError(
            f"there is an invisible control character in the {what}: type the text again "
            "without it"
        )
    if len(text) > PLACE_TEXT_LIMIT:
        raise InvalidInputError(
            f"too long for the {what}: {len(text)} characters, at most {PLACE_TEXT_LIMIT} fit"
        )
    return text or None


def centre_view(centre: TestCentre) -> CentreView:
    return CentreView(
        centre.id, centre.name, centre.timezone, centre.address or "", centre.instructions or ""
    )


def zone(name: str) -> ZoneInfo:
    """The time zone called `name`, or `InvalidInputError` saying what a valid one looks like."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidInputError(
            f"“{name[:64]}” is not a time zone: use a name such as Europe/London, "
            "America/New_York or UTC"
        ) from error


def local_day(timezone: str, now: datetime) -> date:
    """The calendar date at `now` in `timezone`."""
    return now.astimezone(zone(timezone)).date()


def end_of_day(day: date, timezone: str) -> datetime:
    """The instant `day` ends in `timezone` (midnight after it), as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(timezone))


class Centres:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def create(
        self,
        user: PortalUser,
        name: str,
        timezone: str,
        address: str = "",
        instructions: str = "",
    ) -> CentreView:
        name, timezone = name.strip(), timezone.strip()
        if not name or len(name) > 200:
            raise InvalidInputError("give the centre a name of at most 200 characters")
        zone(timezone)
        stored_address = place_text(address, "address")
        stored_instructions = place_text(instructions, "arrival instructions")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            if uow.centres.named(user.org_id, name) is not None:
                raise ConflictError(f"there is already a centre called “{name}”")
            centre = TestCentre(
                id=str(uuid.uuid4()),
                org_id=user.org_id,
                name=name,
                timezone=timezone,
                created_at=now,
                address=stored_address,
                instructions=stored_instructions,
            )
            uow.centres.add(centre)
            uow.audit.record(user.org_id, user.email, "centre.created", name, timezone, now)
            uow.commit()
            return centre_view(centre)

    def in_org(self, org_id: str) -> list[CentreView]:
        with UnitOfWork(self._database) as uow:
            return [centre_view(c) for c in uow.centres.in_org(org_id)]

    def set_place(
        self, admin: PortalUser, centre_id: str, address: str, instructions: str
    ) -> CentreView:
        """A new address and arrival instructions for the organisation's centre `centre_id`
        (another organisation's is as unknown as none); the next e-mails and slips say them."""
        stored_address = place_text(address, "address")
        stored_instructions = place_text(instructions, "arrival instructions")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            centre = uow.centres.get(centre_id)
            if centre is None or centre.org_id != admin.org_id:
                raise NotFoundError("no such test centre in your organisation")
            changed = [
                words
                for words, before, after in (
                    ("address", centre.address, stored_address),
                    ("arrival instructions", centre.instructions, stored_instructions),
                )
                if before != after
            ]
            centre.address, centre.instructions = stored_address, stored_instructions
            detail = " and ".join(changed) + " changed" if changed else "nothing changed"
            uow.audit.record(admin.org_id, admin.email, "centre.updated", centre.name, detail, now)
            uow.commit()
            return centre_view(centre)

    def of_session(self, user: PortalUser, session_id: str) -> CentreView | None:
        """The centre the organisation's session `session_id` is booked at (None: any)."""
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != user.org_id:
                raise NotFoundError("no such session in your organisation")
            centre = uow.centres.get(row.centre_id) if row.centre_id else None
            return centre_view(centre) if centre is not None else None

    def assign_user(self, admin: PortalUser, user_id: str, centre_ids: list[str]) -> None:
        """The centres `user_id` works at (an empty list: the whole organisation again)."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            target = uow.users.get(user_id)
            if target is None or target.org_id != admin.org_id:
                raise NotFoundError("no such user in your organisation")
            names = [own_centre(uow, admin.org_id, c).name for c in centre_ids]
            uow.centres.set_user_centres(user_id, sorted(set(centre_ids)))
            detail = ", ".join(sorted(names)) or "every centre"
            uow.audit.record(admin.org_id, admin.email, "user.centres", target.email, detail, now)
            uow.commit()


def own_centre(uow: UnitOfWork, org_id: str, centre_id: str) -> TestCentre:
    """The organisation's centre `centre_id`; another organisation's is as unknown as none."""
    centre = uow.centres.get(centre_id)
    if centre is None or centre.org_id != org_id:
        raise InvalidInputError("no such test centre in your organisation")
    return centre
