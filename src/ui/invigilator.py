"""The invigilator panel (Ctrl+Shift+I): which session it controls, pause and resume, extra time,
ending the session, live flags and the technical notes, and the kiosk's sync status.

Behind the PIN each time it is opened. The panel only asks; the window carries each request to
the conductor (or, before the interview, to the session service), and tells the panel what it
controls (`PanelState`): the candidate, the question, the time left, whether it is paused. A
control that cannot act now is disabled rather than answering "no interview is running", and
ending the session or closing the kiosk is confirmed first, in words that say what follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.live.announcements import ProctoringFlag
from kiosk.sync.status import SyncMonitor
from ui.components.basics import Card, button, chip, label, set_role
from ui.components.controls import ConfirmBar, Stepper
from ui.components.layout import hbox, vbox
from ui.pin import PinPrompt
from ui.sync_status import SyncStatusWidget


@dataclass(frozen=True)
class PanelState:
    """What the panel controls, as the window sees it now."""

    candidate: str = ""
    job: str = ""
    session_key: str = ""
    #: Where the candidate is: "Consent", "Identity check", "Interview", ...
    phase: str = "No session"
    #: "Question 2 of 5", "Follow-up to question 2 of 5", "" before the first question.
    question: str = ""
    #: Seconds left to answer (None: no clock runs).
    seconds_left: int | None = None
    interview_running: bool = False
    paused: bool = False
    #: A session is open at the kiosk (it can be ended).
    session_open: bool = False


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


class InvigilatorPanel(QDialog):
    pause_requested = Signal()
    resume_requested = Signal()
    extend_requested = Signal(int)  # seconds
    abort_requested = Signal(str)  # reason
    close_requested = Signal()

    def __init__(
        self,
        check_pin: Callable[[str], bool],
        parent: QWidget | None = None,
        sync: SyncMonitor | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Invigilator panel")
        self.setAccessibleName("Invigilator panel")
        self.setMinimumSize(520, 560)
        self.state = PanelState()
        #: Asked of the window for a fresh state while the panel is open (time left moves).
        self.refresh_state: Callable[[], PanelState] | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        locked = QWidget()
        locked_layout = vbox(locked, gap="l", margin="xl")
        locked_layout.addWidget(label("Invigilator panel", "title", "Invigilator panel"))
        locked_layout.addWidget(
            label("Enter your PIN to see and control this session.", "lead", "Instructions")
        )
        self.prompt = PinPrompt(check_pin, action="&Unlock")
        self.prompt.verified.connect(lambda *_: self.pages.setCurrentIndex(1))
        locked_layout.addWidget(self.prompt)
        locked_layout.addStretch(1)
        self.pages.addWidget(locked)

        controls = QWidget()
        page = vbox(controls, gap="s")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("scrollBody")
        layout = vbox(content, gap="m", margin=("l", "m"))
        scroll.setWidget(content)
        page.addWidget(scroll, 1)

        session = Card("This session", name="This session")
        self.who = label("", "subtitle", "Candidate and role")
        self.where = label("", "body", "Where the candidate is")
        status_row = hbox(gap="s")
        self.running_chip = chip("", "Interview status")
        self.time_left = label("", "strong", "Time left")
        status_row.addWidget(self.running_chip)
        status_row.addWidget(self.time_left, 1)
        session.body.addWidget(self.who)
        session.body.addWidget(self.where)
        session.body.addLayout(status_row)
        layout.addWidget(session)

        interview = Card("Interview", name="Interview controls")
        row = hbox(gap="s")
        self.pause = button("&Pause", "Pause after the current answer", "secondary")
        self.pause.clicked.connect(self._pause)
        self.resume = button("&Resume", "Resume the interview", "secondary")
        self.resume.clicked.connect(self._resume)
        row.addWidget(self.pause)
        row.addWidget(self.resume)
        row.addStretch(1)
        interview.body.addLayout(row)
        interview.body.addWidget(label("Extra time for this answer and each one after it",
                                       "small", "Extra time"))
        row = hbox(gap="s")
        self.extra = Stepper("Extra seconds per answer", 10, 900, 30, unit=lambda v: f"+{v} s")
        self.extra.setValue(60)
        self.extend = button("&Add time", "Extend the time per answer", "secondary")
        self.extend.clicked.connect(lambda: self.extend_requested.emit(self.extra.value()))
        row.addWidget(self.extra)
        row.addWidget(self.extend)
        row.addStretch(1)
        interview.body.addLayout(row)
        self.status = label("", "small", "Panel status")
        interview.body.addWidget(self.status)
        layout.addWidget(interview)

        ending = Card("End the session", name="End the session")
        ending.body.addWidget(
            label(
                "Ends the candidate's session for good: answers given so far are kept and the "
                "reason is recorded. The candidate sees that the interview has ended.",
                "small",
                "What ending does",
            )
        )
        row = hbox(gap="s")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason to abort")
        self.reason.setPlaceholderText("Reason (recorded with the session)")
        self.abort = button("&End the session…", "Abort the session", "danger")
        self.abort.clicked.connect(self._abort)
        row.addWidget(self.reason, 1)
        row.addWidget(self.abort)
        ending.body.addLayout(row)
        self.confirm_abort = ConfirmBar(
            "Confirm ending the session", "&Keep the session", "&Yes, end the session"
        )
        ending.body.addWidget(self.confirm_abort)
        layout.addWidget(ending)

        flags = Card("Flags and notes", name="Flags and notes")
        self.flags = QListWidget()
        self.flags.setAccessibleName("Live flags")
        self.flags.setWordWrap(True)
        self.flags.setMinimumHeight(140)
        flags.body.addWidget(self.flags, 1)
        layout.addWidget(flags, 1)
        self.sync_status = SyncStatusWidget(sync)
        layout.addWidget(self.sync_status)

        self.confirm_close = ConfirmBar(
            "Confirm closing the kiosk", "Ca&ncel", "&Close the kiosk now"
        )
        footer = QFrame()
        footer.setProperty("role", "footer")
        footer_column = vbox(footer, gap="s", margin=("l", "m"))
        footer_column.addWidget(self.confirm_close)
        row = hbox(gap="m")
        self.shutdown = button("&Close the kiosk…", "Close the kiosk application", "danger")
        self.shutdown.clicked.connect(self._close)
        self.lock = button("&Lock panel", "Lock and hide the panel", "secondary")
        self.lock.clicked.connect(self.hide)
        row.addWidget(self.shutdown)
        row.addStretch(1)
        row.addWidget(self.lock)
        footer_column.addLayout(row)
        page.addWidget(footer)
        self.pages.addWidget(controls)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self.show_state(PanelState())

    def showEvent(self, event: QShowEvent) -> None:
        self.pages.setCurrentIndex(0)  # the PIN every time the panel is opened
        self.prompt.pin.setFocus()
        self.confirm_abort.withdraw()
        self.confirm_close.withdraw()
        self._clock.start()
        super().showEvent(event)

    def hideEvent(self, event: object) -> None:
        self._clock.stop()
        super().hideEvent(event)  # type: ignore[arg-type]

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    # -- what the panel controls -----------------------------------------------------------------
    def _tick(self) -> None:
        if self.refresh_state is not None:
            self.show_state(self.refresh_state())

    def show_state(self, state: PanelState) -> None:
        self.state = state
        if state.candidate:
            self.who.setText(f"{state.candidate} · {state.job}")
            self.where.setText(f"{state.phase} · session key {state.session_key}")
        else:
            self.who.setText("No session is open")
            self.where.setText("Start a session from the start screen.")
        if state.interview_running:
            word, tone = ("Paused", "warning") if state.paused else ("Running", "success")
            self.running_chip.setText(word)
        else:
            word, tone = ("Not started" if state.session_open else "Idle"), None
            self.running_chip.setText(word)
        set_role(self.running_chip, "chip", tone)
        parts = [state.question] if state.question else []
        if state.seconds_left is not None and state.interview_running:
            parts.append(f"{_minutes(state.seconds_left)} left for this answer")
        self.time_left.setText(" · ".join(parts))
        running = state.interview_running
        self.pause.setEnabled(running and not state.paused)
        self.resume.setEnabled(running and state.paused)
        self.extend.setEnabled(running)
        self.extra.setEnabled(running)
        self.abort.setEnabled(state.session_open)
        self.reason.setEnabled(state.session_open)
        if not state.session_open:
            self.confirm_abort.withdraw()

    # -- requests ------------------------------------------------------------------------------
    def _pause(self) -> None:
        self.pause_requested.emit()

    def _resume(self) -> None:
        self.resume_requested.emit()

    def _abort(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.status.setText("Give a reason to end the session: it is recorded with it.")
            self.reason.setFocus()
            return
        who = self.state.candidate or "the candidate"
        self.confirm_abort.ask(
            f"End {who}'s session now? This cannot be undone: the candidate cannot continue "
            f"this session. Reason recorded: “{reason}”.",
            lambda: self._aborted(reason),
        )

    def _aborted(self, reason: str) -> None:
        self.reason.clear()
        self.abort_requested.emit(reason)

    def _close(self) -> None:
        during = (
            " The interview in progress stops; the answer being given is not saved, and the "
            "session resumes at the same question when the kiosk is started again."
            if self.state.interview_running
            else ""
        )
        self.confirm_close.ask(f"Close the kiosk application?{during}", self.close_requested.emit)

    # -- flags and notes -------------------------------------------------------------------------
    def add_flag(self, event: ProctoringFlag) -> None:
        e = event.event
        state = "ongoing" if event.ongoing else f"ended at {e.end:.0f} s"
        self.flags.addItem(f"{e.start:6.0f} s  {e.kind} ({e.severity}) {state} {e.detail}")
        self.flags.scrollToBottom()

    def add_note(self, text: str) -> None:
        self.flags.addItem(text)
        self.flags.scrollToBottom()
