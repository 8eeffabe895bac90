"""What every frame source yields: frames with timestamps, and changes in the source's health."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

import numpy as np


@dataclass(frozen=True, eq=False)
class Frame:
    """One BGR image and when it was taken.

    `timestamp` is seconds on the session's media clock (0 = first frame), which is what events
    report; `captured_at` is `time.monotonic()` when the frame was read, used to measure latency.
    Consumers must not modify `image`: a snapshot may keep a reference to it.
    """

    image: np.ndarray = field(repr=False)
    timestamp: float
    index: int
    captured_at: float

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        height, width = self.image.shape[:2]
        return width, height


class SourceState(StrEnum):
    """A live source's health, reported between frames."""

    LOST = "camera_lost"
    RESTORED = "camera_restored"


@dataclass(frozen=True)
class SourceStatus:
    """The camera went away or came back, at `timestamp` on the media clock."""

    state: SourceState
    timestamp: float
    detail: str


SourceItem = Frame | SourceStatus


class FrameSource(Protocol):
    """Anything that yields frames: a camera, a video file, a list of stills.

    `live` sources run in real time, so a slow consumer must drop frames rather than fall behind;
    other sources are processed frame by frame. `close()` may be called from another thread to
    end `frames()` early (e.g. to interrupt a camera's reconnect backoff).
    """

    live: bool

    def frames(self) -> Iterator[SourceItem]: ...

    def close(self) -> None: ...
