"""Driving the kiosk window through a whole session, as an invigilator and a candidate would.

Shared by the UI tests and `bench/bench_ui.py`, so it waits with a plain event-loop pump instead
of pytest-qt's `qtbot` (which only exists inside pytest).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer
from PySide6.QtTest import QTest
from tests.sample import take_to

from contract.privacy import DataPolicy
from kiosk.bootstrap import MediaOptions
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Candidate, InterviewSession, JobDescription, SessionSettings
from kiosk.resources import resource
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from ui.app import build_context
from ui.context import KioskContext
from ui.window import MainWindow

PIN = "2468"


def wait_until(predicate: Callable[[], object], timeout: float = 30.0, what: str = "") -> None:
    """Pump the event loop until `predicate()` is true; raise TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what or predicate}")
        QCoreApplication.processEvents()
        time.sleep(0.005)


class StallMeter:
    """A 10 ms heartbeat on the GUI thread; the worst lateness is the longest event-loop stall."""

    def __init__(self, interval_ms: int = 10) -> None:
        self.interval_ms = interval_ms
        self.max_stall_ms = 0.0
        self.beats = 0
        #: (seconds since start, lateness in ms) of every beat more than 50 ms late
        self.stalls: list[tuple[float, float]] = []
        self._started = 0.0
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def start(self) -> None:
        self._started = time.monotonic()
        self._clock.start()
        self._timer.start()

    def _beat(self) -> None:
        late = self._clock.restart() - self.interval_ms
        self.beats += 1
        self.max_stall_ms = max(self.max_stall_ms, float(late))
        if late > 50:
            self.stalls.append((round(time.monotonic() - self._started, 2), float(late)))

    def stop(self) -> float:
        self._timer.stop()
        return self.max_stall_ms


def context(media: Path | None, *, realtime_answers: bool = False, lockdown: bool = False,
            key: str = "") -> KioskContext:
    return build_context(
        KioskSettings(invigilator_pin=PIN),
        MediaOptions(media, realtime_answers=realtime_answers),
        lockdown=lockdown,
        session_key=key,
    )


def demo_session(
    service: SessionService,
    questions: int = 2,
    extra_time: int = 0,
    data_policy: DataPolicy | None = None,
) -> InterviewSession:
    """The bundled sample candidate and job, as a session pack on this kiosk."""
    resume = resource("demo", "resume.txt").read_text(encoding="utf-8")
    job_text = resource("demo", "job_description.txt").read_text(encoding="utf-8")
    return service.create(
        Candidate(resume.splitlines()[0].strip(), "jose.nunez@example.org", resume),
        JobDescription(title=job_text.splitlines()[0].strip(), text=job_text),
        SessionSettings(
            question_count=questions, seconds_per_question=90, extra_time_percent=extra_time
        ),
        data_policy=data_policy,
    )


def recorded_media() -> Path:
    return resource("demo", "media")


def sign_in(window: MainWindow, key: str, pin: str = PIN) -> None:
    start = window.start
    start.key.setText(key)
    QTest.keyClicks(start.pin, pin)
    start.start.click()


def give_consent(window: MainWindow) -> None:
    wait_until(lambda: window.current_screen() is window.consent, 20, "the consent screen")
    window.consent.consent.setChecked(True)
    window.consent.accept.click()
    # consent is stored (in a worker) before the next screen begins
    wait_until(lambda: window.current_screen() is not window.consent, 20, "consent to be stored")


def verify_identity(window: MainWindow) -> None:
    screen = window.idcheck
    wait_until(lambda: window.current_screen() is screen, 10, "the ID screen")
    wait_until(lambda: screen.capture.isEnabled(), 20, "a picture of the ID card")
    screen.capture.click()
    wait_until(lambda: screen.step == "face" and screen.capture.isEnabled(), 20, "the face")
    screen.capture.click()
    wait_until(lambda: screen.proceed.isEnabled(), 60, "the ID verification")
    screen.proceed.click()


def check_devices(window: MainWindow) -> None:
    """Camera and microphone on the recorded media; a machine with no speakers cannot play the
    test sentence, so the invigilator accepts that in person, as at a desk without sound."""
    screen = window.devices
    wait_until(lambda: window.current_screen() is screen, 20, "the device check")
    wait_until(
        lambda: screen.face_seen and screen.microphone_heard, 30, "a face and a voice"
    )
    screen.speak.click()
    wait_until(lambda: "No sound" in screen.speaker_note.text()
               or screen.heard.isVisible(), 30, "the test sentence")
    if screen.heard.isVisible():
        screen.heard.click()
        wait_until(lambda: screen.proceed.isEnabled(), 10, "the device check to pass")
        screen.proceed.click()
        return
    prompt = screen.override_prompt
    prompt.reason.setText("no speakers on this test machine")
    prompt.name.setText("Test Invigilator")
    QTest.keyClicks(prompt.pin, PIN)
    prompt.confirm.click()


def run_whole_session(window: MainWindow, key: str, timeout: float = 150.0) -> None:
    sign_in(window, key)
    give_consent(window)
    verify_identity(window)
    check_devices(window)
    wait_until(lambda: window.current_screen() is window.interview, 20, "the interview")
    wait_until(
        lambda: window.current_screen() is window.completion, timeout, "the end of the interview"
    )


def script_answers() -> dict[str, str]:
    script = json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))
    return {" ".join(i["question"].split()).casefold(): i["answer"] for i in script["answers"]}


def ready_session(service: SessionService, state: SessionState, **kwargs: int) -> InterviewSession:
    """A session moved on to `state` as if the earlier screens had been passed."""
    session = demo_session(service, **kwargs)
    return take_to(service, session.session_id, state)
