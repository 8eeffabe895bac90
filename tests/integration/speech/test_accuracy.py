"""Word error rate on speech synthesised at test time, clean and at 10 dB SNR.

WER is computed over the six-sentence corpus per voice (errors / reference words), which is how
WER is normally reported and is far less jumpy than per-sentence figures.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from tests.integration.speech.speechkit import (
    SENTENCES,
    Clip,
    add_pink_noise,
    add_white_noise,
    compose,
    corpus_wer,
    run_answer,
)

from speech import TranscribeOptions

Speak = Callable[[str, str], np.ndarray]
NO_CAPTIONS = float("inf")


def _corpus(speak: Speak, voice: str) -> list[Clip]:
    return [compose(speak(text, voice), text, lead_s=0.5, trail_s=3.0) for text in SENTENCES]


def _wer(clips: list[Clip], model: str = "tiny.en") -> float:
    options = TranscribeOptions(model=model, partial_interval_s=NO_CAPTIONS)
    hypotheses = [run_answer(c.audio, options).transcript.text for c in clips]
    return corpus_wer([c.text for c in clips], hypotheses)


@pytest.mark.parametrize("voice", ["piper", "espeak-us-150", "espeak-gb-175"])
def test_clean_speech_wer_at_most_10_percent(speak: Speak, voice: str) -> None:
    assert _wer(_corpus(speak, voice)) <= 0.10


def test_piper_with_white_noise_at_10_db_wer_at_most_20_percent(speak: Speak) -> None:
    noisy = [add_white_noise(c, snr_db=10) for c in _corpus(speak, "piper")]
    assert _wer(noisy) <= 0.20


def test_espeak_with_pink_noise_at_10_db_wer_at_most_20_percent(speak: Speak) -> None:
    noisy = [add_pink_noise(c, snr_db=10) for c in _corpus(speak, "espeak-gb-175")]
    assert _wer(noisy) <= 0.20


def test_espeak_with_white_noise_at_10_db_stays_within_30_percent(speak: Speak) -> None:
    """The hardest case here: a robotic voice with hiss over its consonants. Measured on
    espeak-ng's complete output: tiny.en 26.6 %, base 25.3 % (clean: 6.3 % and 2.5 %). The
    earlier 20 % bound for base held only for pyttsx3's renderings, which lost the end of some
    sentences' audio."""
    noisy = [add_white_noise(c, snr_db=10) for c in _corpus(speak, "espeak-us-150")]
    assert _wer(noisy, model="base") <= 0.30


def test_base_detects_english_and_transcribes_it(answer_clip: Clip) -> None:
    options = TranscribeOptions(model="base", partial_interval_s=NO_CAPTIONS)
    transcript = run_answer(answer_clip.audio, options).transcript
    assert transcript.language == "en"
    assert transcript.language_probability > 0.5
    assert corpus_wer([answer_clip.text], [transcript.text]) <= 0.10
