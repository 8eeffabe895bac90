"""Organisations and portal users."""

from __future__ import annotations

from sqlalchemy import func, select
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
        """The organisation called `name`, whatever the case ("acme" finds "Acme")."""
        query = select(Organisation).where(func.lower(Organisation.name) == name.lower())
        return self._db.scalars(query.order_by(Organisation.created_at)).first()

    def all(self) -> list[Organisation]:
        return list(self._db.scalars(select(Organisation).order_by(Organisation.name)))


class UserRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, user: User) -> None:
        self._db.add(user)
        self._db.flush()

    def get(self, user_id: str) -> User | None:
        return self._db.get(User, user_id)

    def with_email(self, email: str) -> list[User]:
        """Every user with this address, in any organisation (signing in tries each)."""
        return list(self._db.scalars(select(User).where(User.email == email.strip().lower())))

    def in_org_by_email(self, org_id: str, email: str) -> User | None:
        query = select(User).where(User.org_id == org_id, User.email == email.strip().lower())
        return self._db.scalar(query)

    def in_org(self, org_id: str) -> list[User]:
        return list(
            self._db.scalars(select(User).where(User.org_id == org_id).order_by(User.email))
        )
