"""Summarise stored proctoring events for a human reviewer: counts, durations, a level, reasons.

Worded as observations to review, never as accusations: automatic flags are often wrong.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from kiosk.domain.model import ProctoringEvent, Severity

_WEIGHT = {Severity.INFO: 0.0, Severity.LOW: 1.0, Severity.MEDIUM: 2.0, Severity.HIGH: 4.0}


@dataclass(frozen=True)
class KindTotal:
    kind: str
    count: int
    seconds: float


@dataclass(frozen=True)
class IntegritySummary:
    level: str  # "high" | "medium" | "low": confidence that the session ran as intended
    reasons: tuple[str, ...]
    totals: tuple[KindTotal, ...]


def _label(kind: str) -> str:
    return kind.replace("_", " ")


def summarise(events: tuple[ProctoringEvent, ...] | list[ProctoringEvent]) -> IntegritySummary:
    counts: dict[str, int] = defaultdict(int)
    seconds: dict[str, float] = defaultdict(float)
    weight = 0.0
    for event in events:
        counts[event.kind] += 1
        seconds[event.kind] += event.duration
        weight += _WEIGHT[event.severity] * max(event.confidence, 0.0)
    totals = tuple(KindTotal(k, counts[k], round(seconds[k], 1)) for k in sorted(counts))
    reasons = tuple(
        f"{_label(t.kind).capitalize()}: {t.count} period{'s' if t.count > 1 else ''}, "
        f"{t.seconds:.0f} s in total; review the snapshots before drawing any conclusion."
        for t in totals
        if any(e.kind == t.kind and e.severity is not Severity.INFO for e in events)
    )
    level = "high" if weight < 2 else "medium" if weight < 6 else "low"
    if not reasons:
        reasons = ("No proctoring rule fired during the session.",)
    return IntegritySummary(level=level, reasons=reasons, totals=totals)
