"""Where an event of the kiosk shell (a blocked shortcut, focus lost, a second display...) goes.

While the interview's proctoring feed runs, the event joins the proctor's stream, on the
interview's clock, and the feed stores it with the rest. At any other time nothing would drain
that stream until the next interview, so the event is stored at once, for the session that is
open, through the serial writer: at 0 s (the interview clock has not started), its detail
naming the screen it happened on and the UTC time. With no session open it belongs to no one's
record: it is logged, and the window shows it to the invigilator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from contract.proctoring import EventKind, EventSource
from integrity.events import new_event_id
from kiosk.domain.model import ProctoringEvent
from kiosk.live.proctor_feed import RunningProctor
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from proctor import Policy

_log = logging.getLogger(__name__)


class ShellEvents:
    def __init__(
        self,
        running: RunningProctor,
        policy: Policy,
        service: SessionService,
        writer: SerialWriter,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._running = running
        self._policy = policy
        self._service = service
        self._writer = writer
        self._clock = clock

    def report(self, kind: EventKind, detail: str, *, session_id: str | None, phase: str) -> None:
        """Record `kind` for `session_id` (None: no session is open) as seen on `phase`."""
        if kind.source is EventSource.CAMERA:
            raise ValueError(f"{kind.value} is detected from the camera, not reported")
        proctor = self._running.current
        if proctor is not None and proctor.report_live(kind, detail=detail) is not None:
            return
        at = f"{self._clock().astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
        if session_id is None:
            _log.warning("%s with no session open (%s screen, %s): %s", kind, phase, at, detail)
            return
        event = ProctoringEvent(
            event_id=new_event_id(),  # recorded once, never updated
            kind=kind,
            severity=self._policy.rule(kind).severity,
            confidence=1.0,
            start=0.0,
            end=0.0,
            detector=kind.source.value,
            detail=f"{detail} (on the {phase} screen, while proctoring was not running, at {at})",
        )
        self._writer.submit(self._service.record_event, session_id, event)
