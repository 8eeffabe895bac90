"""The sync status line for the invigilator: connectivity, queue length, records the hub
refused (held back), sessions ready on the kiosk, last successful sync.

A QTimer asks for a fresh `kiosk.sync.SyncState` every few seconds; the snapshot (a database
read) runs on a worker, never on the GUI thread, and at most one is in flight. The timer runs
only while the widget is visible, so a hidden panel costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from kiosk.sync.status import Connectivity, SyncMonitor, SyncState
from ui.components.basics import Card, label
from ui.components.layout import hbox
from ui.workers import submit

REFRESH_MS = 3000
#: A coloured word is not enough on its own: each state has its own sign too.
_DOT = {
    Connectivity.ONLINE: "●",
    Connectivity.CONNECTING: "◌",
    Connectivity.UNREACHABLE: "▲",
    Connectivity.REFUSED: "▲",
    Connectivity.OFFLINE: "○",
    Connectivity.NOT_ENROLLED: "○",
}


def describe_age(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return "never"
    now = now or datetime.now(UTC)
    seconds = max(0, int((now - when).total_seconds()))
    local = when.astimezone().strftime("%H:%M:%S")
    if seconds < 60:
        return f"{local} (just now)"
    if seconds < 3600:
        return f"{local} ({seconds // 60} min ago)"
    return f"{when.astimezone():%Y-%m-%d %H:%M} ({seconds // 3600} h ago)"


def describe_queue(queue: int) -> str:
    if queue == 0:
        return "Queue: empty, everything is on the hub"
    noun = "record" if queue == 1 else "records"
    return f"Queue: {queue} {noun} waiting to sync"


def describe_quarantine(count: int, reason: str) -> str:
    """Records the hub refused for good: held back (never deleted) until an operator retries."""
    noun = "record" if count == 1 else "records"
    return (
        f"Held back: {count} {noun} the hub refused ({reason}). Fix the cause, then run "
        f"`kiosk sync retry-quarantined`."
    )


def describe_ready(count: int) -> str:
    noun = "session" if count == 1 else "sessions"
    return f"Ready on this kiosk: {count} {noun} waiting for a candidate"


class SyncStatusWidget(Card):
    """Shows `monitor.snapshot()`; with no monitor it says sync status is unavailable.

    `compact` (the start screen) keeps to one line of what matters before a session: whether the
    hub is reachable, what waits to sync, what is ready; the reason behind a problem and the last
    sync time are for the invigilator panel, which shows everything."""

    def __init__(
        self,
        monitor: SyncMonitor | None,
        parent: QWidget | None = None,
        *,
        interval_ms: int = REFRESH_MS,
        compact: bool = False,
    ) -> None:
        super().__init__("" if compact else "Hub and sync", tone="quiet", name="Sync status")
        if parent is not None:
            self.setParent(parent)
        self.setAccessibleName("Sync status")
        self._compact = compact
        self._snapshot: Callable[[], SyncState] | None = (
            monitor.snapshot if monitor is not None else None
        )
        self._busy = False
        self.state: SyncState | None = None
        self.connectivity = label("Sync: checking…", "strong", "Hub connectivity")
        self.detail = label("", "small", "Sync problem")
        self.detail.hide()
        self.queue = label("", "body", "Sync queue length")
        self.held = label("", "error", "Records the hub refused")
        self.held.hide()
        self.ready = label("", "body", "Sessions ready on this kiosk")
        self.last_sync = label("", "small", "Last successful sync")
        if compact:
            row = hbox(gap="l")
            for part in (self.connectivity, self.queue, self.ready):
                part.setWordWrap(True)
                row.addWidget(part, 1)
            self.body.addLayout(row)
            self.body.addWidget(self.held)
        else:
            for part in (
                self.connectivity, self.detail, self.queue, self.held, self.ready, self.last_sync
            ):
                self.body.addWidget(part)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        if self._snapshot is None:
            self.connectivity.setText("Sync: status unavailable")

    # -- polling -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Ask for a fresh state on a worker (skipped while the previous one is in flight)."""
        if self._snapshot is None or self._busy:
            return
        self._busy = True
        submit(self._snapshot, done=self._show, failed=self._failed)

    def stop(self) -> None:
        self.timer.stop()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._snapshot is not None:
            self.refresh()
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self.timer.stop()
        super().hideEvent(event)

    # -- showing -------------------------------------------------------------------------------
    def _failed(self, error: Exception) -> None:
        self._busy = False
        self.connectivity.setText("Sync: status unavailable")
        self.detail.setText(f"Could not read the sync queue: {error}")
        self.detail.show()

    def _show(self, state: SyncState) -> None:
        self._busy = False
        self.state = state
        headline = state.headline
        if state.connectivity is Connectivity.ONLINE and state.hub_url:
            headline = f"Online: {state.hub_url}"
        elif state.connectivity is Connectivity.UNREACHABLE and state.failures > 1:
            headline = f"Hub unreachable ({state.failures} attempts in a row)"
        self.connectivity.setText(f"{_DOT[state.connectivity]} Sync: {headline}")
        self.connectivity.setAccessibleDescription(state.connectivity.value)
        self.detail.setText(state.detail)
        self.detail.setVisible(bool(state.detail) and not self._compact)
        self.queue.setText(describe_queue(state.queue))
        self.held.setText(describe_quarantine(state.quarantined, state.quarantine_reason))
        self.held.setVisible(state.quarantined > 0)
        self.ready.setText(describe_ready(state.ready_sessions))
        if state.connectivity in (Connectivity.OFFLINE, Connectivity.NOT_ENROLLED):
            self.last_sync.setText("Last sync: never (no syncer runs on this kiosk)")
        else:
            self.last_sync.setText(f"Last sync: {describe_age(state.last_success_at)}")
