"""The kiosk side of sync bookkeeping: which outbox rows are waiting, which are acknowledged.

It reads the outbox through the storage layer's repositories and marks rows sent only for ids
the hub acknowledged, in outbox order, so "every row up to here is on the hub" always holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select

from kiosk.domain.lifecycle import SessionState
from kiosk.storage.database import Database
from kiosk.storage.schema import OutboxRow, SessionRow
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync.errors import SyncDataError
from kiosk.wire import OutboxEntry, outbox_entry


@dataclass(frozen=True, slots=True)
class PendingBatch:
    entries: tuple[OutboxEntry, ...]

    @property
    def ids(self) -> list[int]:
        return [e.outbox_id for e in self.entries]


class Ledger:
    def __init__(self, database: Database) -> None:
        self._database = database

    def pending(self, limit: int) -> PendingBatch:
        with UnitOfWork(self._database) as uow:
            rows = uow.outbox.pending(limit)
            entries = []
            for row in rows:
                try:
                    entries.append(outbox_entry(row.id, row.topic, row.payload, row.created_at))
                except ValidationError as error:
                    raise SyncDataError(
                        f"outbox row {row.id} ({row.topic}) does not fit the wire contract, so "
                        f"it and every later row wait: {error.errors()[0].get('msg')}"
                    ) from error
        return PendingBatch(tuple(entries))

    def count_pending(self) -> int:
        with UnitOfWork(self._database) as uow:
            return uow.outbox.count_pending()

    def acknowledge(self, ids: list[int], at: datetime) -> None:
        with UnitOfWork(self._database) as uow:
            uow.outbox.mark_sent(ids, at)
            uow.commit()

    def settled_reported_sessions(self) -> list[str]:
        """Reported sessions with no unsent outbox row: everything about them is on the hub.

        Rows are acknowledged in outbox order, so once a session's own rows are all sent, the
        media rows written before them are too.
        """
        unsent = select(OutboxRow.aggregate_id).where(OutboxRow.sent_at.is_(None))
        query = select(SessionRow.id).where(
            SessionRow.state == SessionState.REPORTED.value, SessionRow.id.not_in(unsent)
        )
        with self._database.sessions() as db:
            return list(db.scalars(query))
