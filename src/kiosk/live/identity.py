"""ID verification in a process of its own, so the kiosk's window never stalls on it.

dlib's face descriptor and the OCR post-processing hold Python's GIL for ~80 ms at a time
(measured here), long enough to freeze a window's event loop if they ran on one of its threads.
A single spawned worker keeps its verifier (and the loaded models) between checks, and ends
with the kiosk however the kiosk ends (`single_worker_pool`).
"""

from __future__ import annotations

from datetime import date

import numpy as np

from kiosk.worker_process import single_worker_pool
from proctor.idcheck import IdVerification, IdVerifier

_verifier: IdVerifier | None = None


def _verify(card: np.ndarray, live: np.ndarray, name: str, today: date | None) -> IdVerification:
    global _verifier
    if _verifier is None:
        _verifier = IdVerifier()
    return _verifier.verify(card, live, name, today=today)


class IsolatedIdVerifier:
    """`verify` as `IdVerifier.verify`, run in the worker process; blocks the calling thread."""

    def __init__(self) -> None:
        self._pool = single_worker_pool()

    def verify(
        self, card: np.ndarray, live: np.ndarray, name: str, *, today: date | None = None
    ) -> IdVerification:
        return self._pool.submit(_verify, card, live, name, today).result()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
