"""Exponential backoff with full jitter: wait a random time in [0, min(cap, base * 2^n)).

Full jitter (rather than a fixed doubling) spreads the retries of many kiosks that lost the hub
at the same moment, so a recovering hub is not hit by all of them at once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    base_seconds: float = 1.0
    cap_seconds: float = 300.0
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def ceiling(self, failures: int) -> float:
        """The longest wait after `failures` consecutive failures (1 = the first)."""
        exponent = min(max(failures - 1, 0), 60)
        return min(self.cap_seconds, self.base_seconds * 2**exponent)

    def delay(self, failures: int) -> float:
        return self.rng.uniform(0.0, self.ceiling(failures))
