"""JPEG snapshots of the frame that best shows an event, for the reviewer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np

from integrity.events import ProctorEvent

JPEG_QUALITY = 85


def encode_jpeg(image: np.ndarray, quality: int = JPEG_QUALITY) -> bytes:
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the frame as JPEG")
    return buffer.tobytes()


def save_snapshots(events: Iterable[ProctorEvent], folder: str | Path) -> dict[str, Path]:
    """Write each event's snapshot as `<start s>s-<kind>-<id prefix>.jpg` (sorting by name is
    sorting by time); returns the paths by event id."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for event in events:
        if event.snapshot_jpeg:
            name = f"{int(event.start):05d}s-{event.kind.value}-{event.id[:8]}.jpg"
            path = folder / name
            path.write_bytes(event.snapshot_jpeg)
            written[event.id] = path
    return written
