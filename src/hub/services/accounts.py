"""Organisations, portal users and logging in, with a lock-out against password guessing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import Organisation, User
from hub.errors import ConflictError, InvalidInputError, NotAuthenticatedError, NotFoundError
from hub.repositories.accounts import FailureCount
from hub.security.passwords import WeakPasswordError, hash_password, verify_password
from hub.security.tokens import digest
from hub.uow import UnitOfWork
from hub.views import PortalUser, portal_user

ROLES = ("admin", "hr", "invigilator")


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    failures: int = 5
    minutes: int = 15


class Accounts:
    def __init__(
        self, database: HubDatabase, lockout: LockoutPolicy, clock: Clock = utc_now
    ) -> None:
        self._database = database
        self._lockout = lockout
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

    def create_user(
        self, org_id: str, email: str, password: str, role: str, *, actor: str = "system"
    ) -> PortalUser:
        email = email.strip().lower()
        if role not in ROLES:
            raise InvalidInputError(f"role must be one of {', '.join(ROLES)}")
        if "@" not in email or len(email) > 320:
            raise InvalidInputError("a user is identified by an e-mail address")
        try:
            password_hash = hash_password(password)
        except WeakPasswordError as error:
            raise InvalidInputError(str(error)) from error
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            if org is None:
                raise InvalidInputError("no such organisation")
            if uow.users.by_email(email) is not None:
                raise ConflictError(f"a user {email} already exists")
            user = User(
                id=str(uuid.uuid4()),
                org_id=org_id,
                email=email,
                password_hash=password_hash,
                role=role,
                failed_logins=0,
                created_at=self._now(),
            )
            uow.users.add(user)
            uow.audit.record(org_id, actor, "user.created", email, f"role {role}", self._now())
            uow.commit()
            return portal_user(user, org)

    def login(self, email: str, password: str) -> PortalUser:
        """The user, or `NotAuthenticatedError`; a locked account refuses even a right password."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            user = uow.users.by_email(email)
            locked = user is not None and user.locked_until is not None and user.locked_until > now
            ok = verify_password(user.password_hash if user else None, password)
            if user is None or (ok and user.disabled_at is not None):
                raise NotAuthenticatedError("wrong e-mail address or password")
            if not ok:
                until = now + timedelta(minutes=self._lockout.minutes)
                counted = uow.users.count_failure(user.id, self._lockout.failures, now, until)
                if counted is FailureCount.LOCKED_NOW:
                    uow.audit.record(user.org_id, user.email, "user.locked", user.email, "", now)
                uow.commit()
                locked = locked or counted is FailureCount.ALREADY_LOCKED
                if not locked:
                    raise NotAuthenticatedError("wrong e-mail address or password")
            if locked:
                uow.users.reload(user)  # a concurrent login may just have locked it
                raise NotAuthenticatedError(
                    f"too many failed attempts: this account is locked until "
                    f"{user.locked_until:%H:%M} UTC"
                )
            user.failed_logins = 0
            user.locked_until = None
            org = uow.organisations.get(user.org_id)
            assert org is not None
            uow.commit()
            return portal_user(user, org)

    def user(self, user_id: str) -> PortalUser | None:
        with UnitOfWork(self._database) as uow:
            user = uow.users.get(user_id)
            org = uow.organisations.get(user.org_id) if user else None
            return portal_user(user, org) if user and org else None

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
        if new != repeat:
            raise InvalidInputError("the new password and its repetition differ")
        try:
            password_hash = hash_password(new)
        except WeakPasswordError as error:
            raise InvalidInputError(str(error)) from error
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
