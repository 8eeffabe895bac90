"""The pure half of audit replay: the chunk codec and the comparison, without any model."""

from __future__ import annotations

import gzip

import pytest

from contract.proctoring import EventKind, Severity
from integrity import (
    JudgedEvent,
    RuleEngine,
    TrackError,
    TrackHeader,
    compare,
    decode_chunk,
    encode_chunk,
    load_policy,
    replay,
    runs_of,
)
from integrity.observation import CameraStatus, Observation, Pose, SeenFace, SeenObject

HEADER = TrackHeader("run-1", 0, "faces v1", "objects v1", "d" * 64)
FACE = SeenFace.measured(200.123, 100.0, 180.0, 220.0, 0.91234)
FRONTAL = Pose(0.0, 5.0, 0.0)


def _seen(t: float, *, faces=(FACE,), objects=(), pose=FRONTAL) -> Observation:
    return Observation.measured(
        t, (640, 480), mean=120.0, std=40.0, change=3.0,
        faces=faces, primary=0 if faces else None, pose=pose if faces else None, objects=objects,
    )


def _track(pattern: str, **kinds) -> list[Observation]:
    """'F' one face, '.' nobody, 'P' a face and a phone, at 10 a second."""
    phone = (SeenObject.measured("cell phone", 0.3, 10, 10, 50, 90),)
    return [
        _seen(i / 10, faces=() if c == "." else (FACE,), objects=phone if c == "P" else ())
        for i, c in enumerate(pattern)
    ]


def test_a_chunk_round_trips_every_number_exactly():
    records = [
        _seen(0.1, objects=(SeenObject.measured("cell phone", 0.33333, 1, 2, 3, 4),)),
        CameraStatus(0.2, True, "unplugged"),
        _seen(0.3, faces=()),
    ]
    chunk = decode_chunk(encode_chunk(HEADER, records))
    assert chunk.header == HEADER and list(chunk.records) == records
    assert chunk.records[0].faces[0].score == 0.9123  # rounded once, when measured


def test_a_damaged_chunk_is_refused_with_a_reason():
    good = encode_chunk(HEADER, [_seen(0.0)])
    with pytest.raises(TrackError, match="not readable gzip"):
        decode_chunk(good[: len(good) // 2])
    with pytest.raises(TrackError, match="damaged"):
        decode_chunk(gzip.compress(b'{"track":1}\n'))
    with pytest.raises(TrackError, match="unknown observation track format"):
        decode_chunk(gzip.compress(b'{"track":99}\n'))


def test_a_run_missing_a_chunk_is_refused_rather_than_judged_over_a_gap():
    first = decode_chunk(encode_chunk(HEADER, [_seen(0.0)]))
    third = decode_chunk(encode_chunk(TrackHeader("run-1", 2, "f", "o", "d"), [_seen(20.0)]))
    with pytest.raises(TrackError, match="one is missing"):
        runs_of([first, third])


def test_the_policy_decides_which_labels_are_banned_at_replay():
    """The track keeps the model's labels; a policy that bans them finds what another allows."""
    policy = load_policy()
    runs = runs_of([decode_chunk(encode_chunk(HEADER, _track("F" * 5 + "P" * 20 + "F" * 10)))])
    banned = replay(runs, policy)
    assert [(e.kind, e.start, e.end, e.detail) for e in banned] == [
        (EventKind.BANNED_OBJECT, 0.5, 2.5, "a phone")
    ]
    allowed = policy.objects.model_copy(update={"banned": ("book",)})
    assert replay(runs, policy.model_copy(update={"objects": allowed})) == ()
    stricter_score = policy.detection.model_copy(update={"banned_score": 0.5})
    assert replay(runs, policy.model_copy(update={"detection": stricter_score})) == ()


def test_replay_is_the_live_engine_fed_the_same_records():
    """Live, each observation comes with its frame; the replay has none, yet its peaks (and so
    the details and confidences) are the live ones."""
    policy = load_policy()
    second = SeenFace.measured(20, 20, 60, 60, 0.8)
    third = SeenFace.measured(500, 20, 60, 60, 0.95)
    records = [
        _seen(i / 10, faces=(FACE, third, second) if i % 7 == 3 else (FACE, second))
        for i in range(40)
    ] + [_seen(4 + i / 10) for i in range(10)]
    engine = RuleEngine(policy, "faces v1", "objects v1", encode=lambda frame: frame)
    live = {e.id: e for i, r in enumerate(records) for e in engine.observe(r, f"{i}".encode())}
    live.update({e.id: e for e in engine.finish()})
    (event,) = live.values()
    assert event.snapshot_jpeg == b"3" and event.detail == "3 faces, 0 persons"
    runs = runs_of([decode_chunk(encode_chunk(HEADER, records))])
    assert replay(runs, policy) == (JudgedEvent.of(event),)


def _event(kind, start, end, severity=Severity.MEDIUM, detail=""):
    return JudgedEvent(kind, severity, start, end, 1.0, detail)


def test_compare_says_what_was_added_removed_and_changed():
    original = [
        _event(EventKind.NO_FACE, 1.0, 5.0),
        _event(EventKind.LOOKING_AWAY, 10.0, 20.0),
        _event(EventKind.FOCUS_LOST, 3.0, 3.0),  # reported by the kiosk: never re-judged
    ]
    rejudged = [
        _event(EventKind.LOOKING_AWAY, 12.0, 20.0, Severity.HIGH),
        _event(EventKind.MULTIPLE_PEOPLE, 30.0, 31.0, Severity.HIGH, "2 faces, 0 persons"),
    ]
    result = compare(original, rejudged)
    assert result.lines() == [
        "Added: More than one person in view (high concern), 30.0-31.0 s (2 faces, 0 persons)",
        "Removed: No face in view (medium concern), 1.0-5.0 s",
        "Changed: Looking away from the screen: 10.0-20.0 s became 12.0-20.0 s; "
        "medium concern became high concern",
    ]
    assert result.not_rejudged == 1
    same = compare(original, [original[0], original[1]])
    assert not same.differs and same.lines() == ["No difference: the 2 camera events are the same."]
