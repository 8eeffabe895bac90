"""Count misses (unknown session keys, wrong enrolment codes) per kiosk and per address.

A sliding window: at most `limit` misses per key in any `window`, after which one more try waits
until the oldest counted miss leaves it. Enough to turn an 80-bit key search from slow into
hopeless. The counts live in the database every hub process shares, so N processes behind a load
balancer allow the limit once, not N times.

A try is counted *before* its lookup and forgiven when the lookup finds something. Counting only
after a miss would let a burst of concurrent guesses all pass the check before any of them is
counted, exceeding the limit by the size of the burst; counting first, under a lock on the key,
makes "check and count" one step for every thread of every process.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.errors import RateLimitedError
from hub.repositories.misses import MissRepository


class MissLimiter:
    """One limit (`scope`: which secret is being guessed) over the keys of every request."""

    def __init__(
        self,
        database: HubDatabase,
        scope: str,
        what: str,
        limit: int,
        window: timedelta = timedelta(minutes=1),
        clock: Clock = utc_now,
    ) -> None:
        if limit < 1:
            raise ValueError(f"a miss limit allows at least one try per window, not {limit}")
        self.scope = scope
        self.what = what
        self.limit = limit
        self.window = window
        self._database = database
        self._now = clock

    @contextmanager
    def attempt(self, keys: Sequence[str], miss: type[BaseException]) -> Iterator[None]:
        """Count one try for every key around the `with` body, or raise `RateLimitedError` (429)
        first when a key is at the limit. A body that raises `miss` keeps its try counted; a hit
        (or any other failure, which is no guess) is forgiven."""
        ids = self._count(keys)
        missed = False
        try:
            yield
        except miss:
            missed = True
            raise
        finally:
            if not missed:
                self._forgive(ids)

    def _count(self, keys: Sequence[str]) -> list[int]:
        now = self._now()
        with self._database.sessions.begin() as db:
            misses = MissRepository(db)
            misses.lock(self.scope, keys)
            recent = misses.since(self.scope, keys, now - self.window)
            # a key with n >= limit tries is allowed again when its (n - limit + 1) oldest leave
            waits = [
                stamps[-self.limit] + self.window - now
                for stamps in recent.values()
                if len(stamps) >= self.limit
            ]
            if waits:
                wait = max(1, round(max(waits).total_seconds()))
                raise RateLimitedError(f"too many {self.what}; try again in {wait} s", wait)
            ids = misses.add(self.scope, keys, now)
            misses.prune(self.scope, before=now - self.window)  # the table stays one window small
        return ids

    def _forgive(self, ids: list[int]) -> None:
        with self._database.sessions.begin() as db:
            MissRepository(db).remove(ids)
