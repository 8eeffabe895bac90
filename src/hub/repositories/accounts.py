"""Organisations and portal users."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hub.db.models import Organisation, User


class OrganisationRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, org: Organisation) -> None:
        self._db.add(org)
        self._db.flush()

    def get(self, org_id: str) -> Organisation | None:
        return self._db.get(Organisation, org_id)

    def by_name(self, name: str) -> Organisation | None:
        return self._db.scalar(select(Organisation).where(Organisation.name == name))

    def all(self) -> list[Organisation]:
        return list(self._db.scalars(select(Organisation).order_by(Organisation.name)))


class FailureCount(Enum):
    COUNTED = "counted"
    LOCKED_NOW = "locked now"  # this failure reached the limit
    ALREADY_LOCKED = "already locked"  # a concurrent failure locked the account first


class UserRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, user: User) -> None:
        self._db.add(user)
        self._db.flush()

    def get(self, user_id: str) -> User | None:
        return self._db.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self._db.scalar(select(User).where(User.email == email.strip().lower()))

    def count_failure(
        self, user_id: str, failures: int, now: datetime, locked_until: datetime
    ) -> FailureCount:
        """Count one failed login; at `failures` lock the account and start counting afresh.

        Each step is one UPDATE that reads and writes the counter in the database, so failed
        logins raced through several hub processes are each counted once (a read-modify-write
        in Python would let concurrent guesses overwrite one another's count), and a failure
        that arrives after a concurrent one locked the account counts towards nothing.
        """
        unlocked = or_(User.locked_until.is_(None), User.locked_until <= now)
        counted = self._db.execute(
            update(User)
            .where(User.id == user_id, unlocked)
            .values(failed_logins=User.failed_logins + 1)
        ).rowcount
        if not counted:
            return FailureCount.ALREADY_LOCKED
        locked = self._db.execute(
            update(User)
            .where(User.id == user_id, User.failed_logins >= failures)
            .values(failed_logins=0, locked_until=locked_until)
        ).rowcount
        return FailureCount.LOCKED_NOW if locked else FailureCount.COUNTED

    def reload(self, user: User) -> None:
        """Read `user` again from the database (its row may have changed under this session)."""
        self._db.refresh(user)

    def in_org(self, org_id: str) -> list[User]:
        return list(
            self._db.scalars(select(User).where(User.org_id == org_id).order_by(User.email))
        )
