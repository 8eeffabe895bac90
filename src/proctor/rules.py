"""The proctoring rules: frame measurements in, hysteresis-filtered events out."""

from __future__ import annotations

from contract.proctoring import EventKind
from proctor.analyzer import FrameAnalysis
from proctor.detections import ObjectCategory
from proctor.events import ProctorEvent
from proctor.frames import SourceState, SourceStatus
from proctor.hysteresis import ConditionTracker
from proctor.objects import describe_objects
from proctor.policy import Policy

FRAME_STATS_DETECTOR = "frame statistics (grey mean, spread, change)"
POSE_METHOD = "5-point solvePnP on a generic face"


class RuleEngine:
    """Evaluates every camera rule on each analysed frame, one tracker per event kind.

    Face and object rules are suspended while the picture is dark, covered or frozen: there is
    nothing to see, and the camera event already explains why no face is reported.
    """

    def __init__(self, policy: Policy, face_detector: str, object_detector: str) -> None:
        self.policy = policy
        p = policy
        face_t = {"face_score": p.detection.face_score}
        object_t = {"object_score": p.detection.object_score}
        banned_t = {"banned_score": p.detection.banned_score}

        def tracker(
            kind: EventKind, thresholds: dict[str, float], detector: str
        ) -> ConditionTracker:
            return ConditionTracker(kind, p.rule(kind), thresholds, detector)

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

    def observe(self, analysis: FrameAnalysis) -> list[ProctorEvent]:
        """Events that start or end at this frame."""
        ts = analysis.frame.timestamp
        self.last_timestamp = ts
        image = analysis.frame.image
        verdicts = self._verdicts(analysis)
        events = []
        for kind, (present, confidence, detail) in verdicts.items():
            event = self.trackers[kind].update(ts, present, confidence, image, detail)
            if event is not None:
                events.append(event)
        lost = self.trackers[EventKind.CAMERA_LOST]
        if lost.active:  # frames flow again: the camera is back even without a status item
            closed = lost.update(ts, False)
            events += [closed] if closed else []
        return events

    def _verdicts(self, analysis: FrameAnalysis) -> dict[EventKind, tuple[bool, float, str]]:
        p = self.policy
        stats = analysis.stats
        dark = stats.mean < p.frame.dark_mean
        uniform = stats.std < p.frame.uniform_std
        covered = dark or uniform
        covered_conf = max(
            1 - stats.mean / p.frame.dark_mean if dark else 0.0,
            1 - stats.std / p.frame.uniform_std if uniform and p.frame.uniform_std else 0.0,
        )
        frozen = not covered and stats.change is not None and stats.change < p.frame.frozen_change
        frozen_conf = 1 - (stats.change or 0.0) / p.frame.frozen_change if frozen else 0.0
        usable = not covered and not frozen

        faces = analysis.faces if usable else ()
        report = analysis.objects if usable else None
        persons = report.of(ObjectCategory.PERSON) if report else ()
        banned = report.of(ObjectCategory.BANNED) if report else ()
        primary = analysis.primary_face if usable else None

        second = sorted([f.score for f in faces[1:2]] + [d.score for d in persons[1:2]])
        partial = primary is not None and (
            primary.box.touches_edge(analysis.frame.size, p.partial.edge_margin)
            or primary.score < p.partial.min_score
        )
        pose = analysis.pose if primary is not None else None
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

    def observe_status(self, status: SourceStatus) -> list[ProctorEvent]:
        """Camera lost / restored reported by the source between frames."""
        self.last_timestamp = max(self.last_timestamp, status.timestamp)
        tracker = self.trackers[EventKind.CAMERA_LOST]
        lost = status.state is SourceState.LOST
        event = tracker.update(status.timestamp, lost, 1.0, None, status.detail)
        return [event] if event else []

    def finish(self) -> list[ProctorEvent]:
        """Close every open event at the last timestamp seen."""
        finished = (t.finish(self.last_timestamp) for t in self.trackers.values())
        return [event for event in finished if event is not None]
