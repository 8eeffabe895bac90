"""The core's event bus: the core emits, widgets and loggers subscribe; the core holds no widget.

Callbacks run synchronously on the emitting thread. A Qt subscriber re-posts to the GUI thread
through a signal (see `ui.bridge`); a subscriber that raises is logged and does not stop the
others or the emitter, because a broken view must never stop an interview.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

E = TypeVar("E")
_log = logging.getLogger(__name__)


class EventBus:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: list[tuple[type[Any], Callable[[Any], None]]] = []

    def subscribe(self, kind: type[E], callback: Callable[[E], None]) -> Callable[[], None]:
        """Call `callback` for every emitted event that is an instance of `kind`; returns an
        unsubscribe function."""
        entry = (kind, callback)
        with self._lock:
            self._subscribers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._subscribers:
                    self._subscribers.remove(entry)

        return unsubscribe

    def emit(self, event: object) -> None:
        with self._lock:
            targets = [cb for kind, cb in self._subscribers if isinstance(event, kind)]
        for callback in targets:
            try:
                callback(event)
            except Exception:
                _log.exception("event subscriber %r failed on %s", callback, type(event).__name__)
