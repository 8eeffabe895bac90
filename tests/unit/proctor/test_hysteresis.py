"""Hold and release: short blips are ignored, flickers do not split a period."""

from __future__ import annotations

import numpy as np
import pytest

from contract.proctoring import EventKind, Severity
from integrity.hysteresis import ConditionTracker
from integrity.policy import RuleSettings
from proctor.snapshots import encode_jpeg

IMAGE = np.zeros((8, 8, 3), np.uint8)


def _tracker(hold: float = 1.0, release: float = 0.5) -> ConditionTracker:
    rule = RuleSettings(hold_s=hold, release_s=release, severity=Severity.HIGH)
    return ConditionTracker(EventKind.NO_FACE, rule, {"face_score": 0.7}, "test", encode_jpeg)


def _feed(tracker: ConditionTracker, pattern: str, step: float = 0.1):
    """'1' = condition present at that frame; returns emitted events."""
    out = []
    for i, bit in enumerate(pattern):
        event = tracker.update(i * step, bit == "1", 0.5 + i / 100, IMAGE)
        if event:
            out.append(event)
    return out


def test_shorter_than_hold_is_not_an_event():
    assert _feed(_tracker(), "111111111000000") == []  # 0.9 s < 1.0 s


def test_event_starts_at_onset_and_is_announced_at_hold():
    events = _feed(_tracker(), "0011111111111100000000")
    announced, ended = events
    assert announced.end is None and announced.start == pytest.approx(0.2)
    assert ended.id == announced.id
    assert ended.end == pytest.approx(1.4)  # when it stopped, not when the release confirmed
    assert ended.severity is Severity.HIGH
    assert dict(ended.thresholds) == {"face_score": 0.7, "hold_s": 1.0, "release_s": 0.5}
    assert ended.peak_confidence == pytest.approx(0.5 + 13 / 100)  # strongest frame


def test_flicker_shorter_than_release_does_not_split():
    events = _feed(_tracker(), "1111111111110011111111111" + "0" * 10)
    assert [e.end is None for e in events] == [True, False]
    assert events[-1].start == 0 and events[-1].end == pytest.approx(2.5)


def test_finish_closes_an_open_event():
    tracker = _tracker()
    _feed(tracker, "1" * 15)
    event = tracker.finish(1.4)
    assert event is not None and event.end == pytest.approx(1.4)
    assert event.snapshot_jpeg[:2] == b"\xff\xd8"


def test_without_an_encoder_the_same_events_carry_no_snapshot():
    """A replay judges without images: same events, no snapshot bytes."""
    rule = RuleSettings(hold_s=1.0, release_s=0.5, severity=Severity.HIGH)
    plain = ConditionTracker(EventKind.NO_FACE, rule, {"face_score": 0.7}, "test")
    pattern = "0011111111111100000000"
    live, replayed = _feed(_tracker(), pattern), _feed(plain, pattern)
    assert [(e.start, e.end) for e in replayed] == [(e.start, e.end) for e in live]
    assert all(e.snapshot_jpeg is None for e in replayed)
