"""Where an event of the kiosk shell (a blocked shortcut, focus lost, a second display...) goes.

While the interview's proctoring feed runs, the event joins the proctor's stream, on the
interview's clock, and the feed stores it with the rest. At any other time nothing would drain
that stream until the next interview, so the event is stored at once, for the session that is
open, through the serial writer: at 0 s (the interview clock has not started), its detail
naming the screen it happened on and the UTC time.

A moment (a blocked shortcut, focus lost) with no session open belongs to no one's record: it is
logged, and the window shows it to the invigilator. A condition (a virtual machine, a remote
session, a second display) lasts: it is kept as a standing finding with the time it was seen,
and attached to the session it precedes and to every session opened while it lasts, each as an
event of its own, so the candidate's record, its PDF and the hub show it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from contract.proctoring import EventKind, EventSource
from integrity.events import new_event_id
from kiosk.domain.model import ProctoringEvent
from kiosk.live.proctor_feed import RunningProctor
from kiosk.live.writer import SerialWriter
from kiosk.sessions import SessionService
from proctor import Policy

_log = logging.getLogger(__name__)
#: Kinds that describe the kiosk's surroundings, which last until they end, not a moment.
CONDITIONS = frozenset(
    {EventKind.VIRTUAL_MACHINE, EventKind.REMOTE_DESKTOP, EventKind.SECOND_DISPLAY}
)


@dataclass(frozen=True)
class StandingFinding:
    """A condition seen at the kiosk (at `seen_at`, UTC) that lasts until it is seen to end."""

    kind: EventKind
    detail: str
    seen_at: datetime


def _utc(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


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
        self._lock = threading.Lock()  # the window and the app's start-up both report
        self._standing: dict[tuple[EventKind, str], StandingFinding] = {}
        self._attached: set[tuple[str, EventKind, str]] = set()  # (session, kind, detail)

    def report(self, kind: EventKind, detail: str, *, session_id: str | None, phase: str) -> None:
        """Record `kind` for `session_id` (None: no session is open) as seen on `phase`."""
        if kind.source is EventSource.CAMERA:
            raise ValueError(f"{kind.value} is detected from the camera, not reported")
        now = self._clock()
        if kind in CONDITIONS:
            with self._lock:
                self._standing.setdefault((kind, detail), StandingFinding(kind, detail, now))
                if session_id is not None:
                    self._attached.add((session_id, kind, detail))
        proctor = self._running.current
        if proctor is not None and proctor.report_live(kind, detail=detail) is not None:
            return
        if session_id is None:
            kept = "kept for the next session" if kind in CONDITIONS else "in no session's record"
            _log.warning(
                "%s with no session open (%s screen, %s), %s: %s",
                kind,
                phase,
                _utc(now),
                kept,
                detail,
            )
            return
        detail = (
            f"{detail} (on the {phase} screen, while proctoring was not running, at {_utc(now)})"
        )
        self._store(session_id, kind, detail)

    def condition_ended(self, kind: EventKind) -> None:
        """`kind` is no longer seen (the second display was disconnected): sessions opened from
        now on do not inherit it."""
        with self._lock:
            for key in [key for key in self._standing if key[0] is kind]:
                del self._standing[key]

    @property
    def standing(self) -> tuple[StandingFinding, ...]:
        """The conditions seen and not seen to end, oldest first."""
        with self._lock:
            return tuple(sorted(self._standing.values(), key=lambda f: f.seen_at))

    def session_opened(self, session_id: str) -> None:
        """Attach every standing finding this session does not have yet (call it whenever a
        session is opened or resumed; calling it again adds nothing)."""
        for finding in self.standing:
            key = (session_id, finding.kind, finding.detail)
            with self._lock:
                if key in self._attached:
                    continue
                self._attached.add(key)
            self._store(
                session_id,
                finding.kind,
                f"{finding.detail} (seen at {_utc(finding.seen_at)}, before this session "
                f"opened, and still present when it opened at {_utc(self._clock())})",
            )

    def _store(self, session_id: str, kind: EventKind, detail: str) -> None:
        event = ProctoringEvent(
            event_id=new_event_id(),  # recorded once, never updated
            kind=kind,
            severity=self._policy.rule(kind).severity,
            confidence=1.0,
            start=0.0,
            end=0.0,
            detector=kind.source.value,
            detail=detail,
        )
        self._writer.submit(self._service.record_event, session_id, event)
