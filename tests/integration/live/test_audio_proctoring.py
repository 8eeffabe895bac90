"""Audio proctoring in the live interview: events reach the session through the proctor feed.

Real piper speech, real Silero VAD and Whisper, a real proctor watching a stand-in camera; the
events checked are the ones stored for the session, on the proctoring media clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.integration.live.livekit import (
    QUESTIONS,
    ClipAnswers,
    LoudspeakerVoice,
    ScriptedEngine,
    SilentVoice,
    conductor,
    proctor_feeds,
    ready_session,
)

from kiosk.bus import EventBus
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import ProctoringEvent
from kiosk.live.announcements import QuestionAsked, QuestionSpoken
from kiosk.live.answers import AnswerAudio, RecordedAnswers
from kiosk.live.conductor import ConductorOptions, ProctorFactory
from kiosk.live.interruption import InterruptibleAnswers
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from speech import SAMPLE_RATE, SynthesisOptions, load_audio, synthesize

HINT = "Say composite index."


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), np.float32)


def _of_kind(events: tuple[ProctoringEvent, ...], kind: str) -> list[ProctoringEvent]:
    return sorted((e for e in events if e.kind == kind), key=lambda e: e.start)


@pytest.fixture(scope="module")
def hint(tts_cache: Path) -> np.ndarray:
    """A second voice whispering while the question is read: 0.5 s of quiet, then the hint."""
    options = SynthesisOptions(engine="espeak", fallback=False, espeak_rate=150)
    speech = load_audio(synthesize(HINT, options=options, cache_dir=tts_cache).path)
    return np.concatenate([_silence(0.5), speech, _silence(0.5)])


@pytest.fixture(scope="module")
def room_tone() -> np.ndarray:
    """Nobody speaking: a quiet room's hiss for longer than any question takes to read."""
    noise = np.random.default_rng(7).standard_normal(8 * SAMPLE_RATE) * 0.003
    return noise.astype(np.float32)


def _recorded(
    folder: Path, answers: list[np.ndarray], quiet: dict[int, np.ndarray]
) -> RecordedAnswers:
    """RecordedAnswers for QUESTIONS: answer i, and what the microphone hears while i is read."""
    folder.mkdir(parents=True, exist_ok=True)

    def wav(name: str, audio: np.ndarray) -> Path:
        path = folder / f"{name}.wav"
        sf.write(path, audio, SAMPLE_RATE)
        return path

    by_question = {QUESTIONS[i]: wav(f"answer-{i}", a) for i, a in enumerate(answers)}
    during = {QUESTIONS[i]: wav(f"quiet-{i}", a) for i, a in quiet.items()}
    return RecordedAnswers(
        by_question, fallback=by_question[QUESTIONS[0]], quiet_by_question=during
    )


