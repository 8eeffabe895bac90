"""Proctoring one interview: one frame source in, one ordered stream of events out.

`Detectors` are the models, loaded once and shared by every interview of a kiosk run;
`ProctorSession` is one interview's run over them, with its own rules, events and counters, so
nothing of one candidate lingers into the next. Camera events come from the rules; kiosk events
(focus lost, blocked shortcut, second display, virtual machine or remote desktop signs) and
audio events (`speech.proctoring` signals: speech while no answer is expected, no attempt) enter
the same stream through `report`, which any thread may call. A consumer iterates `run(source)`
on a worker thread and calls `stop()` to end it.

A reported event joins the stream only while `run` is going; `report_live` says atomically
whether it was streamed, so a caller can record it elsewhere when it was not.

Frames are analysed at most `integrity.TRACK_RATE_HZ` times a second of media time; each becomes
an `integrity.Observation` that the rules judge and that `run`'s `track` callback receives, so
the recorded track replays to exactly the live camera events.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from contract.proctoring import EventKind, EventSource, IntegritySummary
from integrity.events import ProctorEvent, new_event_id
from integrity.observation import TRACK_RATE_HZ, TrackRecord
from integrity.policy import Policy, load_policy
from integrity.rules import RuleEngine
from integrity.summary import summarize
from proctor.analyzer import FrameAnalysis, FrameAnalyzer
from proctor.faces import FaceDetector
from proctor.frames import Frame, FrameSource, SourceStatus
from proctor.objects import object_detector_for
from proctor.observe import camera_status_of, observation_of
from proctor.queues import ThreadedReader
from proctor.scheduling import BackgroundObjectScheduler, InlineObjectScheduler
from proctor.snapshots import encode_jpeg

#: Receives each observation the rules judged, in order (the kiosk writes the track with it).
TrackSink = Callable[[TrackRecord], None]
_FRAME_PERIOD_S = 1.0 / TRACK_RATE_HZ


@dataclass
class SessionStats:
    """Counters for the benchmark and the report: what was analysed, dropped, and how fast."""

    frames_analyzed: int = 0
    frames_dropped: int = 0
    media_seconds: float = 0.0
    first_frame_at: float | None = None  # media time of the first analysed frame
    stage_ms: dict[str, list[float]] = field(default_factory=dict)
    object_runs: dict[float, float] = field(default_factory=dict)
    event_latency_ms: list[float] = field(default_factory=list)

    @property
    def analysed_seconds(self) -> float:
        """How much video was watched: zero when no frame ever arrived."""
        if self.first_frame_at is None:
            return 0.0
        return max(self.media_seconds - self.first_frame_at, 1e-3)

    def add(self, analysis: FrameAnalysis) -> None:
        self.frames_analyzed += 1
        self.media_seconds = analysis.frame.timestamp
        if self.first_frame_at is None:
            self.first_frame_at = analysis.frame.timestamp
        for stage, ms in analysis.timings_ms:
            self.stage_ms.setdefault(stage, []).append(ms)
        if analysis.objects is not None:
            self.object_runs[analysis.objects.timestamp] = analysis.objects.latency_ms


class Detectors:
    """The face and object models for a policy, built once (failing early, naming the missing
    model file) and shared by every interview's `ProctorSession`."""

    def __init__(self, policy: Policy | None = None, *, models_dir: Path | None = None) -> None:
        self.policy = policy or load_policy()
        d = self.policy.detection
        self.face = FaceDetector(d.face_score, d.face_max_side, models_dir)
        self.objects = object_detector_for(self.policy, models_dir)


