"""Silero VAD v6 (the ONNX file shipped inside faster-whisper), run one 32 ms window at a time.

faster-whisper's own helper scores a whole recording in one call; a live answer needs the LSTM
state and the 64-sample context carried from window to window instead, which this class does.
The probabilities are identical to the batch helper's for the same audio (a test checks it).
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np
import onnxruntime
from faster_whisper.utils import get_assets_path

from speech.source import SAMPLE_RATE, as_block

WINDOW_SAMPLES = 512
WINDOW_S = WINDOW_SAMPLES / SAMPLE_RATE
_CONTEXT_SAMPLES = 64
_VAD_FILE = "silero_vad_v6.onnx"


@lru_cache(maxsize=1)
def load_vad_session() -> onnxruntime.InferenceSession:
    """One ONNX session per process; VAD is cheap, so one thread keeps cores free for Whisper."""
    path = os.path.join(get_assets_path(), _VAD_FILE)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"Silero VAD model {path} is missing; reinstall faster-whisper==1.2.1 which ships it"
        )
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = 1
    options.intra_op_num_threads = 1
    options.log_severity_level = 4
    return onnxruntime.InferenceSession(
        path, sess_options=options, providers=["CPUExecutionProvider"]
    )


class StreamingVad:
    """Turn arbitrary-length blocks into one speech probability per 512-sample window."""

    def __init__(self) -> None:
        self._session = load_vad_session()
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self.windows_seen = 0

    def push(self, block: np.ndarray) -> np.ndarray:
        """Score every complete window in `pending + block`; keep the remainder for next time."""
        audio = np.concatenate([self._pending, as_block(block)])
        count = audio.size // WINDOW_SAMPLES
        self._pending = audio[count * WINDOW_SAMPLES :]
        if count == 0:
            return np.zeros(0, dtype=np.float32)
        windows = audio[: count * WINDOW_SAMPLES].reshape(count, WINDOW_SAMPLES)
        contexts = np.vstack([self._context, windows[:-1, -_CONTEXT_SAMPLES:]])
        self._context = windows[-1, -_CONTEXT_SAMPLES:].copy()
        batch = np.concatenate([contexts, windows], axis=1)
        probs, self._h, self._c = self._session.run(
            None, {"input": batch, "h": self._h, "c": self._c}
        )
        self.windows_seen += count
        return np.asarray(probs, dtype=np.float32).reshape(-1)
