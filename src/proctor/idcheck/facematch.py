"""Is the live face the face on the ID card? dlib's ResNet descriptor distance, with a margin.

Faces are found with YuNet (the proctor's detector), aligned with dlib's 5-point shape
predictor and described by dlib's 128-d ResNet embedding. The usual 0.6 distance threshold is
too lenient here: two different men in Ultralytics' zidane.jpg measure 0.578 (see
docs/proctoring.md for all measurements), so the policy sets 0.54 and asks an invigilator to
decide anything within `review_margin` of it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import cv2
import numpy as np

from proctor.detections import FaceDetection
from proctor.faces import FaceDetector
from proctor.loaders import dlib_face_models

_ID_FACE_SCORE = 0.7  # as in proctoring: lower lets hands and ears in (zidane.jpg)
_ID_MAX_SIDE = 1280  # card photos are small: detect at full resolution


class MatchDecision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    REVIEW = "review"  # too close to the threshold to decide automatically
    NO_FACE = "no_face"  # no face found on the card or in the live image


@dataclass(frozen=True)
class FaceMatch:
    """Distance (lower = more alike) and cosine similarity of the two descriptors."""

    decision: MatchDecision
    distance: float | None
    similarity: float | None
    threshold: float
    review_margin: float
    detail: str
    timings_ms: tuple[tuple[str, float], ...] = ()


class FaceMatcher:
    def __init__(
        self, threshold: float, review_margin: float, models_dir: Path | None = None
    ) -> None:
        self.threshold = threshold
        self.review_margin = review_margin
        self.detector = FaceDetector(_ID_FACE_SCORE, _ID_MAX_SIDE, models_dir)
        self._dlib = dlib_face_models(models_dir)

    def descriptor(self, image: np.ndarray) -> tuple[np.ndarray, FaceDetection] | None:
        """The 128-d descriptor of the largest face in a BGR image, or None without a face."""
        faces = self.detector.detect(image)
        if not faces:
            return None
        face = max(faces, key=lambda f: f.box.area)
        return self.describe(image, face), face

    def describe(self, image: np.ndarray, face: FaceDetection) -> np.ndarray:
        """The descriptor of one detected face, aligned by dlib's 5-point shape predictor."""
        import dlib

        rgb = np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
        b = face.box
        rect = dlib.rectangle(int(b.x), int(b.y), int(b.x + b.width), int(b.y + b.height))
        shape = self._dlib.shape_predictor(rgb, rect)
        return np.asarray(self._dlib.descriptor.compute_face_descriptor(rgb, shape))

    def compare(self, id_image: np.ndarray, live_image: np.ndarray) -> FaceMatch:
        started = time.perf_counter()
        on_card = self.descriptor(id_image)
        card_ms = (time.perf_counter() - started) * 1000
        live = self.descriptor(live_image)
        live_ms = (time.perf_counter() - started) * 1000 - card_ms
        timings = (("id_face", card_ms), ("live_face", live_ms))
        if on_card is None or live is None:
            where = "on the ID card" if on_card is None else "in the live image"
            return FaceMatch(
                MatchDecision.NO_FACE,
                None,
                None,
                self.threshold,
                self.review_margin,
                f"no face found {where}",
                timings,
            )
        a, b = on_card[0], live[0]
        distance = float(np.linalg.norm(a - b))
        similarity = float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))
        if abs(distance - self.threshold) <= self.review_margin:
            decision, detail = MatchDecision.REVIEW, "close to the threshold: compare by eye"
        elif distance < self.threshold:
            decision, detail = MatchDecision.MATCH, "the faces match"
        else:
            decision, detail = MatchDecision.NO_MATCH, "the faces look like different people"
        return FaceMatch(
            decision,
            round(distance, 4),
            round(similarity, 4),
            self.threshold,
            self.review_margin,
            detail,
            timings,
        )
