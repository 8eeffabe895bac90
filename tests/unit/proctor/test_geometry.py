"""Head pose on exact projections, letterbox mapping and class mapping."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from proctor.detections import Box, FaceDetection, ObjectCategory
from proctor.objects import ClassMap, Letterbox, read_class_names
from proctor.pose import GENERIC_FACE, camera_matrix, estimate_head_pose


def _projected_face(yaw: float, pitch: float) -> FaceDetection:
    """The generic face turned by yaw/pitch (degrees) 2.5 m... units in front of the camera."""
    turn, _ = cv2.Rodrigues(np.array([0.0, np.radians(-yaw), 0.0]))
    tilt, _ = cv2.Rodrigues(np.array([np.radians(pitch), 0.0, 0.0]))
    rvec, _ = cv2.Rodrigues(turn @ tilt)
    points, _ = cv2.projectPoints(
        GENERIC_FACE, rvec, np.array([0.0, 0.0, 2500.0]), camera_matrix((640, 480)), None
    )
    landmarks = tuple(tuple(map(float, p)) for p in points.reshape(-1, 2))
    return FaceDetection(Box(0, 0, 1, 1), landmarks, 0.9)  # type: ignore[arg-type]


@pytest.mark.parametrize(("yaw", "pitch"), [(0, 0), (40, 0), (-40, 0), (0, 25), (20, -15)])
def test_pose_recovers_known_angles(yaw, pitch):
    pose = estimate_head_pose(_projected_face(yaw, pitch), (640, 480))
    assert pose is not None
    assert pose.yaw == pytest.approx(yaw, abs=1.0)
    assert pose.pitch == pytest.approx(pitch, abs=1.0)


def test_yunet_row_conversion_scales_back():
    row = [10, 20, 30, 40, *range(10), 0.9]
    face = FaceDetection.from_yunet_row(row, scale=2.0)
    assert face.box == Box(20, 40, 60, 80)
    assert face.landmarks[0] == (0.0, 2.0) and face.score == pytest.approx(0.9)


def test_letterbox_maps_boxes_back_to_the_frame():
    image = np.zeros((480, 640, 3), np.uint8)
    canvas, box = Letterbox.fit(image, 640)
    assert canvas.shape == (640, 640, 3) and box.top == 80 and box.left == 0
    mapped = box.to_frame(cx=320, cy=320, w=100, h=50)
    assert mapped == Box(270, 215, 100, 50)


def test_class_map_covers_person_model_and_coco_names():
    mapping = ClassMap.of(["person", "normal", "fall"], ["cell phone", "book"])
    assert mapping.category("Normal") is ObjectCategory.PERSON
    assert mapping.category("Fall") is ObjectCategory.PERSON
    assert mapping.category("person") is ObjectCategory.PERSON
    assert mapping.category("cell phone") is ObjectCategory.BANNED
    assert mapping.category("chair") is ObjectCategory.OTHER


def test_class_names_come_from_model_metadata():
    coco = "{0: 'person', 67: 'cell phone', 73: 'book'}"
    assert read_class_names({"names": coco}) == {0: "person", 67: "cell phone", 73: "book"}
    with pytest.raises(ValueError, match="names"):
        read_class_names({})


def test_banned_objects_are_described_in_words_for_a_reviewer() -> None:
    from proctor.objects import describe_objects

    assert describe_objects(["cell phone", "tvmonitor", "cell phone"]) == "a phone, a second screen"
    assert describe_objects(["Laptop"]) == "a laptop or a second screen"
    assert describe_objects(["umbrella", "bottle"]) == "a bottle, an umbrella"  # no list entry
