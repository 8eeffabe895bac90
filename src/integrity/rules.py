"""The proctoring rules: a pure function of (observations, policy), with hysteresis per kind.

The live proctor and every replay (`kiosk proctor --replay`, the hub's session page) run this
same code over `Observation` records; nothing here sees an image. The live path passes the frame
as opaque evidence and a JPEG encoder, so its events carry snapshots; a replay passes neither.
"""

from __future__ import annotations

from collections.abc import Iterable

from contract.proctoring import EventKind
from integrity.events import ProctorEvent
from integrity.hysteresis import ConditionTracker, SnapshotEncoder
from integrity.objects import ObjectCategory, category_of, describe_objects
from integrity.observation import (
    CameraStatus,
    Observation,
    Pose,
    SeenFace,
    SeenObject,
    TrackRecord,
)
from integrity.policy import Policy

FRAME_STATS_DETECTOR = "frame statistics (grey mean, spread, change)"
POSE_METHOD = "5-point solvePnP on a generic face"


class RuleEngine:
    """Evaluates every camera rule on each analysed frame, one tracker per event kind.

    Face and object rules are suspended while the picture is dark, covered or frozen: there is
    nothing to see, and the camera event already explains why no face is reported.
    """

    def __init__(
        self,
        policy: Policy,
        face_detector: str,
        object_detector: str,
        *,
        encode: SnapshotEncoder | None = None,
    ) -> None:
        self.policy = policy
        p = policy
        face_t = {"face_score": p.detection.face_score}
        object_t = {"object_score": p.detection.object_score}
        banned_t = {"banned_score": p.detection.banned_score}

        def tracker(
            kind: EventKind, thresholds: dict[str, float], detector: str
        ) -> ConditionTracker:
            return ConditionTracker(kind, p.rule(kind), thresholds, detector, encode)

        self.trackers = {
            EventKind.CAMERA_COVERED: tracker(
                EventKind.CAMERA_COVERED,
                {"dark_mean": p.frame.dark_mean, "uniform_std": p.frame.uniform_std},
                FRAME_STATS_DETECTOR,
            ),
            EventKind.CAMERA_FROZEN: tracker(
                EventKind.CAMERA_FROZEN,
                {"frozen_change": p.frame.frozen_change},
                FRAME_STATS_DETECTOR,
            ),
            EventKind.NO_FACE: tracker(EventKind.NO_FACE, face_t, face_detector),
            EventKind.MULTIPLE_PEOPLE: tracker(
                EventKind.MULTIPLE_PEOPLE,
                {**face_t, **object_t},
                f"{face_detector}; {object_detector}",
            ),
            EventKind.FACE_PARTLY_VISIBLE: tracker(
                EventKind.FACE_PARTLY_VISIBLE,
                {**face_t, "edge_margin": p.partial.edge_margin, "min_score": p.partial.min_score},
                face_detector,
            ),
            EventKind.LOOKING_AWAY: tracker(
                EventKind.LOOKING_AWAY,
                {"max_yaw": p.pose.max_yaw, "max_pitch": p.pose.max_pitch},
                f"{face_detector}; {POSE_METHOD}",
            ),
            EventKind.BANNED_OBJECT: tracker(EventKind.BANNED_OBJECT, banned_t, object_detector),
            EventKind.CAMERA_LOST: tracker(EventKind.CAMERA_LOST, {}, "camera"),
        }
        self.last_timestamp = 0.0

    def observe(self, observation: Observation, evidence: object = None) -> list[ProctorEvent]:
        """Events that start or end at this observation; `evidence` (the live frame) becomes
        the snapshot of a period whose strongest moment this is."""
        ts = observation.t
        self.last_timestamp = ts
        events = []
        for kind, (present, confidence, detail) in self._verdicts(observation).items():
            event = self.trackers[kind].update(
                ts, present, confidence, evidence, detail, framed=True
            )
            if event is not None:
                events.append(event)
        lost = self.trackers[EventKind.CAMERA_LOST]
        if lost.active:  # frames flow again: the camera is back even without a status item
            closed = lost.update(ts, False)
            events += [closed] if closed else []
        return events

    def observe_record(self, record: TrackRecord) -> list[ProctorEvent]:
        """One record of a track, whichever kind it is (what a replay feeds)."""
        if isinstance(record, CameraStatus):
            return self.observe_status(record)
        return self.observe(record)

    def _verdicts(self, seen: Observation) -> dict[EventKind, tuple[bool, float, str]]:
        p = self.policy
        dark = seen.mean < p.frame.dark_mean
        uniform = seen.std < p.frame.uniform_std
        covered = dark or uniform
        covered_conf = max(
            1 - seen.mean / p.frame.dark_mean if dark else 0.0,
            1 - seen.std / p.frame.uniform_std if uniform and p.frame.uniform_std else 0.0,
        )
        frozen = not covered and seen.change is not None and seen.change < p.frame.frozen_change
        frozen_conf = 1 - (seen.change or 0.0) / p.frame.frozen_change if frozen else 0.0
        usable = not covered and not frozen

        faces, primary, pose = self._faces(seen) if usable else ((), None, None)
        objects = self._objects(seen.objects) if usable else {}
        persons = objects.get(ObjectCategory.PERSON, ())
        banned = objects.get(ObjectCategory.BANNED, ())

        second = sorted([f.score for f in faces[1:2]] + [d.score for d in persons[1:2]])
        partial = primary is not None and (
            primary.touches_edge(seen.size, p.partial.edge_margin)
            or primary.score < p.partial.min_score
        )
        away = pose is not None and (
            abs(pose.yaw) > p.pose.max_yaw or abs(pose.pitch) > p.pose.max_pitch
        )
        return {
            EventKind.CAMERA_COVERED: (
                covered,
                covered_conf,
                "dark" if dark else "uniform (lens covered)",
            ),
            EventKind.CAMERA_FROZEN: (frozen, frozen_conf, "image unchanged"),
            EventKind.NO_FACE: (usable and not faces, 1.0, ""),
            EventKind.MULTIPLE_PEOPLE: (
                len(faces) >= 2 or len(persons) >= 2,
                second[-1] if second else 0.0,
                f"{len(faces)} faces, {len(persons)} persons",
            ),
            EventKind.FACE_PARTLY_VISIBLE: (
                partial,
                primary.score if primary else 0.0,
                "face cut off or partly hidden",
            ),
            EventKind.LOOKING_AWAY: (
                away,
                primary.score if primary else 0.0,
                f"yaw {pose.yaw:.0f} deg, pitch {pose.pitch:.0f} deg" if pose else "",
            ),
            EventKind.BANNED_OBJECT: (
                bool(banned),
                max((d.score for d in banned), default=0.0),
                describe_objects(d.label for d in banned),
            ),
        }

    def _faces(
        self, seen: Observation
    ) -> tuple[tuple[SeenFace, ...], SeenFace | None, Pose | None]:
        """The faces that count under this policy, the primary (largest) one, and its pose.

        The pose was measured for the live primary face only: when a stricter `face_score`
        drops that face, another becomes primary and its pose is unknown (no looking-away
        verdict rather than a borrowed one)."""
        threshold = self.policy.detection.face_score
        faces = tuple(f for f in seen.faces if f.score >= threshold)
        measured = seen.faces[seen.primary] if seen.primary is not None else None
        if measured is not None and measured in faces:
            return faces, measured, seen.pose
        primary = max(faces, key=lambda f: f.area) if faces else None
        return faces, primary, None

    def _objects(
        self, objects: Iterable[SeenObject]
    ) -> dict[ObjectCategory, tuple[SeenObject, ...]]:
        """Detections by what they mean under this policy, each above its category's score."""
        p = self.policy
        threshold = {
            ObjectCategory.PERSON: p.detection.object_score,
            ObjectCategory.BANNED: p.detection.banned_score,
            ObjectCategory.OTHER: p.detection.object_score,
        }
        found: dict[ObjectCategory, list[SeenObject]] = {}
        for seen in objects:
            category = category_of(seen.label, p.objects)
            if seen.score >= threshold[category]:
                found.setdefault(category, []).append(seen)
        return {category: tuple(items) for category, items in found.items()}

    def observe_status(self, status: CameraStatus) -> list[ProctorEvent]:
        """Camera lost / restored reported by the source between frames."""
        self.last_timestamp = max(self.last_timestamp, status.t)
        tracker = self.trackers[EventKind.CAMERA_LOST]
        event = tracker.update(status.t, status.lost, 1.0, None, status.detail)
        return [event] if event else []

    def finish(self) -> list[ProctorEvent]:
        """Close every open event at the last timestamp seen."""
        finished = (t.finish(self.last_timestamp) for t in self.trackers.values())
        return [event for event in finished if event is not None]
