"""Kiosk and audio events join the camera's stream through `ProctorSession.report`."""

from __future__ import annotations

import threading

import pytest

from contract.proctoring import EventKind, EventSource, Severity
from proctor import Detectors, ImageSequenceSource, ProctorSession, Still

from .conftest import with_object_rate


def test_reported_events_enter_the_stream_in_time(photos, policy):
    session = ProctorSession(with_object_rate(policy, 0.5))
    source = ImageSequenceSource([Still(photos["astronaut"], 2.0)], 5.0)
    assert list(session.run(source)) == []  # one calm face: nothing from the camera
    focus = session.report("focus_lost", start=0.5, end=1.5, detail="Alt+Tab")
    shortcut = session.report(EventKind.BLOCKED_SHORTCUT, detail="Ctrl+Alt+T")
    voices = session.report(
        EventKind.SPEECH_OUTSIDE_ANSWER, start=1.0, end=1.8, detector="speech vad"
    )
    assert focus.source is EventSource.KIOSK and focus.severity is Severity.MEDIUM
    assert focus.duration == pytest.approx(1.0)
    assert shortcut.start == pytest.approx(1.8) and shortcut.end == shortcut.start  # "now"
    assert voices.source is EventSource.AUDIO and voices.detector == "speech vad"
    assert [e.kind for e in session.events()] == [  # in the order they started
        EventKind.FOCUS_LOST,
        EventKind.SPEECH_OUTSIDE_ANSWER,
        EventKind.BLOCKED_SHORTCUT,
    ]
    reasons = session.summary().reasons
    assert (
        "The kiosk window was not in focus for 1.0 s in 1 period; review the kiosk log" in reasons
    )
    assert any(
        r.startswith("Speech was heard while no answer") and r.endswith("review the audio")
        for r in reasons
    )


def test_events_reported_from_another_thread_during_a_live_run_are_yielded(photos, policy):
    session = ProctorSession(with_object_rate(policy, 0.5))
    source = ImageSequenceSource([Still(photos["astronaut"], 1.5)], 10.0, realtime=True)
    timer = threading.Timer(0.5, session.report, (EventKind.SECOND_DISPLAY,))
    timer.start()
    stream = list(session.run(source))
    timer.join()
    (display,) = [e for e in stream if e.kind is EventKind.SECOND_DISPLAY]
    assert display.start == pytest.approx(0.5, abs=0.3)  # the media clock, not wall time
    assert display.severity is Severity.HIGH


def test_bad_reports_are_refused(policy):
    session = ProctorSession(policy)
    with pytest.raises(ValueError):
        session.report("phone_call")
    with pytest.raises(ValueError, match="detected from the camera"):
        session.report(EventKind.NO_FACE)


def test_events_reported_between_runs_never_reach_the_next_run(photos, policy):
    """Each interview is its own session over shared detectors: what is reported to one that
    has ended stays with it, and the next candidate's starts empty."""
    detectors = Detectors(with_object_rate(policy, 0.5))
    session = ProctorSession(detectors=detectors)
    calm = [Still(photos["astronaut"], 1.0)]
    assert list(session.run(ImageSequenceSource(calm, 5.0))) == []
    assert not session.running
    assert session.report_live(EventKind.FOCUS_LOST, detail="between candidates") is None
    kept = session.report(EventKind.BLOCKED_SHORTCUT, detail="between candidates")
    assert kept in session.events()  # kept for this session's summary...
    with pytest.raises(RuntimeError, match="runs once"):
        list(session.run(ImageSequenceSource(calm, 5.0)))
    following = ProctorSession(detectors=detectors)
    assert list(following.run(ImageSequenceSource(calm, 5.0))) == []  # ...never the next one's
    assert following.events() == ()
    assert following.detectors.face is session.detectors.face  # the models loaded once


def test_report_live_streams_while_a_run_is_going(photos, policy):
    session = ProctorSession(with_object_rate(policy, 0.5))
    source = ImageSequenceSource([Still(photos["astronaut"], 1.5)], 10.0, realtime=True)
    returned: list[object] = []
    timer = threading.Timer(
        0.5, lambda: returned.append(session.report_live(EventKind.SECOND_DISPLAY))
    )
    timer.start()
    stream = list(session.run(source))
    timer.join()
    assert returned and returned[0] is not None
    assert [e.kind for e in stream] == [EventKind.SECOND_DISPLAY]
