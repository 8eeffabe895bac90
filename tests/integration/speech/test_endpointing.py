"""End of answer on real speech: where speech ended, when the answer was closed, and why."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from tests.integration.speech.speechkit import (
    SENTENCES,
    Clip,
    add_white_noise,
    compose,
    run_answer,
    silence,
)

from speech import EndpointOptions, EndReason, TranscribeOptions


@pytest.mark.parametrize("voice", ["piper", "espeak-us-150"])
@pytest.mark.parametrize("noisy", [False, True], ids=["clean", "10dB"])
def test_end_of_speech_within_400_ms(
    speak: Callable[[str, str], np.ndarray], voice: str, noisy: bool
) -> None:
    clip = compose(speak(SENTENCES[3], voice), SENTENCES[3], lead_s=1.0, trail_s=4.0)
    if noisy:
        clip = add_white_noise(clip, snr_db=10)
    endpoint = run_answer(clip.audio).endpoint
    assert endpoint.reason is EndReason.TRAILING_SILENCE
    assert endpoint.speech_end is not None
    assert abs(endpoint.speech_end - clip.speech_end) <= 0.4
    assert abs(endpoint.speech_start - clip.speech_start) <= 0.4
    # The decision comes the configured trailing silence after the end of speech, not later.
    assert endpoint.decided_at - endpoint.speech_end == pytest.approx(2.5, abs=0.05)


def test_trailing_silence_is_configurable(answer_clip: Clip) -> None:
    endpoint = run_answer(answer_clip.audio, endpoint=EndpointOptions(trailing_silence_s=1.0))
    assert endpoint.endpoint.decided_at - endpoint.endpoint.speech_end == pytest.approx(
        1.0, abs=0.05
    )


def test_max_answer_length_cuts_a_long_answer_and_keeps_what_was_said(answer_clip: Clip) -> None:
    answer = run_answer(answer_clip.audio, endpoint=EndpointOptions(max_answer_s=4.0))
    assert answer.endpoint.reason is EndReason.MAX_LENGTH
    assert answer.endpoint.decided_at == pytest.approx(4.0, abs=0.05)
    assert "small team" in answer.transcript.text.lower()
    assert answer.transcript.words[-1].end <= 4.3


def test_no_speech_timeout_ends_a_silent_answer() -> None:
    options = EndpointOptions(no_speech_timeout_s=3.0)
    answer = run_answer(silence(5.0), endpoint=options)
    assert answer.endpoint.reason is EndReason.NO_SPEECH
    assert answer.endpoint.speech_end is None
    assert answer.transcript.text == ""


def test_whisper_only_hears_voiced_audio(answer_clip: Clip) -> None:
    answer = run_answer(answer_clip.audio, TranscribeOptions(partial_interval_s=float("inf")))
    transcript = answer.transcript
    assert transcript.voiced_duration < transcript.duration - 3.5
    assert all(r.start >= 0.7 for r in answer.regions)  # the 1 s lead-in is never sent
