"""Drain the outbox to the hub: blobs first (content-addressed, skipped when present), then rows.

A batch is a prefix of the unsent rows in outbox order; its rows are marked sent only after the
hub acknowledged them, so a crash, a timeout or a lost answer just means the batch is sent again,
and the hub's (kiosk, outbox id) receipts turn that retry into a no-op. A reported session whose
rows are all acknowledged moves to `synced`, which is itself one more row to push.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.domain.lifecycle import SessionState
from kiosk.sessions import SessionService
from kiosk.sync.client import HubClient
from kiosk.sync.errors import HubProtocolError, MissingBlobsError
from kiosk.sync.ledger import Ledger, PendingBatch
from kiosk.wire import MAX_BATCH, MediaEntry, PushBatch

Clock = Callable[[], datetime]
#: Runs a database write and returns its result: the kiosk app passes `SerialWriter.call`, so
#: marking rows sent and moving sessions to `synced` happen on the one thread that owns writes.
WriteHook = Callable[..., Any]


def _write_here(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class DrainReport:
    """What one drain did; `pending` is what is left for the next one."""

    pushed: int
    batches: int
    blobs_uploaded: int
    blobs_skipped: int
    bytes_uploaded: int
    sessions_synced: tuple[str, ...]
    pending: int
    seconds: float


@dataclass
class _Tally:
    pushed: int = 0
    batches: int = 0
    uploaded: int = 0
    skipped: int = 0
    bytes: int = 0


class Pusher:
    def __init__(
        self,
        service: SessionService,
        client: HubClient,
        *,
        batch_size: int = 100,
        clock: Clock = _utc_now,
        write: WriteHook = _write_here,
    ) -> None:
        self.service = service
        self.client = client
        self.ledger = Ledger(service.database)
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self._now = clock
        self._write = write

    def drain(self, max_batches: int = 10_000) -> DrainReport:
        """Push until the outbox is empty (or `max_batches`); raises `HubError` on a failure."""
        started = time.perf_counter()
        tally = _Tally()
        synced: list[str] = []
        for _ in range(max_batches):
            batch = self.ledger.pending(self.batch_size)
            if not batch.entries:
                newly = self._settle()
                if not newly:
                    break
                synced.extend(newly)
                continue
            self._push(batch, tally)
        return DrainReport(
            pushed=tally.pushed,
            batches=tally.batches,
            blobs_uploaded=tally.uploaded,
            blobs_skipped=tally.skipped,
            bytes_uploaded=tally.bytes,
            sessions_synced=tuple(synced),
            pending=self.ledger.count_pending(),
            seconds=round(time.perf_counter() - started, 3),
        )

    def _upload(self, sha256: str, tally: _Tally) -> None:
        data = self.service.media.read(sha256)  # verified against its hash on the way out
        self.client.upload_blob(sha256, data)
        tally.uploaded += 1
        tally.bytes += len(data)

    def _push(self, batch: PendingBatch, tally: _Tally) -> None:
        for entry in batch.entries:
            if isinstance(entry, MediaEntry):
                if self.client.has_blob(entry.payload.sha256, entry.payload.size):
                    tally.skipped += 1
                else:
                    self._upload(entry.payload.sha256, tally)
        request = PushBatch(entries=list(batch.entries))
        try:
            result = self.client.push(request)
        except MissingBlobsError as error:
            # the hub lost or never got a blob an earlier batch relied on: send it, then retry
            for sha256 in error.missing:
                self._upload(sha256, tally)
            result = self.client.push(request)
        acknowledged = result.acknowledged
        prefix: list[int] = []
        for outbox_id in batch.ids:
            if outbox_id not in acknowledged:
                break
            prefix.append(outbox_id)
        if not prefix:
            raise HubProtocolError("the hub answered the push without acknowledging any row")
        self._write(self.ledger.acknowledge, prefix, self._now())
        tally.pushed += len(prefix)
        tally.batches += 1

    def _settle(self) -> list[str]:
        settled = self.ledger.settled_reported_sessions()
        for session_id in settled:
            self._write(
                self.service.advance,
                session_id,
                SessionState.SYNCED,
                "hub acknowledged every record",
            )
        return settled
