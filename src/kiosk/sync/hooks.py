"""How sync code writes and tells the time, so the app can route both where they belong.

The kiosk app passes `SerialWriter.call` as the write hook, so marking rows sent, quarantining
rows and importing packs all happen on the one thread that owns database writes; the CLI and the
tests write in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

Clock = Callable[[], datetime]
#: Runs a database write and returns its result.
WriteHook = Callable[..., Any]


def write_here(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def utc_now() -> datetime:
    return datetime.now(UTC)
