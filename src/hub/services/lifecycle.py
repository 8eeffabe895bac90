"""What HR does to a session before its interview: extend its key, reissue it, cancel, edit.

Only a session no kiosk has started ("created", whatever its expiry) may be changed: once a
kiosk opened it, the candidate's interview is the record and the hub never rewrites it. Every
change is audited and scoped to the caller's organisation (another organisation's session is
"not found", as everywhere).

How a change reaches kiosks. A kiosk gets a pack either by key (`GET /api/v1/packs/{key}`,
answered from the row as it is now) or in its centre's daily pull (only sessions still
"created" and unexpired). So an extended expiry, an edited candidate or a new day is what the
next pull or key lookup sends; a reissued key makes the old key unknown at once; a cancelled
session is refused as over (410, `GoneReason.OVER`) and never listed again. A kiosk that
already pulled the pack keeps its own copy, which it would start offline without asking the
hub: so a reissue or a cancellation also orders every kiosk that holds the pack to erase its
copy (`hub.services.erasures`, carried out at the kiosk's next contact, before the candidate
arrives in the usual case). A kiosk that pulled the pack but has not told the hub yet (its
`session.created` not pushed) cannot be reached until it does; see docs/hub.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import ValidationError

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import InterviewSession, StateChange
from hub.errors import ConflictError, InvalidInputError, NotFoundError
from hub.services.centres import UTC_ZONE, end_of_day, local_day, own_centre
from hub.services.erasures import order_for_kiosks
from hub.uow import UnitOfWork
from hub.views import PortalUser

#: The hub-only state of a session HR called off (kiosks never send it; packs refuse it).
CANCELLED = "cancelled"
#: How far one extension may push a key's expiry, counted from now.
MAX_EXTENSION_DAYS = 90


@dataclass(frozen=True, slots=True)
class SessionEdit:
    """What HR may change before the interview: who comes, on which day, at which centre."""

    candidate_name: str
    candidate_email: str
    #: None: any day while the key is valid
    interview_on: date | None
    #: None: any centre
    centre_id: str | None


@dataclass(frozen=True, slots=True)
class LifecycleView:
    """What the session page's "Before the interview" section shows and pre-fills."""

    #: None when HR may still change the session; otherwise why not, in words
    locked_because: str | None
    expired: bool
    cancelled: bool
    expires_at: datetime
    candidate_name: str
    candidate_email: str
    interview_on: date | None
    centre_id: str | None


def is_expired(state: str, expires_at: datetime, now: datetime) -> bool:
    """A waiting session whose key has run out is expired, with or without a job marking it."""
    return state == "expired" or (state == "created" and expires_at <= now)


