"""Live camera frames with reconnect: an unplugged camera is an event, not a crash."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import cv2

from proctor.frames import Frame, SourceItem, SourceState, SourceStatus

DEFAULT_BACKOFF: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0, 4.0)


class CameraError(RuntimeError):
    """The camera cannot be opened at all; the message names the device and what to check."""


class Capture(Protocol):
    """The part of `cv2.VideoCapture` we use; tests pass a fake with the same methods."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, Any]: ...

    def set(self, prop: int, value: float) -> bool: ...

    def release(self) -> None: ...


class CameraSource:
    """Frames from an OpenCV camera by device index.

    Opening fails fast with `CameraError`. After a successful start, a failed read yields a
    `camera_lost` status and the source retries with growing delays (`backoff`, last value
    repeated) until it reads a frame again and yields `camera_restored`. Timestamps are seconds
    since the first frame on the monotonic clock.
    """

    live = True

    def __init__(
        self,
        index: int,
        *,
        width: int = 640,
        height: int = 480,
        fps: float = 30.0,
        backoff: Sequence[float] = DEFAULT_BACKOFF,
        capture_factory: Callable[[int], Capture] = cv2.VideoCapture,
    ) -> None:
        self.index = index
        self.width, self.height, self.fps = width, height, fps
        self._backoff = tuple(backoff) or DEFAULT_BACKOFF
        self._factory = capture_factory
        self._closed = threading.Event()

    def _open(self) -> Capture | None:
        capture = self._factory(self.index)
        if not capture.isOpened():
            capture.release()
            return None
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        capture.set(cv2.CAP_PROP_FPS, self.fps)
        return capture

    def open_or_raise(self) -> Capture:
        """Open the device, or raise `CameraError` saying why the kiosk cannot proctor."""
        capture = self._open()
        if capture is None:
            raise CameraError(
                f"camera {self.index} could not be opened: no such device, or another program "
                "is using it; check the cable and the device index"
            )
        return capture

    def frames(self) -> Iterator[SourceItem]:
        capture: Capture | None = self.open_or_raise()
        started = time.monotonic()
        index, attempt = 0, 0
        try:
            while not self._closed.is_set():
                ok, image = capture.read() if capture is not None else (False, None)
                now = time.monotonic()
                if ok and image is not None:
                    if attempt:
                        yield SourceStatus(
                            SourceState.RESTORED, now - started, f"camera {self.index} is back"
                        )
                        attempt = 0
                    yield Frame(image, now - started, index, now)
                    index += 1
                    continue
                if attempt == 0:
                    yield SourceStatus(
                        SourceState.LOST,
                        now - started,
                        f"camera {self.index} stopped delivering frames (unplugged or failed)",
                    )
                if capture is not None:
                    capture.release()
                delay = self._backoff[min(attempt, len(self._backoff) - 1)]
                attempt += 1
                if self._closed.wait(delay):
                    return
                capture = self._open()
        finally:
            if capture is not None:
                capture.release()

    def close(self) -> None:
        self._closed.set()