def test_silence_after_a_question_is_reported_as_no_attempt_on_the_proctoring_clock(
    service: SessionService, clips: list[np.ndarray], face: np.ndarray, tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    feeds, feed = proctor_feeds(face, service, writer, bus)
    listening_from: list[float] = []  # media time when each question had been read
    bus.subscribe(QuestionSpoken, lambda e: listening_from.append(feeds[-1].proctor.now()))
    silent = _silence(5.0)
    late = np.concatenate([_silence(1.5), clips[2]])  # the clip has 1 s of silence first
    options = ConductorOptions(no_speech_timeout_s=3.0, no_attempt_s=2.0)
    answers = ClipAnswers([clips[0], silent, late])
    conductor(
        service,
        answers,
        tmp_path,
        bus,
        writer,
        engine=ScriptedEngine(),
        voice=SilentVoice(),
        feed=feed,
        options=options,
    ).run(session_id)
    writer.close()
    record = service.load(session_id)

    assert [a.end_reason for a in record.answers] == [
        "trailing_silence",
        "no_speech",
        "trailing_silence",
    ]
    assert "fridays" in record.answers[2].text.lower()  # the late answer was still heard
    silence, late_start = _of_kind(record.events, "no_attempt")  # none for the prompt answer
    assert silence.detail.startswith("question 2:") and "no answer at all" in silence.detail
    assert silence.start == pytest.approx(listening_from[1], abs=0.5)
    assert silence.end - silence.start == pytest.approx(3.0, abs=0.1)  # until the timeout
    assert late_start.detail.startswith("question 3:") and "first speech after" in late_start.detail
    assert late_start.start == pytest.approx(listening_from[2], abs=0.5)
    assert late_start.end - late_start.start == pytest.approx(2.5, abs=0.3)  # speech onset
    assert {e.detector for e in (silence, late_start)} == {"silero-vad"}


@pytest.mark.parametrize(
    "wrap", [lambda a: a, InterruptibleAnswers], ids=["recorded", "wrapped-as-in-the-app"]
)
def test_with_a_headset_speech_while_a_question_is_read_is_reported(
    wrap: Callable[[RecordedAnswers], AnswerAudio],
    service: SessionService,
    clips: list[np.ndarray],
    hint: np.ndarray,
    room_tone: np.ndarray,
    face: np.ndarray,
    tts_cache: Path,
    tmp_path: Path,
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    feeds, feed = proctor_feeds(face, service, writer, bus)
    asked_at: list[float] = []  # media time when each question began to be read
    bus.subscribe(QuestionAsked, lambda e: asked_at.append(feeds[-1].proctor.now()))
    answers = wrap(_recorded(tmp_path / "audio", clips[:2], {0: room_tone, 1: hint}))
    conductor(
        service,
        answers,
        tmp_path,
        bus,
        writer,
        engine=ScriptedEngine(count=2),
        voice=LoudspeakerVoice(tts_cache),
        feed=feed,
        options=ConductorOptions(audio_proctoring_headset=True),
    ).run(session_id)
    writer.close()
    record = service.load(session_id)

    assert record.session.state is SessionState.REPORTED
    (heard,) = _of_kind(record.events, "speech_outside_answer")  # none in the quiet room
    assert "during question 2 being read" in heard.detail
    assert heard.start == pytest.approx(asked_at[1] + 0.5, abs=0.5)  # the hint's onset
    assert 0.5 <= heard.end - heard.start <= hint.size / SAMPLE_RATE
    assert heard.detector == "silero-vad" and heard.confidence >= 0.5
    assert _of_kind(record.events, "no_attempt") == []


def test_without_the_headset_option_speech_while_a_question_is_read_is_not_reported(
    service: SessionService,
    clips: list[np.ndarray],
    hint: np.ndarray,
    face: np.ndarray,
    tts_cache: Path,
    tmp_path: Path,
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    _, feed = proctor_feeds(face, service, writer, bus)
    answers = _recorded(tmp_path / "audio", clips[:1], {0: hint})
    conductor(
        service,
        answers,
        tmp_path,
        bus,
        writer,
        engine=ScriptedEngine(count=1),
        voice=LoudspeakerVoice(tts_cache),
        feed=feed,
        options=ConductorOptions(),
    ).run(session_id)
    writer.close()
    record = service.load(session_id)

    assert record.session.state is SessionState.REPORTED
    assert "composite index" in record.answers[0].text.lower()
    assert _of_kind(record.events, "speech_outside_answer") == []


@pytest.mark.parametrize("factory", [None, lambda session_id: None], ids=["none", "no-feed"])
def test_without_a_proctor_feed_nothing_is_recorded(
    service: SessionService,
    hint: np.ndarray,
    factory: ProctorFactory | None,
    tmp_path: Path,
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    answers = _recorded(tmp_path / "audio", [_silence(4.0)], {0: hint})
    options = ConductorOptions(
        no_speech_timeout_s=2.0, no_attempt_s=1.0, audio_proctoring_headset=True
    )
    running = conductor(
        service,
        answers,
        tmp_path,
        bus,
        writer,
        engine=ScriptedEngine(count=1),
        voice=SilentVoice(),
        feed=factory,
        options=options,
    )
    record = running.run(session_id)
    writer.close()
    assert record.session.state is SessionState.REPORTED
    assert record.answers[0].end_reason == "no_speech"  # would be a no-attempt with a feed
    assert service.load(session_id).events == ()


def test_after_proctoring_stopped_audio_events_are_not_left_for_the_next_session(
    service: SessionService, face: np.ndarray, tmp_path: Path
) -> None:
    session_id = ready_session(service)
    bus, writer = EventBus(), SerialWriter()
    feeds, feed = proctor_feeds(face, service, writer, bus, camera_seconds=0.5)
    options = ConductorOptions(no_speech_timeout_s=2.0, no_attempt_s=1.0)
    answers = ClipAnswers([_silence(3.0)])
    running = conductor(
        service,
        answers,
        tmp_path,
        bus,
        writer,
        engine=ScriptedEngine(count=1),
        voice=SilentVoice(),
        feed=feed,
        options=options,
    )
    bus.subscribe(QuestionAsked, lambda e: time.sleep(1.0))  # the camera's half second runs out
    record = running.run(session_id)
    writer.close()
    assert record.answers[0].end_reason == "no_speech"  # a no-attempt, had proctoring run
    (proctor,) = (f.proctor for f in feeds)
    assert not proctor.running
    assert [e.kind for e in proctor.events()] == []  # nothing waits to join the next stream
    assert service.load(session_id).events == ()


def test_a_no_attempt_threshold_beyond_the_no_speech_timeout_is_refused() -> None:
    with pytest.raises(ValueError, match="at most no_speech_timeout_s"):
        ConductorOptions(no_speech_timeout_s=10.0, no_attempt_s=15.0)
