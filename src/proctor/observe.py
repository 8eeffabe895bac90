"""The edge between the proctor's measurements and the rules: a frame's analysis becomes the
`integrity.Observation` the rules judge and the track records (library types stay here)."""

from __future__ import annotations

from integrity.observation import CameraStatus, Observation, Pose, SeenFace, SeenObject
from proctor.analyzer import FrameAnalysis
from proctor.frames import SourceState, SourceStatus


def observation_of(analysis: FrameAnalysis) -> Observation:
    """The numbers the rules read of one analysed frame, rounded once for live and replay."""
    faces = analysis.faces
    primary = analysis.primary_face
    pose = analysis.pose
    report = analysis.objects
    return Observation.measured(
        analysis.frame.timestamp,
        analysis.frame.size,
        mean=analysis.stats.mean,
        std=analysis.stats.std,
        change=analysis.stats.change,
        faces=[
            SeenFace.measured(f.box.x, f.box.y, f.box.width, f.box.height, f.score)
            for f in faces
        ],
        primary=faces.index(primary) if primary is not None else None,
        pose=Pose.measured(pose.yaw, pose.pitch, pose.roll) if pose is not None else None,
        objects=(
            SeenObject.measured(d.label, d.score, d.box.x, d.box.y, d.box.width, d.box.height)
            for d in (report.detections if report is not None else ())
        ),
    )


def camera_status_of(status: SourceStatus) -> CameraStatus:
    return CameraStatus(round(status.timestamp, 4), status.state is SourceState.LOST, status.detail)