class SessionLifecycle:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def view(self, user: PortalUser, session_id: str) -> LifecycleView:
        with UnitOfWork(self._database) as uow:
            row = uow.sessions.get(session_id)
            if row is None or row.org_id != user.org_id:
                raise NotFoundError("no such session in your organisation")
            try:
                _check_waiting(row, "be changed")
                locked = None
            except ConflictError as error:
                locked = str(error)
            return LifecycleView(
                locked_because=locked,
                expired=is_expired(row.state, row.expires_at, self._now()),
                cancelled=row.state == CANCELLED,
                expires_at=row.expires_at,
                candidate_name=row.candidate_name,
                candidate_email=row.candidate_email,
                interview_on=row.interview_on,
                centre_id=row.centre_id,
            )

    def extend(self, user: PortalUser, session_id: str, days: int) -> datetime:
        """Push the key's expiry `days` later (from now when it has already run out)."""
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise InvalidInputError(f"extend a key by 1 to {MAX_EXTENSION_DAYS} days")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _waiting(uow, user, session_id, "extend its key")
            before = row.expires_at
            row.expires_at = max(before, now) + timedelta(days=days)
            row.updated_at = now
            uow.audit.record(
                user.org_id,
                user.email,
                "session.extended",
                row.session_key,
                f"key valid until {row.expires_at:%Y-%m-%d %H:%M} UTC "
                f"(was {before:%Y-%m-%d %H:%M} UTC)",
                now,
            )
            uow.commit()
            return row.expires_at

    def reissue(self, user: PortalUser, session_id: str) -> str:
        """A new key for the session; the old one stops working, and kiosks holding its pack
        are told to erase their copy. Returns the new key."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _waiting(uow, user, session_id, "reissue its key")
            old = row.session_key
            orders = order_for_kiosks(uow, row, now)
            row.session_key = _unused_key(uow, user.org_id)
            row.updated_at = now
            uow.audit.record(
                user.org_id,
                user.email,
                "session.key_reissued",
                row.session_key,
                f"replaces key {old}; {_orders_words(orders)}",
                now,
            )
            uow.commit()
            return row.session_key

    def cancel(self, user: PortalUser, session_id: str, reason: str) -> None:
        """Call the interview off: no kiosk may start it, kiosks holding it erase their copy."""
        if not reason.strip():
            raise InvalidInputError("say why the session is cancelled: it is audited")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _waiting(uow, user, session_id, "be cancelled")
            orders = order_for_kiosks(uow, row, now)
            why = reason.strip()[:2000]
            uow.sessions.add_state_change(
                StateChange(
                    session_id=row.id,
                    from_state=row.state,
                    to_state=CANCELLED,
                    reason=f"cancelled by {user.email}: {why}",
                    at=now,
                )
            )
            row.state = CANCELLED
            row.updated_at = now
            uow.audit.record(
                user.org_id,
                user.email,
                "session.cancelled",
                row.session_key,
                f"{why}; {_orders_words(orders)}",
                now,
            )
            uow.commit()

    def edit(self, user: PortalUser, session_id: str, edit: SessionEdit) -> None:
        """Change the candidate's details, the day or the centre of a session not yet started.
        A new day keeps the key valid until that day has ended at the centre."""
        if not edit.candidate_name.strip():
            raise InvalidInputError("enter the candidate's name")
        try:  # the same checks as the kiosk's pack will apply
            candidate = CandidateWire(
                full_name=edit.candidate_name.strip(), email=edit.candidate_email.strip()
            )
        except ValidationError as error:
            problem = error.errors()[0]["msg"]
            raise InvalidInputError(f"the candidate's details: {problem}") from None
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _waiting(uow, user, session_id, "be edited")
            zone = (
                own_centre(uow, user.org_id, edit.centre_id).timezone
                if edit.centre_id
                else UTC_ZONE
            )
            if edit.interview_on is not None:
                if edit.interview_on < local_day(zone, now):
                    raise InvalidInputError(
                        f"{edit.interview_on:%d %B %Y} has passed at that centre: "
                        "choose today or later"
                    )
                row.expires_at = max(row.expires_at, end_of_day(edit.interview_on, zone))
            changed = _changes(uow, row, candidate, edit)
            if not changed:
                raise InvalidInputError("nothing was changed")
            row.candidate_name = candidate.full_name
            row.candidate_email = candidate.email
            row.interview_on = edit.interview_on
            row.centre_id = edit.centre_id
            row.updated_at = now
            uow.audit.record(
                user.org_id,
                user.email,
                "session.edited",
                row.session_key,
                "; ".join(changed),
                now,
            )
            uow.commit()


def _waiting(uow: UnitOfWork, user: PortalUser, session_id: str, doing: str) -> InterviewSession:
    """The organisation's session, locked, if it may still `doing` (no kiosk started it)."""
    row = uow.sessions.locked(session_id)
    if row is None or row.org_id != user.org_id:
        raise NotFoundError("no such session in your organisation")
    _check_waiting(row, doing)
    return row


def _check_waiting(row: InterviewSession, doing: str) -> None:
    """Refuse, in words, a change to a session a kiosk started, cancelled, deleted or an
    attempt (only the first session of a key is HR's to change)."""
    if row.purged_at is not None:
        raise ConflictError(f"this session's data was deleted: it cannot {doing}")
    if row.attempt_of is not None:
        raise ConflictError(f"this is another kiosk's attempt at a session: it cannot {doing}")
    if row.state == CANCELLED:
        raise ConflictError(f"this session was cancelled: it cannot {doing}")
    if row.state not in ("created", "expired"):
        raise ConflictError(
            f"a kiosk has already started this interview: it cannot {doing} any more"
        )


def _unused_key(uow: UnitOfWork, org_id: str) -> str:
    """A new key no session of the organisation has (keys are random; a clash is unlikely)."""
    while True:
        key = new_session_key()
        if uow.sessions.by_key(org_id, key) is None:
            return key


def _changes(
    uow: UnitOfWork, row: InterviewSession, candidate: CandidateWire, edit: SessionEdit
) -> list[str]:
    """The audit's words for what the edit changes."""
    changes = []
    if candidate.full_name != row.candidate_name:
        changes.append(f"name “{row.candidate_name}” changed to “{candidate.full_name}”")
    if candidate.email != row.candidate_email:
        changes.append(f"e-mail “{row.candidate_email}” changed to “{candidate.email}”")
    if edit.interview_on != row.interview_on:
        changes.append(
            f"day {_day_words(row.interview_on)} changed to {_day_words(edit.interview_on)}"
        )
    if edit.centre_id != row.centre_id:
        before, after = _centre_words(uow, row.centre_id), _centre_words(uow, edit.centre_id)
        changes.append(f"centre {before} changed to {after}")
    return changes


def _day_words(day: date | None) -> str:
    return "any day" if day is None else f"{day:%d %B %Y}"


def _centre_words(uow: UnitOfWork, centre_id: str | None) -> str:
    centre = uow.centres.get(centre_id) if centre_id else None
    return "any centre" if centre is None else centre.name


def _orders_words(orders: int) -> str:
    if not orders:
        return "no kiosk held its pack"
    return f"{orders} kiosk(s) holding its pack told to erase their copy"
