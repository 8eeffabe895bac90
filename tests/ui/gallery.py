"""Every screen of the kiosk in a representative state, for the screenshots and the layout test.

The window is the app's own, over a real core on the bundled sample media. Each state is set
through the screens' own entry points with real content: the sample candidate's session with its
organisation's logo, real camera frames (faces found by the real detector), a real ID check on
the bundled card (once, then shown again), the conductor's announcements for the interview. No
camera or microphone loop runs while a state is shown, so a picture or a measurement never
depends on the timing of a frame; the loops have their own tests (test_screens.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

import cv2
from PySide6.QtWidgets import QApplication, QWidget
from tests.sample import take_to
from tests.ui import flow

from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Branding, InterviewSession, Question, QuestionKind
from kiosk.live.announcements import AnswerClockStarted, Caption, QuestionAsked, QuestionSpoken
from kiosk.live.voice import Spoken
from kiosk.resources import resource
from proctor import VideoFileSource
from proctor.faces import FaceDetector
from proctor.idcheck import IdVerification
from ui import theme
from ui.camera import PreviewFrame, preview_frames, to_qimage
from ui.context import KioskContext
from ui.design import Theme
from ui.invigilator import PanelState
from ui.window import MainWindow

ORGANISATION = "Meridian Talent Partners"
QUESTION = Question(
    "sample-q2",
    1,
    QuestionKind.TECHNICAL,
    "Tell me about a time you made a slow database query fast. What did you measure first, "
    "and what did you change?",
)
CAPTION = (
    "At Tramline we had a report query on the orders table that took nine seconds, so first I "
    "looked at the query plan and saw a sequential scan on"
)
#: Every state, in the order the candidate meets them; the screenshots are named after them.
STATES = (
    "start",
    "handover",
    "consent",
    "consent_decline",
    "id_card",
    "id_face",
    "id_result",
    "id_review",
    "device_check",
    "interview",
    "invigilator_panel",
    "completion",
)


def _face_frame() -> PreviewFrame:
    """A frame of the bundled camera video with exactly one face found in it."""
    source = VideoFileSource(resource("demo", "media", "camera.mp4"))
    try:
        for frame in preview_frames(source, FaceDetector(), max_fps=1000.0):
            if len(frame.faces) == 1:
                return frame
    finally:
        source.close()
    raise AssertionError("the bundled camera video shows no single face")


def _card_frame() -> PreviewFrame:
    card = cv2.imread(str(resource("demo", "media", "id_card.jpg")))
    return PreviewFrame(to_qimage(card), card)


class Gallery:
    """The app's window with the sample session; `show(state)` puts it in that state."""

    def __init__(self, context: KioskContext, window: MainWindow) -> None:
        self.context = context
        self.window = window
        service = context.core.service
        sample = flow.demo_session(service, questions=5, extra_time=25)
        logo = resource("demo", "logo.png").read_bytes()
        self.session: InterviewSession = service.create(
            sample.candidate,
            sample.job,
            sample.settings,
            branding=Branding(ORGANISATION, logo),
        )
        self.opened = take_to(service, self.session.session_id, SessionState.OPENED)
        self.face = _face_frame()
        self.card = _card_frame()
        self._results: dict[str, IdVerification] = {}
        self._shows: dict[str, Callable[[], QWidget | None]] = {
            "start": self._start,
            "handover": self._handover,
            "consent": self._consent,
            "consent_decline": self._consent_decline,
            "id_card": self._id_card,
            "id_face": self._id_face,
            "id_result": lambda: self._id_result("José Ñúñez-Øberg"),
            "id_review": lambda: self._id_result("Maria Schmidt"),
            "device_check": self._device_check,
            "interview": self._interview,
            "invigilator_panel": self._panel,
            "completion": self._completion,
        }

    def show(self, state: str, look: Theme) -> QWidget:
        """Put the window in `state` with `look`; returns the widget to picture (the window,
        or the invigilator panel)."""
        self.window.panel.hide()
        shown = self._shows[state]() or self.window
        theme.apply(QApplication.instance(), look)  # type: ignore[arg-type]
        settle()
        return shown

    # -- each state --------------------------------------------------------------------------------
    def _session(self, state: SessionState) -> InterviewSession:
        """The sample session as if it were `state` (the screens only read it)."""
        return replace(self.opened, state=state)

    def _candidate(self) -> None:
        """The header as the candidate sees it: their organisation, role and name."""
        window = self.window
        window.session = self.opened
        window.branding = self.context.core.service.branding(self.session.session_id)
        window.header.show_session(self.opened, window.branding)

    def _start(self) -> None:
        window = self.window
        window.back_to_start()
        wait(lambda: window.start.packs.count() > 0, "the session list")
        status = window.start.sync_status
        status.state = None
        status.refresh()
        wait(lambda: status.state is not None, "the sync status")
        window.start.key.setText(self.session.session_key)

    def _handover(self) -> None:
        self._candidate()
        self.window.handover.begin(self.opened)
        self.window._show(self.window.handover)

    def _consent(self) -> None:
        self._candidate()
        window = self.window
        window.consent.begin(self.opened)
        window.consent.consent.setChecked(True)
        window._show(window.consent)

    def _consent_decline(self) -> None:
        self._consent()
        self.window.consent.decline.click()

    def _id_step(self, step: str, frame: PreviewFrame) -> None:
        self._candidate()
        screen = self.window.idcheck
        screen._session = self.opened
        screen._show_step(step, None)
        screen._frame(frame)
        self.window._show(screen)

    def _id_card(self) -> None:
        self._id_step("card", self.card)

    def _id_face(self) -> None:
        self._id_step("face", self.face)

    def _id_result(self, registered: str) -> None:
        """A real ID check of the bundled card and face; `registered` is the name booked."""
        if registered not in self._results:
            verifier = self.context.core.id_verifier()
            self._results[registered] = verifier.verify(self.card.bgr, self.face.bgr, registered)
        self._id_step("face", self.face)
        self.window.idcheck._verified(self._results[registered])

    def _device_check(self) -> None:
        self._candidate()
        screen = self.window.devices
        screen._session = self._session(SessionState.ID_VERIFIED)
        screen.stop()
        screen.face_seen = screen.microphone_heard = False
        screen.camera_failed = screen.microphone_failed = False
        screen.speakers = screen.speakers.NOT_PLAYED
        screen.override_box.hide()
        screen._frame(self.face)
        screen._level(0.62)
        screen._spoken(Spoken(True, "", 4.2))  # played: the candidate is asked
        self.window._show(screen)

    def _interview(self) -> None:
        self._candidate()
        window = self.window
        screen = window.interview
        screen.prepare(self._session(SessionState.IN_PROGRESS))
        window._show(screen)
        seconds = self.opened.settings.answer_seconds()
        screen.on_event(QuestionAsked(QUESTION, 2, 5, seconds))
        screen.on_event(QuestionSpoken(QUESTION.question_id, True, ""))
        screen.on_event(AnswerClockStarted(QUESTION.question_id, seconds, time.monotonic() - 38))
        screen.on_event(Caption(QUESTION.question_id, CAPTION, 31.0))
        screen.camera.show_frame(self.face)

    def _panel(self) -> QWidget:
        self._interview()
        panel = self.window.panel
        panel.show()
        panel.pages.setCurrentIndex(1)
        panel.refresh_state = None  # a picture of one moment
        panel.show_state(
            PanelState(
                candidate=self.opened.candidate.full_name,
                job=self.opened.job.title,
                session_key=self.opened.session_key,
                phase="Interview",
                question="Question 2 of 5",
                seconds_left=self.window.interview.seconds_left(),
                interview_running=True,
                session_open=True,
            )
        )
        if panel.flags.count() == 0:
            panel.add_note("ID check: name matches; face matches (distance 0.37, threshold 0.54)")
            panel.add_note("blocked_shortcut: Alt+Tab was pressed and blocked")
        panel.resize(panel.minimumSizeHint().expandedTo(panel.size()))
        return panel

    def _completion(self) -> None:
        self._candidate()
        window = self.window
        window.completion.show_completed(self.opened, ORGANISATION)
        window._show(window.completion)


def settle() -> None:
    """Let layouts, style and paint catch up (several passes: a layout change queues more)."""
    for _ in range(4):
        QApplication.processEvents()
        QApplication.sendPostedEvents()


def wait(predicate: Callable[[], object], what: str) -> None:
    flow.wait_until(predicate, 20, what)


__all__ = ["ORGANISATION", "STATES", "Gallery", "settle"]
