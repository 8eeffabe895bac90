"""A circuit breaker for the Gemini path: after a connection failure or a timeout, stop asking.

Without it a kiosk with a key but no network pays the whole failure at every step: each
question, score and help reply waits on connection attempts and backoff (3-5 s measured) or on
a timeout (20 s) before the offline engine takes over. After one such failure the breaker is
open: every call fails at once (`GeminiOffline`) for a cooldown, so the offline engine answers
in milliseconds. When the cooldown has passed, the next call is let through as a trial; if it
fails too, the cooldown doubles (up to `max_cooldown_s`), and any reply from the server (even
an HTTP error) closes the breaker and resets the cooldown. HTTP errors never open it: a 429 or
a 500 means the network works and the transport's retry policy handles them.

One breaker is shared by every transport of a kiosk (the interview engine and the help desk):
they reach the same Gemini over the same network.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

#: The first cooldown after a failure, and the longest it grows to.
COOLDOWN_S = 60.0
MAX_COOLDOWN_S = 600.0


@dataclass(frozen=True, slots=True)
class BreakerState:
    """What the breaker says now: open (offline) or closed, why, and for how much longer."""

    open: bool
    reason: str
    retry_in_s: float
    cooldown_s: float


class CircuitBreaker:
    """Thread-safe; `clock` is a monotonic clock in seconds (tests move it)."""

    def __init__(
        self,
        cooldown_s: float = COOLDOWN_S,
        max_cooldown_s: float = MAX_COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < cooldown_s <= max_cooldown_s:
            raise ValueError(
                f"the cooldown ({cooldown_s} s) must be positive and at most the longest "
                f"cooldown ({max_cooldown_s} s)"
            )
        self.first_cooldown_s = cooldown_s
        self.max_cooldown_s = max_cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._until: float | None = None  # None: closed
        self._cooldown = cooldown_s
        self._reason = ""

    def blocked(self) -> str:
        """Why calls must not go out now ("" when they may: closed, or a trial is due)."""
        with self._lock:
            if self._until is None:
                return ""
            left = self._until - self._clock()
            if left <= 0:
                return ""  # the cooldown is over: let a trial call through
            return (f"Gemini is treated as offline for another {left:.0f} s after "
                    f"{self._reason}")

    def failed(self, reason: str) -> None:
        """A connection failure or a timeout: open (again), for a longer cooldown each time."""
        with self._lock:
            reopening = self._until is not None
            if reopening:
                self._cooldown = min(self.max_cooldown_s, self._cooldown * 2)
            self._until = self._clock() + self._cooldown
            self._reason = reason

    def succeeded(self) -> None:
        """The server replied: close, and start again from the first cooldown."""
        with self._lock:
            self._until = None
            self._cooldown = self.first_cooldown_s
            self._reason = ""

    @property
    def state(self) -> BreakerState:
        with self._lock:
            if self._until is None:
                return BreakerState(False, "", 0.0, self._cooldown)
            left = max(0.0, self._until - self._clock())
            return BreakerState(True, self._reason, round(left, 1), self._cooldown)


__all__ = ["COOLDOWN_S", "MAX_COOLDOWN_S", "BreakerState", "CircuitBreaker"]
