"""What the kiosk shows about sync: connectivity, queue length, last successful sync, rows held
back in quarantine, sessions ready to open. Qt-free.

`SyncMonitor` is built once at start-up (`kiosk.sync.background`) and handed to the window,
which polls `snapshot()` from a worker: it reads the outbox count from the database (so never
call it on the GUI thread) and the background syncer's in-memory status, and makes no network
call of its own: the syncer's drains, with its heartbeat while the outbox is empty, are the
connectivity probe.
The monitor also owns the syncer's lifetime (`wake()` after a session is reported, `close()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from kiosk.storage.database import Database
from kiosk.sync.client import HubClient
from kiosk.sync.errors import HubNotConfiguredError, HubNotEnrolledError
from kiosk.sync.ledger import Ledger
from kiosk.sync.packs import ready_sessions
from kiosk.sync.syncer import BackgroundSyncer


class Connectivity(StrEnum):
    ONLINE = "online"
    CONNECTING = "connecting"  # the syncer is running but has not finished a first attempt
    UNREACHABLE = "hub unreachable"
    REFUSED = "refused"  # the hub refused this kiosk's token (revoked): enrol again
    OFFLINE = "offline mode"  # no hub configured: everything is kept for later
    NOT_ENROLLED = "not enrolled"  # a hub is configured but this kiosk has no token


_HEADLINES = {
    Connectivity.ONLINE: "Online",
    Connectivity.CONNECTING: "Connecting to the hub…",
    Connectivity.UNREACHABLE: "Hub unreachable",
    Connectivity.REFUSED: "Hub refused this kiosk",
    Connectivity.OFFLINE: "Offline mode: no hub configured",
    Connectivity.NOT_ENROLLED: "Not enrolled with the hub",
}


@dataclass(frozen=True, slots=True)
class SyncState:
    connectivity: Connectivity
    #: Plain words: the last error, or why no syncer runs; "" when all is well.
    detail: str
    #: Outbox rows the hub has not acknowledged yet.
    queue: int
    last_success_at: datetime | None
    hub_url: str = ""
    failures: int = 0
    #: Outbox rows held back because the hub refused them (or a row they depend on) for good.
    quarantined: int = 0
    #: Why, in the hub's words: the first refused row's reason ("" when nothing is held back).
    quarantine_reason: str = ""
    #: Sessions on the kiosk waiting for their candidate (packs pulled from the hub, walk-ins).
    ready_sessions: int = 0

    @property
    def headline(self) -> str:
        return _HEADLINES[self.connectivity]


class SyncMonitor:
    def __init__(
        self,
        database: Database,
        *,
        syncer: BackgroundSyncer | None = None,
        hub_url: str = "",
        idle: Connectivity = Connectivity.OFFLINE,
        reason: str = "",
        on_close: Iterable[Callable[[], None]] = (),
    ) -> None:
        """`syncer` None: no sync runs, and `idle` (offline mode / not enrolled) and `reason`
        say why. `on_close` runs after the syncer has stopped (unsubscribe, close the client)."""
        self._database = database
        self._ledger = Ledger(database)
        self.syncer = syncer
        self.hub_url = hub_url
        self._idle = idle
        self._reason = reason
        self._on_close = list(on_close)

    @property
    def running(self) -> bool:
        return self.syncer is not None

    def start(self) -> None:
        if self.syncer is not None:
            self.syncer.start()

    def wake(self) -> None:
        """Ask for a drain now (a session was just reported); a no-op in offline mode."""
        if self.syncer is not None:
            self.syncer.wake()

    def client(self) -> HubClient:
        """The syncer's hub client, for what the invigilator asks of the hub (a pack by key);
        an httpx client may be shared between threads. Without a syncer, the
        `HubNotConfiguredError` (or `HubNotEnrolledError`) saying why none runs."""
        if self.syncer is None:
            if self._idle is Connectivity.NOT_ENROLLED:
                raise HubNotEnrolledError(self._reason or "this kiosk is not enrolled")
            raise HubNotConfiguredError(self._reason or "no hub is configured (offline mode)")
        return self.syncer.pusher.client

    def close(self) -> None:
        """Stop the syncer (joining its thread), then release what it used. Idempotent."""
        if self.syncer is not None:
            self.syncer.stop()
        callbacks, self._on_close = self._on_close, []
        for callback in callbacks:
            callback()

    def snapshot(self) -> SyncState:
        """The state now; reads the database, so call it from a worker."""
        quarantine = self._ledger.quarantine_report()
        return replace(
            self._link(self._ledger.count_pending()),
            quarantined=quarantine.total,
            quarantine_reason=quarantine.refused[0].reason if quarantine.refused else "",
            ready_sessions=ready_sessions(self._database),
        )

    def _link(self, queue: int) -> SyncState:
        if self.syncer is None:
            return SyncState(self._idle, self._reason, queue, None, self.hub_url)
        status = self.syncer.status
        if status.consecutive_failures:
            kind = status.last_error_kind
            detail = status.last_error.removeprefix(f"{kind}: ") if kind else status.last_error
            connectivity = (
                Connectivity.REFUSED if kind == "HubAuthError" else Connectivity.UNREACHABLE
            )
            return SyncState(
                connectivity,
                detail,
                queue,
                status.last_success_at,
                self.hub_url,
                status.consecutive_failures,
            )
        if status.last_success_at is None:
            return SyncState(Connectivity.CONNECTING, "", queue, None, self.hub_url)
        return SyncState(Connectivity.ONLINE, "", queue, status.last_success_at, self.hub_url)
