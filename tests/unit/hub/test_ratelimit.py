"""The miss limiter's sliding window, counted in the hub database (a throw-away SQLite file here;
tests/integration/hub runs it on PostgreSQL and across processes too)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hub.db.database import HubDatabase, open_database
from hub.db.models import Miss
from hub.errors import RateLimitedError
from hub.security.ratelimit import MissLimiter

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def at(self, seconds: float) -> None:
        self.now = START + timedelta(seconds=seconds)


@pytest.fixture
def database(tmp_path: Path) -> Iterator[HubDatabase]:
    database = open_database(f"sqlite:///{tmp_path / 'hub.sqlite3'}")
    yield database
    database.close()


def _limiter(database: HubDatabase, clock: Clock, limit: int = 3) -> MissLimiter:
    return MissLimiter(database, "session_key", "unknown session keys", limit, clock=clock)


def _miss(limiter: MissLimiter, *keys: str) -> None:
    with pytest.raises(LookupError), limiter.attempt(keys, miss=LookupError):
        raise LookupError("no such key")


def _retry_after(limiter: MissLimiter, *keys: str) -> int | None:
    """Seconds the limiter asks to wait, or None when the try is let through (as a hit)."""
    try:
        with limiter.attempt(keys, miss=LookupError):
            return None
    except RateLimitedError as refused:
        assert "too many unknown session keys" in str(refused)
        return refused.retry_after


def _rows(database: HubDatabase) -> int:
    with database.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(Miss)) or 0)


def test_blocks_after_the_limit_per_key_and_forgets_after_the_window(
    database: HubDatabase,
) -> None:
    clock = Clock()
    limiter = _limiter(database, clock)
    for _ in range(3):
        _miss(limiter, "kiosk:a", "ip:x")
    assert _retry_after(limiter, "kiosk:a") == 60
    assert _retry_after(limiter, "kiosk:b", "ip:x") == 60  # same address, another kiosk
    assert _retry_after(limiter, "kiosk:b", "ip:y") is None
    clock.at(60.5)
    assert _retry_after(limiter, "kiosk:a", "ip:x") is None


def test_the_wait_is_until_the_oldest_counted_miss_leaves_the_window(
    database: HubDatabase,
) -> None:
    clock = Clock()
    limiter = _limiter(database, clock)
    for second in (0, 20, 40):
        clock.at(second)
        _miss(limiter, "ip:x")
    clock.at(50)
    assert _retry_after(limiter, "ip:x") == 10
    clock.at(60.5)  # the miss at 0 has left; one more try, and it misses
    _miss(limiter, "ip:x")
    assert _retry_after(limiter, "ip:x") == 20  # now the miss at 20 must leave (at 80)


def test_hits_and_other_failures_are_forgiven(database: HubDatabase) -> None:
    clock = Clock()
    limiter = _limiter(database, clock)
    for _ in range(10):
        assert _retry_after(limiter, "kiosk:a") is None
    with pytest.raises(ValueError), limiter.attempt(["kiosk:a"], miss=LookupError):
        raise ValueError("the database hiccuped: not a guess")
    assert _rows(database) == 0
    _miss(limiter, "kiosk:a")
    assert _rows(database) == 1


def test_old_misses_are_pruned_so_the_table_stays_one_window_small(
    database: HubDatabase,
) -> None:
    clock = Clock()
    limiter = _limiter(database, clock, limit=1000)
    for n in range(50):
        _miss(limiter, f"ip:10.0.0.{n}")  # an address that never comes back
    assert _rows(database) == 50
    clock.at(61)
    _miss(limiter, "ip:10.0.1.1")
    assert _rows(database) == 1


def test_keys_too_long_for_the_column_are_counted_apart_by_digest(database: HubDatabase) -> None:
    clock = Clock()
    limiter = _limiter(database, clock, limit=1)
    long_a, long_b = "ip:" + "a" * 300, "ip:" + "a" * 299 + "b"
    _miss(limiter, long_a)
    assert _retry_after(limiter, long_a) == 60
    assert _retry_after(limiter, long_b) is None


def test_the_limits_of_two_scopes_are_counted_apart(database: HubDatabase) -> None:
    clock = Clock()
    keys = _limiter(database, clock, limit=1)
    codes = MissLimiter(database, "enrolment_code", "wrong enrolment codes", 1, clock=clock)
    _miss(keys, "ip:x")
    assert _retry_after(keys, "ip:x") == 60
    assert _retry_after(codes, "ip:x") is None
    with pytest.raises(ValueError, match="at least one try"):
        MissLimiter(database, "x", "x", 0)
