"""The kiosk side of sync bookkeeping: which outbox rows wait, which are sent, which are held back.

It reads the outbox through the storage layer's repositories and marks rows sent only for ids
the hub acknowledged, in outbox order, so "every row up to here is on the hub or quarantined"
always holds. A row is quarantined only at the head of the queue: when the hub refused it on its
own for good, or when it does not fit the wire contract; later rows of its session are held back
with it, since the hub would refuse them (or keep a session with a hole) without it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import select

from contract.wire import OutboxEntry, outbox_entry
from kiosk.domain.lifecycle import SessionState
from kiosk.storage.database import Database
from kiosk.storage.schema import OutboxRow, SessionRow
from kiosk.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class PendingBatch:
    """The next rows to push, or why the head of the queue cannot be pushed."""

    entries: tuple[OutboxEntry, ...]
    #: The head row belongs to a session with a quarantined row: it must be held back with it.
    held: bool = False
    #: The head row does not fit the wire contract: (its id, why).
    invalid: tuple[int, str] | None = None

    @property
    def ids(self) -> list[int]:
        return [e.outbox_id for e in self.entries]


@dataclass(frozen=True, slots=True)
class Refused:
    """A quarantined row the hub (or the wire contract) refused, with the rows held for it."""

    outbox_id: int
    topic: str
    session_id: str  # "" for a media row
    reason: str
    at: datetime
    held: int  # later rows of the same session held back with it

    def describe(self) -> str:
        session = f" of session {self.session_id}" if self.session_id else ""
        held = f" (+{self.held} held with it)" if self.held else ""
        return f"row {self.outbox_id} ({self.topic}{session}){held}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Quarantine:
    refused: tuple[Refused, ...]

    @property
    def total(self) -> int:
        return len(self.refused) + sum(r.held for r in self.refused)


class Ledger:
    def __init__(self, database: Database) -> None:
        self._database = database

    def pending(self, limit: int) -> PendingBatch:
        """Up to `limit` waiting rows from the head of the queue, stopping before any row that
        cannot be pushed; when the head itself cannot be, the batch says why."""
        entries: list[OutboxEntry] = []
        with UnitOfWork(self._database) as uow:
            rows = uow.outbox.pending(limit)
            quarantined = uow.outbox.quarantined_sessions() if rows else set()
            for row in rows:
                if row.aggregate_id in quarantined:
                    return PendingBatch(tuple(entries), held=not entries)
                try:
                    entries.append(outbox_entry(row.id, row.topic, row.payload, row.created_at))
                except ValidationError as error:
                    if entries:
                        break
                    why = (
                        f"this kiosk's {row.topic} row does not fit the wire contract: "
                        f"{error.errors()[0].get('msg')}"
                    )
                    return PendingBatch((), invalid=(row.id, why))
        return PendingBatch(tuple(entries))

    def count_pending(self) -> int:
        """Rows waiting to be pushed (quarantined rows are not waiting)."""
        with UnitOfWork(self._database) as uow:
            return uow.outbox.count_pending()

    def acknowledge(self, ids: list[int], at: datetime) -> None:
        with UnitOfWork(self._database) as uow:
            uow.outbox.mark_sent(ids, at)
            uow.commit()

    # -- quarantine ----------------------------------------------------------------------------
    def quarantine(self, outbox_id: int, reason: str, at: datetime) -> int:
        """Hold back a refused row and the other unsent rows of its session; returns how many."""
        with UnitOfWork(self._database) as uow:
            count = uow.outbox.quarantine(outbox_id, reason, at)
            uow.commit()
        return count

    def hold_followers(self, at: datetime) -> int:
        """Hold back rows written, after a refusal, for a session that has a quarantined row."""
        with UnitOfWork(self._database) as uow:
            count = uow.outbox.hold_followers(at)
            uow.commit()
        return count

    def release_quarantined(self) -> int:
        """Put every quarantined row back in the queue (the operator fixed the cause)."""
        with UnitOfWork(self._database) as uow:
            count = uow.outbox.release_quarantined()
            uow.commit()
        return count

    def quarantine_report(self) -> Quarantine:
        with UnitOfWork(self._database) as uow:
            rows = uow.outbox.quarantined()
            held = Counter(row.held_by for row in rows if row.held_by is not None)
            return Quarantine(
                tuple(
                    Refused(
                        row.id,
                        row.topic,
                        row.aggregate_id,
                        row.quarantine_reason,
                        row.quarantined_at,
                        held[row.id],
                    )
                    for row in rows
                    if row.held_by is None and row.quarantined_at is not None
                )
            )

    def settled_reported_sessions(self) -> list[str]:
        """Reported sessions with no unsent outbox row: everything about them is on the hub.

        Rows are acknowledged in outbox order, so once a session's own rows are all sent, the
        media rows written before them are too. A quarantined row is unsent: its session stays
        `reported` until the row is retried and accepted.
        """
        unsent = select(OutboxRow.aggregate_id).where(OutboxRow.sent_at.is_(None))
        query = select(SessionRow.id).where(
            SessionRow.state == SessionState.REPORTED.value, SessionRow.id.not_in(unsent)
        )
        with self._database.sessions() as db:
            return list(db.scalars(query))
