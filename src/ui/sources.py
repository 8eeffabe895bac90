"""Qt-free adapters around the kiosk's frame and audio sources, for the screens' needs.

A kiosk has one camera, but the proctor and the candidate's preview both want its frames, so the
proctor owns the source and a `TeeSource` hands each frame to the preview as it passes. With
`--recorded-media` the bundled video stands in for the camera: `PacedVideoSource` plays it in
real time and loops, so it behaves like a live camera (frames dropped, not queued, when the
proctor is slow) for as long as the interview lasts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from kiosk.domain.model import Question
from kiosk.live.answers import AnswerAudio, QuietAudio
from proctor import Frame, FrameSource, VideoError
from proctor.frames import SourceItem
from speech import AudioSource

FrameListener = Callable[[Frame], None]


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


def level(block: np.ndarray) -> float:
    """A 0..1 loudness for a meter: RMS in dBFS mapped from -60 dB (silence) to 0 dB."""
    if block.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(block, dtype=np.float64))))
    decibels = 20.0 * np.log10(max(rms, 1e-6))
    return min(1.0, max(0.0, (decibels + 60.0) / 60.0))


class InterviewInterrupted(Exception):
    """The kiosk was shut down mid-answer: the answer is dropped, the question asked again."""


class InterruptibleAnswers:
    """Answer audio that the kiosk can cut off when it shuts down.

    Shutting the kiosk down mid-answer must behave like a power cut, not like the Done button:
    the half-given answer is not saved, and the resumed interview asks the same question again.
    `interrupt()` makes the source raise `InterviewInterrupted` at its next block, which ends the
    conductor's run without touching the session's state.
    """

    def __init__(self, inner: AnswerAudio) -> None:
        self._inner = inner
        self._interrupted = threading.Event()

    def open(self, question: Question) -> AudioSource:
        return _Interruptible(self._inner.open(question), self._interrupted)

    def open_quiet(self, question: Question) -> AudioSource | None:
        """The inner source's audio while the question is read, for audio proctoring.

        Passed through as it is: it is read on the proctoring listener's own thread, where
        `InterviewInterrupted` would end that thread instead of the interview.
        """
        if not isinstance(self._inner, QuietAudio):
            return None
        return self._inner.open_quiet(question)

    def interrupt(self) -> None:
        self._interrupted.set()


class _Interruptible:
    def __init__(self, source: AudioSource, interrupted: threading.Event) -> None:
        self._source = source
        self._interrupted = interrupted

    def __iter__(self) -> Iterator[np.ndarray]:
        for block in self._source:
            if self._interrupted.is_set():
                raise InterviewInterrupted("the kiosk shut down during the answer")
            yield block
        if self._interrupted.is_set():
            raise InterviewInterrupted("the kiosk shut down during the answer")

    def close(self) -> None:
        self._source.close()
