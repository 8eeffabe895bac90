"""Whisper must never invent text: silence and noise give an empty transcript."""

from __future__ import annotations

import numpy as np
import pytest
from tests.integration.speech.speechkit import pink_noise, run_answer, silence, white_noise

from speech import DomainHints, TranscribeOptions
from speech.whisper import ChunkTranscriber

NOISES = {
    "silence": lambda: silence(6.0),
    "white": lambda: white_noise(6.0, rms=0.05),
    "pink": lambda: pink_noise(6.0, rms=0.05),
    "loud-white": lambda: white_noise(6.0, rms=0.2, seed=7),
    "hum": lambda: (0.1 * np.sin(2 * np.pi * 50 * np.arange(96_000) / 16_000)).astype(np.float32),
}


@pytest.mark.parametrize("kind", sorted(NOISES))
def test_no_text_from_non_speech(kind: str) -> None:
    answer = run_answer(NOISES[kind]())
    assert answer.transcript.text == ""
    assert answer.transcript.words == ()
    assert answer.endpoint.speech_end is None


@pytest.mark.parametrize("kind", ["white", "pink"])
def test_gate_rejects_what_whisper_makes_of_raw_noise(kind: str) -> None:
    """Even if noise got past the VAD, the hallucination gate keeps the transcript empty."""
    transcriber = ChunkTranscriber(TranscribeOptions())
    result = transcriber.transcribe(NOISES[kind](), 0.0, final=True)
    assert [s.text for s in result.segments] == []


#: The demo job's hints: spellings Whisper could be tempted to write into any silence.
HINTS = DomainHints(
    hotwords="Python, REST APIs, FastAPI, Django, PostgreSQL, pytest, CI, Docker, Kubernetes, "
    "Redis, Kafka, AWS, ETL, SQL, GitHub Actions, Tramline Logistics, Quinta Analytics",
    prompt="How would you find and fix a slow query in PostgreSQL?",
)


@pytest.mark.parametrize("kind", sorted(NOISES))
@pytest.mark.parametrize("model", ["tiny.en", "base"])
def test_domain_hints_invent_nothing_in_silence_or_noise(kind: str, model: str) -> None:
    options = HINTS.apply(TranscribeOptions(model=model, partial_interval_s=float("inf")))
    answer = run_answer(NOISES[kind](), options)
    assert answer.transcript.text == ""


@pytest.mark.parametrize("kind", ["white", "pink"])
def test_gate_holds_with_hints_on_raw_noise(kind: str) -> None:
    transcriber = ChunkTranscriber(HINTS.apply(TranscribeOptions()))
    result = transcriber.transcribe(NOISES[kind](), 0.0, final=True, prompt=HINTS.prompt)
    assert [s.text for s in result.segments] == []
