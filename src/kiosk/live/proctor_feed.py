"""Proctoring for the length of one interview run, on its own thread.

Each run is a fresh `ProctorSession` over the kiosk's shared detectors, so nothing of one
candidate reaches the next. Events are written through the serial writer as they start (so a
crash keeps the evidence) and again when they end, under the id the proctor gave them; the
observation track the rules judged is written beside them in chunks (`TrackWriter`); the
subscribers see each as a `ProctoringFlag`. While the run goes on it is the kiosk's
`RunningProctor`, so kiosk-shell events (a blocked shortcut, focus lost) join its stream.
"""

from __future__ import annotations

import logging
import threading

from kiosk.bus import EventBus
from kiosk.domain.model import ProctoringEvent
from kiosk.live.announcements import ProctoringFlag
from kiosk.live.track_writer import TrackWriter
from kiosk.live.writer import SerialWriter
from kiosk.proctoring import to_domain
from kiosk.sessions import SessionService
from proctor import Detectors, FrameSource, ProctorEvent, ProctorSession

_log = logging.getLogger(__name__)
#: How long the end of an interview waits for a recording to be analysed to its end.
RECORDING_WAIT_S = 600.0


class RunningProctor:
    """The proctoring run going on now, if any: the one place shell events are sent to."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._session: ProctorSession | None = None

    def attach(self, session: ProctorSession) -> None:
        with self._lock:
            self._session = session

    def detach(self, session: ProctorSession) -> None:
        with self._lock:
            if self._session is session:
                self._session = None

    @property
    def current(self) -> ProctorSession | None:
        with self._lock:
            return self._session


class ProctorFeed:
    def __init__(
        self,
        detectors: Detectors,
        source: FrameSource,
        *,
        session_id: str,
        service: SessionService,
        writer: SerialWriter,
        bus: EventBus,
        running: RunningProctor | None = None,
    ) -> None:
        self.proctor = ProctorSession(detectors=detectors)
        self._track = TrackWriter(
            self.proctor, session_id=session_id, service=service, writer=writer
        )
        self._source = source
        self._session_id = session_id
        self._service = service
        self._writer = writer
        self._bus = bus
        self._running = running
        self._thread = threading.Thread(target=self._run, name="proctor-feed", daemon=True)
        self.error: BaseException | None = None
        self.stopped = False

    def start(self) -> None:
        if self._running is not None:
            self._running.attach(self.proctor)
        self._thread.start()

    def stop(self, *, finish_recording: bool = False) -> None:
        """End proctoring; open events are closed and recorded before the thread ends.

        A live camera stops now. A recording (the demo's, a test's) is the whole interview's
        video, so at the interview's normal end (`finish_recording`) it is analysed to its end
        first: what it shows must not depend on how fast the answers happened to be
        transcribed. An abort or a shutdown stops it now, as it would stop a camera.
        """
        if finish_recording and not self._source.live:
            self._thread.join(timeout=RECORDING_WAIT_S)
        self.proctor.stop()
        self._thread.join(timeout=30)
        self.stopped = True
        if self._running is not None:
            self._running.detach(self.proctor)

    @property
    def analysed_seconds(self) -> float:
        """How much camera video this run analysed (zero: the interview was not proctored)."""
        return self.proctor.stats.analysed_seconds

    def _run(self) -> None:
        try:
            for event in self.proctor.run(self._source, track=self._track.add):
                self._record(event)
        except Exception as error:  # the interview goes on without proctoring; say so loudly
            self.error = error
            _log.exception("proctoring stopped")
        finally:
            self._track.close()

    def _record(self, event: ProctorEvent) -> None:
        domain = to_domain(event)
        self._writer.submit(self._upsert, domain, event.snapshot_jpeg)
        self._bus.emit(ProctoringFlag(domain, ongoing=event.ongoing))

    def _upsert(self, event: ProctoringEvent, snapshot: bytes | None) -> None:
        self._service.record_event(self._session_id, event, snapshot_jpeg=snapshot)
