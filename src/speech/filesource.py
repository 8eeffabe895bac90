"""Audio files as an `AudioSource`: any rate and channel count in, 16 kHz mono blocks out.

libsndfile (soundfile) reads WAV, FLAC and Ogg Vorbis without FFmpeg; PyAV decodes MP3 and anything
libsndfile refuses. With `realtime=True` blocks are released at the speed of speech, so a file can
stand in for a live microphone in demos, tests and benchmarks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import soundfile as sf

from speech.errors import AudioFileError
from speech.integrity import check_complete
from speech.resample import Resampler
from speech.source import BLOCK_SAMPLES, SAMPLE_RATE

#: Extensions libsndfile is tried first for; everything else goes straight to PyAV.
_SOUNDFILE_SUFFIXES = frozenset({".wav", ".flac", ".ogg", ".oga"})


class FileSource:
    """Decode an audio file lazily into 16 kHz mono float32 blocks of `block_samples`."""

    def __init__(
        self, path: str | Path, *, realtime: bool = False, block_samples: int = BLOCK_SAMPLES
    ) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self.block_samples = block_samples
        self._stop = threading.Event()
        self._check_readable()
        check_complete(self.path)
        self._use_soundfile = self._soundfile_can_open()
        if not self._use_soundfile:
            self._probe_with_av()

    def __iter__(self) -> Iterator[np.ndarray]:
        decoded = self._decode_soundfile() if self._use_soundfile else self._decode_av()
        pending = np.zeros(0, dtype=np.float32)
        started = time.monotonic()
        emitted = 0
        produced_any = False
        for chunk in decoded:
            pending = np.concatenate([pending, chunk]) if pending.size else chunk
            while pending.size >= self.block_samples:
                block, pending = pending[: self.block_samples], pending[self.block_samples :]
                if self._stop.is_set():
                    return
                self._pace(started, emitted)
                emitted += block.size
                produced_any = True
                yield block
        if pending.size and not self._stop.is_set():
            self._pace(started, emitted)
            produced_any = True
            yield pending
        if not produced_any and not self._stop.is_set():
            raise AudioFileError(f"audio file {self.path} contains no audio samples")

    def close(self) -> None:
        self._stop.set()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pace(self, started: float, emitted_samples: int) -> None:
        """Sleep until the wall clock reaches the audio time of the next block."""
        if not self.realtime:
            return
        delay = started + emitted_samples / SAMPLE_RATE - time.monotonic()
        if delay > 0:
            self._stop.wait(delay)

    def _check_readable(self) -> None:
        if not self.path.is_file():
            raise AudioFileError(f"audio file {self.path} does not exist")
        if self.path.stat().st_size == 0:
            raise AudioFileError(f"audio file {self.path} is empty (0 bytes)")

    def _soundfile_can_open(self) -> bool:
        if self.path.suffix.lower() not in _SOUNDFILE_SUFFIXES:
            return False
        try:
            sf.info(str(self.path))
        except (sf.LibsndfileError, RuntimeError):
            return False  # PyAV gets a chance; it reports the error if it fails too
        return True

    def _probe_with_av(self) -> None:
        try:
            with av.open(str(self.path)) as container:
                if not container.streams.audio:
                    raise AudioFileError(f"{self.path} has no audio stream")
        except av.FFmpegError as error:
            raise AudioFileError(
                f"cannot decode audio file {self.path}: it is corrupt or not audio ({error})"
            ) from error

    def _decode_soundfile(self) -> Iterator[np.ndarray]:
        try:
            with sf.SoundFile(str(self.path)) as handle:
                resampler = Resampler(handle.samplerate)
                for frames in handle.blocks(blocksize=8192, dtype="float32", always_2d=True):
                    yield resampler.push(frames)
                yield resampler.flush()
        except (sf.LibsndfileError, RuntimeError) as error:
            raise AudioFileError(f"audio file {self.path} is corrupt: {error}") from error

    def _decode_av(self) -> Iterator[np.ndarray]:
        resampler = Resampler(None)
        try:
            with av.open(str(self.path)) as container:
                stream = container.streams.audio[0]
                for frame in container.decode(stream):
                    yield resampler.push_frame(frame)
            yield resampler.flush()
        except av.FFmpegError as error:
            raise AudioFileError(f"audio file {self.path} is corrupt: {error}") from error


def load_audio(path: str | Path) -> np.ndarray:
    """Decode a whole file to one 16 kHz mono float32 array."""
    blocks = list(FileSource(path))
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