class ProctorSession:
    """One interview's proctoring run over shared `Detectors` (built here when none are given,
    for scripts). `run` may be called once: a resumed interview gets a new session."""

    def __init__(
        self,
        policy: Policy | None = None,
        *,
        detectors: Detectors | None = None,
        models_dir: Path | None = None,
    ) -> None:
        if detectors is not None and policy is not None and policy != detectors.policy:
            raise ValueError("a session proctors with its detectors' policy; pass one, not both")
        self.detectors = detectors or Detectors(policy, models_dir=models_dir)
        self.policy = self.detectors.policy
        self.stats = SessionStats()
        self._external: queue.SimpleQueue[ProctorEvent] = queue.SimpleQueue()
        self._events: dict[str, ProctorEvent] = {}
        self._lock = threading.Lock()
        self._source: FrameSource | None = None
        self._last_frame: Frame | None = None
        self._streaming = False  # guarded by _lock: reported events are queued for `run`
        self._started = False
        self._track: TrackSink | None = None
        self._next_due = 0.0  # media time of the next frame to analyse
        #: Names this run's observation track: a resumed interview's runs never mix.
        self.run_id = str(uuid.uuid4())

    def run(self, source: FrameSource, track: TrackSink | None = None) -> Iterator[ProctorEvent]:
        """Analyse `source` to its end (or `stop()`), yielding events as they start and end;
        `track` receives every observation and camera status the rules judged."""
        if self._started:
            raise RuntimeError("a proctoring session runs once; start a new one for a new run")
        self._started = True
        self._track = track
        detectors = self.detectors
        engine = RuleEngine(
            self.policy, detectors.face.name, detectors.objects.name, encode=encode_jpeg
        )
        analyzer = FrameAnalyzer(detectors.face)
        rate = self.policy.detection.object_rate_hz
        scheduler = (
            BackgroundObjectScheduler(detectors.objects, rate)
            if source.live
            else InlineObjectScheduler(detectors.objects, rate)
        )
        self._source = source
        self._set_streaming(True)
        reader = ThreadedReader(source)
        try:
            with reader, scheduler:
                for item in reader.items():
                    yield from self._drain_external()
                    if isinstance(item, SourceStatus):
                        status = camera_status_of(item)
                        self._observed(status)
                        yield from self._record(engine.observe_status(status))
                    elif isinstance(item, Frame) and self._due(item):
                        yield from self._analyze(item, analyzer, scheduler, engine)
            yield from self._record(engine.finish())
            self._set_streaming(False)  # from here on nothing is queued: the drain is the last
            yield from self._drain_external()
        finally:
            self._set_streaming(False)
            self.stats.frames_dropped = reader.queue.dropped
            self._source = None

    def _due(self, frame: Frame) -> bool:
        """Analyse `TRACK_RATE_HZ` frames a media second (each the first frame at or after its
        due time; every frame of a slower source): the track's fixed rate. After a gap the
        schedule restarts rather than catching up with a burst. A live camera's timestamps
        jitter by a few milliseconds: a frame up to a quarter period early still counts, or a
        30 fps camera would be analysed at 15."""
        if frame.timestamp < self._next_due - _FRAME_PERIOD_S / 4:
            return False
        self._next_due = max(self._next_due + _FRAME_PERIOD_S, frame.timestamp)
        return True

    def _observed(self, record: TrackRecord) -> None:
        if self._track is not None:
            self._track(record)

    def _set_streaming(self, streaming: bool) -> None:
        with self._lock:
            self._streaming = streaming

    def _analyze(
        self,
        frame: Frame,
        analyzer: FrameAnalyzer,
        scheduler: InlineObjectScheduler | BackgroundObjectScheduler,
        engine: RuleEngine,
    ) -> Iterator[ProctorEvent]:
        self._last_frame = frame
        analysis = analyzer.analyze(frame, scheduler)
        self.stats.add(analysis)
        observation = observation_of(analysis)
        self._observed(observation)
        events = engine.observe(observation, frame.image)
        emitted = time.monotonic()
        for event in events:
            if event.ongoing:  # the frame that crossed the hold threshold -> emission
                self.stats.event_latency_ms.append((emitted - frame.captured_at) * 1000)
        yield from self._record(events)

    def _record(self, events: list[ProctorEvent]) -> Iterator[ProctorEvent]:
        for event in events:
            with self._lock:
                self._events[event.id] = event
            yield event

    def _drain_external(self) -> Iterator[ProctorEvent]:
        while True:
            try:
                yield self._external.get_nowait()
            except queue.Empty:
                return

    @property
    def running(self) -> bool:
        """True while `run` analyses a source: only then does a `report`ed event reach a
        consumer. Use `report_live` to act on it without a race."""
        return self._streaming

    def now(self) -> float:
        """The current time on the media clock (for events reported without a start)."""
        frame = self._last_frame
        if frame is None:
            return 0.0
        live = self._source is not None and self._source.live
        return frame.timestamp + (time.monotonic() - frame.captured_at if live else 0.0)

    def report(
        self,
        kind: EventKind | str,
        *,
        start: float | None = None,
        end: float | None = None,
        confidence: float = 1.0,
        detail: str = "",
        detector: str = "",
    ) -> ProctorEvent:
        """Add a kiosk or audio event; thread-safe. Returns the recorded event.

        It is always kept in `events()` (and the summary), and joins the stream only while `run`
        is going. `start` defaults to now on the media clock and `end` to `start` (an instant,
        such as a blocked shortcut). Unknown kinds raise ValueError so a typo cannot hide an
        event.
        """
        event = self._event(kind, start, end, confidence, detail, detector)
        with self._lock:
            self._events[event.id] = event
            if self._streaming:
                self._external.put(event)
        return event

    def report_live(
        self,
        kind: EventKind | str,
        *,
        start: float | None = None,
        end: float | None = None,
        confidence: float = 1.0,
        detail: str = "",
        detector: str = "",
    ) -> ProctorEvent | None:
        """Like `report`, but only into a running stream: None (and nothing kept) otherwise.

        Checking `running` and then reporting would race with the end of `run`; this decides
        under the lock `run` takes to end the stream, so the event is either streamed or
        returned to the caller to record some other way, never lost in between.
        """
        event = self._event(kind, start, end, confidence, detail, detector)
        with self._lock:
            if not self._streaming:
                return None
            self._events[event.id] = event
            self._external.put(event)
        return event

    def _event(
        self,
        kind: EventKind | str,
        start: float | None,
        end: float | None,
        confidence: float,
        detail: str,
        detector: str,
    ) -> ProctorEvent:
        kind = EventKind(kind)
        source = kind.source
        if source is EventSource.CAMERA:
            raise ValueError(f"{kind.value} is detected from the camera, not reported")
        start = self.now() if start is None else start
        return ProctorEvent(
            id=new_event_id(),
            kind=kind,
            severity=self.policy.rule(kind).severity,
            start=start,
            end=start if end is None else max(start, end),
            peak_confidence=confidence,
            thresholds=(),
            detector=detector or source.value,
            source=source,
            detail=detail,
        )

    def stop(self) -> None:
        """End `run` from another thread; open events are closed and yielded first."""
        source = self._source
        if source is not None:
            source.close()

    def events(self) -> tuple[ProctorEvent, ...]:
        """The latest state of every event so far, in the order they started."""
        with self._lock:
            events = list(self._events.values())
        return tuple(sorted(events, key=lambda e: e.start))

    def summary(self) -> IntegritySummary:
        """The integrity summary of this run (what the proctor CLI and benchmarks print)."""
        events = self.events()
        duration = max(self.stats.media_seconds, *(e.end or e.start for e in events), 0.0)
        return summarize(
            events, duration, self.policy, analysed_seconds=self.stats.analysed_seconds
        )
