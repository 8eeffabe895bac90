"""Turn a YOLO model's raw output into candidate boxes, whichever family produced it.

Two layouts are understood, told apart by the model's metadata:

* Ultralytics exports (YOLOv8 and later): one tensor (1, 4 + classes, anchors) of centre/size
  boxes in input pixels and per-class scores, already activated.
* Darknet YOLOv3 heads as `modelstore.convert.darknet` writes them (`format = darknet-yolo`):
  one raw tensor (1, anchors * (5 + classes), rows, columns) per head; a box is
  `((sigmoid(tx) + column) * stride, (sigmoid(ty) + row) * stride, anchor_w * exp(tw),
  anchor_h * exp(th))`, and a class's score is `sigmoid(objectness) * sigmoid(class)`, as in
  Darknet's own `get_yolo_detections`.

Both return `Candidates` in input pixels; the detector filters, suppresses and maps them back.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from typing import Protocol

import numpy as np

DARKNET_FORMAT = "darknet-yolo"


@dataclass(frozen=True)
class Candidates:
    """Boxes as (cx, cy, w, h) rows in model-input pixels, best class and its score per box."""

    boxes: np.ndarray
    classes: np.ndarray
    scores: np.ndarray

    def above(self, threshold: float) -> Candidates:
        keep = self.scores >= threshold
        return Candidates(self.boxes[keep], self.classes[keep], self.scores[keep])


class Decoder(Protocol):
    #: grey level the letterbox pads with: what the model saw around images during training
    pad_value: int
    names: dict[int, str]

    def decode(self, outputs: list[np.ndarray], side: tuple[int, int]) -> Candidates: ...


def read_class_names(metadata: dict[str, str]) -> dict[int, str]:
    """The `names` dictionary an exporter wrote into the model's metadata."""
    raw = metadata.get("names")
    if not raw:
        raise ValueError(
            "the ONNX model has no `names` metadata; export it with Ultralytics or convert it "
            "with modelstore.convert.darknet"
        )
    names = ast.literal_eval(raw)
    return {int(k): str(v) for k, v in names.items()}


class UltralyticsDecoder:
    pad_value = 114  # the grey Ultralytics pads with during training

    def __init__(self, metadata: dict[str, str]) -> None:
        self.names = read_class_names(metadata)

    def decode(self, outputs: list[np.ndarray], side: tuple[int, int]) -> Candidates:
        output = outputs[0][0]
        if output.shape[0] > output.shape[1]:  # (anchors, 4 + classes) layout
            output = output.T
        class_scores = output[4:]
        classes = class_scores.argmax(axis=0)
        scores = class_scores[classes, np.arange(class_scores.shape[1])]
        return Candidates(output[:4].T, classes, scores)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


class DarknetDecoder:
    pad_value = 127  # Darknet letterboxes with 0.5 grey

    def __init__(self, metadata: dict[str, str]) -> None:
        self.names = read_class_names(metadata)
        heads = json.loads(metadata["heads"])
        self.head_anchors = [np.asarray(h["anchors"], np.float32) for h in heads]
        self.default_side = int(json.loads(metadata["input_size"])[0])
        self.stride = int(metadata.get("stride", "32"))

    def decode(self, outputs: list[np.ndarray], side: tuple[int, int]) -> Candidates:
        width, height = side
        boxes, classes, scores = [], [], []
        for output, anchors in zip(outputs, self.head_anchors, strict=True):
            _, channels, rows, columns = output.shape
            head = output[0].reshape(len(anchors), channels // len(anchors), rows, columns)
            grid_y, grid_x = np.mgrid[0:rows, 0:columns].astype(np.float32)
            cx = (_sigmoid(head[:, 0]) + grid_x) * (width / columns)
            cy = (_sigmoid(head[:, 1]) + grid_y) * (height / rows)
            w = np.exp(head[:, 2]) * anchors[:, 0, None, None]
            h = np.exp(head[:, 3]) * anchors[:, 1, None, None]
            class_scores = _sigmoid(head[:, 4:5]) * _sigmoid(head[:, 5:])
            best = class_scores.argmax(axis=1)
            boxes.append(np.stack([cx, cy, w, h], axis=-1).reshape(-1, 4))
            classes.append(best.reshape(-1))
            scores.append(np.take_along_axis(class_scores, best[:, None], axis=1).reshape(-1))
        return Candidates(np.concatenate(boxes), np.concatenate(classes), np.concatenate(scores))


def decoder_for(metadata: dict[str, str]) -> UltralyticsDecoder | DarknetDecoder:
    """The decoder matching the model's metadata (Darknet conversions say so; else Ultralytics)."""
    if metadata.get("format") == DARKNET_FORMAT:
        return DarknetDecoder(metadata)
    return UltralyticsDecoder(metadata)
