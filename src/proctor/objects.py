"""Person and object detection with a YOLO ONNX model on ONNX Runtime.

Two model families run here: Ultralytics exports (the YOLOv8 person detector) and Darknet
YOLOv3 networks converted by `modelstore.convert.darknet` (the COCO yolov3-tiny that sees
phones, books, laptops and screens); `proctor.decoders` reads either output. The class names
come from the model's own `names` metadata and are mapped to what they mean to the proctor
(`ClassMap`), so the fall-detection model (Normal/Fall, both a person) and a COCO model
(person, cell phone, book, laptop, tvmonitor...) work without code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import onnxruntime as ort

from integrity.objects import ClassMap, ObjectCategory, describe_objects
from integrity.policy import Policy
from proctor.decoders import Candidates, decoder_for, read_class_names
from proctor.detections import Box, ObjectDetection
from proctor.loaders import OBJECT_MODEL, yolo_session


@dataclass(frozen=True)
class Letterbox:
    """How a frame was fitted into the model's square input, to map boxes back."""

    scale: float
    left: int
    top: int

    @classmethod
    def fit(
        cls, image: np.ndarray, side: int, pad_value: int = 114
    ) -> tuple[np.ndarray, Letterbox]:
        height, width = image.shape[:2]
        scale = min(side / height, side / width)
        new_w, new_h = round(width * scale), round(height * scale)
        top, left = (side - new_h) // 2, (side - new_w) // 2
        canvas = np.full((side, side, 3), pad_value, np.uint8)
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


class ObjectDetector:
    """YOLO detector: letterbox, one ONNX Runtime call, decode, score filter, per-category NMS.

    NMS runs per category so a phone held in front of a person is not suppressed by the
    person's larger box, while overlapping Normal/Fall boxes of one person collapse into one.
    `input_size` applies to models whose input size is not fixed (the Darknet conversions);
    by default they run at their network's own size (416 for yolov3-tiny). Banned objects may
    have their own `banned_score` (a weak model sees them with less confidence than people).
    """

    def __init__(
        self,
        class_map: ClassMap,
        *,
        model: str = OBJECT_MODEL,
        score_threshold: float = 0.4,
        iou_threshold: float = 0.5,
        models_dir: Path | None = None,
        input_size: int | None = None,
        banned_score: float | None = None,
    ) -> None:
        self._session = yolo_session(model, models_dir)
        self._input = self._session.get_inputs()[0]
        meta = self._session.get_modelmeta().custom_metadata_map
        self._decoder = decoder_for(meta)
        self.side = self._input_side(input_size)
        self.names = self._decoder.names
        self.class_map = class_map
        self.score_threshold = score_threshold
        self.banned_score = score_threshold if banned_score is None else banned_score
        self.iou_threshold = iou_threshold
        origin = meta.get("version")
        made_by = f"Ultralytics {origin}" if origin else "Darknet, converted"
        self.name = (
            f"YOLO {Path(model).stem} {self.side} px ({made_by}, ONNX Runtime {ort.__version__})"
        )

    def _input_side(self, requested: int | None) -> int:
        fixed = self._input.shape[2]
        if isinstance(fixed, int):
            return fixed  # an Ultralytics export: its size is baked in
        side = requested or getattr(self._decoder, "default_side", 416)
        stride = getattr(self._decoder, "stride", 32)
        if side % stride:
            raise ValueError(f"object detector input size {side} is not a multiple of {stride}")
        return side

    def detect(self, image: np.ndarray) -> tuple[ObjectDetection, ...]:
        """Detections in a BGR frame, most confident first."""
        canvas, letterbox = Letterbox.fit(image, self.side, self._decoder.pad_value)
        blob = canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0
        outputs = self._session.run(None, {self._input.name: blob})
        candidates = self._decoder.decode(outputs, (self.side, self.side))
        return self._select(
            candidates.above(min(self.score_threshold, self.banned_score)), letterbox
        )

    def _select(self, found: Candidates, letterbox: Letterbox) -> tuple[ObjectDetection, ...]:
        labels = [self.names.get(int(c), str(int(c))) for c in found.classes]
        categories = [self.class_map.category(label) for label in labels]
        threshold = {
            ObjectCategory.BANNED: self.banned_score,
            ObjectCategory.PERSON: self.score_threshold,
            ObjectCategory.OTHER: self.score_threshold,
        }
        keep = [i for i, c in enumerate(categories) if found.scores[i] >= threshold[c]]
        if not keep:
            return ()
        category_ids = [list(ObjectCategory).index(categories[i]) for i in keep]
        corner_boxes = [
            [cx - w / 2, cy - h / 2, w, h] for cx, cy, w, h in found.boxes[keep].tolist()
        ]
        scores = found.scores[keep].tolist()
        kept = cv2.dnn.NMSBoxesBatched(corner_boxes, scores, category_ids, 0.0, self.iou_threshold)
        detections = [
            ObjectDetection(
                labels[keep[i]],
                categories[keep[i]],
                letterbox.to_frame(*found.boxes[keep[i]].tolist()),
                float(scores[i]),
            )
            for i in np.asarray(kept, dtype=int).reshape(-1)
        ]
        return tuple(sorted(detections, key=lambda d: d.score, reverse=True))


def object_detector_for(policy: Policy, models_dir: Path | None = None) -> ObjectDetector:
    """The detector the policy asks for, with its class lists and thresholds."""
    d = policy.detection
    return ObjectDetector(
        ClassMap.of(policy.objects.person, policy.objects.banned),
        model=d.object_model,
        score_threshold=d.object_score,
        banned_score=d.banned_score,
        iou_threshold=d.object_iou,
        models_dir=models_dir,
    )


__all__ = [
    "ClassMap",
    "Letterbox",
    "ObjectDetector",
    "describe_objects",
    "object_detector_for",
    "read_class_names",
]
