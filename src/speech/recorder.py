"""Write answer audio to disk as it arrives, so a crash or power cut loses at most the last second.

The recorder writes a normal 16-bit WAV to `<name>.partial` and fsyncs it at least once a second.
Its header only gets the right sizes on `close()`, which then renames the file into place; a file
still called `.partial` therefore means the process died, and `recover_recording` rebuilds a valid
WAV from the samples that reached the disk.
"""

from __future__ import annotations

import os
import time
import wave
from pathlib import Path
from typing import BinaryIO

import numpy as np

from speech.errors import AudioFileError
from speech.source import SAMPLE_RATE

PARTIAL_SUFFIX = ".partial"
_SAMPLE_WIDTH = 2  # int16: half the size of float32 and what every player understands


def partial_path_for(path: Path) -> Path:
    return path.with_name(path.name + PARTIAL_SUFFIX)


def _to_int16(block: np.ndarray) -> bytes:
    return (np.clip(block, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


class AnswerRecorder:
    """Append float32 16 kHz mono blocks to a WAV file, durable to within `flush_interval_s`."""

    def __init__(self, path: str | Path, *, flush_interval_s: float = 1.0) -> None:
        self.path = Path(path)
        self.partial_path = partial_path_for(self.path)
        self.flush_interval_s = flush_interval_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file: BinaryIO = self.partial_path.open("wb")
        self._wav = wave.open(self._file, "wb")  # noqa: SIM115 - closed in close()
        self._wav.setnchannels(1)
        self._wav.setsampwidth(_SAMPLE_WIDTH)
        self._wav.setframerate(SAMPLE_RATE)
        self._last_flush = time.monotonic()
        self.samples_written = 0
        self._closed = False

    def write(self, block: np.ndarray) -> None:
        self._wav.writeframesraw(_to_int16(block))
        self.samples_written += block.size
        if time.monotonic() - self._last_flush >= self.flush_interval_s:
            self.flush()

    def flush(self) -> None:
        """Push everything written so far to the disk itself, not just the OS cache."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._last_flush = time.monotonic()

    def close(self) -> Path:
        """Finish the header, make the file durable and move it to its final name."""
        if not self._closed:
            self._closed = True
            self._wav.close()  # patches the RIFF and data sizes
            self.flush()
            self._file.close()
            self.partial_path.replace(self.path)
        return self.path

    def __enter__(self) -> AnswerRecorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _data_offset(raw: bytes, partial: Path) -> int:
    """Where the samples start: right after the `data` chunk header the recorder wrote."""
    if raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
        raise AudioFileError(f"{partial} is not a WAV written by the recorder (no RIFF header)")
    marker = raw.find(b"data", 12, 256)
    if marker < 0:
        raise AudioFileError(f"{partial} has no data chunk: the crash came before any audio")
    return marker + 8


def recover_recording(partial: str | Path, destination: str | Path | None = None) -> Path:
    """Turn a `.partial` file left by a crash into a valid WAV; return its path.

    A half-written last sample is dropped. The partial file is removed once the WAV is durable.
    """
    partial = Path(partial)
    if destination is None:
        destination = partial.with_name(partial.name.removesuffix(PARTIAL_SUFFIX))
    destination = Path(destination)
    raw = partial.read_bytes()
    # An empty partial means the crash came before the first block: the answer had no audio.
    samples = raw[_data_offset(raw, partial) :] if raw else b""
    samples = samples[: len(samples) - len(samples) % _SAMPLE_WIDTH]
    staging = destination.with_name(destination.name + ".recovering")
    with staging.open("wb") as handle:
        with wave.open(handle, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(_SAMPLE_WIDTH)
            wav.setframerate(SAMPLE_RATE)
            wav.writeframes(samples)
        handle.flush()
        os.fsync(handle.fileno())
    staging.replace(destination)
    partial.unlink()
    return destination


def find_partial_recordings(folder: str | Path) -> tuple[Path, ...]:
    """Recordings a crash left behind in `folder`, for the start-up recovery pass."""
    return tuple(sorted(Path(folder).glob(f"*{PARTIAL_SUFFIX}")))
