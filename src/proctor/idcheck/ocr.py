"""Text lines from an ID card image, via RapidOCR (PP-OCR models on ONNX Runtime)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from proctor.detections import Box


@dataclass(frozen=True)
class OcrLine:
    """One recognised line of text, its recognition confidence and where it is."""

    text: str
    confidence: float
    box: Box

    @classmethod
    def from_rapidocr(cls, quad: Any, text: str, score: float) -> OcrLine:
        """Convert one RapidOCR result (4-corner polygon, text, score)."""
        points = np.asarray(quad, dtype=np.float64).reshape(-1, 2)
        x0, y0 = points.min(axis=0)
        x1, y1 = points.max(axis=0)
        return cls(text.strip(), float(score), Box(x0, y0, x1 - x0, y1 - y0))


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR  # imported on first use: it loads three ONNX models

    return RapidOCR(params={"Global.log_level": "error"})


class IdCardReader:
    """Reads all text lines of a card; the engine is shared and used by one thread at a time."""

    _lock = threading.Lock()

    def read(self, image: np.ndarray) -> tuple[OcrLine, ...]:
        """Lines of a BGR image, top to bottom then left to right."""
        with self._lock:
            result = _engine()(image)
        if result.txts is None or result.boxes is None or result.scores is None:
            return ()
        lines = [
            OcrLine.from_rapidocr(quad, text, score)
            for quad, text, score in zip(result.boxes, result.txts, result.scores, strict=True)
            if text.strip()
        ]
        return tuple(sorted(lines, key=lambda line: (round(line.box.y / 10), line.box.x)))
