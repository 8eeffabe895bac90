from __future__ import annotations

from contract.proctoring import EventKind, EventSource, IntegrityLevel, Severity
from proctor import ProctorEvent, load_policy, summarize

POLICY = load_policy()


def _event(i: int, kind: EventKind, start: float, end: float | None, **kw) -> ProctorEvent:
    return ProctorEvent(i, kind, POLICY.rule(kind).severity, start, end, 1.0, (), "test", **kw)


def test_no_events_is_high_confidence():
    summary = summarize([], 600.0, POLICY)
    assert summary.level is IntegrityLevel.HIGH and summary.reasons == ()


def test_reasons_are_factual_and_point_at_evidence():
    events = [
        _event(1, EventKind.NO_FACE, 10, 17),
        _event(2, EventKind.NO_FACE, 100, 105),
        _event(3, EventKind.BLOCKED_SHORTCUT, 50, 50, source=EventSource.KIOSK),
        _event(4, EventKind.BANNED_OBJECT, 70, 72, detail="a phone"),
    ]
    summary = summarize(events, 600.0, POLICY)
    assert summary.reasons == (
        "No face was visible for 12 s in 2 periods; review the snapshots",
        "Something not allowed in the room was visible (a phone) for 2.0 s in 1 period; "
        "review the snapshots",
        "A blocked keyboard shortcut was pressed 1 time; review the kiosk log",
    )
    assert summary.level is IntegrityLevel.MEDIUM  # one short high-severity period
    assert "not findings of misconduct" in summary.headline


def test_much_high_severity_evidence_is_low_confidence():
    events = [_event(i, EventKind.MULTIPLE_PEOPLE, i * 10, i * 10 + 4) for i in range(3)]
    assert summarize(events, 600.0, POLICY).level is IntegrityLevel.LOW


def test_medium_share_thresholds_and_ongoing_events():
    ongoing = _event(1, EventKind.LOOKING_AWAY, 40, None)  # counts up to the session end
    summary = summarize([ongoing], 100.0, POLICY)
    assert summary.totals[0].total_seconds == 60
    assert summary.level is IntegrityLevel.LOW
    short = _event(1, EventKind.LOOKING_AWAY, 0, 15)
    assert summarize([short], 100.0, POLICY).level is IntegrityLevel.MEDIUM
    assert summarize([short], 1000.0, POLICY).level is IntegrityLevel.HIGH
    assert summary.totals[0].severity is Severity.MEDIUM
