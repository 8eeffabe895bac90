"""The proctoring event stream's vocabulary: kinds, severities and the event record."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class EventKind(StrEnum):
    """Every kind of observation; the first group comes from the camera, the rest is reported."""

    NO_FACE = "no_face"
    MULTIPLE_PEOPLE = "multiple_people"
    FACE_PARTLY_VISIBLE = "face_partly_visible"
    LOOKING_AWAY = "looking_away"
    BANNED_OBJECT = "banned_object"
    CAMERA_COVERED = "camera_covered"
    CAMERA_FROZEN = "camera_frozen"
    CAMERA_LOST = "camera_lost"
    # reported by the kiosk shell
    FOCUS_LOST = "focus_lost"
    BLOCKED_SHORTCUT = "blocked_shortcut"
    SECOND_DISPLAY = "second_display"
    VIRTUAL_MACHINE = "virtual_machine"
    REMOTE_DESKTOP = "remote_desktop"
    # reported by the audio pipeline (the values of speech.proctoring.SignalKind)
    SPEECH_OUTSIDE_ANSWER = "speech_outside_answer"
    NO_ATTEMPT = "no_attempt"

    @property
    def source(self) -> EventSource:
        """Where observations of this kind come from, which decides what evidence to review."""
        if self in CAMERA_KINDS:
            return EventSource.CAMERA
        return EventSource.AUDIO if self in AUDIO_KINDS else EventSource.KIOSK


class EventSource(StrEnum):
    CAMERA = "camera"
    KIOSK = "kiosk"
    AUDIO = "audio"


CAMERA_KINDS = frozenset(
    {
        EventKind.NO_FACE,
        EventKind.MULTIPLE_PEOPLE,
        EventKind.FACE_PARTLY_VISIBLE,
        EventKind.LOOKING_AWAY,
        EventKind.BANNED_OBJECT,
        EventKind.CAMERA_COVERED,
        EventKind.CAMERA_FROZEN,
        EventKind.CAMERA_LOST,
    }
)
AUDIO_KINDS = frozenset({EventKind.SPEECH_OUTSIDE_ANSWER, EventKind.NO_ATTEMPT})


@dataclass(frozen=True)
class ProctorEvent:
    """One observation over a period of the session, for a human to review.

    An event is emitted twice: once when its condition has held long enough (`end` is None:
    still going), and once when it ends, with the same `id`, the final `end`, `peak_confidence`
    and snapshot. Times are seconds on the session's media clock. `thresholds` records the
    policy values that produced the event, so a report stays explainable after the policy is
    retuned. `snapshot_jpeg` is the frame where the evidence was strongest.
    """

    id: int
    kind: EventKind
    severity: Severity
    start: float
    end: float | None
    peak_confidence: float
    thresholds: tuple[tuple[str, float], ...]
    detector: str
    source: EventSource = EventSource.CAMERA
    detail: str = ""
    snapshot_jpeg: bytes | None = field(default=None, repr=False)
    snapshot_time: float | None = None

    @property
    def ongoing(self) -> bool:
        return self.end is None

    @property
    def duration(self) -> float:
        return 0.0 if self.end is None else max(0.0, self.end - self.start)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (the snapshot is reported by its size; save it separately)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "severity": self.severity.value,
            "source": self.source.value,
            "start": round(self.start, 3),
            "end": None if self.end is None else round(self.end, 3),
            "duration": round(self.duration, 3),
            "peak_confidence": round(self.peak_confidence, 3),
            "thresholds": dict(self.thresholds),
            "detector": self.detector,
            "detail": self.detail,
            "snapshot_time": self.snapshot_time,
            "snapshot_bytes": len(self.snapshot_jpeg or b""),
        }
