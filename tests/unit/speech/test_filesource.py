"""FileSource: every format and rate in, 16 kHz mono out; broken files fail clearly."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from speech import AudioFileError, FileSource, load_audio


def tone(rate: int, seconds: float, channels: int = 1, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    mono = 0.5 * np.sin(2 * np.pi * hz * t).astype(np.float32)
    return np.stack([mono] * channels, axis=1) if channels > 1 else mono


@pytest.mark.parametrize(
    ("name", "rate", "channels", "fmt"),
    [
        ("a.wav", 44_100, 2, None),
        ("b.flac", 48_000, 1, None),
        ("c.ogg", 22_050, 2, None),
        ("d.mp3", 44_100, 1, "MP3"),
        ("e.wav", 16_000, 1, None),
        ("f.wav", 8_000, 1, None),
    ],
)
def test_any_format_and_rate_becomes_16k_mono(
    tmp_path: Path, name: str, rate: int, channels: int, fmt: str | None
) -> None:
    path = tmp_path / name
    sf.write(str(path), tone(rate, 2.0, channels), rate, format=fmt)
    audio = load_audio(path)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(audio.size - 32_000) <= 1600  # mp3 adds encoder padding
    # The tone survives: its dominant frequency is still 440 Hz at the new rate.
    spectrum = np.abs(np.fft.rfft(audio[4000:20000]))
    assert np.fft.rfftfreq(16000, 1 / 16_000)[spectrum.argmax()] == pytest.approx(440, abs=5)


def test_blocks_have_the_requested_size(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    sf.write(str(path), tone(16_000, 1.05), 16_000)
    sizes = [b.size for b in FileSource(path, block_samples=1600)]
    assert sizes[:-1] == [1600] * 10 and sizes[-1] == 800


def test_realtime_pacing_and_close(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    sf.write(str(path), tone(16_000, 1.0), 16_000)
    started = time.monotonic()
    assert sum(b.size for b in FileSource(path, realtime=True)) == 16_000
    assert time.monotonic() - started >= 0.85
    source = FileSource(path, realtime=True)
    blocks = iter(source)
    next(blocks)
    source.close()
    assert list(blocks) == []


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "e.wav").touch()
    with pytest.raises(AudioFileError, match=r"e\.wav is empty \(0 bytes\)"):
        FileSource(tmp_path / "e.wav")


def test_header_without_samples(tmp_path: Path) -> None:
    path = tmp_path / "h.wav"
    sf.write(str(path), np.zeros(0, np.float32), 16_000)
    with pytest.raises(AudioFileError, match="contains no audio samples"):
        load_audio(path)


@pytest.mark.parametrize("name", ["x.wav", "x.mp3", "x.flac"])
def test_corrupt_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(AudioFileError, match=r"x\.\w+"):
        load_audio(path)


def test_truncated_flac_still_yields_what_it_can_or_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "t.flac"
    sf.write(str(path), tone(16_000, 3.0), 16_000)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    try:
        audio = load_audio(path)
    except AudioFileError as error:
        assert "t.flac" in str(error)
    else:
        assert 0 < audio.size < 48_000
