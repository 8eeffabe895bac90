"""The per-session integrity summary: totals per kind and a confidence level, for a human.

The proctor observes; it does not judge. Every reason is a factual sentence that points the
reviewer at the evidence ("No face was visible for 12 s in 2 periods; review the snapshots"),
and the level says how much review the session needs, not whether anyone cheated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from contract.proctoring import (
    EventKind,
    EventSource,
    IntegrityLevel,
    IntegritySummary,
    KindTotal,
    Severity,
)
from integrity.policy import Policy


class Observation(Protocol):
    """What the summary reads of an event: the proctor's own events and the kiosk's stored
    ones both have it, so stored evidence is summarised as it is, never converted back."""

    @property
    def kind(self) -> EventKind: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float | None: ...
    @property
    def detail(self) -> str: ...




_DURATION_PHRASES: dict[EventKind, str] = {
    EventKind.NO_FACE: "No face was visible",
    EventKind.MULTIPLE_PEOPLE: "More than one person was visible",
    EventKind.FACE_PARTLY_VISIBLE: "The face was only partly visible",
    EventKind.LOOKING_AWAY: "The head was turned away from the screen",
    EventKind.BANNED_OBJECT: "Something not allowed in the room was visible ({labels})",
    EventKind.CAMERA_COVERED: "The camera image was dark or covered",
    EventKind.CAMERA_FROZEN: "The camera image did not change",
    EventKind.CAMERA_LOST: "The camera was disconnected",
    EventKind.FOCUS_LOST: "The kiosk window was not in focus",
    EventKind.SPEECH_OUTSIDE_ANSWER: "Speech was heard while no answer was expected",
}
_COUNT_PHRASES: dict[EventKind, str] = {
    EventKind.BLOCKED_SHORTCUT: "A blocked keyboard shortcut was pressed",
    EventKind.SECOND_DISPLAY: "A second display was detected",
    EventKind.VIRTUAL_MACHINE: "The kiosk reported signs of running in a virtual machine",
    EventKind.REMOTE_DESKTOP: "The kiosk reported signs of a remote-desktop session",
    EventKind.NO_ATTEMPT: "A question was not answered at all",
}
_EVIDENCE: dict[EventSource, str] = {
    EventSource.CAMERA: "review the snapshots",
    EventSource.KIOSK: "review the kiosk log",
    EventSource.AUDIO: "review the audio",
}


def _seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _reason(total: KindTotal) -> str:
    evidence = _EVIDENCE[total.kind.source]
    if total.kind in _COUNT_PHRASES:
        return f"{_COUNT_PHRASES[total.kind]} {_plural(total.count, 'time')}; {evidence}"
    phrase = _DURATION_PHRASES[total.kind].format(labels="; ".join(total.labels) or "unnamed")
    return (
        f"{phrase} for {_seconds(total.total_seconds)} in {_plural(total.count, 'period')}; "
        f"{evidence}"
    )


def summarize(
    events: Iterable[Observation],
    session_seconds: float,
    policy: Policy,
    *,
    analysed_seconds: float | None = None,
    note: str = "",
) -> IntegritySummary:
    """Totals per kind (ongoing events count up to `session_seconds`) and the level.

    `analysed_seconds` is how much camera video the proctor analysed (default: all of the
    session); none at all makes the session `NOT_PROCTORED`, with `note` saying why, whatever
    else was reported, because no rule could have fired on video nobody saw.
    """
    by_kind: dict[EventKind, list[Observation]] = {}
    for event in events:
        by_kind.setdefault(EventKind(event.kind), []).append(event)
    totals, reasons = [], []
    for kind in EventKind:  # a fixed order: the report reads the same every time
        found = by_kind.get(kind)
        if not found:
            continue
        seconds = sum((e.end if e.end is not None else session_seconds) - e.start for e in found)
        labels = tuple(sorted({e.detail for e in found if e.detail}))
        total = KindTotal(kind, Severity(found[0].severity), len(found), max(0.0, seconds), labels)
        totals.append(total)
        reasons.append(_reason(total))
    analysed = session_seconds if analysed_seconds is None else analysed_seconds
    if analysed <= 0:
        level = IntegrityLevel.NOT_PROCTORED
        note = note or "no camera picture was analysed during the interview"
    else:
        level = _level(totals, session_seconds, policy)
    return IntegritySummary(
        level, tuple(reasons), tuple(totals), session_seconds, analysed, policy.digest(), note
    )


def _level(totals: list[KindTotal], session_seconds: float, policy: Policy) -> IntegrityLevel:
    """Low: much high-severity evidence, or medium evidence over a large share of the session.

    Medium: any high-severity evidence, or medium evidence over a notable share. Low-severity
    observations alone (a blocked shortcut, a partly visible face) keep confidence high.
    """
    s = policy.summary
    high = [t for t in totals if t.severity is Severity.HIGH]
    high_seconds = sum(t.total_seconds for t in high)
    high_count = sum(t.count for t in high)
    medium_share = sum(t.total_seconds for t in totals if t.severity is Severity.MEDIUM) / max(
        session_seconds, 1e-9
    )
    if high_seconds >= s.low_after_high_s or high_count >= s.low_after_high_count:
        return IntegrityLevel.LOW
    if medium_share >= s.low_share:
        return IntegrityLevel.LOW
    if high or medium_share >= s.medium_share:
        return IntegrityLevel.MEDIUM
    return IntegrityLevel.HIGH
