"""The proctoring vocabulary: what was observed (kind), how much it matters (severity), where the
evidence is (source), and the integrity summary a reviewer reads.

One vocabulary for the proctor that detects, the kiosk that stores, the wire that carries and the
hub that shows: a kind or severity exists here and nowhere else, so the four cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class EventSource(StrEnum):
    """Where observations of a kind come from, which decides what evidence to review."""

    CAMERA = "camera"
    KIOSK = "kiosk"
    AUDIO = "audio"


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
        if self in CAMERA_KINDS:
            return EventSource.CAMERA
        return EventSource.AUDIO if self in AUDIO_KINDS else EventSource.KIOSK


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


class IntegrityLevel(StrEnum):
    """How much review a session needs; `NOT_PROCTORED` when the camera was never analysed."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NOT_PROCTORED = "not_proctored"


@dataclass(frozen=True, slots=True)
class KindTotal:
    kind: EventKind
    severity: Severity
    count: int
    total_seconds: float
    labels: tuple[str, ...] = ()  # the events' details, e.g. which banned objects


@dataclass(frozen=True, slots=True)
class IntegritySummary:
    """The integrity of one interview as computed once, at its end, and stored as it was.

    `policy_digest` names the exact thresholds that made it, so a report rendered again after the
    policy changes still shows the judgement made at the time. `analysed_seconds` is how much
    camera video the proctor saw; with none, the level is `NOT_PROCTORED` and `note` says why.
    """

    level: IntegrityLevel
    reasons: tuple[str, ...]
    totals: tuple[KindTotal, ...]
    session_seconds: float
    analysed_seconds: float
    policy_digest: str
    note: str = ""

    @property
    def proctored(self) -> bool:
        return self.level is not IntegrityLevel.NOT_PROCTORED

    @property
    def headline(self) -> str:
        """The summary's first sentence, for the report and the hub."""
        if not self.proctored:
            return (
                f"This interview was not proctored: {self.note}. No integrity judgement can be "
                "made from the camera."
            )
        return (
            f"Integrity confidence: {self.level.value}. These are observations for a human "
            "reviewer, not findings of misconduct."
        )


__all__ = [
    "AUDIO_KINDS",
    "CAMERA_KINDS",
    "EventKind",
    "EventSource",
    "IntegrityLevel",
    "IntegritySummary",
    "KindTotal",
    "Severity",
]
