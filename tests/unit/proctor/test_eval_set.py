"""How the evaluation set turns labels into expected events and scores reported ones."""

from __future__ import annotations

import pytest
from bench import proctor_eval as pe

from contract.proctoring import EventKind, Severity
from proctor import ProctorEvent, load_policy

POLICY = load_policy()


def _event(event_id: int, kind: EventKind, start: float, end: float) -> ProctorEvent:
    return ProctorEvent(event_id, kind, Severity.HIGH, start, end, 0.9, (), "test")


def test_a_condition_shorter_than_its_hold_time_is_not_expected():
    brief = pe.EvalSequence("brief", (pe.Segment("astronaut", 2), pe.Segment("coffee", 2.5)))
    assert brief.expected(POLICY) == []  # no_face holds 3 s


def test_adjacent_segments_with_one_condition_make_one_expected_event():
    sequence = pe.EvalSequence(
        "away",
        (
            pe.Segment("astronaut", 2),
            pe.Segment("coffee", 2),
            pe.Segment("garage", 2),
            pe.Segment("zidane", 2),
        ),
    )
    assert sequence.expected(POLICY) == [
        pe.ExpectedEvent(EventKind.NO_FACE, 2.0, 6.0),
        pe.ExpectedEvent(EventKind.MULTIPLE_PEOPLE, 6.0, 8.0),
    ]


def test_labels_give_each_office_photo_a_screen_and_hidden_faces_no_face():
    sequence = pe.EvalSequence("office", (pe.Segment("office-left13", 4),))
    kinds = {e.kind for e in sequence.expected(POLICY)}
    assert kinds == {EventKind.BANNED_OBJECT, EventKind.NO_FACE}


def test_score_counts_found_missed_and_false_events():
    expected = [
        pe.ExpectedEvent(EventKind.NO_FACE, 3.0, 9.0),
        pe.ExpectedEvent(EventKind.NO_FACE, 20.0, 25.0),
    ]
    reported = [
        _event(1, EventKind.NO_FACE, 3.2, 8.8),  # found
        _event(2, EventKind.NO_FACE, 12.0, 14.0),  # false
        _event(3, EventKind.MULTIPLE_PEOPLE, 1.0, 2.0),  # false, another kind
    ]
    scores = pe.score(expected, reported, {1: 6.3}, POLICY)
    no_face = scores[EventKind.NO_FACE]
    assert (no_face.found, no_face.correct, no_face.reported) == (1, 1, 2)
    assert no_face.recall == 0.5 and no_face.precision == 0.5
    assert no_face.start_errors == [pytest.approx(0.2)]
    assert no_face.flag_delays == [pytest.approx(0.3)]  # flagged 0.3 s after onset + 3 s hold
    people = scores[EventKind.MULTIPLE_PEOPLE]
    assert people.precision == 0.0 and people.recall is None


def test_photos_are_checked_against_their_pinned_hashes(monkeypatch):
    wrong = pe.Photo("bad", "file:dog.jpg", "0" * 64, "test", 0, 0)
    monkeypatch.setitem(pe.PHOTOS, "bad", wrong)
    pe.load.cache_clear()
    with pytest.raises(pe.PhotoError, match="hashes to"):
        pe.load("bad")
