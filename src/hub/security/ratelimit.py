"""Count misses (unknown session keys, wrong enrolment codes) per kiosk and per address.

A sliding one-minute window in memory: enough to turn an 80-bit key search from slow into
hopeless. Each hub process counts on its own, so N processes allow N times the limit.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

Monotonic = Callable[[], float]


class MissLimiter:
    def __init__(
        self, limit: int, window_seconds: float = 60.0, clock: Monotonic = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._misses: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        misses = self._misses.setdefault(key, deque())
        while misses and misses[0] <= now - self.window:
            misses.popleft()
        return misses

    def retry_after(self, keys: Iterable[str]) -> int | None:
        """Seconds until one more try is allowed, or None when it is allowed now."""
        now = self._clock()
        with self._lock:
            waits = [
                misses[0] + self.window - now
                for key in keys
                if len(misses := self._recent(key, now)) >= self.limit
            ]
        return max(1, round(max(waits))) if waits else None

    def miss(self, keys: Iterable[str]) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._misses) > 10_000:  # forget quiet keys so memory stays bounded
                for key in [k for k, v in self._misses.items() if not v]:
                    del self._misses[key]
