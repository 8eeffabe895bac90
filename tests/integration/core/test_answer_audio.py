"""Each answer's audio is kept once on the kiosk (FLAC, lossless) and reaches the hub only when
the session's data policy sends it, and then compressed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from tests.sample import candidate, job, question, settings, take_to

from contract.privacy import DataPolicy
from contract.wire import AnswerEntry, MediaEntry, outbox_entry
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Answer
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork


@pytest.fixture
def service(tmp_path: Path) -> Iterator[SessionService]:
    svc = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"))
    yield svc
    svc.close()


def _speech_like_wav(seconds: float = 4.0) -> tuple[bytes, np.ndarray]:
    """A voiced, noisy 16 kHz int16 WAV, like a recorded answer (not a pure tone FLAC eats)."""
    rng = np.random.default_rng(7)
    t = np.arange(int(16_000 * seconds)) / 16_000
    voice = 0.3 * np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    samples = (np.clip(voice + rng.normal(0, 0.01, t.size), -1, 1) * 32767).astype(np.int16)
    out = io.BytesIO()
    sf.write(out, samples, 16_000, format="WAV", subtype="PCM_16")
    return out.getvalue(), samples


def _answer(service: SessionService, policy: DataPolicy, wav: bytes) -> tuple[str, Answer]:
    session = service.create(candidate(), job(), settings(), data_policy=policy)
    take_to(service, session.session_id, SessionState.IN_PROGRESS)
    q = question(0)
    service.record_question(session.session_id, q)
    saved = service.save_answer(
        session.session_id, Answer(new_id(), q.question_id, "an answer"), audio_wav=wav
    )
    return session.session_id, saved


def _entries(service: SessionService) -> list[object]:
    with UnitOfWork(service.database) as uow:
        rows = uow.outbox.pending(1000)
        return [outbox_entry(r.id, r.topic, r.payload, r.created_at) for r in rows]


def test_the_kiosk_keeps_one_lossless_flac_copy_and_sends_none_by_default(
    service: SessionService, tmp_path: Path
) -> None:
    wav, samples = _speech_like_wav()
    _, saved = _answer(service, DataPolicy(), wav)
    assert saved.audio is not None and saved.audio.content_type == "audio/flac"
    blobs = [p for p in (tmp_path / "m").rglob("*") if p.is_file()]
    assert len(blobs) == 1  # one copy, no WAV beside it
    stored = blobs[0].read_bytes()
    assert stored[:4] == b"fLaC" and len(stored) < 0.8 * len(wav)
    decoded, rate = sf.read(io.BytesIO(stored), dtype="int16")
    assert rate == 16_000 and np.array_equal(decoded, samples)  # lossless, bit for bit
    entries = _entries(service)
    assert not [e for e in entries if isinstance(e, MediaEntry)]
    answers = [e for e in entries if isinstance(e, AnswerEntry)]
    assert len(answers) == 1 and answers[0].payload.audio is None


def test_a_policy_that_sends_audio_sends_the_flac_copy(service: SessionService) -> None:
    wav, _ = _speech_like_wav()
    _, saved = _answer(service, DataPolicy(send_answer_audio=True), wav)
    entries = _entries(service)
    media = [e for e in entries if isinstance(e, MediaEntry)]
    answers = [e for e in entries if isinstance(e, AnswerEntry)]
    assert saved.audio is not None
    assert [m.payload.sha256 for m in media] == [saved.audio.sha256]
    assert media[0].payload.content_type == "audio/flac"
    assert answers[0].payload.audio is not None
    assert answers[0].payload.audio.sha256 == saved.audio.sha256


def test_a_recording_too_damaged_to_read_is_kept_as_it_came(service: SessionService) -> None:
    broken = b"RIFF\x00\x00\x00\x00WAVEfmt garbage"
    _, saved = _answer(service, DataPolicy(), broken)
    assert saved.audio is not None and saved.audio.content_type == "audio/wav"
    assert service.media.read(saved.audio) == broken
