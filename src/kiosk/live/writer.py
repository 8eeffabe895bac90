"""One thread owns every SQLite write, so writers never contend and the GUI thread never waits.

Every write is submitted to a single-thread executor; callers that need the result (the
conductor, before it moves on) wait on the future, others (the proctoring feed) fire and forget.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")
_log = logging.getLogger(__name__)


class SerialWriter:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-db-writer")

    def submit(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
        future = self._executor.submit(fn, *args, **kwargs)
        future.add_done_callback(_log_failure)
        return future

    def call(self, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run `fn` on the writer thread and wait: returns once the write is durable."""
        return self.submit(fn, *args, **kwargs).result()

    def close(self) -> None:
        """Finish every queued write, then stop."""
        self._executor.shutdown(wait=True)


def _log_failure(future: Future[object]) -> None:
    if not future.cancelled() and future.exception() is not None:
        _log.error("a database write failed", exc_info=future.exception())
