"""The interview: the question large and spoken, a countdown, live captions, Done, the camera.

The conductor runs in a worker and announces through the event bridge; this screen folds every
announcement into a Qt-free `InterviewView` and renders it, so the countdown is the conductor's
clock (the listener's real limit), not one of its own. It forwards the candidate's Done and help
questions. A session that was interrupted resumes here: the conductor itself picks up at the
question it was on.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.bootstrap import LiveInterview
from kiosk.brain.helpdesk import HelpDesk, HelpReply
from kiosk.domain.model import InterviewSession
from kiosk.live.interruption import InterviewInterrupted
from kiosk.live.view import InterviewView
from kiosk.sessions import SessionRecord
from ui.camera import CameraView, FramePublisher
from ui.context import KioskContext
from ui.widgets import banner, button, heading, paragraph
from ui.workers import submit

#: What the candidate is told when a rule fires: neutral, and what to do about it.
FLAG_TEXT: dict[str, str] = {
    "no_face": "We cannot see your face. Please stay in front of the camera.",
    "multiple_people": "More than one person is visible. Only the candidate may be in view.",
    "face_partly_visible": "Your face is partly hidden. Please face the camera.",
    "looking_away": "Please keep looking at the screen while you answer.",
    "banned_object": "A phone or other object that is not allowed is visible. Please put it away.",
    "camera_covered": "The camera seems to be covered.",
    "camera_frozen": "The camera picture has frozen. The invigilator has been alerted.",
    "camera_lost": "The camera has stopped. The invigilator has been alerted.",
    "focus_lost": "Please keep the interview window in front.",
    "blocked_shortcut": "That key combination is not available during the interview.",
    "second_display": "A second screen was connected. The invigilator has been alerted.",
    "speech_outside_answer": "Speech was heard while no answer was expected.",
}


class InterviewScreen(QWidget):
    finished = Signal(object)  # SessionRecord
    interrupted = Signal()
    failed = Signal(str)
    help_escalated = Signal(str)

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: InterviewSession | None = None
        self._help: HelpDesk | None = None
        self.live: LiveInterview | None = None
        self.running = False
        #: What was asked of the interview while its models were still loading (no `live` yet).
        self._pending: list[Callable[[LiveInterview], None]] = []
        self._live_lock = threading.Lock()
        self.view = InterviewView()
        self.publisher = FramePublisher()
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._show_time)

        layout = QGridLayout(self)
        main = QVBoxLayout()
        self.progress = heading("Preparing your interview…")
        main.addWidget(self.progress)
        self.question_text = paragraph("", "Question")
        self.question_text.setObjectName("question")
        self.question_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.question_text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        main.addWidget(self.question_text, 2)
        self.spoken_note = paragraph("", "Question audio note")
        main.addWidget(self.spoken_note)
        timer_row = QHBoxLayout()
        self.countdown = paragraph("", "Time left")
        self.countdown.setObjectName("countdown")
        timer_row.addWidget(self.countdown)
        self.extra_time = paragraph("", "Extra time")
        timer_row.addWidget(self.extra_time, 1)
        main.addLayout(timer_row)
        main.addWidget(paragraph("Captions (what we hear you say):", "Captions label"))
        self.caption = paragraph("", "Live captions")
        self.caption.setObjectName("caption")
        main.addWidget(self.caption, 1)
        self.done = button("&Done: I have finished my answer", "Done answering")
        self.done.setEnabled(False)
        self.done.clicked.connect(self._done)
        main.addWidget(self.done)
        self.problem = banner("Interview problem")
        main.addWidget(self.problem)
        layout.addLayout(main, 0, 0, 2, 1)

        side = QVBoxLayout()
        self.camera = CameraView("Your camera")
        self.camera.setMaximumSize(320, 240)
        self.publisher.frame.connect(self.camera.show_frame)
        side.addWidget(self.camera)
        self.proctor_status = paragraph("Proctoring: starting", "Proctoring status")
        side.addWidget(self.proctor_status)
        self.warning = banner("Proctoring warning")
        side.addWidget(self.warning)
        side.addWidget(heading("Need help?"))
        side.addWidget(
            paragraph(
                "Ask to repeat or rephrase the question, for the time left, or report a "
                "problem. The assistant cannot give hints.",
                "Help instructions",
            )
        )
        self.help_input = QLineEdit()
        self.help_input.setAccessibleName("Help question")
        self.help_input.returnPressed.connect(self._ask_help)
        side.addWidget(self.help_input)
        self.help_button = button("As&k", "Ask the help assistant")
        self.help_button.clicked.connect(self._ask_help)
        side.addWidget(self.help_button)
        self.help_reply = paragraph("", "Help reply")
        side.addWidget(self.help_reply, 1)
        layout.addLayout(side, 0, 1, 2, 1)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(1, 1)
        self.setTabOrder(self.question_text, self.done)
        self.setTabOrder(self.done, self.help_input)
        self.setTabOrder(self.help_input, self.help_button)

    # -- running the conductor -------------------------------------------------------------------
    def begin(self, session: InterviewSession) -> None:
        self.prepare(session)
        with self._live_lock:
            self.live = None
            self._pending.clear()
        self.running = True
        submit(self._run, session.session_id, done=self._finished, failed=self._failed)

    def prepare(self, session: InterviewSession) -> None:
        """Show the session's own settings (the candidate's extra time) before it runs."""
        self._session = session
        self._help = self._context.core.help_desk(session.settings)
        self.view = InterviewView()
        self._render()

    def _run(self, session_id: str) -> SessionRecord:
        """Worker thread: build the interview (models load here), then run it to its end."""
        live = self._context.core.live_interview(session_id, self.publisher.offer)
        with self._live_lock:
            self.live = live
            pending, self._pending = self._pending, []
        for action in pending:  # in the order asked, before the first question
            action(live)
        return live.run(session_id)

    def control(self, action: Callable[[LiveInterview], None]) -> None:
        """Apply `action` to the running interview now, or as soon as it is built (a pause or
        an abort asked for while the models load must hold, not be lost)."""
        with self._live_lock:
            live = self.live
            if live is None:
                self._pending.append(action)
                return
        action(live)

    def _finished(self, record: SessionRecord) -> None:
        self.running = False
        self._tick.stop()
        self.finished.emit(record)

    def _failed(self, error: Exception) -> None:
        self.running = False
        self._tick.stop()
        if isinstance(error, InterviewInterrupted):
            self.interrupted.emit()
            return
        self.problem.setText(f"The interview stopped: {error}. Please call the invigilator.")
        self.problem.show()
        self.failed.emit(str(error))

    def interrupt(self) -> None:
        """The kiosk is shutting down: stop as a power cut would (the answer is not saved).
        Still loading models, the run stops at its first answer block."""
        self.control(lambda live: live.interrupt())

    # -- what the conductor announces -------------------------------------------------------------
    def on_event(self, event: object) -> None:
        """Fold one announcement into the view and show it (other events change nothing)."""
        view = self.view.apply(event)
        if view is self.view:
            return
        self.view = view
        self._render()

    def _render(self) -> None:
        view = self.view
        if view.question is not None:
            self.progress.setText(
                f"Follow-up to question {view.number}"
                if view.follow_up
                else f"Question {view.number} of {view.total}"
            )
            self.question_text.setText(view.question.text)
            self.question_text.setAccessibleName(f"Question: {view.question.text}")
        self.spoken_note.setText("" if view.spoken else "(Shown on screen only.)")
        self.caption.setText(view.caption)
        self.done.setEnabled(view.answering)
        if view.answering:
            self._tick.start()
        else:
            self._tick.stop()
        self._show_time()
        percent = self._session.settings.extra_time_percent if self._session else 0
        extra = [f"Includes your extra time (+{percent}%)."] if percent else []
        if view.extra_s:
            extra.append(f"The invigilator gave you extra time: +{view.extra_s} s.")
        self.extra_time.setText(" ".join(extra))
        if view.answering or view.question is not None:
            self.proctor_status.setText("Proctoring: active")
        self.warning.setText(
            "\n".join(FLAG_TEXT.get(k, "Please follow the interview rules.") for k in view.flags)
        )
        self.warning.setVisible(bool(view.flags))
        if view.problem:
            self.problem.setText(
                f"{view.problem}. The interview is paused; the invigilator will help."
            )
        elif view.paused:
            self.problem.setText(
                "The invigilator has paused the interview: it waits after this answer until they "
                "resume it."
            )
        self.problem.setVisible(bool(view.problem or view.paused))

    # -- the candidate's controls ----------------------------------------------------------------
    def _done(self) -> None:
        if self.live is not None:
            self.done.setEnabled(False)
            self.live.conductor.finish_answer()

    def _ask_help(self) -> None:
        text = self.help_input.text().strip()
        question = self.view.question
        if not text or question is None or self._help is None:
            return
        self.help_input.clear()
        self.help_button.setEnabled(False)
        self.help_reply.setText("…")
        submit(
            self._help.reply,
            text,
            question,
            self.seconds_left(),
            done=self._help_replied,
            failed=lambda error: self._help_replied(None),
        )

    def _help_replied(self, reply: HelpReply | None) -> None:
        self.help_button.setEnabled(True)
        if reply is None:
            self.help_reply.setText("The assistant is not available. Raise your hand for help.")
            return
        self.help_reply.setText(reply.text)
        if reply.escalate:
            self.help_escalated.emit(reply.text)

    # -- the clock ---------------------------------------------------------------------------------
    def seconds_left(self) -> int | None:
        return self.view.seconds_left(time.monotonic())

    def _show_time(self) -> None:
        if self.view.saved:
            self.countdown.setText("Answer saved. Next question coming up…")
            return
        left = self.seconds_left()
        self.countdown.setText("" if left is None else f"Time left: {left // 60}:{left % 60:02d}")
