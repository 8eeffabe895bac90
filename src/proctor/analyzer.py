"""Everything measured on one frame: statistics, faces, head pose and the latest objects."""

from __future__ import annotations

import time
from dataclasses import dataclass

from proctor.detections import FaceDetection, HeadPose, ObjectReport
from proctor.faces import FaceDetector
from proctor.frames import Frame
from proctor.pose import estimate_head_pose
from proctor.quality import FrameStats, FrameStatsMeter
from proctor.scheduling import BackgroundObjectScheduler, InlineObjectScheduler


@dataclass(frozen=True)
class FrameAnalysis:
    """One frame's measurements and what each stage cost (milliseconds, by stage name).

    `pose` is that of `primary_face`, the largest face: the candidate sits closest to the camera.
    `objects` is the latest object report, usually from an earlier frame (see `scheduling`).
    """

    frame: Frame
    stats: FrameStats
    faces: tuple[FaceDetection, ...]
    primary_face: FaceDetection | None
    pose: HeadPose | None
    objects: ObjectReport | None
    timings_ms: tuple[tuple[str, float], ...]


class FrameAnalyzer:
    """Runs the per-frame stages; the object stage is delegated to a scheduler."""

    def __init__(self, face_detector: FaceDetector) -> None:
        self.face_detector = face_detector
        self._meter = FrameStatsMeter()

    def analyze(
        self, frame: Frame, objects: InlineObjectScheduler | BackgroundObjectScheduler
    ) -> FrameAnalysis:
        clock = time.perf_counter
        t0 = clock()
        stats = self._meter.measure(frame.image)
        t1 = clock()
        faces = self.face_detector.detect(frame.image)
        t2 = clock()
        primary = max(faces, key=lambda f: f.box.area) if faces else None
        pose = estimate_head_pose(primary, frame.size) if primary else None
        t3 = clock()
        report = objects.submit(frame)
        t4 = clock()
        timings = (
            ("stats", (t1 - t0) * 1000),
            ("face", (t2 - t1) * 1000),
            ("pose", (t3 - t2) * 1000),
            ("objects", (t4 - t3) * 1000),
        )
        return FrameAnalysis(frame, stats, faces, primary, pose, report, timings)
