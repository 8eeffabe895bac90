"""The one way a screen changes anything: a core use case, run on the kiosk's writer thread.

After Anki's `CollectionOp`: the screen names the use case and what to do with its result or its
error; the call leaves the GUI thread at once (a worker waits on the writer, which owns every
database write), and `done` or `failed` runs back on the GUI thread. The use case's own
announcements (a state change, say) reach every subscriber after its commit, not only the
screen that asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.live.writer import SerialWriter
from ui.workers import Task, submit


class Operations:
    def __init__(self, writer: SerialWriter) -> None:
        self._writer = writer

    def run(
        self,
        use_case: Callable[..., Any],
        *args: Any,
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
        **kwargs: Any,
    ) -> Task:
        """`use_case(*args, **kwargs)` on the writer thread; `done(result)` or `failed(error)`
        on the GUI thread."""
        return submit(self._writer.call, use_case, *args, done=done, failed=failed, **kwargs)

    @property
    def write(self) -> Callable[..., Any]:
        """The writer hook for a use case that mixes network calls and writes (it runs on a
        worker and sends each write here)."""
        return self._writer.call
