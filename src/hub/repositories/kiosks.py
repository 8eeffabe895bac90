"""Enrolled kiosks and the one-time codes that enrol them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.models import EnrolmentCode, Kiosk


class KioskRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add(self, kiosk: Kiosk) -> None:
        self._db.add(kiosk)
        self._db.flush()

    def get(self, kiosk_id: str) -> Kiosk | None:
        return self._db.get(Kiosk, kiosk_id)

    def by_token_hash(self, token_hash: str) -> Kiosk | None:
        return self._db.scalar(select(Kiosk).where(Kiosk.token_hash == token_hash))

    def in_org(self, org_id: str) -> list[Kiosk]:
        query = select(Kiosk).where(Kiosk.org_id == org_id).order_by(Kiosk.created_at)
        return list(self._db.scalars(query))

    def add_code(self, code: EnrolmentCode) -> None:
        self._db.add(code)
        self._db.flush()

    def code(self, code_hash: str) -> EnrolmentCode | None:
        return self._db.get(EnrolmentCode, code_hash)
