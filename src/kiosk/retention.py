"""Personal data leaves the kiosk as the session's data policy promised, and no earlier.

Two ways a session's personal data ends here:

* **retention**: once the hub has confirmed receipt of every row of a finished session
  (synced, aborted or expired), the kiosk erases it `kiosk_days_after_sync` days after that
  confirmation. A row the hub has not confirmed (waiting, or quarantined) keeps the whole
  session: unsynced data is never erased by retention.
* **a deletion ordered by the hub** (`erase_on_request`): erased at once, synced or not (what
  was not sent is never sent), unless its interview is running right now: then at the next
  contact after it ends.

Either way the database keeps an anonymous tombstone (`kiosk.storage.erasure`) and the files
go: the media blobs only this session referred to, and the PDF `kiosk interview` wrote into
the reports folder. The clock is injected, so tests move time by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from contract.codec import from_data
from contract.privacy import DataPolicy
from kiosk.domain.lifecycle import SessionState
from kiosk.storage.database import Database
from kiosk.storage.erasure import (
    confirmed_at,
    erase_session,
    oldest_unsent,
    sessions_not_erased,
    unsent_rows,
)
from kiosk.storage.media import MediaStore
from kiosk.storage.schema import SessionRow

_log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

#: A session in one of these states will not change again: retention may end it.
FINISHED = (SessionState.SYNCED.value, SessionState.ABORTED.value, SessionState.EXPIRED.value)
RETENTION = "retention"
HUB_DELETION = "deleted on the hub"


def report_file_name(session_key: str) -> str:
    """The name `kiosk interview` gives the PDF it writes into the reports folder."""
    return f"interview-{session_key}.pdf"


@dataclass(frozen=True, slots=True)
class Erased:
    """One session erased: which, why, and what went."""

    session_id: str
    because: str
    files_removed: int
    at: datetime
    #: False when there was nothing left to erase (already erased, or never on this kiosk).
    erased_now: bool = True


@dataclass(frozen=True, slots=True)
class Backlog:
    """What waits for the hub: rows not yet confirmed and how old the oldest is."""

    rows: int
    oldest_at: datetime | None

    def age(self, now: datetime) -> timedelta | None:
        return None if self.oldest_at is None else now - self.oldest_at


class SessionInUseError(RuntimeError):
    """The session's interview is running: it is erased once it has ended."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Retention:
    def __init__(
        self,
        database: Database,
        media: MediaStore,
        *,
        reports_dir: Path | None = None,
        clock: Clock = _utc_now,
    ) -> None:
        self._database = database
        self._media = media
        self._reports_dir = reports_dir
        self._now = clock

    # -- retention ------------------------------------------------------------------------------
    def due(self) -> list[str]:
        """Finished sessions whose every row the hub confirmed long enough ago."""
        now = self._now()
        due: list[str] = []
        with self._database.sessions() as db:
            for row in sessions_not_erased(db, FINISHED):
                confirmed = confirmed_at(db, row.id)
                days = from_data(DataPolicy, row.data_policy or {}).kiosk_days_after_sync
                if confirmed is None or confirmed + timedelta(days=days) > now:
                    continue  # not confirmed, or not long enough ago (the cheap test first)
                if unsent_rows(db, row.id):
                    continue  # the hub does not hold all of it: never erased by retention
                due.append(row.id)
        return due

    def apply(self) -> list[Erased]:
        """Erase every session that is due; returns what was erased."""
        return [self._erase(session_id, RETENTION) for session_id in self.due()]

    # -- deletion ordered by the hub ----------------------------------------------------------
    def erase_on_request(self, session_id: str) -> Erased:
        """Erase a session the hub deleted, synced or not. Raises `SessionInUseError` while its
        interview runs; erasing an already erased session erases nothing more."""
        with self._database.sessions() as db:
            row = db.get(SessionRow, session_id)
            if row is not None and row.state == SessionState.IN_PROGRESS.value:
                raise SessionInUseError(
                    f"session {session_id} is being interviewed now; it is erased when it ends"
                )
        return self._erase(session_id, HUB_DELETION)

    # -- what waits -----------------------------------------------------------------------------
    def backlog(self) -> Backlog:
        with self._database.sessions() as db:
            count, oldest = oldest_unsent(db)
        return Backlog(count, oldest)

    # -- the erasing itself ---------------------------------------------------------------------
    def _erase(self, session_id: str, because: str) -> Erased:
        at = self._now()
        with self._database.sessions() as db:
            row = db.get(SessionRow, session_id)
            if row is None or row.erased_at is not None:
                return Erased(session_id, because, 0, at, erased_now=False)
            key = row.session_key
            doomed = erase_session(db, session_id, at, because)
            db.commit()
        removed = sum(self._media.remove(sha) for sha in doomed)
        removed += self._remove_report_file(key)
        _log.info("erased session %s (%s): %d file(s)", session_id, because, removed)
        return Erased(session_id, because, removed, at)

    def _remove_report_file(self, session_key: str) -> int:
        if self._reports_dir is None:
            return 0
        path = self._reports_dir / report_file_name(session_key)
        if not path.is_file():
            return 0
        path.unlink()
        return 1


__all__ = [
    "FINISHED",
    "HUB_DELETION",
    "RETENTION",
    "Backlog",
    "Erased",
    "Retention",
    "SessionInUseError",
    "report_file_name",
]
