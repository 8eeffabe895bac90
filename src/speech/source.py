"""The one shape every audio input takes: an iterable of float32 mono 16 kHz blocks.

Everything downstream (VAD, recorder, Whisper) assumes this format, so sources convert at their
edge and nothing else ever resamples or downmixes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, runtime_checkable

import numpy as np

SAMPLE_RATE = 16_000
#: 100 ms: short enough for a responsive endpointer, long enough to keep callback overhead low.
BLOCK_SAMPLES = 1_600


@runtime_checkable
class AudioSource(Protocol):
    """Yields 1-D float32 blocks at `SAMPLE_RATE`; `close()` stops the iteration early."""

    def __iter__(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


def as_block(samples: np.ndarray) -> np.ndarray:
    """Return `samples` as a contiguous 1-D float32 array (no copy when it already is one)."""
    return np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
