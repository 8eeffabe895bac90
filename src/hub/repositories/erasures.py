"""Erasure orders for kiosks, and the kiosk sessions that held a hub session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.models import KioskErasure, KioskSessionLink


class ErasureRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def holders(self, session_id: str) -> set[tuple[str, str]]:
        """(kiosk id, kiosk session id) of every kiosk session linked to a hub session."""
        links = self._db.scalars(
            select(KioskSessionLink).where(KioskSessionLink.session_id == session_id)
        )
        return {(link.kiosk_id, link.kiosk_session_id) for link in links if link.kiosk_id}

    def find(self, kiosk_id: str, kiosk_session_id: str) -> KioskErasure | None:
        return self._db.scalar(
            select(KioskErasure).where(
                KioskErasure.kiosk_id == kiosk_id,
                KioskErasure.kiosk_session_id == kiosk_session_id,
            )
        )

    def add(self, order: KioskErasure) -> None:
        self._db.add(order)
        self._db.flush()

    def ordered_for(self, session_id: str) -> bool:
        query = select(KioskErasure.id).where(KioskErasure.session_id == session_id).limit(1)
        return self._db.scalar(query) is not None

    def open_for(self, kiosk_id: str, limit: int) -> list[KioskErasure]:
        query = (
            select(KioskErasure)
            .where(KioskErasure.kiosk_id == kiosk_id, KioskErasure.done_at.is_(None))
            .order_by(KioskErasure.id)
            .limit(limit)
        )
        return list(self._db.scalars(query))

    def of_session(self, session_id: str) -> list[KioskErasure]:
        query = (
            select(KioskErasure)
            .where(KioskErasure.session_id == session_id)
            .order_by(KioskErasure.id)
        )
        return list(self._db.scalars(query))
