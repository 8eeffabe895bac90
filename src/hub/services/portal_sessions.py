"""Portal sessions kept on the hub: started at sign-in, ended by logout, a password change,
disabling the user, or the idle and absolute timeouts.

The browser's cookie holds a random id (256 bits) and nothing else; the hub stores its sha256,
so a copy of the table is no set of working cookies. A session found ended, idle too long, past
its absolute age or belonging to a disabled user is refused (and, the first time, ended), so a
cookie captured before any of these stops working at once, on every hub process.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import PortalSession
from hub.security.tokens import digest
from hub.uow import UnitOfWork
from hub.views import SignedIn, portal_user

#: Stages of a session: the password was right and the second factor is still to come; or both.
PASSWORD_ONLY = "password"
SIGNED_IN = "signed_in"
#: `last_seen_at` is written at most this often (each write is a database transaction).
TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class SessionTimeouts:
    idle: timedelta
    absolute: timedelta
    #: between the password and the second factor
    second_factor: timedelta = timedelta(minutes=5)


class PortalSessions:
    def __init__(
        self, database: HubDatabase, timeouts: SessionTimeouts, clock: Clock = utc_now
    ) -> None:
        self._database = database
        self._timeouts = timeouts
        self._now = clock

    def start(self, user_id: str, stage: str, replaces: str | None = None) -> str:
        """A new session of `user_id` (ending the one whose cookie was `replaces`); its raw id,
        for the cookie. A fresh id at every sign-in is what stops session fixation."""
        now = self._now()
        raw = secrets.token_urlsafe(32)
        with UnitOfWork(self._database) as uow:
            if replaces:
                old = uow.portal_sessions.get(digest(replaces))
                if old is not None and old.ended_at is None:
                    old.ended_at, old.ended_because = now, "signed in again"
            uow.portal_sessions.add(
                PortalSession(
                    id_digest=digest(raw),
                    user_id=user_id,
                    stage=stage,
                    created_at=now,
                    last_seen_at=now,
                    ended_because="",
                )
            )
            uow.commit()
        return raw

    def resolve(self, raw: str | None, *, touch: bool = True) -> SignedIn | None:
        """Who the cookie `raw` signs in, or None once its session ended for any reason."""
        if not raw or len(raw) > 100:
            return None
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.portal_sessions.get(digest(raw))
            if row is None or row.ended_at is not None:
                return None
            user = uow.users.get(row.user_id)
            org = uow.organisations.get(user.org_id) if user is not None else None
            ended = self._why_over(row, user is None or user.disabled_at is not None, now)
            if ended:
                row.ended_at, row.ended_because = now, ended
                uow.commit()
                return None
            assert user is not None and org is not None
            if touch and now - row.last_seen_at >= TOUCH_EVERY:
                row.last_seen_at = now
                uow.commit()
            return SignedIn(portal_user(user, org), row.stage, row.created_at)

    def _why_over(self, row: PortalSession, disabled: bool, now: datetime) -> str:
        if disabled:
            return "user disabled"
        limits = self._timeouts
        idle = limits.second_factor if row.stage == PASSWORD_ONLY else limits.idle
        if now - row.last_seen_at > idle:
            return "idle"
        if now - row.created_at > limits.absolute:
            return "expired"
        return ""

    def end(self, raw: str | None, because: str) -> None:
        if not raw:
            return
        with UnitOfWork(self._database) as uow:
            row = uow.portal_sessions.get(digest(raw))
            if row is not None and row.ended_at is None:
                row.ended_at, row.ended_because = self._now(), because
                uow.commit()

    def end_all(self, user_id: str, because: str, keep: str | None = None) -> int:
        """End every session of `user_id` but the one whose cookie is `keep`."""
        with UnitOfWork(self._database) as uow:
            ended = uow.portal_sessions.end_all(
                user_id, self._now(), because, digest(keep) if keep else None
            )
            uow.commit()
        return ended
