"""The converted yolov3-tiny and its decoder agree with an independent Darknet reader.

The reference is OpenCV 4.14's `readNetFromDarknet` run on the package's original .cfg and
.weights (`tools/darknet_reference.py`, in a throwaway environment: the kiosk's OpenCV 5 has no
Darknet reader). It recorded, on five evaluation photos at two input sizes, the raw head
tensors' largest difference from the converted model and its own decoded detections.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from bench import proctor_eval
from tools.darknet_reference import NMS_IOU, SCORE, blob_of, square_canvas

from modelstore import load_manifest
from proctor.decoders import DarknetDecoder
from proctor.loaders import OBJECT_MODEL, yolo_session

REFERENCE = json.loads(
    (Path(__file__).parents[2] / "data" / "proctor" / "darknet_opencv_reference.json").read_text()
)
CASES = [(photo, int(side)) for photo, sides in REFERENCE["photos"].items() for side in sides]


def test_reference_was_made_with_the_pinned_model():
    (entry,) = load_manifest().files_of(OBJECT_MODEL)
    assert REFERENCE["model_sha256"] == entry.sha256
    assert REFERENCE["opencv"].startswith("4.")


@pytest.mark.parametrize(("photo", "side"), CASES)
def test_raw_heads_matched_opencv_to_float_precision(photo, side):
    recorded = REFERENCE["photos"][photo][str(side)]
    for difference, largest in zip(
        recorded["raw_max_abs_difference"], recorded["raw_max_abs_value"], strict=True
    ):
        assert difference < 1e-5 * largest + 1e-4


@pytest.mark.parametrize(("photo", "side"), CASES)
def test_decoded_detections_match_opencv(photo, side):
    session = yolo_session(OBJECT_MODEL)
    decoder = DarknetDecoder(session.get_modelmeta().custom_metadata_map)
    blob = blob_of(square_canvas(np.asarray(proctor_eval.load(photo)), side))
    found = decoder.decode(session.run(None, {"images": blob}), (side, side)).above(SCORE)
    corners = [[cx - w / 2, cy - h / 2, w, h] for cx, cy, w, h in found.boxes.tolist()]
    kept = np.asarray(
        cv2.dnn.NMSBoxesBatched(
            corners, found.scores.tolist(), found.classes.tolist(), SCORE, NMS_IOU
        ),
        int,
    ).reshape(-1)
    ours = sorted(kept, key=lambda i: -found.scores[i])
    expected = REFERENCE["photos"][photo][str(side)]["detections"]
    assert len(ours) == len(expected)
    for index, reference in zip(ours, expected, strict=True):
        assert int(found.classes[index]) == reference["class"]
        assert found.scores[index] == pytest.approx(reference["score"], abs=1e-3)
        assert found.boxes[index] / side == pytest.approx(reference["box_cxcywh"], abs=1e-3)
