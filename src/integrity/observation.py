"""One moment of the observation track: the numbers the proctoring rules read, and nothing else.

The live proctor measures a frame (grey statistics, faces, head pose, the latest objects), turns
the measurements into an `Observation` and judges *that*, never the raw measurements; the track
stores the same `Observation`s. Values are rounded here, once, to what a judgement can depend on
(boxes to 0.1 px, scores to 1e-4, angles to 0.01 degree, grey levels to 0.001), so the live path
and a replay read identical numbers and JSON carries them exactly.

Observations are taken at most `TRACK_RATE_HZ` times a second of media time (the proctor analyses
no more frames than that); a source slower than that gives one per frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The observation rate: every frame of a 30 fps camera. Faces are watched on every frame
#: (a glance away lasts a few frames), and the track keeps what the rules read at that rate:
#: about 25 KB a minute compressed (`make bench`, `track`), small enough to sync.
TRACK_RATE_HZ = 30.0


def _r(value: float, digits: int) -> float:
    return round(float(value), digits)


@dataclass(frozen=True, slots=True)
class SeenFace:
    """A face box in frame pixels and the detector's score."""

    x: float
    y: float
    width: float
    height: float
    score: float

    @classmethod
    def measured(cls, x: float, y: float, w: float, h: float, score: float) -> SeenFace:
        return cls(_r(x, 1), _r(y, 1), _r(w, 1), _r(h, 1), _r(score, 4))

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    def touches_edge(self, size: tuple[int, int], margin: float) -> bool:
        """True if the box reaches within `margin` (a fraction of the image side) of an edge."""
        width, height = size
        mx, my = margin * width, margin * height
        return (
            self.x <= mx
            or self.y <= my
            or self.x + self.width >= width - mx
            or self.y + self.height >= height - my
        )


@dataclass(frozen=True, slots=True)
class SeenObject:
    """An object detector's finding, by the model's own label (the policy decides what it is)."""

    label: str
    score: float
    x: float
    y: float
    width: float
    height: float

    @classmethod
    def measured(
        cls, label: str, score: float, x: float, y: float, w: float, h: float
    ) -> SeenObject:
        return cls(label, _r(score, 4), _r(x, 1), _r(y, 1), _r(w, 1), _r(h, 1))


@dataclass(frozen=True, slots=True)
class Pose:
    """Head rotation in degrees of the primary (largest) face."""

    yaw: float
    pitch: float
    roll: float

    @classmethod
    def measured(cls, yaw: float, pitch: float, roll: float) -> Pose:
        return cls(_r(yaw, 2), _r(pitch, 2), _r(roll, 2))


@dataclass(frozen=True, slots=True)
class Observation:
    """What the rules read of one analysed frame at media time `t` (seconds).

    `faces` are in the face detector's order (most confident first); `primary` indexes the
    largest, whose `pose` was measured. `objects` is the latest object detector report (it runs
    less often than faces). `change` is None for the first frame of a run.
    """

    t: float
    size: tuple[int, int]
    mean: float
    std: float
    change: float | None
    faces: tuple[SeenFace, ...] = ()
    primary: int | None = None
    pose: Pose | None = None
    objects: tuple[SeenObject, ...] = ()

    @classmethod
    def measured(
        cls,
        t: float,
        size: tuple[int, int],
        *,
        mean: float,
        std: float,
        change: float | None,
        faces: Sequence[SeenFace] = (),
        primary: int | None = None,
        pose: Pose | None = None,
        objects: Iterable[SeenObject] = (),
    ) -> Observation:
        return cls(
            t=_r(t, 4),
            size=(int(size[0]), int(size[1])),
            mean=_r(mean, 3),
            std=_r(std, 3),
            change=None if change is None else _r(change, 3),
            faces=tuple(faces),
            primary=primary,
            pose=pose,
            objects=tuple(objects),
        )


@dataclass(frozen=True, slots=True)
class CameraStatus:
    """The camera stopped delivering frames (`lost`) or came back, at media time `t`."""

    t: float
    lost: bool
    detail: str = ""


TrackRecord = Observation | CameraStatus

__all__ = [
    "TRACK_RATE_HZ",
    "CameraStatus",
    "Observation",
    "Pose",
    "SeenFace",
    "SeenObject",
    "TrackRecord",
]
