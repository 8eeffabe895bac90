"""Backoff with full jitter, the miss limiter and device credentials."""

from __future__ import annotations

import random

from hub.security.ratelimit import MissLimiter
from hub.security.tokens import (
    digest,
    new_device_token,
    new_enrolment_code,
    normalise_enrolment_code,
)
from kiosk.sync.backoff import Backoff


def test_backoff_grows_exponentially_to_its_cap_with_full_jitter() -> None:
    backoff = Backoff(base_seconds=1, cap_seconds=60, rng=random.Random(7))
    assert [backoff.ceiling(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff.ceiling(10_000) == 60
    delays = [backoff.delay(5) for _ in range(2000)]
    assert all(0 <= x < 16 for x in delays)
    assert min(delays) < 1 and max(delays) > 15  # spread over the whole range, not doubled


def test_miss_limiter_blocks_after_the_limit_and_forgets_after_the_window() -> None:
    now = [0.0]
    limiter = MissLimiter(3, 60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after(["kiosk:a", "ip:x"]) is None
        limiter.miss(["kiosk:a", "ip:x"])
    assert limiter.retry_after(["kiosk:a"]) == 60
    assert limiter.retry_after(["kiosk:b", "ip:x"]) == 60  # same address, another kiosk
    assert limiter.retry_after(["kiosk:b", "ip:y"]) is None
    now[0] = 60.5
    assert limiter.retry_after(["kiosk:a", "ip:x"]) is None


def test_tokens_and_codes_are_random_and_stored_only_as_digests() -> None:
    tokens = {new_device_token() for _ in range(100)}
    assert len(tokens) == 100 and all(t.startswith("hk_") and len(t) > 40 for t in tokens)
    code = new_enrolment_code()
    assert normalise_enrolment_code(code.lower().replace("-", " ")) == code
    assert len(digest(code)) == 64 and digest(code) != code
