"""One synthetic session from real photos: each rule fires at the right time, once."""

from __future__ import annotations

import numpy as np
import pytest

from contract.proctoring import EventKind, IntegrityLevel
from proctor import ImageSequenceSource, ProctorEvent, ProctorSession, Still

from .conftest import with_object_rate

TOLERANCE = 0.5
FPS = 5.0


@pytest.fixture(scope="module")
def run(photos, policy) -> tuple[ProctorSession, list[ProctorEvent]]:
    """Face 5 s, nobody 4 s, two people 2 s, dark 3 s -> (session, every emitted event)."""
    dark = np.full((480, 640, 3), 8, np.uint8)
    source = ImageSequenceSource(
        [
            Still(photos["astronaut"], 5.0),
            Still(photos["coffee"], 4.0),
            Still(photos["zidane"], 2.0),
            Still(dark, 3.0),
        ],
        FPS,
        size=(640, 480),
    )
    session = ProctorSession(with_object_rate(policy, 2.0))
    return session, list(session.run(source))


def _final(events: list[ProctorEvent]) -> dict[EventKind, ProctorEvent]:
    finished = [e for e in events if e.end is not None]
    assert len({e.kind for e in finished}) == len(finished), "one period per kind expected"
    return {e.kind: e for e in finished}


def test_exactly_the_expected_kinds(run):
    _, events = run
    assert set(_final(events)) == {
        EventKind.NO_FACE,
        EventKind.MULTIPLE_PEOPLE,
        EventKind.CAMERA_COVERED,
    }


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        (EventKind.NO_FACE, 5.0, 9.0),
        (EventKind.MULTIPLE_PEOPLE, 9.0, 11.0),
        (EventKind.CAMERA_COVERED, 11.0, 14.0),
    ],
)
def test_event_timing(run, kind, start, end):
    event = _final(run[1])[kind]
    assert event.start == pytest.approx(start, abs=TOLERANCE)
    assert event.end == pytest.approx(end, abs=TOLERANCE)


def test_each_event_is_announced_once_its_hold_time_has_passed(run):
    _, events = run
    for final in _final(events).values():
        announced = [e for e in events if e.id == final.id and e.end is None]
        assert len(announced) == 1
        assert announced[0].start == final.start
        assert events.index(announced[0]) < events.index(final)


def test_events_carry_evidence_and_provenance(run, policy):
    for event in _final(run[1]).values():
        assert event.snapshot_jpeg is not None and event.snapshot_jpeg[:2] == b"\xff\xd8"
        assert event.start <= event.snapshot_time <= event.end
        assert 0.0 < event.peak_confidence <= 1.0
        thresholds = dict(event.thresholds)
        assert thresholds["hold_s"] == policy.rule(event.kind).hold_s
        assert event.detector
    no_face = _final(run[1])[EventKind.NO_FACE]
    assert "YuNet" in no_face.detector
    assert dict(no_face.thresholds)["face_score"] == policy.detection.face_score
    people = _final(run[1])[EventKind.MULTIPLE_PEOPLE]
    assert "YOLO" in people.detector and people.peak_confidence > 0.5


def test_summary_is_worded_for_review(run):
    session, _ = run
    summary = session.summary()
    # no face for 4 of 14 s is over the policy's 25 % share of medium-severity time
    assert summary.level is IntegrityLevel.LOW
    no_face = next(r for r in summary.reasons if r.startswith("No face"))
    assert no_face == "No face was visible for 4.0 s in 1 period; review the snapshots"
    totals = {t.kind: t for t in summary.totals}
    assert totals[EventKind.CAMERA_COVERED].total_seconds == pytest.approx(3.0, abs=TOLERANCE)
    text = " ".join(summary.reasons).lower() + summary.headline.lower()
    assert not any(word in text for word in ("cheat", "fraud", "guilty", "violation"))


def test_every_frame_was_analysed(run):
    session, _ = run
    assert session.stats.frames_analyzed == int(14 * FPS)
    assert session.stats.frames_dropped == 0
