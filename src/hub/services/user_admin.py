"""An admin's changes to the users of their organisation beyond creating and disabling them:
enable a disabled user again, change a role. Audited; another organisation's user is "not
found"; an organisation never loses its last enabled admin (nobody could administer it)."""

from __future__ import annotations

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import User
from hub.errors import ConflictError, InvalidInputError, NotFoundError
from hub.services.accounts import ROLES
from hub.uow import UnitOfWork
from hub.views import PortalUser

ROLE_WORDS = {"admin": "administrator", "hr": "HR", "invigilator": "invigilator"}


class UserAdmin:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def enable(self, admin: PortalUser, user_id: str) -> None:
        """A disabled user may sign in again (their old sessions stay ended)."""
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _own(uow, admin, user_id)
            if row.disabled_at is None:
                raise ConflictError(f"the account of {row.email} is not disabled")
            row.disabled_at = None
            uow.audit.record(row.org_id, admin.email, "user.enabled", row.email, "", now)
            uow.commit()

    def change_role(self, admin: PortalUser, user_id: str, role: str) -> None:
        if role not in ROLES:
            raise InvalidInputError("choose a role: " + ", ".join(ROLE_WORDS[r] for r in ROLES))
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = _own(uow, admin, user_id)
            if row.role == role:
                raise InvalidInputError(f"the user {row.email} is already {_a(ROLE_WORDS[role])}")
            if row.role == "admin" and _enabled_admins(uow, row.org_id) <= 1:
                who = "you are" if row.id == admin.user_id else f"this user ({row.email}) is"
                raise ConflictError(
                    f"{who} the organisation's last administrator: make someone else an "
                    "administrator first"
                )
            before, row.role = row.role, role
            # their signed-in sessions end, so no page keeps the old role's rights
            uow.portal_sessions.end_all(row.id, now, "role changed")
            uow.audit.record(
                row.org_id,
                admin.email,
                "user.role_changed",
                row.email,
                f"{ROLE_WORDS[before]} to {ROLE_WORDS[role]}",
                now,
            )
            uow.commit()


def _own(uow: UnitOfWork, admin: PortalUser, user_id: str) -> User:
    row = uow.users.get(user_id)
    if row is None or row.org_id != admin.org_id:
        raise NotFoundError("no such user in your organisation")
    return row


def _enabled_admins(uow: UnitOfWork, org_id: str) -> int:
    return sum(1 for u in uow.users.in_org(org_id) if u.role == "admin" and u.disabled_at is None)


def _a(words: str) -> str:
    return ("an " if words[0] in "aeiouAEIOU" else "a ") + words
