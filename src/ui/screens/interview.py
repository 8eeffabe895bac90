"""The interview: the question large and spoken, the time left, live captions, Done, the camera.

The conductor runs in a worker and announces through the event bridge; this screen folds every
announcement into a Qt-free `InterviewView` and renders it, so the countdown is the conductor's
clock (the listener's real limit), not one of its own. It forwards the candidate's Done and help
questions. A session that was interrupted resumes here: the conductor itself picks up at the
question it was on.

What the candidate sees is in their words: "Question 2 of 5" (or "Follow-up to question 2"),
the time left in a ring that empties, that they are being recorded (a badge on their own camera
picture), and what we hear them say. Why a question was not read aloud, and every proctoring
detail, go to the invigilator panel (`notes`) and the log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.bootstrap import LiveInterview
from kiosk.brain.helpdesk import HelpDesk, HelpReply
from kiosk.domain.model import InterviewSession
from kiosk.live.announcements import QuestionSpoken
from kiosk.live.interruption import InterviewInterrupted
from kiosk.live.view import InterviewView
from kiosk.sessions import SessionRecord
from ui.camera import CameraView, FramePublisher
from ui.components.basics import Card, banner, button, label, set_role
from ui.components.layout import hbox, vbox
from ui.components.page import ResponsiveRow, Screen
from ui.components.painted import CountdownRing
from ui.context import KioskContext
from ui.workers import submit

_log = logging.getLogger(__name__)

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
#: Questions the candidate can ask with one press (the help desk answers any typed one too).
QUICK_HELP = (
    ("&Repeat the question", "Please repeat the question."),
    ("How much &time is left?", "How much time do I have left?"),
)
CAPTIONS_WAITING = "Your words appear here as you speak."


class InterviewScreen(Screen):
    finished = Signal(object)  # SessionRecord
    interrupted = Signal()
    failed = Signal(str)
    help_escalated = Signal(str)
    notes = Signal(str)  # what the invigilator should know (not the candidate's business)

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__("Your interview", "", parent)
        self.title.hide()  # the header and the question card say where the candidate is
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

        self.row = ResponsiveRow(breakpoint=58)
        left = QWidget()
        left_column = vbox(left, gap="l")
        question = Card(name="Question")
        self.progress = label("Getting your interview ready", "overline", "Question number")
        self.question_text = label("Preparing your first question…", "display", "Question")
        self.question_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.question_text.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.spoken_note = label("", "small", "Question audio note")
        self.spoken_note.hide()
        question.body.addWidget(self.progress)
        question.body.addWidget(self.question_text)
        question.body.addWidget(self.spoken_note)
        left_column.addWidget(question)
        self.captions_card = Card(name="Live captions")
        self.captions_title = label("WHAT WE HEAR YOU SAY", "overline", "Captions label")
        self.caption = label(CAPTIONS_WAITING, "placeholder", "Live captions")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.captions_card.body.addWidget(self.captions_title)
        self.captions_card.body.addWidget(self.caption, 1)
        left_column.addWidget(self.captions_card, 1)
        self.row.add(left, 3)

        right = QWidget()
        right_column = vbox(right, gap="l")
        clock = Card(name="Time")
        clock_row = hbox(gap="l")
        self.ring = CountdownRing()
        clock_row.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignTop)
        clock_words = vbox(gap="xs")
        self.clock_state = label("", "body", "Answer status")
        self.extra_time = label("", "small", "Extra time")
        clock_words.addWidget(self.clock_state)
        clock_words.addWidget(self.extra_time)
        clock_words.addStretch(1)
        clock_row.addLayout(clock_words, 1)
        clock.body.addLayout(clock_row)
        right_column.addWidget(clock)
        self.camera = CameraView("Your camera, recording")
        self.camera.set_badge("Recording")
        self.publisher.frame.connect(self.camera.show_frame)
        right_column.addWidget(self.camera)
        self.proctor_status = label(
            "Your camera and microphone are recorded during the interview.",
            "small",
            "Recording status",
        )
        right_column.addWidget(self.proctor_status)
        self.warning = banner("Proctoring warning", "warning")
        right_column.addWidget(self.warning)
        helper = Card("Need help?", name="Help")
        helper.body.addWidget(
            label(
                "Ask to repeat or rephrase the question, or for the time left. The assistant "
                "cannot give hints.",
                "small",
                "Help instructions",
            )
        )
        quick = hbox(gap="s")
        self.quick_help: list[QWidget] = []
        for text, asked in QUICK_HELP:
            shortcut = button(text, text.replace("&", ""), "secondary")
            shortcut.setAutoDefault(False)
            shortcut.clicked.connect(lambda _=False, asked=asked: self._ask_help(asked))
            quick.addWidget(shortcut)
            self.quick_help.append(shortcut)
        quick.addStretch(1)
        helper.body.addLayout(quick)
        ask_row = hbox(gap="s")
        self.help_input = QLineEdit()
        self.help_input.setAccessibleName("Help question")
        self.help_input.setPlaceholderText("Or type a question, e.g. can you say it another way?")
        self.help_input.returnPressed.connect(self._ask_help)
        self.help_button = button("As&k", "Ask the help assistant", "secondary")
        self.help_button.clicked.connect(self._ask_help)
        ask_row.addWidget(self.help_input, 1)
        ask_row.addWidget(self.help_button)
        helper.body.addLayout(ask_row)
        self.help_reply = label("", "body", "Help reply")
        self.help_reply.hide()
        helper.body.addWidget(self.help_reply)
        right_column.addWidget(helper)
        right_column.addStretch(1)
        self.row.add(right, 2)
        self.body.addWidget(self.row, 1)

        self.problem = banner("Interview problem", "warning")
        self.notices.addWidget(self.problem)
        self.countdown = label("", "strong", "Time left")
        self.countdown.setWordWrap(False)
        self.done = button("&Done: I have finished my answer", "Done answering", "primary")
        self.done.setEnabled(False)
        self.done.clicked.connect(self._done)
        # side by side the ring is in view; stacked, the footer keeps the time in reach
        self.countdown.hide()
        self.row.arranged.connect(self.countdown.setVisible)
        self.actions.addWidget(self.countdown)
        self.actions.addStretch(1)
        self.actions.addWidget(self.done)
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
        """Show the session's own settings (extra time, captions) before it runs."""
        self._session = session
        self._help = self._context.core.help_desk(session.settings)
        self.view = InterviewView()
        captions = session.settings.captions
        self.caption.setVisible(captions)
        self.captions_title.setText(
            "WHAT WE HEAR YOU SAY" if captions else "CAPTIONS ARE OFF FOR THIS INTERVIEW"
        )
        self.captions_card.setVisible(True)
        self.help_reply.hide()
        self.warning.hide()
        self.problem.hide()
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
        _log.error("the interview stopped: %s", error)
        self.notes.emit(f"PROBLEM: the interview stopped: {error}")
        self.problem.setText(
            "The interview has stopped because of a technical problem. Your answers so far are "
            "saved. Please call the invigilator."
        )
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
        if isinstance(event, QuestionSpoken) and not event.spoken:
            self.notes.emit(
                f"Question {view.number} was shown on screen only: {event.reason or 'not spoken'}"
            )
        self._render()

    def _render(self) -> None:
        view = self.view
        if view.question is not None:
            self.progress.setText(
                f"FOLLOW-UP TO QUESTION {view.number} OF {view.total}"
                if view.follow_up
                else f"QUESTION {view.number} OF {view.total}"
            )
            self.progress.setAccessibleName(
                f"Follow-up to question {view.number} of {view.total}"
                if view.follow_up
                else f"Question {view.number} of {view.total}"
            )
            self.question_text.setText(view.question.text)
            self.question_text.setAccessibleName(f"Question: {view.question.text}")
        self.spoken_note.setText("This question is shown on screen only: please read it.")
        self.spoken_note.setVisible(view.question is not None and not view.spoken)
        self.caption.setText(view.caption or CAPTIONS_WAITING)
        set_role(self.caption, "caption" if view.caption else "placeholder")
        self.done.setEnabled(view.answering)
        if view.answering:
            self._tick.start()
        else:
            self._tick.stop()
        self._show_time()
        percent = self._session.settings.extra_time_percent if self._session else 0
        extra = [f"Includes your extra time (+{percent}%)."] if percent else []
        if view.extra_s:
            extra.append(f"The invigilator gave you {view.extra_s} s more.")
        self.extra_time.setText(" ".join(extra))
        self.extra_time.setVisible(bool(extra))
        self.warning.setText(
            "\n".join(FLAG_TEXT.get(k, "Please follow the interview rules.") for k in view.flags)
        )
        self.warning.setVisible(bool(view.flags))
        if view.problem:
            self.problem.setText(
                "The interview is paused because of a technical problem. Your answers so far are "
                "saved; the invigilator will help."
            )
        elif view.paused:
            self.problem.setText(
                "The invigilator has paused the interview. You can finish this answer; the next "
                "question waits until they resume."
            )
        self.problem.setVisible(bool(view.problem or view.paused))

    # -- the candidate's controls ----------------------------------------------------------------
    def _done(self) -> None:
        if self.live is not None:
            self.done.setEnabled(False)
            self.live.conductor.finish_answer()

    def _ask_help(self, asked: str | None = None) -> None:
        text = (asked or self.help_input.text()).strip()
        question = self.view.question
        if not text or question is None or self._help is None:
            return
        if asked is None:
            self.help_input.clear()
        self.help_button.setEnabled(False)
        self.help_reply.setText("…")
        self.help_reply.show()
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
        self.help_reply.show()
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
        view = self.view
        left = self.seconds_left()
        if view.saved:
            state = "Answer saved. The next question is coming up…"
        elif view.answering:
            state = "Answer now. Press Done when you have finished."
        elif view.question is not None:
            state = "The clock starts when the question has been read."
        else:
            state = "Getting your interview ready…"
        self.clock_state.setText(state)
        self.ring.show_time(
            None if view.saved else left,
            view.limit_s,
            view.answering,
            "saved" if view.saved else "left",
        )
        if view.saved:
            self.countdown.setText("Answer saved")
        elif left is None:
            self.countdown.setText("")
        else:
            self.countdown.setText(f"Time left: {left // 60}:{left % 60:02d}")
