"""The proctoring event record; its kinds and severities are the shared vocabulary of
`contract.proctoring`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from contract.proctoring import EventKind, EventSource, Severity


@dataclass(frozen=True)
class ProctorEvent:
    """One observation over a period of the session, for a human to review.

    An event is emitted twice: once when its condition has held long enough (`end` is None:
    still going), and once when it ends, with the same `id`, the final `end`, `peak_confidence`
    and snapshot. The id is a random UUID given when the event starts, so events of separate
    runs, processes or kiosks never share one. Times are seconds on the session's media clock.
    `thresholds` records the policy values that produced the event, so a report stays
    explainable after the policy is retuned. `snapshot_jpeg` is the frame where the evidence was
    strongest.
    """

    id: str
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


def new_event_id() -> str:
    return str(uuid.uuid4())


__all__ = ["ProctorEvent", "new_event_id"]
