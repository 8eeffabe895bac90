"""The background syncer: drains the outbox on a timer, pulls today's packs, backs off while the
hub is away.

It never lets a failure escape the thread: a failed cycle is logged, counted and retried after
an exponential backoff with full jitter; a successful one resets the count. `wake()` asks for an
immediate cycle (after a session was reported), `stop()` ends the thread and joins it.
With `heartbeat=True` a cycle that sent and fetched nothing asks the hub `whoami` instead, so
`status` says whether the hub is reachable even while the outbox is empty.
With a `puller`, each cycle also pulls the waiting session packs when `pull_interval_seconds`
have passed since the last successful pull (the first cycle always pulls). The push comes first
and a failed pull never stops it: both failures count the same, the first one is reported.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.sync.backoff import Backoff
from kiosk.sync.errors import HubRateLimitedError
from kiosk.sync.puller import PackPuller, PullReport
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
    #: The last successful pull of session packs (None before the first, or without a puller).
    last_pull: PullReport | None = None


class BackgroundSyncer:
    def __init__(
        self,
        pusher: Pusher,
        *,
        interval_seconds: float = 30.0,
        backoff: Backoff | None = None,
        heartbeat: bool = False,
        puller: PackPuller | None = None,
        pull_interval_seconds: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
        chores: Sequence[Callable[[], object]] = (),
    ) -> None:
        """`chores` run after each push (erasures the hub ordered, the retention pass): a
        failed one counts as a failed cycle and never stops the others."""
        self.pusher = pusher
        self.chores = tuple(chores)
        self.interval = interval_seconds
        self.backoff = backoff or Backoff()
        self.heartbeat = heartbeat
        self.puller = puller
        self.pull_interval = pull_interval_seconds
        self._monotonic = monotonic
        self._next_pull: float | None = None  # None: due now
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._failures = 0
        self._last_error = ""
        self._last_error_kind = ""
        self._last_success: datetime | None = None
        self._last_report: DrainReport | None = None
        self._last_pull: PullReport | None = None

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
                last_pull=self._last_pull,
            )

    def run_once(self) -> float:
        """One cycle (push, then pull when due); returns how long to wait before the next."""
        errors: list[Exception] = []
        report: DrainReport | None = None
        try:
            report = self.pusher.drain()
        except Exception as error:  # the thread must survive any failure, and say what it was
            errors.append(error)
        pulled = self._pull_if_due(errors)
        for chore in self.chores:
            try:
                chore()
            except Exception as error:
                errors.append(error)
        quiet = report is not None and not report.pushed and not report.sessions_synced
        if self.heartbeat and not errors and quiet and pulled is None:
            try:
                self.pusher.client.whoami()  # nothing went over the wire: is the hub there?
            except Exception as error:
                errors.append(error)
        if errors:
            return self._failed(errors, report)
        with self._lock:
            self._failures = 0
            self._last_error = ""
            self._last_error_kind = ""
            self._last_success = datetime.now(UTC)
            self._last_report = report
        if self._next_pull is None:
            return self.interval
        return max(0.0, min(self.interval, self._next_pull - self._monotonic()))

    def _pull_if_due(self, errors: list[Exception]) -> PullReport | None:
        """Pull when due; a failure joins `errors` and leaves the pull due for the next cycle."""
        if self.puller is None:
            return None
        if self._next_pull is not None and self._monotonic() < self._next_pull:
            return None
        try:
            pulled = self.puller.pull()
        except Exception as error:
            errors.append(error)
            return None
        self._next_pull = self._monotonic() + self.pull_interval
        if pulled.imported:
            _log.info("imported %d session pack(s) from the hub", len(pulled.imported))
        with self._lock:
            self._last_pull = pulled
        return pulled

    def _failed(self, errors: list[Exception], report: DrainReport | None) -> float:
        error = errors[0]
        with self._lock:
            self._failures += 1
            self._last_error = f"{type(error).__name__}: {error}"
            self._last_error_kind = type(error).__name__
            if report is not None:
                self._last_report = report
            failures = self._failures
        for each in errors:
            _log.warning("sync failed (attempt %d): %s", failures, each)
        delay = self.backoff.delay(failures)
        for each in errors:
            if isinstance(each, HubRateLimitedError):
                delay = max(delay, each.retry_after)
        return delay

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()  # before the cycle: a wake() during it triggers another
            delay = self.run_once()
            self._wake.wait(delay)
