"""Face detection with OpenCV's YuNet, returning `FaceDetection`s in frame coordinates."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from proctor.detections import FaceDetection
from proctor.loaders import YUNET_FILE, yunet_path

_NMS_THRESHOLD = 0.3
_TOP_K = 50


class FaceDetector:
    """YuNet on a copy of the frame scaled so its longer side is at most `max_side`.

    A candidate's face at a kiosk fills a good part of the frame, so detecting on a 320-pixel
    copy finds it at a quarter of the cost of the full 640x480 frame; landmarks are scaled back.
    One instance serves one thread (the cv2 object keeps per-call state).
    """

    def __init__(
        self, score_threshold: float = 0.7, max_side: int = 640, models_dir: Path | None = None
    ) -> None:
        self.max_side = max_side
        self._detector = cv2.FaceDetectorYN.create(
            str(yunet_path(models_dir)), "", (320, 320), score_threshold, _NMS_THRESHOLD, _TOP_K
        )
        self._input_size: tuple[int, int] | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return f"YuNet {Path(YUNET_FILE).stem} (OpenCV {cv2.__version__})"

    def detect(self, image: np.ndarray) -> tuple[FaceDetection, ...]:
        """Faces in a BGR image, most confident first."""
        height, width = image.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        small = (
            image
            if scale == 1.0
            else cv2.resize(
                image, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA
            )
        )
        size = (small.shape[1], small.shape[0])
        with self._lock:
            if size != self._input_size:
                self._detector.setInputSize(size)
                self._input_size = size
            _, rows = self._detector.detect(small)
        if rows is None:
            return ()
        faces = (FaceDetection.from_yunet_row(row, 1.0 / scale) for row in rows)
        return tuple(sorted(faces, key=lambda face: face.score, reverse=True))
