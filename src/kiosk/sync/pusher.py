"""Drain the outbox to the hub: blobs first (content-addressed, skipped when present), then rows.

A batch is a prefix of the unsent rows in outbox order; its rows are marked sent only after the
hub acknowledged them, so a crash, a timeout or a lost answer just means the batch is sent again,
and the hub's (kiosk, outbox id) receipts turn that retry into a no-op. A reported session whose
rows are all acknowledged moves to `synced`, which is itself one more row to push.

A batch refused for good (`kiosk.sync.refusals`) is narrowed down to the one entry at fault,
which is quarantined with the hub's reason, together with the later rows of its session; the
rest of the queue flows on. Failures that waiting can cure end the drain, queue intact.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from contract.wire import MAX_BATCH, MediaEntry, PushBatch
from kiosk.sessions import SessionService
from kiosk.storage.media import MediaError
from kiosk.sync.client import HubClient
from kiosk.sync.errors import HubProtocolError, HubRejectedError, MissingBlobsError
from kiosk.sync.hooks import Clock, WriteHook, utc_now, write_here
from kiosk.sync.ledger import Ledger, PendingBatch
from kiosk.sync.narrowing import RefusalSearch
from kiosk.sync.refusals import entry_hint, is_permanent

_log = logging.getLogger(__name__)


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
    #: Rows quarantined by this drain (refused entries and the rows held back with them).
    quarantined: int = 0


@dataclass
class _Tally:
    pushed: int = 0
    batches: int = 0
    uploaded: int = 0
    skipped: int = 0
    bytes: int = 0
    quarantined: int = 0


class Pusher:
    def __init__(
        self,
        service: SessionService,
        client: HubClient,
        *,
        batch_size: int = 100,
        clock: Clock = utc_now,
        write: WriteHook = write_here,
    ) -> None:
        self.service = service
        self.client = client
        self.ledger = Ledger(service.database)
        self.batch_size = max(1, min(batch_size, MAX_BATCH))
        self._now = clock
        self._write = write

    def drain(self, max_batches: int = 10_000) -> DrainReport:
        """Push until the outbox is empty (or `max_batches`); raises `HubError` on a failure
        that waiting can cure, after quarantining whatever was refused for good."""
        started = time.perf_counter()
        tally = _Tally()
        synced: list[str] = []
        search = RefusalSearch(self.batch_size)
        for _ in range(max_batches):
            batch = self.ledger.pending(search.next_size())
            if batch.invalid is not None:
                outbox_id, why = batch.invalid
                tally.quarantined += self._write(
                    self.ledger.quarantine, outbox_id, why, self._now()
                )
                continue
            if batch.held:
                tally.quarantined += self._write(self.ledger.hold_followers, self._now())
                continue
            if not batch.entries:
                newly = self._settle()
                if not newly:
                    break
                synced.extend(newly)
                continue
            try:
                search.accepted(self._push(batch, tally))
            except (HubRejectedError, MediaError) as error:
                if not is_permanent(error):
                    raise
                size = len(batch.entries)
                if search.refused(size, entry_hint(error, size)):
                    reason = str(error)
                    tally.quarantined += self._write(
                        self.ledger.quarantine, batch.ids[0], reason, self._now()
                    )
                    _log.warning("outbox row %d quarantined: %s", batch.ids[0], reason)
        return DrainReport(
            pushed=tally.pushed,
            batches=tally.batches,
            blobs_uploaded=tally.uploaded,
            blobs_skipped=tally.skipped,
            bytes_uploaded=tally.bytes,
            sessions_synced=tuple(synced),
            pending=self.ledger.count_pending(),
            seconds=round(time.perf_counter() - started, 3),
            quarantined=tally.quarantined,
        )

    def _upload(self, sha256: str, tally: _Tally) -> None:
        data = self.service.media.read(sha256)  # verified against its hash on the way out
        self.client.upload_blob(sha256, data)
        tally.uploaded += 1
        tally.bytes += len(data)

    def _push(self, batch: PendingBatch, tally: _Tally) -> int:
        """Push one batch; returns how many rows at its head the hub acknowledged."""
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
        return len(prefix)

    def _settle(self) -> list[str]:
        settled = self.ledger.settled_reported_sessions()
        for session_id in settled:
            self._write(self.service.mark_synced, session_id)
        return settled
