"""Non-camera frame sources: video files, and still images replayed as a synthetic video."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from proctor.frames import Frame, SourceItem

_FALLBACK_FPS = 30.0
_NOISE_VARIANTS = 5  # cycled by frame index: consecutive frames always differ


class VideoError(RuntimeError):
    """A video file cannot be read; the message names the file and the likely cause."""


class VideoFileSource:
    """Frames of a video file, timestamped from the file's frame rate."""

    live = False

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise VideoError(f"video file {self.path} does not exist")
        capture = cv2.VideoCapture(str(self.path))
        try:
            ok, _ = capture.read() if capture.isOpened() else (False, None)
            fps = capture.get(cv2.CAP_PROP_FPS)
        finally:
            capture.release()
        if not ok:
            raise VideoError(
                f"cannot decode {self.path}: it is not a video OpenCV can read, or it is corrupt"
            )
        self.fps = fps if fps and fps > 0 else _FALLBACK_FPS
        self._closed = threading.Event()

    def frames(self) -> Iterator[SourceItem]:
        capture = cv2.VideoCapture(str(self.path))
        try:
            index = 0
            while not self._closed.is_set():
                ok, image = capture.read()
                if not ok:
                    return
                yield Frame(image, index / self.fps, index, time.monotonic())
                index += 1
        finally:
            capture.release()

    def close(self) -> None:
        self._closed.set()


@dataclass(frozen=True, eq=False)
class Still:
    """One BGR image shown for `seconds`."""

    image: np.ndarray = field(repr=False)
    seconds: float


def fit_to(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Scale `image` into (width, height) keeping its aspect ratio, on a black background.

    Black bars rather than a stretch: a webcam never distorts faces, and pose depends on shape.
    """
    width, height = size
    scale = min(width / image.shape[1], height / image.shape[0])
    new_w, new_h = round(image.shape[1] * scale), round(image.shape[0] * scale)
    canvas = np.zeros((height, width, 3), np.uint8)
    top, left = (height - new_h) // 2, (width - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = cv2.resize(image, (new_w, new_h))
    return canvas


class ImageSequenceSource:
    """Still images played as a video at `fps`, with synthetic timestamps.

    Repeating one image exactly would look like a frozen camera, so each frame gets a little
    Gaussian `sensor_noise` (grey levels, seeded) as a real sensor does; pass 0 to simulate a
    frozen feed. A few noisy variants per still are made up front and cycled, so a stand-in
    camera at 30 fps costs almost no CPU of its own. With `realtime=True` frames are paced to
    the wall clock and the source counts as live, which lets benchmarks and demos stand in for
    a camera.
    """

    def __init__(
        self,
        stills: Sequence[Still],
        fps: float = 10.0,
        *,
        size: tuple[int, int] | None = None,
        sensor_noise: float = 1.5,
        seed: int = 0,
        realtime: bool = False,
    ) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        if not stills or any(s.seconds <= 0 for s in stills):
            raise ValueError("give at least one still, each shown for a positive duration")
        self._images = [fit_to(s.image, size) if size else s.image for s in stills]
        self._seconds = [s.seconds for s in stills]
        self.fps = fps
        self.live = realtime
        self._noise = sensor_noise
        self._seed = seed
        self._closed = threading.Event()

    @property
    def duration(self) -> float:
        return sum(self._seconds)

    def frames(self) -> Iterator[SourceItem]:
        rng = np.random.default_rng(self._seed)
        started = time.monotonic()
        index, still_start = 0, 0.0
        for image, seconds in zip(self._images, self._seconds, strict=True):
            variants = self._variants(image, rng)
            still_end = still_start + seconds
            while index / self.fps < still_end - 1e-9:
                timestamp = index / self.fps
                delay = started + timestamp - time.monotonic() if self.live else 0.0
                if self._closed.wait(max(0.0, delay)):
                    return
                yield Frame(variants[index % len(variants)], timestamp, index, time.monotonic())
                index += 1
            still_start = still_end

    def _variants(self, image: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
        if self._noise <= 0:
            return [image]
        return [
            np.clip(image + rng.normal(0.0, self._noise, image.shape), 0, 255).astype(np.uint8)
            for _ in range(_NOISE_VARIANTS)
        ]

    def close(self) -> None:
        self._closed.set()
