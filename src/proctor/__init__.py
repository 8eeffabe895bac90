"""Proctoring: camera frames -> detections -> integrity events, and ID verification.

A library of generators and frozen dataclasses with no Qt and no kiosk imports, so a script, a
test or the kiosk's worker threads drive it the same way. Start with `ProctorSession` (events from
a `FrameSource`), `summarize` (the per-session integrity summary) and `proctor.idcheck.verify_id`.
"""

from proctor.camera import CameraError, CameraSource
from proctor.events import EventKind, ProctorEvent, Severity
from proctor.frames import Frame, FrameSource, SourceStatus
from proctor.policy import Policy, PolicyError, load_policy
from proctor.session import ProctorSession
from proctor.sources import ImageSequenceSource, Still, VideoError, VideoFileSource
from proctor.summary import IntegritySummary, summarize

__all__ = [
    "CameraError",
    "CameraSource",
    "EventKind",
    "Frame",
    "FrameSource",
    "ImageSequenceSource",
    "IntegritySummary",
    "Policy",
    "PolicyError",
    "ProctorEvent",
    "ProctorSession",
    "Severity",
    "SourceStatus",
    "Still",
    "VideoError",
    "VideoFileSource",
    "load_policy",
    "summarize",
]
