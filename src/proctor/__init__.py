"""Proctoring: camera frames -> detections -> integrity events, and ID verification.

A library of generators and frozen dataclasses with no Qt and no kiosk imports, so a script, a
test or the kiosk's worker threads drive it the same way. Start with `ProctorSession` (one
interview's events from a `FrameSource`, over `Detectors` shared between interviews),
`summarize` (the per-session integrity summary) and `proctor.idcheck.verify_id`. The event
vocabulary (kinds, severities, the summary's type) is `contract.proctoring`.
"""

from integrity.events import ProctorEvent
from integrity.policy import Policy, PolicyError, load_policy
from integrity.summary import summarize
from proctor.camera import CameraError, CameraSource
from proctor.frames import Frame, FrameSource, SourceStatus
from proctor.session import Detectors, ProctorSession
from proctor.sources import ImageSequenceSource, Still, VideoError, VideoFileSource

__all__ = [
    "CameraError",
    "CameraSource",
    "Detectors",
    "Frame",
    "FrameSource",
    "ImageSequenceSource",
    "Policy",
    "PolicyError",
    "ProctorEvent",
    "ProctorSession",
    "SourceStatus",
    "Still",
    "VideoError",
    "VideoFileSource",
    "load_policy",
    "summarize",
]
