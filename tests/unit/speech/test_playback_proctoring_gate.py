"""Playback without speakers, proctoring signals, and the hallucination gate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.unit.speech.fakes import FakeSoundDevice, device

from speech import (
    SignalKind,
    SpeechRegion,
    TranscribeOptions,
    Window,
    no_attempt,
    play,
    speech_outside_answer,
)
from speech.results import Segment, Word
from speech.whisper import rejection_reason


@pytest.fixture
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "q.wav"
    sf.write(str(path), np.zeros(22_050, np.float32), 22_050)
    return path


def test_no_output_device_means_shown_not_spoken(wav: Path) -> None:
    backend = FakeSoundDevice([device("Mic", 1, 0)])
    result = play(wav, backend=backend)
    assert not result.spoken
    assert "no audio output device" in result.reason
    assert result.duration == pytest.approx(1.0)
    assert backend.played == []


def test_output_device_plays_the_file(wav: Path) -> None:
    backend = FakeSoundDevice([device("Speakers", 0, 2)])
    result = play(wav, backend=backend)
    assert result.spoken and result.reason is None and result.device == "Speakers"
    assert backend.played[0][1] == 22_050


def test_failing_output_is_reported_not_raised(wav: Path) -> None:
    backend = FakeSoundDevice([device("Speakers", 0, 2)])

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("Device unavailable")

    backend.play = broken  # type: ignore[method-assign]
    result = play(wav, backend=backend)
    assert not result.spoken and "Device unavailable" in result.reason


def test_speech_while_the_question_is_read_is_flagged() -> None:
    regions = [
        SpeechRegion(3.0, 5.0, 0.9),
        SpeechRegion(9.8, 10.1, 0.8),
        SpeechRegion(12, 20, 0.95),
    ]
    question = [Window("question 1 read aloud", 2.0, 10.0)]
    signals = speech_outside_answer(regions, question)
    assert len(signals) == 1  # the 0.2 s overlap at 9.8 s is below the minimum
    signal = signals[0]
    assert signal.kind is SignalKind.SPEECH_OUTSIDE_ANSWER
    assert (signal.start, signal.end, signal.confidence) == (3.0, 5.0, 0.9)
    assert "question 1 read aloud" in signal.detail


def test_no_attempt_after_the_threshold_only() -> None:
    assert no_attempt(10.0, [], now=25.0, threshold_s=20.0) is None
    silent = no_attempt(10.0, [], now=40.0, threshold_s=20.0)
    assert silent is not None and silent.kind is SignalKind.NO_ATTEMPT
    assert silent.end == 40.0 and "no answer at all" in silent.detail
    late = no_attempt(10.0, [SpeechRegion(45.0, 50.0, 0.9)], now=60.0, threshold_s=20.0)
    assert late is not None and late.end == 45.0 and late.confidence == pytest.approx(0.875)
    assert no_attempt(10.0, [SpeechRegion(12.0, 50.0, 0.9)], now=60.0, threshold_s=20.0) is None


def _segment(
    text: str, logprob: float, no_speech: float, ratio: float = 1.2, seconds: float = 1.0
) -> Segment:
    return Segment(0.0, seconds, text, (), logprob, no_speech, ratio)


@pytest.mark.parametrize(
    ("segment", "reason"),
    [
        (_segment("I built it.", -0.2, 0.05), None),
        (_segment("Thank you.", -1.2, 0.8), "no speech"),
        (_segment("the the the the the", -0.3, 0.1, 3.1), "repetitive"),
        (_segment("Smoke blue.", -1.8, 0.2), "low confidence"),
        (_segment("Thank you.", -0.5, 0.4), "stock phrase on doubtful audio"),
        (_segment("Thank you.", -0.2, 0.02), None),
        # seen on the demo recording: 5 words in the last 0.22 s of a chunk
        (
            _segment("We'll see you next time.", -0.4, 0.1, seconds=0.22),
            "too fast to have been said",
        ),
        (_segment("We'll see you next time.", -0.4, 0.1, seconds=1.2), None),
    ],
)
def test_hallucination_gate(segment: Segment, reason: str | None) -> None:
    assert rejection_reason(segment, TranscribeOptions()) == reason


def _worded(text: str, probabilities: list[float]) -> Segment:
    words = tuple(Word(0.1 * i, 0.1 * i + 0.1, w, p)
                  for i, (w, p) in enumerate(zip(text.split(), probabilities, strict=True)))
    return Segment(0.0, 0.1 * len(words), text, words, -1.1, 0.4, 0.7)


@pytest.mark.parametrize(
    ("text", "probabilities", "reason"),
    [
        # seen on the demo with domain hints: tails Whisper doubted word by word
        ("GitHub.", [0.0], "improbable words"),
        ("Word .com .com", [0.0001, 0.21, 0.34], "improbable words"),
        ("Yes.", [0.93], None),  # a short, sure answer stays
        ("Kubernetes cluster", [0.3, 0.6], None),  # one word it is sure of is enough
    ],
)
def test_gate_drops_segments_whose_every_word_whisper_doubts(
    text: str, probabilities: list[float], reason: str | None
) -> None:
    assert rejection_reason(_worded(text, probabilities), TranscribeOptions()) == reason


def test_gate_drops_whisper_reading_its_prompt_back() -> None:
    """On noise, prompted Whisper said the question itself; an answer that merely uses the
    question's words, or the job's words in a sentence, stays."""
    options = TranscribeOptions(
        initial_prompt="How would you find and fix a slow query in PostgreSQL?",
        hotwords="Python, FastAPI, PostgreSQL, Kafka",
    )
    echo = _segment("How would you find and fix a slow query in PostgreSQL?", -0.3, 0.2)
    listed = _segment("Python, FastAPI, PostgreSQL.", -0.3, 0.2)
    answer = _segment("I would find the slow query in PostgreSQL with EXPLAIN.", -0.3, 0.1,
                      seconds=4.0)
    assert rejection_reason(echo, options) == "echo of the prompt"
    assert rejection_reason(listed, options) == "echo of the prompt"
    assert rejection_reason(answer, options) is None
    assert rejection_reason(_segment("Kafka.", -0.3, 0.1), options) is None


def test_options_validate_model_and_threads() -> None:
    with pytest.raises(ValueError, match="unknown model 'large'"):
        TranscribeOptions(model="large")
    with pytest.raises(ValueError, match="cpu_threads"):
        TranscribeOptions(cpu_threads=0)
