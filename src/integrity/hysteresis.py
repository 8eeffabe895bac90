"""Turn a per-frame yes/no condition into events that start late and end late on purpose.

A condition must hold for `hold_s` before it becomes an event (one missed detection is not a
missing face) and be gone for `release_s` before the event ends (a flicker does not split one
period into many). The event's start is backdated to when the condition first appeared and its
end to when it last stopped, so reported times are the real ones, not the confirmation times.

The tracker never looks at pixels: what it keeps of the strongest moment is an opaque piece of
evidence (the live frame) that an injected `SnapshotEncoder` turns into the event's snapshot. A
replay over recorded observations passes no evidence and gets the same events without snapshots.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from contract.proctoring import EventKind, EventSource
from integrity.events import ProctorEvent, new_event_id
from integrity.policy import RuleSettings

#: Turns the evidence of a period's strongest moment (the live frame) into a snapshot's bytes.
SnapshotEncoder = Callable[[Any], bytes]


@dataclass
class _Period:
    start: float
    peak_confidence: float
    peak_image: Any
    peak_time: float
    detail: str
    framed: bool  # the peak is a camera frame's (not a status between frames)
    false_since: float | None = None
    event: ProctorEvent | None = None


class ConditionTracker:
    """Hysteresis for one event kind; `update` once per frame, in timestamp order."""

    def __init__(
        self,
        kind: EventKind,
        rule: RuleSettings,
        thresholds: dict[str, float],
        detector: str,
        encode: SnapshotEncoder | None = None,
    ) -> None:
        self.kind = kind
        self._encode = encode
        self.rule = rule
        self.thresholds = tuple(
            sorted({**thresholds, "hold_s": rule.hold_s, "release_s": rule.release_s}.items())
        )
        self.detector = detector
        self._period: _Period | None = None

    @property
    def active(self) -> bool:
        """True while an event of this kind has been emitted and not yet ended."""
        return self._period is not None and self._period.event is not None

    def update(
        self,
        timestamp: float,
        present: bool,
        confidence: float = 1.0,
        image: Any = None,
        detail: str = "",
        *,
        framed: bool | None = None,
    ) -> ProctorEvent | None:
        """Feed one frame's verdict; returns an event when one starts or ends.

        `framed` says the verdict is a camera frame's (default: an image was given): the peak
        moves to the strongest frame, and from a status to the first frame. A replay passes
        `framed=True` without the image, so its peaks, and so its details, are the live ones.
        """
        framed = image is not None if framed is None else framed
        period = self._period
        if present:
            if period is None:
                period = self._period = _Period(
                    timestamp, confidence, image, timestamp, detail, framed
                )
            period.false_since = None
            if confidence > period.peak_confidence or not period.framed:
                period.peak_confidence, period.peak_image = confidence, image
                period.peak_time, period.detail = timestamp, detail or period.detail
                period.framed = framed
            if period.event is None and timestamp - period.start >= self.rule.hold_s - 1e-9:
                period.event = self._event(period, end=None)
                return period.event
            return None
        if period is None:
            return None
        if period.false_since is None:
            period.false_since = timestamp
        if timestamp - period.false_since >= self.rule.release_s - 1e-9:
            return self._close(period.false_since)
        return None

    def finish(self, timestamp: float) -> ProctorEvent | None:
        """End an open period at the end of the stream."""
        period = self._period
        if period is None:
            return None
        return self._close(period.false_since if period.false_since is not None else timestamp)

    def _close(self, end: float) -> ProctorEvent | None:
        period, self._period = self._period, None
        if period is None or period.event is None:
            return None  # shorter than hold_s: not an event
        return self._event(period, end=end, event_id=period.event.id)

    def _event(
        self, period: _Period, end: float | None, event_id: str | None = None
    ) -> ProctorEvent:
        image, encode = period.peak_image, self._encode
        snapshot = encode(image) if image is not None and encode is not None else None
        return ProctorEvent(
            id=event_id if event_id is not None else new_event_id(),
            kind=self.kind,
            severity=self.rule.severity,
            start=period.start,
            end=end,
            peak_confidence=round(float(period.peak_confidence), 4),
            thresholds=self.thresholds,
            detector=self.detector,
            source=EventSource.CAMERA,
            detail=period.detail,
            snapshot_jpeg=snapshot,
            snapshot_time=period.peak_time if snapshot else None,
        )
