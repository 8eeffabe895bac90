"""Bookkeeping of what kiosks pushed: receipts (idempotency keys) and verified blobs."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from hub.db.models import Blob, Receipt


class ReceiptRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def seen(self, kiosk_id: str, outbox_ids: Iterable[int]) -> set[int]:
        ids = list(outbox_ids)
        query = select(Receipt.outbox_id).where(
            Receipt.kiosk_id == kiosk_id, Receipt.outbox_id.in_(ids)
        )
        return set(self._db.scalars(query))

    def add_all(self, receipts: Iterable[Receipt]) -> None:
        self._db.add_all(list(receipts))


class BlobRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def add_if_absent(self, blob: Blob) -> None:
        if self._db.get(Blob, (blob.org_id, blob.sha256)) is None:
            self._db.add(blob)
            self._db.flush()

    def delete(self, org_id: str, sha256: str) -> None:
        blob = self._db.get(Blob, (org_id, sha256))
        if blob is not None:
            self._db.delete(blob)
