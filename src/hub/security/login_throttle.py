"""Slowing down password guessing without handing anyone a way to lock an account.

A hard lock after N failures lets anyone who knows an e-mail address keep its owner out. Here
failed sign-ins are counted under three keys, each with its own number of free failures, after
which every further try must wait a delay that doubles with each failure, up to a cap:

* the account from one address: guessing one password from one place (5 free, up to 15 min);
* the address, across accounts: password spraying from one place (20 free, up to 15 min);
* the account, from everywhere: a distributed guess at one account (20 free, up to 1 min, so
  the owner is never kept waiting longer than a minute by strangers).

The keys use the e-mail address as typed, whether or not such an account exists, and an
unknown account costs the same password hash as a known one, so neither the answer, nor its
timing, nor its throttling tells which accounts exist. A try is counted before the password is
checked, under a lock on its keys (as `hub.security.ratelimit` does), so a concurrent burst stops
at the limit too; a successful sign-in forgets the account's failures (not the address's). An
admin's unlock forgets them as well. The counts live in the database every hub process shares.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from hub.clock import Clock, utc_now
from hub.db.database import HubDatabase
from hub.errors import NotAuthenticatedError, RateLimitedError
from hub.repositories.misses import MissRepository

WINDOW = timedelta(days=1)  # failures older than this are forgotten
FIRST_DELAY = timedelta(seconds=1)


@dataclass(frozen=True, slots=True)
class Rule:
    scope: str
    free: int  # failures before any delay
    cap: timedelta  # the longest delay


def account_key(email: str) -> str:
    """The throttling key of the account typed as `email` (existing or not)."""
    return "account:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


class LoginThrottle:
    def __init__(
        self,
        database: HubDatabase,
        free_failures: int = 5,
        max_delay: timedelta = timedelta(minutes=15),
        clock: Clock = utc_now,
    ) -> None:
        self._database = database
        self._now = clock
        self.pair = Rule("login_pair", free_failures, max_delay)
        self.address = Rule("login_address", 4 * free_failures, max_delay)
        one_minute = min(max_delay, timedelta(minutes=1))
        self.account = Rule("login_account", 4 * free_failures, one_minute)

    def _keys(self, email: str, address: str) -> dict[Rule, str]:
        account = account_key(email)
        return {
            self.pair: f"{account}|ip:{address}",
            self.address: f"ip:{address}",
            self.account: account,
        }

    @staticmethod
    def _delay(rule: Rule, failures: int) -> timedelta:
        if failures < rule.free:
            return timedelta(0)
        steps = min(failures - rule.free, 30)
        return min(rule.cap, FIRST_DELAY * 2**steps)

    @contextmanager
    def attempt(self, email: str, address: str) -> Iterator[None]:
        """Count one try of `email` from `address` around the `with` body, or raise
        `RateLimitedError` first while a delay runs. A body raising `NotAuthenticatedError` (a
        wrong password or code) keeps the try counted; success forgets the account's failures;
        any other failure is no guess and is forgiven."""
        keys = self._keys(email, address)
        ids = self._count(keys)
        try:
            yield
        except NotAuthenticatedError:
            raise
        except BaseException:
            self._forgive(ids)
            raise
        self._forget({self.pair: keys[self.pair], self.account: keys[self.account]})
        self._forgive(ids)

    def _count(self, keys: dict[Rule, str]) -> list[int]:
        now = self._now()
        with self._database.sessions.begin() as db:
            misses = MissRepository(db)
            wait = timedelta(0)
            for rule, key in keys.items():
                misses.lock(rule.scope, [key])
                stamps = misses.stamps(rule.scope, key, now - WINDOW)
                delay = self._delay(rule, len(stamps))
                if delay:  # (a try counted by a request that read the clock later is no delay)
                    wait = max(wait, stamps[-1] + delay - now)
            if wait > timedelta(0):
                seconds = max(1, round(wait.total_seconds()))
                raise RateLimitedError(
                    "too many failed sign-ins with this e-mail address or from this network: "
                    f"wait {seconds} s and try again (an administrator can lift this at once)",
                    seconds,
                )
            ids: list[int] = []
            for rule, key in keys.items():
                ids += misses.add(rule.scope, [key], now)
                misses.prune(rule.scope, before=now - WINDOW)
        return ids

    def _forgive(self, ids: list[int]) -> None:
        with self._database.sessions.begin() as db:
            MissRepository(db).remove(ids)

    def _forget(self, keys: dict[Rule, str]) -> None:
        with self._database.sessions.begin() as db:
            misses = MissRepository(db)
            for rule, key in keys.items():
                misses.clear(rule.scope, [key])

    def unlock(self, email: str) -> None:
        """Forget the account's failures, from everywhere (an admin's unlock)."""
        account = account_key(email)
        with self._database.sessions.begin() as db:
            misses = MissRepository(db)
            misses.clear(self.account.scope, [account])
            misses.clear_prefix(self.pair.scope, f"{account}|")
