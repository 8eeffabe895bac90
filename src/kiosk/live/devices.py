"""The kiosk's devices as factories of fresh sources, and adapters the screens need of them.

Everything device- or media-specific (a real camera or the bundled video) is a factory in
`Devices`, so the same core and screens run at a test centre, in a headless test and on a build
machine with no camera at all. A kiosk has one camera, but the proctor and the candidate's
preview both want its frames, so the proctor owns the source and a `TeeSource` hands each frame
to the preview as it passes. With recorded media the bundled video stands in for the camera:
`PacedVideoSource` plays it in real time and loops, so it behaves like a live camera (frames
dropped, not queued, when the proctor is slow) for as long as the interview lasts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from proctor import Frame, FrameSource, VideoError
from proctor.frames import SourceItem
from speech import AudioSource

FrameListener = Callable[[Frame], None]


@dataclass(frozen=True)
class Devices:
    """Fresh sources on demand. Each call may raise (or its source may raise on first read)
    `CameraError` / `AudioDeviceError`, which the screens turn into guidance."""

    camera: Callable[[], FrameSource]
    #: What the ID card is held up to: the camera itself, or the bundled card image.
    card_camera: Callable[[], FrameSource]
    microphone: Callable[[], AudioSource]
    #: For the invigilator and the log, e.g. "Recorded media stand in for the camera".
    description: str


class PacedVideoSource:
    """A video file played at its own frame rate, looping, as a live camera would deliver it."""

    live = True

    def __init__(self, path: Path, *, loop: bool = True) -> None:
        self.path = path
        capture = cv2.VideoCapture(str(path))
        try:
            if not capture.isOpened() or not capture.read()[0]:
                raise VideoError(f"cannot play {path} as a stand-in camera")
            fps = capture.get(cv2.CAP_PROP_FPS)
        finally:
            capture.release()
        self.fps = fps if fps and fps > 0 else 30.0
        self._loop = loop
        self._closed = threading.Event()

    def frames(self) -> Iterator[SourceItem]:
        started, index = time.monotonic(), 0
        while not self._closed.is_set():
            capture = cv2.VideoCapture(str(self.path))
            try:
                while True:
                    ok, image = capture.read()
                    if not ok:
                        break
                    timestamp = index / self.fps
                    if self._closed.wait(max(0.0, started + timestamp - time.monotonic())):
                        return
                    yield Frame(image, timestamp, index, time.monotonic())
                    index += 1
            finally:
                capture.release()
            if not self._loop:
                return

    def close(self) -> None:
        self._closed.set()


class TeeSource:
    """Passes a source's items through unchanged and shows each frame to `listener` too.

    The listener runs on the reading thread and must be quick (it should only hand the frame on).
    """

    def __init__(self, source: FrameSource, listener: FrameListener) -> None:
        self._source = source
        self._listener = listener
        self.live = source.live

    def frames(self) -> Iterator[SourceItem]:
        for item in self._source.frames():
            if isinstance(item, Frame):
                self._listener(item)
            yield item

    def close(self) -> None:
        self._source.close()


class LoopedAudio:
    """An audio file replayed in real time, over and over: a stand-in microphone for the meter."""

    def __init__(self, factory: Callable[[], AudioSource]) -> None:
        self._factory = factory
        self._closed = threading.Event()
        self._current: AudioSource | None = None

    def __iter__(self) -> Iterator[np.ndarray]:
        while not self._closed.is_set():
            self._current = self._factory()
            yield from self._current
        self._current = None

    def close(self) -> None:
        self._closed.set()
        if self._current is not None:
            self._current.close()


#: At or above this `level` the microphone is taken to hear the candidate's voice.
HEARD_LEVEL = 0.25


def level(block: np.ndarray) -> float:
    """A 0..1 loudness for a meter: RMS in dBFS mapped from -60 dB (silence) to 0 dB."""
    if block.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    decibels = 20.0 * np.log10(max(rms, 1e-6))
    return min(1.0, max(0.0, (decibels + 60.0) / 60.0))
