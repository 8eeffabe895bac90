"""Counted tries at guessable secrets, shared by every hub process through the database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from hub.db.models import Miss

PRUNE_BATCH = 500
KEY_LENGTH = 200  # Miss.key's column


def _stored(key: str) -> str:
    """The key as stored: one too long for its column (a forwarded address that is no address)
    is stored by digest, so distinct keys never merge."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _lock_id(scope: str, key: str) -> int:
    """A stable signed 64-bit number for (scope, key): PostgreSQL advisory locks take bigints."""
    digest = hashlib.sha256(f"{scope}\0{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class MissRepository:
    def __init__(self, db: Session) -> None:
        self._db = db

    def lock(self, scope: str, keys: Iterable[str]) -> None:
        """Hold (scope, key) for the rest of the transaction, so counting and adding a try is
        one step for every process. PostgreSQL: advisory transaction locks, taken in one order
        so two requests sharing a key cannot deadlock. SQLite: BEGIN IMMEDIATE already holds
        the whole database for the transaction."""
        if self._db.get_bind().dialect.name != "postgresql":
            return
        for lock_id in sorted({_lock_id(scope, key) for key in keys}):
            self._db.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})

    def since(self, scope: str, keys: Iterable[str], after: datetime) -> dict[str, list[datetime]]:
        """Each key's tries later than `after`, oldest first (keyed as stored)."""
        query = (
            select(Miss.key, Miss.at)
            .where(Miss.scope == scope, Miss.key.in_([_stored(k) for k in keys]), Miss.at > after)
            .order_by(Miss.at)
        )
        found: dict[str, list[datetime]] = {}
        for key, at in self._db.execute(query):
            found.setdefault(key, []).append(at)
        return found

    def stamps(self, scope: str, key: str, after: datetime) -> list[datetime]:
        """One key's tries later than `after`, oldest first."""
        return self.since(scope, [key], after).get(_stored(key), [])

    def add(self, scope: str, keys: Iterable[str], at: datetime) -> list[int]:
        rows = [Miss(scope=scope, key=_stored(key), at=at) for key in keys]
        self._db.add_all(rows)
        self._db.flush()
        return [row.id for row in rows]

    def remove(self, ids: Iterable[int]) -> None:
        self._db.execute(
            delete(Miss).where(Miss.id.in_(list(ids))),
            execution_options={"synchronize_session": False},
        )

    def prune(self, scope: str, before: datetime) -> None:
        """Delete up to PRUNE_BATCH tries of `scope` older than `before` (of any key), skipping
        rows another transaction holds, so concurrent pruners neither wait for nor deadlock on
        each other. Each scope has its own window, so each prunes only its own rows."""
        stale = (
            select(Miss.id)
            .where(Miss.scope == scope, Miss.at <= before)
            .order_by(Miss.id)
            .limit(PRUNE_BATCH)
            .with_for_update(skip_locked=True)
        )
        self._db.execute(
            delete(Miss).where(Miss.id.in_(stale)),
            execution_options={"synchronize_session": False},
        )

    def clear(self, scope: str, keys: Iterable[str]) -> int:
        """Forget every try of `keys` in `scope` (an admin unlocking an account)."""
        done = self._db.execute(
            delete(Miss).where(Miss.scope == scope, Miss.key.in_([_stored(k) for k in keys])),
            execution_options={"synchronize_session": False},
        )
        return int(done.rowcount or 0)

    def clear_prefix(self, scope: str, prefix: str) -> int:
        """Forget every try in `scope` of a key starting with `prefix` (letters, digits, `:|`)."""
        if not prefix.replace(":", "").replace("|", "").isalnum():
            raise ValueError(f"a key prefix is letters, digits, ':' and '|', not {prefix!r}")
        done = self._db.execute(
            delete(Miss).where(Miss.scope == scope, Miss.key.startswith(prefix)),
            execution_options={"synchronize_session": False},
        )
        return int(done.rowcount or 0)
