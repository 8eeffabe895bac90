"""The unit of work both databases use: one transaction; repositories stage, `commit()` makes
it durable, and only then are the events collected on the way published.

Leaving the `with` block without `commit()` rolls everything back, so a half-done step and its
outbox entry (or a half-applied push batch) vanish together, and announce nothing. Each side
subclasses it to attach its own repositories (`_attach`).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

Publish = Callable[[object], None]


def _nowhere(event: object) -> None:
    del event


class SqlUnitOfWork:
    def __init__(self, sessions: sessionmaker[Session], publish: Publish = _nowhere) -> None:
        self._sessions = sessions
        self._publish = publish
        self._session: Session | None = None
        self._events: list[object] = []

    def _attach(self, session: Session) -> None:
        """Build the repositories over `session` (each subclass names its own)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._session = self._sessions()
        self._events = []
        self._attach(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._session is not None
        self._events = []
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None

    def announce(self, event: object) -> None:
        """Publish `event` once this unit of work has committed (never if it rolls back)."""
        self._events.append(event)

    def commit(self) -> None:
        assert self._session is not None, "commit() outside the unit of work's `with` block"
        self._session.commit()
        events, self._events = self._events, []
        for event in events:
            self._publish(event)


__all__ = ["Publish", "SqlUnitOfWork"]
