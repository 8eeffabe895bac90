"""Organisations, portal users and signing in, slowed down (never locked) against guessing."""

from __future__ import annotations

import uuid

from contract.branding import LogoError, check_logo
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import Organisation, User
from hub.errors import ConflictError, InvalidInputError, NotAuthenticatedError, NotFoundError
from hub.security import totp
from hub.security.login_throttle import LoginThrottle
from hub.security.password_policy import WeakPasswordError
from hub.security.passwords import hash_password, verify_password
from hub.security.tokens import digest
from hub.services.password_resets import (
    EXPIRED_MESSAGE,
    chosen_password_hash,
    temporary_expired,
)
from hub.uow import UnitOfWork
from hub.views import PortalUser, portal_user

ROLES = ("admin", "hr", "invigilator")


class Accounts:
    def __init__(
        self, database: HubDatabase, throttle: LoginThrottle, clock: Clock = utc_now
    ) -> None:
        self._database = database
        self.throttle = throttle
        self._now = clock

    def ensure_organisation(self, name: str) -> str:
        """The id of the organisation called `name`, created when absent."""
        name = name.strip()
        if not name:
            raise InvalidInputError("an organisation needs a name")
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.by_name(name)
            if org is None:
                org = Organisation(id=str(uuid.uuid4()), name=name, created_at=self._now())
                uow.organisations.add(org)
                uow.commit()
            return org.id

    def find_organisation(self, name: str, *, create: bool = False) -> str:
        """The id of the organisation called `name` (any case); an unknown name is refused
        unless `create` says to make it: a mistyped name must not become a new organisation."""
        if create:
            return self.ensure_organisation(name)
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.by_name(name.strip())
            if org is not None:
                return org.id
            known = ", ".join(o.name for o in uow.organisations.all()) or "none yet"
        raise NotFoundError(
            f"no organisation called “{name.strip()}” (the organisations are: {known}); "
            "add --create-organisation to create it"
        )

    def set_branding(
        self,
        org_id: str,
        *,
        display_name: str | None,
        logo: bytes | None,
        actor: str = "system",
    ) -> None:
        """What the kiosks show candidates in their header: a display name (None: the
        organisation's own name) and a logo (None: none), checked as a small PNG or JPEG."""
        if display_name is not None:
            display_name = display_name.strip() or None
        if display_name is not None and len(display_name) > 200:
            raise InvalidInputError("a display name may be at most 200 characters")
        if logo is not None:
            try:
                check_logo(logo)
            except LogoError as error:
                raise InvalidInputError(str(error)) from error
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            if org is None:
                raise InvalidInputError("no such organisation")
            org.display_name = display_name
            org.logo = logo
            detail = f"name {display_name or org.name!r}; " + (
                f"logo {len(logo)} bytes" if logo is not None else "no logo"
            )
            uow.audit.record(org_id, actor, "branding.set", org.name, detail, self._now())
            uow.commit()

    def create_user(
        self, org_id: str, email: str, password: str, role: str, *, actor: str = "system"
    ) -> PortalUser:
        email = email.strip().lower()
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)}")
        if "@" not in email or len(email) > 320:
            raise InvalidInputError("a user is identified by an e-mail address")
        try:
            password_hash = hash_password(password, email)
        except WeakPasswordError as error:
            raise InvalidInputError(str(error)) from error
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            if org is None:
                raise InvalidInputError("no such organisation")
            if uow.users.in_org_by_email(org_id, email) is not None:
                raise ConflictError(f"{email} already has an account in your organisation")
            user = User(
                id=str(uuid.uuid4()),
                org_id=org_id,
                email=email,
                password_hash=password_hash,
                role=role,
                created_at=self._now(),
            )
            uow.users.add(user)
            uow.audit.record(org_id, actor, "user.created", email, f"role {role}", self._now())
            uow.commit()
            return portal_user(user, org)

    def login(self, email: str, password: str, address: str = "local") -> PortalUser:
        """The user whose e-mail and password these are, or `NotAuthenticatedError` with one
        answer for every reason (unknown address, wrong password, disabled user), after the
        same work in each case; `RateLimitedError` while this account or `address` must wait."""
        with self.throttle.attempt(email, address), UnitOfWork(self._database) as uow:
            accounts = uow.users.with_email(email)
            if not accounts:
                verify_password(None, password)  # the same work as for an account that exists
            opened = [u for u in accounts if verify_password(u.password_hash, password)]
            opened = [u for u in opened if u.disabled_at is None]
            now = self._now()
            live = [u for u in opened if not temporary_expired(u, now)]
            if opened and not live:  # only the one who knows the password learns this
                raise NotAuthenticatedError(EXPIRED_MESSAGE)
            opened = live
            if not opened:
                raise NotAuthenticatedError("wrong e-mail address or password")
            if len(opened) > 1:
                raise InvalidInputError(
                    "this e-mail address and password open accounts in several organisations: "
                    "ask an administrator of one of them to give you another password there"
                )
            org = uow.organisations.get(opened[0].org_id)
            assert org is not None
            return portal_user(opened[0], org)

    def unlock(self, admin: PortalUser, user_id: str) -> None:
        """Lift every sign-in delay of a user of the admin's organisation at once."""
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user_id)
            if row is None or row.org_id != admin.org_id:
                raise NotFoundError("no such user in your organisation")
            uow.audit.record(row.org_id, admin.email, "user.unlocked", row.email, "", self._now())
            uow.commit()
            email = row.email
        self.throttle.unlock(email)  # its own transaction: SQLite allows one writer at a time

    def users(self, org_id: str) -> list[PortalUser]:
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            assert org is not None
            return [portal_user(u, org) for u in uow.users.in_org(org_id)]

    def change_password(
        self, user: PortalUser, current: str, new: str, repeat: str, keep: str | None
    ) -> None:
        """Set a new password; every other session of the user ends (the one whose cookie is
        `keep`, where it was changed, goes on)."""
        password_hash = chosen_password_hash(new, repeat, user.email)
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user.user_id)
            assert row is not None
            if not verify_password(row.password_hash, current):
                raise InvalidInputError("the current password is not right")
            row.password_hash = password_hash
            uow.portal_sessions.end_all(
                row.id, now, "password changed", digest(keep) if keep else None
            )
            uow.audit.record(row.org_id, row.email, "user.password_changed", row.email, "", now)
            uow.commit()

    def disable(self, admin: PortalUser, user_id: str) -> None:
        """An admin disables a user of their organisation: no more sign-ins, sessions ended."""
        if user_id == admin.user_id:
            raise InvalidInputError("you cannot disable your own account")
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user_id)
            if row is None or row.org_id != admin.org_id:
                raise NotFoundError("no such user in your organisation")
            if row.disabled_at is None:
                row.disabled_at = now
                uow.portal_sessions.end_all(row.id, now, "user disabled")
                uow.audit.record(row.org_id, admin.email, "user.disabled", row.email, "", now)
                uow.commit()

    # -- the second factor ------------------------------------------------------------------------
    def begin_two_factor(self, user: PortalUser) -> str:
        """The secret being set up for `user` (a new one unless one is already pending)."""
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user.user_id)
            assert row is not None
            if row.totp_pending is None:
                row.totp_pending = totp.new_secret()
                uow.commit()
            return row.totp_pending

    def confirm_two_factor(self, user: PortalUser, code: str) -> None:
        """Turn the pending secret on once a code from the authenticator app proves it."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user.user_id)
            assert row is not None
            pending = row.totp_pending
            step = totp.accepted_step(pending, code, now, None) if pending else None
            if step is None:
                raise InvalidInputError(
                    "that code is not right: type the six digits the app shows now"
                )
            row.totp_secret, row.totp_pending, row.totp_last_step = row.totp_pending, None, step
            uow.audit.record(row.org_id, row.email, "user.two_factor_on", row.email, "", now)
            uow.commit()

    def second_factor(self, user: PortalUser, code: str, address: str) -> None:
        """Check a sign-in's code (throttled like a password); `NotAuthenticatedError` if wrong
        or used before."""
        now = self._now()
        with self.throttle.attempt(user.email, address), UnitOfWork(self._database) as uow:
            row = uow.users.get(user.user_id)
            assert row is not None and row.totp_secret is not None
            step = totp.accepted_step(row.totp_secret, code, now, row.totp_last_step)
            if step is None:
                raise NotAuthenticatedError("that code is not right, or was used already")
            row.totp_last_step = step
            uow.commit()

    def reset_two_factor(self, admin: PortalUser, user_id: str) -> None:
        """An admin clears a user's second factor (a lost phone): they set up a new one, and
        every session of theirs ends."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user_id)
            if row is None or row.org_id != admin.org_id:
                raise NotFoundError("no such user in your organisation")
            row.totp_secret = row.totp_pending = row.totp_last_step = None
            uow.portal_sessions.end_all(row.id, now, "second factor reset")
            uow.audit.record(row.org_id, admin.email, "user.two_factor_reset", row.email, "", now)
            uow.commit()
