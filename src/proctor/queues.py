"""Bounded hand-over between a reader thread and the analysis loop.

Live frames go through `LatestFrameQueue`, which drops the oldest frame when the consumer is slow
(a proctor wants the newest picture, not a growing backlog) and counts what it dropped; status
items and the end-of-stream marker are never dropped. `read_in_thread` wraps any source's
`frames()` in a reader thread so decoding overlaps with inference.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from proctor.frames import Frame, FrameSource, SourceItem

_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class _Stop:
    """End of stream; carries the reader's exception, if it failed."""

    error: BaseException | None = None


class LatestFrameQueue:
    """A thread-safe queue holding at most `max_frames` frames, dropping the oldest when full.

    With `drop_oldest=False` a full queue blocks the producer instead (files: nothing is lost).
    """

    def __init__(self, max_frames: int = 2, *, drop_oldest: bool = True) -> None:
        if max_frames < 1:
            raise ValueError("max_frames must be at least 1")
        self._items: deque[SourceItem | _Stop] = deque()
        self._frames = 0
        self._max = max_frames
        self._drop = drop_oldest
        self._cond = threading.Condition()
        self.dropped = 0

    def put(self, item: SourceItem | _Stop, stop: threading.Event | None = None) -> bool:
        """Add an item; returns False if `stop` was set while waiting for room."""
        with self._cond:
            if isinstance(item, Frame):
                while self._frames >= self._max:
                    if self._drop:
                        self._drop_oldest_frame()
                        break
                    if stop is not None and stop.is_set():
                        return False
                    self._cond.wait(_POLL_SECONDS)
                self._frames += 1
            self._items.append(item)
            self._cond.notify_all()
            return True

    def _drop_oldest_frame(self) -> None:
        for position, queued in enumerate(self._items):
            if isinstance(queued, Frame):
                del self._items[position]
                self._frames -= 1
                self.dropped += 1
                return

    def get(self, timeout: float | None = None) -> SourceItem | _Stop | None:
        """The next item, or None if nothing arrived within `timeout` seconds."""
        with self._cond:
            if not self._items and not self._cond.wait_for(lambda: bool(self._items), timeout):
                return None
            item = self._items.popleft()
            if isinstance(item, Frame):
                self._frames -= 1
            self._cond.notify_all()
            return item


class ThreadedReader:
    """Reads a source in a background thread into a `LatestFrameQueue`.

    Iterate `items(timeout)` to consume; it yields None on each idle `timeout` so the caller can
    do other work (e.g. forward kiosk events while the camera reconnects). Always use it as a
    context manager: leaving stops the source and joins the thread.
    """

    def __init__(self, source: FrameSource, max_frames: int = 2) -> None:
        self._source = source
        self.queue = LatestFrameQueue(max_frames, drop_oldest=source.live)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="proctor-reader", daemon=True)

    def _run(self) -> None:
        error: BaseException | None = None
        try:
            for item in self._source.frames():
                if self._stop.is_set() or not self.queue.put(item, self._stop):
                    break
        except BaseException as exc:  # handed to the consumer, which re-raises it
            error = exc
        finally:
            self.queue.put(_Stop(error))

    def __enter__(self) -> ThreadedReader:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._source.close()
        self._thread.join()

    def items(self, timeout: float = _POLL_SECONDS) -> Iterator[SourceItem | None]:
        """Source items in order until the source ends; re-raises the reader's error."""
        while True:
            item = self.queue.get(timeout)
            if isinstance(item, _Stop):
                if item.error is not None:
                    raise item.error
                return
            yield item
