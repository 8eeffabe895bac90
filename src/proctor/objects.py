"""Person and object detection with an Ultralytics-exported YOLO ONNX model on ONNX Runtime.

The class names come from the model's own `names` metadata and are mapped to what they mean to
the proctor (`ClassMap`), so the fall-detection model here (Normal/Fall, both a person) and a
COCO export (person, cell phone, book, laptop...) work without code changes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from proctor.detections import Box, ObjectCategory, ObjectDetection
from proctor.loaders import PERSON_MODEL, yolo_session

_PAD_VALUE = 114  # the grey Ultralytics pads with during training


@dataclass(frozen=True)
class ClassMap:
    """Which model labels are a person and which are banned; matching ignores case."""

    person: frozenset[str]
    banned: frozenset[str]

    @classmethod
    def of(cls, person: Iterable[str], banned: Iterable[str]) -> ClassMap:
        return cls(frozenset(p.casefold() for p in person), frozenset(b.casefold() for b in banned))

    def category(self, label: str) -> ObjectCategory:
        key = label.casefold()
        if key in self.person:
            return ObjectCategory.PERSON
        if key in self.banned:
            return ObjectCategory.BANNED
        return ObjectCategory.OTHER


@dataclass(frozen=True)
class Letterbox:
    """How a frame was fitted into the model's square input, to map boxes back."""

    scale: float
    left: int
    top: int

    @classmethod
    def fit(cls, image: np.ndarray, side: int) -> tuple[np.ndarray, Letterbox]:
        height, width = image.shape[:2]
        scale = min(side / height, side / width)
        new_w, new_h = round(width * scale), round(height * scale)
        top, left = (side - new_h) // 2, (side - new_w) // 2
        canvas = np.full((side, side, 3), _PAD_VALUE, np.uint8)
        canvas[top : top + new_h, left : left + new_w] = cv2.resize(
            image, (new_w, new_h), interpolation=cv2.INTER_LINEAR
        )
        return canvas, cls(scale, left, top)

    def to_frame(self, cx: float, cy: float, w: float, h: float) -> Box:
        """A model-space centre/size box as a frame-space `Box`."""
        return Box(
            (cx - w / 2 - self.left) / self.scale,
            (cy - h / 2 - self.top) / self.scale,
            w / self.scale,
            h / self.scale,
        )


def read_class_names(session: ort.InferenceSession) -> dict[int, str]:
    """The `names` dictionary Ultralytics writes into an exported model's metadata."""
    raw = session.get_modelmeta().custom_metadata_map.get("names")
    if not raw:
        raise ValueError("the ONNX model has no `names` metadata; export it with Ultralytics")
    names = ast.literal_eval(raw)
    return {int(k): str(v) for k, v in names.items()}


class ObjectDetector:
    """YOLOv8-style detector: letterbox, one ONNX Runtime call, score filter, per-category NMS.

    NMS runs per category so a phone held in front of a person is not suppressed by the
    person's larger box, while overlapping Normal/Fall boxes of one person collapse into one.
    """

    def __init__(
        self,
        class_map: ClassMap,
        *,
        model: str = PERSON_MODEL,
        score_threshold: float = 0.4,
        iou_threshold: float = 0.5,
        models_dir: Path | None = None,
    ) -> None:
        self._session = yolo_session(model, models_dir)
        self._input = self._session.get_inputs()[0]
        self.side = int(self._input.shape[2])
        self.names = read_class_names(self._session)
        self.class_map = class_map
        self.score_threshold = score_threshold
        self.iou_threshold = iou_threshold
        meta = self._session.get_modelmeta().custom_metadata_map
        self.name = (
            f"YOLO {Path(model).stem} (Ultralytics {meta.get('version', '?')}, "
            f"ONNX Runtime {ort.__version__})"
        )

    def detect(self, image: np.ndarray) -> tuple[ObjectDetection, ...]:
        """Detections in a BGR frame, most confident first."""
        canvas, letterbox = Letterbox.fit(image, self.side)
        blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
        output = self._session.run(None, {self._input.name: blob})[0][0]
        if output.shape[0] > output.shape[1]:  # (anchors, 4 + classes) layout
            output = output.T
        return self._decode(output, letterbox)

    def _decode(self, output: np.ndarray, letterbox: Letterbox) -> tuple[ObjectDetection, ...]:
        class_scores = output[4:]
        classes = class_scores.argmax(axis=0)
        scores = class_scores[classes, np.arange(class_scores.shape[1])]
        keep = scores >= self.score_threshold
        if not keep.any():
            return ()
        boxes, classes, scores = output[:4, keep].T, classes[keep], scores[keep]
        labels = [self.names.get(int(c), str(int(c))) for c in classes]
        categories = [self.class_map.category(label) for label in labels]
        category_ids = [list(ObjectCategory).index(c) for c in categories]
        corner_boxes = [[cx - w / 2, cy - h / 2, w, h] for cx, cy, w, h in boxes.tolist()]
        kept = cv2.dnn.NMSBoxesBatched(
            corner_boxes, scores.tolist(), category_ids, self.score_threshold, self.iou_threshold
        )
        found = [
            ObjectDetection(
                labels[i], categories[i], letterbox.to_frame(*boxes[i].tolist()), float(scores[i])
            )
            for i in np.asarray(kept, dtype=int).reshape(-1)
        ]
        return tuple(sorted(found, key=lambda d: d.score, reverse=True))
