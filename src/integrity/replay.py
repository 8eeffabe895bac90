"""Re-judging an interview: the recorded track under another policy, side by side with the
original events, in words a reviewer reads.

`replay` feeds a track's records to the same `RuleEngine` the live proctor ran, so under the live
policy it gives the live camera events again (times, severities, confidences, details); under
another policy it gives what that policy would have said. `compare` pairs the two lists kind by
kind on overlapping time and says what was added, removed and changed. Only camera kinds are
re-judged: kiosk and audio events are facts reported as they happened, not thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from contract.proctoring import CAMERA_KINDS, EventKind, Severity
from contract.words import EVENT_KINDS, SEVERITIES
from integrity.events import ProctorEvent
from integrity.policy import Policy
from integrity.rules import RuleEngine
from integrity.track import Run

#: Start or end times closer than this are the same (the track's resolution is 0.1 s).
TIME_TOLERANCE_S = 0.05


@dataclass(frozen=True)
class JudgedEvent:
    """What a comparison reads of an event, whoever stored it (kiosk row, hub row, replay)."""

    kind: EventKind
    severity: Severity
    start: float
    end: float
    confidence: float
    detail: str = ""
    thresholds: tuple[tuple[str, float], ...] = ()

    @classmethod
    def of(cls, event: ProctorEvent) -> JudgedEvent:
        return cls(
            event.kind,
            event.severity,
            round(event.start, 3),
            round(event.end if event.end is not None else event.start, 3),
            round(event.peak_confidence, 4),
            event.detail,
            event.thresholds,
        )

    def words(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return (
            f"{EVENT_KINDS[self.kind]} ({SEVERITIES[self.severity]}), "
            f"{self.start:.1f}-{self.end:.1f} s{detail}"
        )


def replay(runs: Iterable[Run], policy: Policy) -> tuple[JudgedEvent, ...]:
    """The camera events `policy` gives over the recorded runs, in order of start."""
    judged: list[JudgedEvent] = []
    for run in runs:
        engine = RuleEngine(policy, run.face_detector, run.object_detector)
        final: dict[str, ProctorEvent] = {}
        for record in run.records:
            for event in engine.observe_record(record):
                final[event.id] = event
        for event in engine.finish():
            final[event.id] = event
        judged += (JudgedEvent.of(e) for e in final.values())
    return tuple(sorted(judged, key=lambda e: (e.start, e.kind.value)))


@dataclass(frozen=True)
class Change:
    before: JudgedEvent
    after: JudgedEvent

    def words(self) -> str:
        b, a = self.before, self.after
        parts = []
        if abs(b.start - a.start) > TIME_TOLERANCE_S or abs(b.end - a.end) > TIME_TOLERANCE_S:
            parts.append(f"{b.start:.1f}-{b.end:.1f} s became {a.start:.1f}-{a.end:.1f} s")
        if b.severity is not a.severity:
            parts.append(f"{SEVERITIES[b.severity]} became {SEVERITIES[a.severity]}")
        if b.detail != a.detail:
            parts.append(f"'{b.detail}' became '{a.detail}'")
        return f"{EVENT_KINDS[b.kind]}: {'; '.join(parts)}"


@dataclass(frozen=True)
class Comparison:
    """The original camera events against the re-judged ones."""

    added: tuple[JudgedEvent, ...] = ()
    removed: tuple[JudgedEvent, ...] = ()
    changed: tuple[Change, ...] = ()
    unchanged: tuple[JudgedEvent, ...] = ()
    not_rejudged: int = field(default=0)

    @property
    def differs(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        """The comparison in words, one line per difference."""
        if not self.differs:
            return [f"No difference: the {len(self.unchanged)} camera events are the same."]
        return [
            *(f"Added: {e.words()}" for e in self.added),
            *(f"Removed: {e.words()}" for e in self.removed),
            *(f"Changed: {c.words()}" for c in self.changed),
        ]


def _overlap(a: JudgedEvent, b: JudgedEvent) -> float:
    """How long two events overlap; a touching pair counts (instants have no length)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    return shared if shared >= -TIME_TOLERANCE_S else -1.0


def _differs(a: JudgedEvent, b: JudgedEvent) -> bool:
    return (
        abs(a.start - b.start) > TIME_TOLERANCE_S
        or abs(a.end - b.end) > TIME_TOLERANCE_S
        or a.severity is not b.severity
        or a.detail != b.detail
    )


def compare(original: Sequence[JudgedEvent], rejudged: Sequence[JudgedEvent]) -> Comparison:
    """Pair events of one kind by the largest overlap; the unpaired were added or removed."""
    camera = [e for e in original if e.kind in CAMERA_KINDS]
    free = list(rejudged)
    added: list[JudgedEvent] = []
    removed: list[JudgedEvent] = []
    changed: list[Change] = []
    unchanged: list[JudgedEvent] = []
    for before in sorted(camera, key=lambda e: (e.start, e.kind.value)):
        candidates = [(_overlap(before, e), i) for i, e in enumerate(free) if e.kind is before.kind]
        candidates = [c for c in candidates if c[0] >= -TIME_TOLERANCE_S]
        if not candidates:
            removed.append(before)
            continue
        _, index = max(candidates)
        after = free.pop(index)
        if _differs(before, after):
            changed.append(Change(before, after))
        else:
            unchanged.append(before)
    added = sorted(free, key=lambda e: (e.start, e.kind.value))
    return Comparison(
        tuple(added),
        tuple(removed),
        tuple(changed),
        tuple(unchanged),
        not_rejudged=len(original) - len(camera),
    )


__all__ = ["Change", "Comparison", "JudgedEvent", "compare", "replay"]
