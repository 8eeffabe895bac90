"""Test speech made at test time: the piper voice and espeak-ng voices at different speeds.

Everything is synthesised once per session (the cache directory is session-scoped) and clips are
short, so the whole speech suite stays within its time budget on 2 cores.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from tests.integration.speech.speechkit import ANSWER, VOICES, Clip, compose

from speech import load_audio, synthesize


@pytest.fixture(scope="session")
def tts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tts-cache")


@pytest.fixture(scope="session")
def speak(tts_cache: Path) -> Callable[[str, str], np.ndarray]:
    """speak(text, voice) -> 16 kHz float32 speech, synthesised once per session."""

    def make(text: str, voice: str) -> np.ndarray:
        return load_audio(synthesize(text, options=VOICES[voice], cache_dir=tts_cache).path)

    return make


@pytest.fixture(scope="session")
def answer_clip(speak: Callable[[str, str], np.ndarray]) -> Clip:
    """A two-sentence piper answer with 1 s of silence before and 3.5 s after."""
    return compose(speak(ANSWER, "piper"), ANSWER, lead_s=1.0, trail_s=3.5)
