"""Carry out, at each contact with the hub, the deletions made there, and report each one back.

The hub lists the sessions deleted there that this kiosk held; each is erased here through
`kiosk.retention.Retention.erase_on_request` (on the writer thread, via the write hook), then
reported with what was removed, which the hub stores in its audit log. A session whose interview
is running is left for a later contact; one this kiosk no longer has (or has already erased) is
reported with that note, so the order closes either way. The report is sent only after the
erasure committed: a crash in between means the order is listed again, and erasing twice
removes nothing more.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from contract.wire import ErasureDone
from kiosk.retention import Retention, SessionInUseError
from kiosk.sync.client import HubClient
from kiosk.sync.hooks import WriteHook, write_here

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ErasureReport:
    #: Kiosk session ids erased (or found already gone) and reported to the hub.
    erased: tuple[str, ...]
    #: Kiosk session ids left for a later contact (their interview is running).
    deferred: tuple[str, ...]


class HubErasures:
    def __init__(
        self, retention: Retention, client: HubClient, *, write: WriteHook = write_here
    ) -> None:
        self.retention = retention
        self.client = client
        self._write = write

    def apply(self) -> ErasureReport:
        """Erase what the hub deleted; `HubError` when the hub cannot be asked or told."""
        erased: list[str] = []
        deferred: list[str] = []
        for order in self.client.erasures().erasures:
            try:
                done = self._write(self.retention.erase_on_request, order.session_id)
            except SessionInUseError as error:
                _log.info("erasure of %s deferred: %s", order.session_id, error)
                deferred.append(order.session_id)
                continue
            note = "" if done.erased_now else "nothing left to erase on this kiosk"
            self.client.erasure_done(
                ErasureDone(
                    session_id=order.session_id,
                    erased_at=done.at,
                    files_removed=done.files_removed,
                    note=note,
                )
            )
            erased.append(order.session_id)
        return ErasureReport(tuple(erased), tuple(deferred))


__all__ = ["ErasureReport", "HubErasures"]
