"""Camera pictures on screen: frames become QImages off the GUI thread, and a view shows them.

Converting and scaling a 640x480 frame costs a few milliseconds, and face detection tens, so
both happen on the thread that reads the camera; the GUI thread only sets a pixmap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from proctor import Frame, FrameSource
from proctor.detections import Box
from proctor.faces import FaceDetector
from ui.workers import LoopWorker

PREVIEW_FPS = 10.0


@dataclass(frozen=True, eq=False)
class PreviewFrame:
    """A frame ready to show: the picture, the original BGR image, and faces found in it."""

    image: QImage
    bgr: np.ndarray = field(repr=False)
    faces: tuple[tuple[int, int, int, int], ...] = ()  # x, y, w, h in `image` pixels


def to_qimage(bgr: np.ndarray, max_width: int = 640) -> QImage:
    """A deep-copied RGB QImage no wider than `max_width` (the numpy buffer may be reused)."""
    height, width = bgr.shape[:2]
    if width > max_width:
        scale = max_width / width
        bgr = cv2.resize(bgr, (max_width, round(height * scale)), interpolation=cv2.INTER_AREA)
    rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def preview_frames(
    source: FrameSource,
    detector: FaceDetector | None = None,
    max_fps: float = PREVIEW_FPS,
    max_width: int = 640,
) -> Iterator[PreviewFrame]:
    """Frames of `source` at most `max_fps` a second, with face boxes when a detector is given."""
    interval, last = 1.0 / max_fps, 0.0
    for item in source.frames():
        if not isinstance(item, Frame) or time.monotonic() - last < interval:
            continue
        last = time.monotonic()
        image = to_qimage(item.image, max_width)
        scale = image.width() / item.image.shape[1]
        faces: tuple[tuple[int, int, int, int], ...] = ()
        if detector is not None:
            faces = tuple(_box(face.box, scale) for face in detector.detect(item.image))
        yield PreviewFrame(image, item.image, faces)


def camera_loop(
    factory: Callable[[], FrameSource],
    detector: Callable[[], FaceDetector] | None = None,
) -> LoopWorker:
    """A preview loop that opens the camera (and loads the face model) on its own thread:
    opening a device or a video file can take longer than a frame, so never on the GUI thread.
    A camera that cannot be opened ends the loop with `failed(error)`."""
    opened: list[FrameSource] = []

    def frames() -> Iterator[PreviewFrame]:
        opened.append(factory())
        yield from preview_frames(opened[0], detector() if detector is not None else None)

    def close() -> None:
        for source in opened:
            source.close()

    return LoopWorker(frames, close)


def _box(box: Box, scale: float) -> tuple[int, int, int, int]:
    return (
        round(box.x * scale),
        round(box.y * scale),
        round(box.width * scale),
        round(box.height * scale),
    )


class CameraView(QLabel):
    """Shows the latest picture, scaled to fit, with face boxes drawn over it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setObjectName("cameraView")
        self.frames_shown = 0
        self.last: PreviewFrame | None = None

    def show_frame(self, frame: PreviewFrame) -> None:
        self.last = frame
        self.frames_shown += 1
        pixmap = QPixmap.fromImage(frame.image)
        if frame.faces:
            painter = QPainter(pixmap)
            painter.setPen(QPen(QColor("#00c853"), 3))
            for x, y, w, h in frame.faces:
                painter.drawRect(QRect(x, y, w, h))
            painter.end()
        self.setPixmap(
            pixmap.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
        )

    def show_message(self, text: str) -> None:
        self.last = None
        self.clear()
        self.setText(text)
        self.setWordWrap(True)


class FramePublisher(QObject):
    """Hands frames from the proctor's reading thread to a view, at most `max_fps` a second."""

    frame = Signal(object)  # PreviewFrame, on the GUI thread
    _frame = Signal(object)

    def __init__(self, max_fps: float = 5.0, max_width: int = 320) -> None:
        super().__init__()
        self._interval = 1.0 / max_fps
        self._max_width = max_width
        self._last = 0.0
        self._lock = threading.Lock()
        self._frame.connect(self.frame, Qt.ConnectionType.QueuedConnection)

    def offer(self, frame: Frame) -> None:
        """Any thread: convert and post the frame unless one was posted very recently."""
        with self._lock:
            now = time.monotonic()
            if now - self._last < self._interval:
                return
            self._last = now
        self._frame.emit(PreviewFrame(to_qimage(frame.image, self._max_width), frame.image))
