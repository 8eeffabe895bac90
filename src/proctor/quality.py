"""Frame statistics that reveal a covered, dark or frozen camera without any model."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WORK_WIDTH = 320  # statistics on a half-size grey copy: same answer, a quarter of the cost


@dataclass(frozen=True)
class FrameStats:
    """Brightness, contrast, and change since the previous frame (None for the first)."""

    mean: float
    std: float
    change: float | None


class FrameStatsMeter:
    """Computes `FrameStats` for consecutive frames of one stream."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None

    def measure(self, image: np.ndarray) -> FrameStats:
        grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
        if grey.shape[1] > _WORK_WIDTH:
            height = round(grey.shape[0] * _WORK_WIDTH / grey.shape[1])
            grey = cv2.resize(grey, (_WORK_WIDTH, height), interpolation=cv2.INTER_AREA)
        mean, std = cv2.meanStdDev(grey)
        change = None
        if self._previous is not None and self._previous.shape == grey.shape:
            change = float(cv2.absdiff(grey, self._previous).mean())
        self._previous = grey
        return FrameStats(float(mean[0][0]), float(std[0][0]), change)
