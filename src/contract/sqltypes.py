"""Column types both databases need: aware UTC datetimes that read back aware on every engine.

SQLite keeps no time zone, PostgreSQL's `timestamp` neither; storing naive UTC and reading it
back as UTC makes the kiosk's and the hub's times mean the same instant. The one SQLAlchemy piece
in `contract`, because both sides' schemas depend on it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as naive UTC and read back aware."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


__all__ = ["UtcDateTime"]
