"""Test centres of an organisation and the invigilators who work at them."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from hub.db.models import TestCentre, UserCentre


class CentreRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, centre: TestCentre) -> None:
        self._db.add(centre)
        self._db.flush()

    def get(self, centre_id: str) -> TestCentre | None:
        return self._db.get(TestCentre, centre_id)

    def in_org(self, org_id: str) -> list[TestCentre]:
        query = select(TestCentre).where(TestCentre.org_id == org_id).order_by(TestCentre.name)
        return list(self._db.scalars(query))

    def named(self, org_id: str, name: str) -> TestCentre | None:
        query = select(TestCentre).where(TestCentre.org_id == org_id, TestCentre.name == name)
        return self._db.scalar(query)

    def of_user(self, user_id: str) -> list[str]:
        query = select(UserCentre.centre_id).where(UserCentre.user_id == user_id)
        return list(self._db.scalars(query))

    def set_user_centres(self, user_id: str, centre_ids: list[str]) -> None:
        self._db.execute(delete(UserCentre).where(UserCentre.user_id == user_id))
        self._db.add_all(UserCentre(user_id=user_id, centre_id=c) for c in centre_ids)
        self._db.flush()
