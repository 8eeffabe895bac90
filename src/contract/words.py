"""The words people read for the shared vocabulary: one glossary for the PDF, the hub and the
kiosk's own screens, so no one reads `no_face` or `strong_no`."""

from __future__ import annotations

from contract.proctoring import EventKind, IntegrityLevel, Severity

EVENT_KINDS: dict[EventKind, str] = {
    EventKind.NO_FACE: "No face in view",
    EventKind.MULTIPLE_PEOPLE: "More than one person in view",
    EventKind.FACE_PARTLY_VISIBLE: "Face partly hidden",
    EventKind.LOOKING_AWAY: "Looking away from the screen",
    EventKind.BANNED_OBJECT: "Object not allowed in view",
    EventKind.CAMERA_COVERED: "Camera covered or dark",
    EventKind.CAMERA_FROZEN: "Camera picture frozen",
    EventKind.CAMERA_LOST: "Camera disconnected",
    EventKind.FOCUS_LOST: "Interview window left",
    EventKind.BLOCKED_SHORTCUT: "Blocked key combination pressed",
    EventKind.SECOND_DISPLAY: "Second display connected",
    EventKind.VIRTUAL_MACHINE: "Signs of a virtual machine",
    EventKind.REMOTE_DESKTOP: "Signs of remote access",
    EventKind.SPEECH_OUTSIDE_ANSWER: "Speech while no answer was expected",
    EventKind.NO_ATTEMPT: "Question not answered",
}
SEVERITIES: dict[Severity, str] = {
    Severity.LOW: "low concern",
    Severity.MEDIUM: "medium concern",
    Severity.HIGH: "high concern",
}
INTEGRITY_LEVELS: dict[IntegrityLevel, str] = {
    IntegrityLevel.HIGH: "High confidence",
    IntegrityLevel.MEDIUM: "Medium confidence: review the flags",
    IntegrityLevel.LOW: "Low confidence: review the flags carefully",
    IntegrityLevel.NOT_PROCTORED: "Not proctored",
}


def event_kind(kind: str) -> str:
    """Words for an event kind; a kind this version does not know is shown as it came."""
    try:
        return EVENT_KINDS[EventKind(kind)]
    except ValueError:
        return kind.replace("_", " ")


__all__ = ["EVENT_KINDS", "INTEGRITY_LEVELS", "SEVERITIES", "event_kind"]
