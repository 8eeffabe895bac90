"""The background syncer: drains the outbox on a timer, backing off while the hub is away.

It never lets a failure escape the thread: a failed drain is logged, counted and retried after
an exponential backoff with full jitter; a successful one resets the count. `wake()` asks for an
immediate drain (after a session was reported), `stop()` ends the thread and joins it.
With `heartbeat=True` a drain that had nothing to send asks the hub `whoami` instead, so
`status` says whether the hub is reachable even while the outbox is empty.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.sync.backoff import Backoff
from kiosk.sync.errors import HubRateLimitedError
from kiosk.sync.pusher import DrainReport, Pusher

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SyncerStatus:
    running: bool
    consecutive_failures: int
    last_error: str
    last_success_at: datetime | None
    last_report: DrainReport | None
    #: The exception class of the last failure ("HubUnavailableError"), "" after a success.
    last_error_kind: str = ""


class BackgroundSyncer:
    def __init__(
        self,
        pusher: Pusher,
        *,
        interval_seconds: float = 30.0,
        backoff: Backoff | None = None,
        heartbeat: bool = False,
    ) -> None:
        self.pusher = pusher
        self.interval = interval_seconds
        self.backoff = backoff or Backoff()
        self.heartbeat = heartbeat
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._failures = 0
        self._last_error = ""
        self._last_error_kind = ""
        self._last_success: datetime | None = None
        self._last_report: DrainReport | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="kiosk-syncer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        self._wake.set()

    @property
    def status(self) -> SyncerStatus:
        with self._lock:
            return SyncerStatus(
                running=self._thread is not None and self._thread.is_alive(),
                consecutive_failures=self._failures,
                last_error=self._last_error,
                last_success_at=self._last_success,
                last_report=self._last_report,
                last_error_kind=self._last_error_kind,
            )

    def run_once(self) -> float:
        """One drain; returns how long to wait before the next."""
        try:
            report = self.pusher.drain()
            if self.heartbeat and not report.pushed and not report.sessions_synced:
                self.pusher.client.whoami()  # nothing went over the wire: is the hub there?
        except Exception as error:  # the thread must survive any failure, and say what it was
            with self._lock:
                self._failures += 1
                self._last_error = f"{type(error).__name__}: {error}"
                self._last_error_kind = type(error).__name__
                failures = self._failures
            _log.warning("sync failed (attempt %d): %s", failures, error)
            delay = self.backoff.delay(failures)
            if isinstance(error, HubRateLimitedError):
                delay = max(delay, error.retry_after)
            return delay
        with self._lock:
            self._failures = 0
            self._last_error = ""
            self._last_error_kind = ""
            self._last_success = datetime.now(UTC)
            self._last_report = report
        return self.interval

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before draining: a wake() during the drain triggers another
            delay = self.run_once()
            self._wake.wait(delay)
