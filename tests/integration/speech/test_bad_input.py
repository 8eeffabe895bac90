"""Bad input fails with a clear error: broken audio, missing or altered models, absent devices."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sounddevice
from tests.integration.speech.speechkit import write_wav

from kiosk.cli import main as kiosk_main
from modelstore import ModelDamagedError, ModelMissingError
from speech import (
    AudioDeviceError,
    AudioFileError,
    DamagedAudioError,
    FileSource,
    MicrophoneSource,
    TranscribeOptions,
    load_audio,
)
from speech.whisper import ChunkTranscriber, load_whisper

REPO_MODELS = Path(__file__).resolve().parents[3] / "models"


def test_corrupt_audio_file_is_a_clear_cli_error(tmp_path: Path, capsys) -> None:
    corrupt = tmp_path / "answer.wav"
    corrupt.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage that is not audio" * 20)
    assert kiosk_main(["transcribe", str(corrupt)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kiosk transcribe: ")
    assert "answer.wav" in error
    assert len(error.splitlines()) == 1


def test_empty_audio_file_is_a_clear_cli_error(tmp_path: Path, capsys) -> None:
    empty = tmp_path / "empty.mp3"
    empty.touch()
    assert kiosk_main(["transcribe", str(empty)]) == 2
    assert "is empty (0 bytes)" in capsys.readouterr().err


def test_missing_model_names_the_file_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelMissingError) as caught:
        load_whisper("tiny.en", 2)
    message = str(caught.value)
    assert str(tmp_path / "whisper-tiny.en") in message
    assert "make models" in message


def test_missing_model_via_cli_exits_2(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path))
    clip = write_wav(tmp_path / "a.wav", np.zeros(16_000, np.float32))
    assert kiosk_main(["transcribe", str(clip), "--model", "base"]) == 2
    assert "whisper-base" in capsys.readouterr().err


def test_model_with_a_flipped_byte_is_refused(tmp_path: Path, monkeypatch) -> None:
    """Symlink the big files, copy the small config and flip one of its bytes."""
    folder = tmp_path / "whisper-tiny.en"
    folder.mkdir()
    for source in (REPO_MODELS / "whisper-tiny.en").iterdir():
        (folder / source.name).symlink_to(source)
    config = folder / "config.json"
    config.unlink()
    data = bytearray((REPO_MODELS / "whisper-tiny.en" / "config.json").read_bytes())
    data[10] ^= 0x01
    config.write_bytes(bytes(data))
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(tmp_path))
    with pytest.raises(ModelDamagedError) as caught:
        ChunkTranscriber(TranscribeOptions(model="tiny.en"))
    assert "config.json" in str(caught.value)
    assert "damaged" in str(caught.value)


def test_unknown_input_device_names_the_devices_that_exist() -> None:
    """Real PortAudio: on this machine there may be no device at all, and the message says so."""
    existing = [d["name"] for d in sounddevice.query_devices() if d["max_input_channels"] > 0]
    with pytest.raises(AudioDeviceError) as caught:
        MicrophoneSource("No Such Microphone 9000")
    message = str(caught.value)
    assert "No Such Microphone 9000" in message
    if existing:
        assert all(name in message for name in existing)
    else:
        assert "no audio input devices" in message


def test_unreadable_file_source_raises_before_iteration(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="does not exist"):
        FileSource(tmp_path / "missing.flac")



DEMO_ANSWER = Path(__file__).resolve().parents[3] / "resources" / "demo" / "media" / "answer-05.ogg"


def _speech_wav(tmp_path: Path) -> Path:
    """A WAV of real (synthesised) speech: the demo's short answer, decoded."""
    return write_wav(tmp_path / "answer.wav", load_audio(DEMO_ANSWER))


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_wav_is_damaged_not_a_short_answer(tmp_path: Path, keep: float,
                                                      capsys) -> None:
    whole = _speech_wav(tmp_path).read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[: int(len(whole) * keep)])
    with pytest.raises(DamagedAudioError, match=r"cut\.wav is damaged"):
        FileSource(cut)
    assert kiosk_main(["transcribe", str(cut)]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kiosk transcribe: ") and "damaged" in error
    assert len(error.splitlines()) == 1


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.97])
def test_truncated_ogg_is_damaged(tmp_path: Path, keep: float) -> None:
    whole = DEMO_ANSWER.read_bytes()
    cut = tmp_path / "cut.ogg"
    cut.write_bytes(whole[: int(len(whole) * keep)])
    with pytest.raises(DamagedAudioError, match="damaged"):
        FileSource(cut)


def test_whole_files_and_streamed_wavs_are_not_called_damaged(tmp_path: Path) -> None:
    """Complete files pass; so does a WAV whose writer could not know its length (data size
    0xFFFFFFFF, as streaming writers leave it)."""
    assert list(FileSource(DEMO_ANSWER))
    wav = _speech_wav(tmp_path)
    assert list(FileSource(wav))
    data = bytearray(wav.read_bytes())
    at = data.index(b"data") + 4
    data[at:at + 4] = b"\xff\xff\xff\xff"
    streamed = tmp_path / "streamed.wav"
    streamed.write_bytes(bytes(data))
    assert sum(block.size for block in FileSource(streamed)) > 16_000
