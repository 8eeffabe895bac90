"""The endpointer's state machine on hand-made VAD probabilities (one value per 32 ms window)."""

from __future__ import annotations

import numpy as np
import pytest

from speech import Endpointer, EndpointOptions, EndReason
from speech.vad import WINDOW_S


def windows(seconds: float, prob: float) -> np.ndarray:
    return np.full(round(seconds / WINDOW_S), prob, dtype=np.float32)


def run(*parts: tuple[float, float], options: EndpointOptions | None = None) -> Endpointer:
    endpointer = Endpointer(options)
    endpointer.push(np.concatenate([windows(s, p) for s, p in parts]))
    return endpointer


def test_answer_ends_after_trailing_silence_and_reports_when_speech_stopped() -> None:
    ep = run((1.0, 0.0), (3.0, 0.9), (5.0, 0.05))
    assert ep.endpoint is not None
    assert ep.endpoint.reason is EndReason.TRAILING_SILENCE
    assert ep.endpoint.speech_start == pytest.approx(1.0, abs=WINDOW_S)
    assert ep.endpoint.speech_end == pytest.approx(4.0, abs=WINDOW_S)
    assert ep.endpoint.decided_at == pytest.approx(6.5, abs=WINDOW_S)


def test_a_pause_shorter_than_the_trailing_silence_does_not_end_the_answer() -> None:
    ep = run((2.0, 0.9), (2.0, 0.1), (2.0, 0.9), (1.0, 0.1))
    assert ep.endpoint is None
    # Each pause of >= 0.5 s closes a region (a Whisper chunk) without ending the answer.
    assert [round(r.start, 1) for r in ep.regions] == [0.0, 4.0]


def test_hysteresis_keeps_speech_through_middling_probabilities() -> None:
    ep = run((1.0, 0.9), (1.0, 0.4), (1.0, 0.9), (3.0, 0.0))
    assert len(ep.regions) == 1
    assert ep.regions[0].end == pytest.approx(3.0, abs=WINDOW_S)


def test_clicks_shorter_than_min_speech_are_not_speech() -> None:
    ep = run((0.1, 0.95), (3.0, 0.0), options=EndpointOptions(no_speech_timeout_s=2.0))
    assert ep.regions == []
    assert ep.endpoint is not None and ep.endpoint.reason is EndReason.NO_SPEECH


def test_max_answer_length_closes_the_open_region() -> None:
    ep = run((5.0, 0.9), options=EndpointOptions(max_answer_s=3.0))
    assert ep.endpoint is not None and ep.endpoint.reason is EndReason.MAX_LENGTH
    assert ep.endpoint.speech_end == pytest.approx(3.0, abs=WINDOW_S)


def test_finish_closes_the_region_and_marks_end_of_audio() -> None:
    ep = run((1.0, 0.9))
    closed = ep.finish()
    assert len(closed) == 1
    assert ep.endpoint is not None and ep.endpoint.reason is EndReason.END_OF_AUDIO


def test_split_open_region_keeps_the_rest_open() -> None:
    ep = run((4.0, 0.9))
    head = ep.split_open_region(2.5)
    assert head is not None and head.end == 2.5
    assert ep.open_region_start == 2.5


def test_extra_time_pushes_the_maximum_length_back_mid_answer() -> None:
    ep = Endpointer(EndpointOptions(max_answer_s=3.0))
    ep.push(windows(2.0, 0.9))
    ep.extend(4.0)
    ep.push(windows(3.0, 0.9))
    assert ep.endpoint is None  # 5 s of speech, past the original 3 s
    ep.push(windows(3.0, 0.9))
    assert ep.endpoint is not None and ep.endpoint.reason is EndReason.MAX_LENGTH
    assert ep.endpoint.decided_at == pytest.approx(7.0, abs=WINDOW_S)
    with pytest.raises(ValueError, match="positive"):
        ep.extend(0)
