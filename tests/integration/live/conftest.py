"""Fixtures for the live-interview tests: answers spoken by piper, storage, a face to watch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from tests.integration.live.livekit import SPOKEN

from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from speech import SAMPLE_RATE, SynthesisOptions, load_audio, synthesize


@pytest.fixture(scope="session")
def tts_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("tts-cache")


@pytest.fixture(scope="session")
def clips(tts_cache: Path) -> list[np.ndarray]:
    """Each answer as a candidate gives it: a breath of silence, speech, then silence."""
    silence = np.zeros(SAMPLE_RATE, np.float32)
    out = []
    for text in SPOKEN:
        speech = synthesize(
            text, options=SynthesisOptions(engine="piper", length_scale=1.1), cache_dir=tts_cache
        )
        out.append(np.concatenate([silence, load_audio(speech.path), silence, silence, silence]))
    return out


@pytest.fixture
def service(tmp_path: Path) -> Iterator[SessionService]:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"))
    yield svc
    svc.close()


@pytest.fixture(scope="session")
def face() -> np.ndarray:
    """One calm frontal face (scikit-image's astronaut, BGR): the camera raises nothing."""
    from skimage import data

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
