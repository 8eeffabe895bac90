"""Camera pictures on screen: frames become QImages off the GUI thread, and a view shows them
with a framing guide for the card or the face.

Converting and scaling a 640x480 frame costs a few milliseconds, and face detection tens, so
both happen on the thread that reads the camera; the GUI thread only sets a pixmap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

import cv2
import numpy as np
from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from proctor import Frame, FrameSource
from proctor.detections import Box
from proctor.faces import FaceDetector
from ui import theme
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


class Guide(StrEnum):
    """A framing guide drawn over the picture: where the card or the face should be."""

    NONE = "none"
    CARD = "card"  # an ID-1 card outline (85.6 x 54 mm), the size a held-up card fills
    FACE = "face"  # an oval where the face belongs


#: Width over height of an ID-1 card (ISO/IEC 7810): driving licences, ID cards, bank cards.
CARD_ASPECT = 85.60 / 53.98


class CameraView(QWidget):
    """The latest picture, filling the view (cropped, never letterboxed), with a framing guide
    and the faces found drawn over it, and an optional badge (Recording) in its corner."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.setMinimumSize(160, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.frames_shown = 0
        self.last: PreviewFrame | None = None
        self.guide = Guide.NONE
        self.guide_met = False
        self.badge = ""
        self.message = ""
        self._pixmap: QPixmap | None = None

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return round(width * 3 / 4)

    def sizeHint(self) -> QSize:
        return QSize(640, 480)

    def set_guide(self, guide: Guide) -> None:
        self.guide = guide
        self.guide_met = False
        self.update()

    def set_badge(self, badge: str) -> None:
        self.badge = badge
        self.update()

    def show_frame(self, frame: PreviewFrame) -> None:
        self.last = frame
        self.message = ""
        self.frames_shown += 1
        self._pixmap = QPixmap.fromImage(frame.image)
        self.update()

    def show_message(self, text: str) -> None:
        self.last = None
        self._pixmap = None
        self.message = text
        self.update()

    def _placement(self) -> tuple[QRectF, float]:
        """Where the picture is drawn (covering the view) and its scale."""
        assert self._pixmap is not None
        w, h = self._pixmap.width(), self._pixmap.height()
        scale = max(self.width() / w, self.height() / h)
        drawn = QRectF(0, 0, w * scale, h * scale)
        drawn.moveCenter(QRectF(self.rect()).center())
        return drawn, scale

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        view = QRectF(self.rect())
        clip = QPainterPath()
        radius = theme.current().radius("l")
        clip.addRoundedRect(view, radius, radius)
        painter.setClipPath(clip)
        painter.fillRect(view, theme.colour("camera"))
        if self._pixmap is not None:
            drawn, scale = self._placement()
            painter.drawPixmap(drawn, self._pixmap, QRectF(self._pixmap.rect()))
            if self.last is not None and self.guide is not Guide.CARD:
                painter.setPen(QPen(theme.colour("success"), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                for x, y, w, h in self.last.faces:
                    painter.drawRoundedRect(
                        QRectF(drawn.x() + x * scale, drawn.y() + y * scale, w * scale, h * scale),
                        8,
                        8,
                    )
        self._paint_guide(painter, view)
        if self.message:
            painter.setPen(theme.colour("on_camera"))
            painter.setFont(theme.font("lead", weight=QFont.Weight.DemiBold))
            painter.drawText(
                view.adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.message,
            )
        if self.badge:
            self._paint_badge(painter)
        painter.end()

    def guide_area(self) -> QRectF:
        """Where the guide asks the card or the face to be, in view coordinates."""
        view = QRectF(self.rect())
        if self.guide is Guide.CARD:
            width = min(view.width() * 0.72, view.height() * 0.72 * CARD_ASPECT)
            area = QRectF(0, 0, width, width / CARD_ASPECT)
        else:
            height = view.height() * 0.68
            area = QRectF(0, 0, height * 0.74, height)
        area.moveCenter(view.center())
        return area

    def _paint_guide(self, painter: QPainter, view: QRectF) -> None:
        if self.guide is Guide.NONE:
            return
        area = self.guide_area()
        shape = QPainterPath()
        if self.guide is Guide.CARD:
            shape.addRoundedRect(area, area.width() * 0.045, area.width() * 0.045)
        else:
            shape.addEllipse(area)
        outside = QPainterPath()
        outside.addRect(view)
        painter.fillPath(outside.subtracted(shape), QColor(0, 0, 0, 110))
        colour = theme.colour("success") if self.guide_met else theme.colour("guide")
        pen = QPen(colour, 4 if self.guide_met else 3, Qt.PenStyle.SolidLine)
        if not self.guide_met:
            pen.setDashPattern([6, 4])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(shape)

    def _paint_badge(self, painter: QPainter) -> None:
        font = theme.font("small", weight=QFont.Weight.Bold)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        pad = 10
        dot = metrics.height() * 0.55
        width = pad * 2 + dot + 8 + metrics.horizontalAdvance(self.badge)
        pill = QRectF(14, 14, width, metrics.height() + pad)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setBrush(theme.colour("recording"))
        painter.drawEllipse(
            QRectF(pill.left() + pad, pill.center().y() - dot / 2, dot, dot)
        )
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(
            pill.adjusted(pad + dot + 8, 0, -pad, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            self.badge,
        )


class FramePublisher(QObject):
    """Hands frames from the proctor's reading thread to a view, at most `max_fps` a second."""

    frame = Signal(object)  # PreviewFrame, on the GUI thread
    _frame = Signal(object)

    def __init__(self, max_fps: float = 5.0, max_width: int = 640) -> None:
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
