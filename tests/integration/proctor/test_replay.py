"""The recorded observation track replays to exactly the live events; another policy re-judges.

Real photos and real models: the live run records its track through `run(track=...)`, the track
goes through the chunk codec (what the kiosk stores and syncs), and `integrity.replay` runs the
same rule code over it without a single image.
"""

from __future__ import annotations

import numpy as np
import pytest

from contract.proctoring import EventKind
from integrity import JudgedEvent, compare, decode_chunk, encode_chunk, replay, runs_of
from integrity.observation import TRACK_RATE_HZ, Observation, TrackRecord
from integrity.policy import Policy
from integrity.track import CHUNK_SECONDS, TrackHeader
from proctor import ImageSequenceSource, ProctorEvent, ProctorSession, Still

from .conftest import with_object_rate


def _with_rules(policy: Policy, **holds: float) -> Policy:
    rules = dict(policy.rules)
    for kind, hold in holds.items():
        rules[EventKind(kind)] = rules[EventKind(kind)].model_copy(update={"hold_s": hold})
    return policy.model_copy(update={"rules": rules})


@pytest.fixture(scope="module")
def live(photos, policy) -> tuple[ProctorSession, list[ProctorEvent], list[TrackRecord]]:
    """Face 3 s, nobody 4 s, two people 2 s, face 2 s, dark 1.5 s at 15 fps (above the rate)."""
    dark = np.full((480, 640, 3), 8, np.uint8)
    source = ImageSequenceSource(
        [
            Still(photos["astronaut"], 3.0),
            Still(photos["coffee"], 4.0),
            Still(photos["zidane"], 2.0),
            Still(photos["astronaut"], 2.0),
            Still(dark, 1.5),
        ],
        15.0,
        size=(640, 480),
    )
    session = ProctorSession(with_object_rate(policy, 2.0))
    records: list[TrackRecord] = []
    events = list(session.run(source, track=records.append))
    return session, events, records


def _chunked(session: ProctorSession, records: list[TrackRecord]) -> list[bytes]:
    """The track cut into chunks as the kiosk writes them."""
    chunks, part = [], []
    for record in records:
        part.append(record)
        if record.t - part[0].t >= CHUNK_SECONDS:
            chunks.append(part)
            part = []
    chunks.append(part)
    header = lambda n: TrackHeader(  # noqa: E731
        session.run_id, n, session.detectors.face.name, session.detectors.objects.name,
        session.policy.digest(),
    )
    return [encode_chunk(header(seq), part) for seq, part in enumerate(chunks)]


def _final(events: list[ProctorEvent]) -> list[JudgedEvent]:
    final = {e.id: e for e in events}
    return sorted((JudgedEvent.of(e) for e in final.values()), key=lambda e: (e.start, e.kind))


def test_observations_come_at_the_fixed_rate(live):
    _, _, records = live
    times = [r.t for r in records if isinstance(r, Observation)]
    assert len(times) == pytest.approx(12.5 * min(15.0, TRACK_RATE_HZ), abs=2)  # a 15 fps source
    assert len(set(times)) == len(times) and times == sorted(times)


def test_replay_under_the_live_policy_reproduces_the_live_events_exactly(live):
    session, events, records = live
    runs = runs_of(decode_chunk(c) for c in _chunked(session, records))
    assert len(runs) == 1 and runs[0].policy_digest == session.policy.digest()
    replayed = replay(runs, session.policy)
    original = _final(events)
    assert {e.kind for e in original} >= {
        EventKind.NO_FACE,
        EventKind.MULTIPLE_PEOPLE,
        EventKind.CAMERA_COVERED,
    }
    assert replayed == tuple(original)  # kind, severity, times, confidence, detail, thresholds
    assert not compare(original, replayed).differs


def test_a_stricter_policy_adds_an_event_and_a_looser_one_removes_one(live):
    session, events, records = live
    runs = runs_of(decode_chunk(c) for c in _chunked(session, records))
    original = _final(events)
    # two people for 2 s: a 3 s hold (looser) no longer raises it
    looser = compare(original, replay(runs, _with_rules(session.policy, multiple_people=3.0)))
    assert [e.kind for e in looser.removed] == [EventKind.MULTIPLE_PEOPLE] and not looser.added
    assert looser.lines()[0].startswith("Removed: More than one person in view (high concern)")
    # a 1 degree looking-away threshold (and a 1 s hold) flags the astronaut's 8 degree pitch
    pose = session.policy.pose.model_copy(update={"max_pitch": 1.0, "max_yaw": 1.0})
    strict_pose = session.policy.model_copy(update={"pose": pose})
    stricter_policy = _with_rules(strict_pose, looking_away=1.0)
    stricter = compare(original, replay(runs, stricter_policy))
    assert EventKind.LOOKING_AWAY in {e.kind for e in stricter.added} and not stricter.removed
    added = next(e for e in stricter.added if e.kind is EventKind.LOOKING_AWAY)
    assert dict(added.thresholds)["max_pitch"] == 1.0  # the event says what judged it
