"""Streaming conversion of any-rate, any-channel float audio to 16 kHz mono, via FFmpeg's resampler.

PyAV is already installed with faster-whisper and its `AudioResampler` keeps filter state between
calls, so block-by-block output matches resampling the whole file at once.
"""

from __future__ import annotations

import av
import numpy as np

from speech.source import SAMPLE_RATE, as_block


class Resampler:
    """Feed blocks of shape (frames,) or (frames, channels); get 16 kHz mono float32 back."""

    def __init__(self, rate_in: int | None) -> None:
        """`rate_in=None` for PyAV frames, which carry their own rate and layout."""
        self.rate_in = rate_in
        self._resampler = (
            None
            if rate_in == SAMPLE_RATE
            else av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        )

    def push(self, samples: np.ndarray) -> np.ndarray:
        # Downmixing by the channel mean is what FFmpeg does for a plain stereo->mono too.
        mono = samples.mean(axis=1) if samples.ndim == 2 else samples
        mono = as_block(mono)
        if self._resampler is None or mono.size == 0:
            return mono
        frame = av.AudioFrame.from_ndarray(mono.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = int(self.rate_in or SAMPLE_RATE)
        return self._collect(self._resampler.resample(frame))

    def push_frame(self, frame: av.AudioFrame) -> np.ndarray:
        """Resample a frame decoded by PyAV (any layout), skipping the NumPy round trip."""
        assert self._resampler is not None, "construct with rate_in=None for PyAV frames"
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        """Return the samples the filter still holds at the end of the stream."""
        if self._resampler is None:
            return np.zeros(0, dtype=np.float32)
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames: list[av.AudioFrame]) -> np.ndarray:
        if not frames:
            return np.zeros(0, dtype=np.float32)
        return as_block(np.concatenate([f.to_ndarray().reshape(-1) for f in frames]))
