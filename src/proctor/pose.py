"""Head pose from YuNet's five landmarks, fitted to a generic 3-D face with solvePnP.

Five points are enough for yaw and pitch to within ~10 degrees, which is all the looking-away
rule needs (its threshold is 30 degrees); a dense landmark model would cost more than the face
detector itself.
"""

from __future__ import annotations

import cv2
import numpy as np

from proctor.detections import FaceDetection, HeadPose

#: A generic adult face in camera-like axes (x right, y down, z away from the camera), nose tip
#: at the origin, in arbitrary units; the order matches `FaceDetection.landmarks`. The eye-nose
#: to nose-mouth height ratio (1.25) is what YuNet measures on frontal faces.
GENERIC_FACE = np.array(
    [
        [-165.0, -175.0, 135.0],  # eye on the image's left
        [165.0, -175.0, 135.0],  # eye on the image's right
        [0.0, 0.0, 0.0],  # nose tip
        [-150.0, 140.0, 125.0],  # mouth corner on the image's left
        [150.0, 140.0, 125.0],  # mouth corner on the image's right
    ]
)


def camera_matrix(image_size: tuple[int, int]) -> np.ndarray:
    """A pinhole camera with focal length equal to the image width (a typical webcam's ~60 deg)."""
    width, height = image_size
    return np.array([[width, 0, width / 2], [0, width, height / 2], [0, 0, 1]], dtype=np.float64)


def estimate_head_pose(face: FaceDetection, image_size: tuple[int, int]) -> HeadPose | None:
    """Yaw, pitch and roll of `face`, or None when the landmarks admit no solution."""
    image_points = np.array(face.landmarks, dtype=np.float64)
    ok, rvec, _ = cv2.solvePnP(
        GENERIC_FACE, image_points, camera_matrix(image_size), None, flags=cv2.SOLVEPNP_SQPNP
    )
    if not ok:
        return None
    rotation, _ = cv2.Rodrigues(rvec)
    pitch, yaw, roll = cv2.RQDecomp3x3(rotation)[0]
    return HeadPose(yaw=float(-yaw), pitch=float(pitch), roll=float(roll))
