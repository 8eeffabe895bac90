"""Our own result types for detector output, converted at the edge from library arrays.

Library rows (YuNet's 15 floats, YOLO's 4+classes columns) never leave the detector modules, so
the rules, the UI and the reports depend only on these frozen dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from integrity.objects import ObjectCategory

Point = tuple[float, float]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in image pixels."""

    x: float
    y: float
    width: float
    height: float

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def touches_edge(self, image_size: tuple[int, int], margin: float) -> bool:
        """True if the box reaches within `margin` (a fraction of the image side) of an edge."""
        width, height = image_size
        mx, my = margin * width, margin * height
        return (
            self.x <= mx
            or self.y <= my
            or self.x + self.width >= width - mx
            or self.y + self.height >= height - my
        )


@dataclass(frozen=True)
class FaceDetection:
    """A face with YuNet's five landmarks.

    Landmarks are in image order: the eye on the image's left (the subject's right eye), the
    other eye, the nose tip, then the mouth corners in the same left-to-right order.
    """

    box: Box
    landmarks: tuple[Point, Point, Point, Point, Point]
    score: float

    @classmethod
    def from_yunet_row(cls, row: Sequence[float], scale: float = 1.0) -> FaceDetection:
        """Convert one row of `cv2.FaceDetectorYN.detect` output (x, y, w, h, 5x(x, y), score).

        `scale` maps the detector's input back to the original frame when it ran on a
        downscaled copy.
        """
        values = [float(v) * scale for v in row[:14]]
        points = tuple((values[i], values[i + 1]) for i in range(4, 14, 2))
        return cls(Box(*values[:4]), points, float(row[14]))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ObjectDetection:
    """A person or object found by a YOLO detector."""

    label: str
    category: ObjectCategory
    box: Box
    score: float


@dataclass(frozen=True)
class HeadPose:
    """Head rotation in degrees relative to facing the camera.

    `yaw` is positive when the face turns towards the image's right, `pitch` positive when it
    tilts down; only their magnitudes drive the looking-away rule.
    """

    yaw: float
    pitch: float
    roll: float


@dataclass(frozen=True)
class ObjectReport:
    """One run of the person/object detector, reused by the frames until the next run."""

    timestamp: float
    detections: tuple[ObjectDetection, ...]
    latency_ms: float
    detector: str

    def of(self, category: ObjectCategory) -> tuple[ObjectDetection, ...]:
        return tuple(d for d in self.detections if d.category is category)
