"""Proctoring for the length of an interview, on its own thread.

Events are written through the serial writer as they start (so a crash keeps the evidence) and
again when they end, under the same row id; subscribers see each as a `ProctoringFlag`.
"""

from __future__ import annotations

import logging
import threading

from kiosk.domain.model import ProctoringEvent
from kiosk.events import EventBus
from kiosk.live.events import ProctoringFlag
from kiosk.live.writer import SerialWriter
from kiosk.proctoring import to_domain
from kiosk.sessions import SessionService
from proctor import FrameSource, ProctorEvent, ProctorSession

_log = logging.getLogger(__name__)


class ProctorFeed:
    def __init__(
        self,
        proctor: ProctorSession,
        source: FrameSource,
        *,
        session_id: str,
        service: SessionService,
        writer: SerialWriter,
        bus: EventBus,
    ) -> None:
        self.proctor = proctor
        self._source = source
        self._session_id = session_id
        self._service = service
        self._writer = writer
        self._bus = bus
        self._thread = threading.Thread(target=self._run, name="proctor-feed", daemon=True)
        self.error: BaseException | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Close the source; open events are closed and recorded before the thread ends."""
        self.proctor.stop()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        try:
            for event in self.proctor.run(self._source):
                self._record(event)
        except Exception as error:  # the interview goes on without proctoring; say so loudly
            self.error = error
            _log.exception("proctoring stopped")

    def _record(self, event: ProctorEvent) -> None:
        domain = to_domain(self._session_id, event)
        self._writer.submit(self._upsert, domain, event.snapshot_jpeg)
        self._bus.emit(ProctoringFlag(domain, ongoing=event.ongoing))

    def _upsert(self, event: ProctoringEvent, snapshot: bytes | None) -> None:
        self._service.record_event(self._session_id, event, snapshot_jpeg=snapshot)
