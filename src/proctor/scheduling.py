"""Run the slow person/object detector less often than the face detector.

YOLO costs ~300 ms per frame on one core here, YuNet ~5 ms, so objects are checked a few times
per second (`rate_hz`) and every frame reuses the latest `ObjectReport`. Offline sources use
`InlineObjectScheduler` (due by frame timestamp: deterministic results for files and tests);
live sources use `BackgroundObjectScheduler`, whose own thread keeps the slow call from
delaying face analysis of the frames in between.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

from proctor.detections import ObjectDetection, ObjectReport
from proctor.frames import Frame
from proctor.queues import LatestFrameQueue


class Detector(Protocol):
    name: str

    def detect(self, image: object) -> tuple[ObjectDetection, ...]: ...


def _run_detector(detector: Detector, frame: Frame) -> ObjectReport:
    started = time.perf_counter()
    detections = detector.detect(frame.image)
    latency_ms = (time.perf_counter() - started) * 1000
    return ObjectReport(frame.timestamp, detections, latency_ms, detector.name)


class InlineObjectScheduler:
    """Detect on the calling thread when `1 / rate_hz` of media time has passed."""

    def __init__(self, detector: Detector, rate_hz: float) -> None:
        self._detector = detector
        self._period = 1.0 / rate_hz
        self._latest: ObjectReport | None = None

    def submit(self, frame: Frame) -> ObjectReport | None:
        """The report to use for `frame`, running the detector first if it is due."""
        latest = self._latest
        if latest is None or frame.timestamp - latest.timestamp >= self._period - 1e-6:
            self._latest = _run_detector(self._detector, frame)
        return self._latest

    def __enter__(self) -> InlineObjectScheduler:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


class BackgroundObjectScheduler:
    """Detect on a worker thread, at most `rate_hz` times per wall-clock second.

    Frames are offered through a one-slot latest-frame queue: if the detector is still busy,
    the newest frame replaces the waiting one. Use as a context manager; leaving stops and joins
    the worker.
    """

    def __init__(self, detector: Detector, rate_hz: float) -> None:
        self._detector = detector
        self._period = 1.0 / rate_hz
        self._queue = LatestFrameQueue(1)
        self._latest: ObjectReport | None = None
        self._next_due = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="proctor-objects", daemon=True)

    def submit(self, frame: Frame) -> ObjectReport | None:
        now = time.monotonic()
        if now >= self._next_due:
            self._queue.put(frame)
            # keep to the rate on average: a frame that arrives late does not push every later
            # detection back, but falling far behind does not cause a burst either
            self._next_due = max(self._next_due + self._period, now)
        return self._latest

    def _work(self) -> None:
        while not self._stop.is_set():
            frame = self._queue.get(timeout=0.1)
            if isinstance(frame, Frame):
                self._latest = _run_detector(self._detector, frame)

    def __enter__(self) -> BackgroundObjectScheduler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
