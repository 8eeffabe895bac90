"""The recorder survives a crash: it loses at most the last second; recovery gives a valid WAV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from speech import AnswerRecorder, AudioFileError, find_partial_recordings, recover_recording

BLOCK = np.linspace(-0.5, 0.5, 1600, dtype=np.float32)  # 100 ms


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_closed_recording_is_a_valid_wav_under_its_final_name(tmp_path: Path) -> None:
    with AnswerRecorder(tmp_path / "a.wav") as recorder:
        for _ in range(10):
            recorder.write(BLOCK)
    audio, rate = sf.read(str(tmp_path / "a.wav"), dtype="float32")
    assert rate == 16_000 and audio.size == 16_000
    np.testing.assert_allclose(audio[:1600], BLOCK, atol=1e-4)
    assert not (tmp_path / "a.wav.partial").exists()


def test_crash_loses_at_most_the_last_second(tmp_path: Path, monkeypatch) -> None:
    clock = Clock()
    monkeypatch.setattr("speech.recorder.time.monotonic", clock)
    recorder = AnswerRecorder(tmp_path / "b.wav", flush_interval_s=1.0)
    for _ in range(35):  # 3.5 s of audio arriving in real time
        clock.now += 0.1
        recorder.write(BLOCK)
    crashed = tmp_path / "crash" / "b.wav.partial"
    crashed.parent.mkdir()
    crashed.write_bytes(recorder.partial_path.read_bytes())  # what the disk holds right now
    recovered = recover_recording(crashed)
    audio, _ = sf.read(str(recovered), dtype="float32")
    assert audio.size >= 16_000 * 2.5
    recorder.close()


def test_half_written_sample_is_dropped_and_partials_are_found(tmp_path: Path) -> None:
    with AnswerRecorder(tmp_path / "c.wav") as recorder:
        recorder.write(BLOCK)
    partial = tmp_path / "c.wav.partial"
    partial.write_bytes((tmp_path / "c.wav").read_bytes() + b"\x01")  # odd byte count
    assert find_partial_recordings(tmp_path) == (partial,)
    audio, _ = sf.read(str(recover_recording(partial, tmp_path / "c2.wav")))
    assert audio.size == 1600


def test_garbage_partial_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "d.wav.partial"
    bad.write_bytes(b"not a wav at all")
    with pytest.raises(AudioFileError, match="no RIFF header"):
        recover_recording(bad)
