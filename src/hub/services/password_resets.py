"""An admin resets the password of a user of their organisation, who has forgotten it.

The hub makes a temporary password (random, from `secrets`), stores only its argon2 hash in
place of the old one (which stops working at once), ends every signed-in session of the user,
and hands the password back once, for the admin to pass on in person or by phone: it is never
stored in clear, mailed or logged. It signs in for `TEMPORARY_LIFETIME`; after that it is
refused with a sentence telling the user to ask their admin. Until the user chooses a new
password, every portal page but that one (and signing out) sends them to it.

The second factor is not touched: a reset password alone does not open an account that has
one, so whoever intercepts the temporary password still needs the user's phone (an admin who
means to clear the second factor too does it with its own button, audited separately).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.db.models import User
from hub.errors import ConflictError, InvalidInputError, NotFoundError
from hub.security.password_policy import WeakPasswordError
from hub.security.passwords import hash_password, verify_password
from hub.security.tokens import digest
from hub.uow import UnitOfWork
from hub.views import PortalUser

#: How long a temporary password signs in.
TEMPORARY_LIFETIME = timedelta(hours=24)
#: Letters and digits nobody misreads when reading a password aloud (no 0/O, 1/l/I).
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
#: Four groups of five: 20 characters of a 31-letter alphabet, about 99 bits.
_GROUPS, _GROUP_LENGTH = 4, 5
EXPIRED_MESSAGE = (
    "your temporary password has expired: ask your administrator to reset your password again"
)


@dataclass(frozen=True, slots=True)
class TemporaryPassword:
    """What the admin's result page shows, once."""

    email: str
    password: str
    expires_at: datetime


def temporary_expired(user: User, now: datetime) -> bool:
    """The user's password is a temporary one whose time is over."""
    return user.password_temporary_until is not None and now >= user.password_temporary_until


def chosen_password_hash(new: str, repeat: str, email: str) -> str:
    """The hash of a password a user chose and typed twice, under the password rules: the one
    check for a password change and for replacing a temporary one."""
    if new != repeat:
        raise InvalidInputError("the new password and its repetition differ")
    try:
        return hash_password(new, email)
    except WeakPasswordError as error:
        raise InvalidInputError(str(error)) from error


def _new_temporary(email: str) -> tuple[str, str]:
    """A random password that passes the password policy, and its hash."""
    while True:  # a draw the policy refuses (e.g. holding the e-mail's name) is drawn again
        groups = (
            "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
        )
        password = "-".join(groups)
        try:
            return password, hash_password(password, email)
        except WeakPasswordError:
            continue


class PasswordResets:
    def __init__(self, database: HubDatabase, clock: Clock = utc_now) -> None:
        self._database = database
        self._now = clock

    def reset(self, admin: PortalUser, user_id: str) -> TemporaryPassword:
        """Give the user `user_id` of the admin's organisation a temporary password."""
        if user_id == admin.user_id:
            raise InvalidInputError(
                "you cannot reset your own password here: change it on your account page"
            )
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user_id)
            if row is None or row.org_id != admin.org_id:
                raise NotFoundError("no such user in your organisation")
            if row.disabled_at is not None:
                raise ConflictError(
                    f"the account of {row.email} is disabled: enable it first, then reset "
                    "its password"
                )
            password, password_hash = _new_temporary(row.email)
            expires_at = now + TEMPORARY_LIFETIME
            row.password_hash, row.password_temporary_until = password_hash, expires_at
            uow.portal_sessions.end_all(row.id, now, "password reset")
            uow.audit.record(
                row.org_id,
                admin.email,
                "user.password_reset",
                row.email,
                f"temporary password valid until {expires_at:%Y-%m-%d %H:%M} UTC",
                now,
            )
            uow.commit()
            return TemporaryPassword(row.email, password, expires_at)

    def replace_temporary(self, user: PortalUser, new: str, repeat: str, keep: str | None) -> None:
        """The user's own new password in place of the temporary one (the same rules as any
        password change); every other session of theirs ends, the one whose cookie is `keep`
        goes on."""
        password_hash = chosen_password_hash(new, repeat, user.email)
        now = self._now()
        with UnitOfWork(self._database) as uow:
            row = uow.users.get(user.user_id)
            assert row is not None
            if row.password_temporary_until is None:
                raise ConflictError("your password is your own already: nothing was changed")
            if temporary_expired(row, now):
                raise InvalidInputError(EXPIRED_MESSAGE)
            if verify_password(row.password_hash, new):
                raise InvalidInputError(
                    "choose a password of your own, not the temporary one you were given"
                )
            row.password_hash, row.password_temporary_until = password_hash, None
            uow.portal_sessions.end_all(
                row.id, now, "password changed", digest(keep) if keep else None
            )
            uow.audit.record(
                row.org_id, row.email, "user.password_set_after_reset", row.email, "", now
            )
            uow.commit()
