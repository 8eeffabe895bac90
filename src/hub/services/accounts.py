"""Organisations, portal users and logging in, with a lock-out against password guessing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from contract.branding import LogoError, check_logo
from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import Organisation, User
from hub.errors import ConflictError, InvalidInputError, NotAuthenticatedError
from hub.repositories.accounts import FailureCount
from hub.security.passwords import WeakPasswordError, hash_password, verify_password
from hub.uow import UnitOfWork
from hub.views import PortalUser

ROLES = ("admin", "hr", "invigilator")


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    failures: int = 5
    minutes: int = 15


def _view(user: User, org: Organisation) -> PortalUser:
    return PortalUser(user.id, user.email, user.role, org.id, org.name)


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
            return _view(user, org)

    def login(self, email: str, password: str) -> PortalUser:
        """The user, or `NotAuthenticatedError`; a locked account refuses even a right password."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            user = uow.users.by_email(email)
            locked = user is not None and user.locked_until is not None and user.locked_until > now
            ok = verify_password(user.password_hash if user else None, password)
            if user is None:
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
            return _view(user, org)

    def user(self, user_id: str) -> PortalUser | None:
        with UnitOfWork(self._database) as uow:
            user = uow.users.get(user_id)
            org = uow.organisations.get(user.org_id) if user else None
            return _view(user, org) if user and org else None

    def users(self, org_id: str) -> list[PortalUser]:
        with UnitOfWork(self._database) as uow:
            org = uow.organisations.get(org_id)
            assert org is not None
            return [_view(u, org) for u in uow.users.in_org(org_id)]
