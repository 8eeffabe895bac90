"""The kiosk's one window: a header, and a stack of screens, the one shown following the
session's state.

The stored state decides where a session (re)starts, so a kiosk restarted mid-session shows the
screen it was on; within a run each screen moves on only after its step is stored. The look
follows the session: the candidate's text size and contrast from the moment their session is
open, the standard look again for the next one. Closing the window while locked down needs the
PIN; closing stops the interview as a power cut would.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from contract.proctoring import EventKind
from kiosk.domain.accessibility import Accessibility
from kiosk.domain.events import StateChanged
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Branding, InterviewSession
from kiosk.sessions import SessionRecord
from ui import theme
from ui.bridge import EventBridge
from ui.context import KioskContext
from ui.design import Theme
from ui.header import Header
from ui.invigilator import InvigilatorPanel, PanelState
from ui.lockdown import Lockdown
from ui.pin import PinDialog
from ui.screens.completion import CompletionScreen
from ui.screens.consent import ConsentScreen
from ui.screens.devices import DevicesScreen
from ui.screens.handover import HandoverScreen
from ui.screens.idcheck import IdCheckScreen
from ui.screens.interview import InterviewScreen
from ui.screens.start import StartScreen
from ui.workers import submit

_log = logging.getLogger(__name__)
_INTERVIEW = (SessionState.DEVICES_CHECKED, SessionState.IN_PROGRESS)
_DONE = (SessionState.COMPLETED, SessionState.REPORTED, SessionState.SYNCED)
#: A session in one of these states is being taken: what happens at the kiosk is its record.
_OPEN = (SessionState.OPENED, SessionState.ID_VERIFIED, *_INTERVIEW)


class MainWindow(QMainWindow):
    #: Emitted once the window has shut down (interview stopped, devices released).
    shut_down = Signal()

    def __init__(self, context: KioskContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("Interview Kiosk")
        self.setAccessibleName("Interview Kiosk")
        self.session: InterviewSession | None = None
        self.branding = Branding()
        self.bridge = EventBridge(context.core.bus, self)
        canvas = QWidget()
        canvas.setObjectName("canvas")
        column = QVBoxLayout(canvas)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.header = Header()
        column.addWidget(self.header)
        self.stack = QStackedWidget()
        column.addWidget(self.stack, 1)
        self.setCentralWidget(canvas)
        self.start = StartScreen(context)
        self.handover = HandoverScreen(context)
        self.consent = ConsentScreen(context)
        self.idcheck = IdCheckScreen(context)
        self.devices = DevicesScreen(context)
        self.interview = InterviewScreen(context)
        self.completion = CompletionScreen()
        for screen in (
            self.start,
            self.handover,
            self.consent,
            self.idcheck,
            self.devices,
            self.interview,
            self.completion,
        ):
            self.stack.addWidget(screen)
        self.panel = InvigilatorPanel(context.check_pin, self, sync=context.core.sync)
        self.panel.refresh_state = self.panel_state
        self._phases: dict[QWidget, str] = {
            self.start: "start",
            self.handover: "handover",
            self.consent: "consent",
            self.idcheck: "identity check",
            self.devices: "device check",
            self.interview: "interview",
            self.completion: "closing",
        }
        #: Where the candidate is, as the header's steps number it (None: no steps shown).
        self._steps: dict[QWidget, int | None] = {
            self.start: None,
            self.handover: None,
            self.consent: 0,
            self.idcheck: 1,
            self.devices: 2,
            self.interview: 3,
            self.completion: 4,
        }
        self._close_allowed = not context.lockdown
        self._closing = False
        self._pause_asked = False
        self.lockdown: Lockdown | None = None
        self._wire()
        self._show(self.start)
        self.start.reload()

    def _wire(self) -> None:
        self.start.opened.connect(self._opened)
        self.handover.preview.connect(self._preview)
        self.handover.handed_over.connect(self.show_session)
        self.handover.cancelled.connect(self.back_to_start)
        self.consent.advanced.connect(self._after_consent)
        self.idcheck.advanced.connect(self.show_session)
        self.devices.advanced.connect(self.show_session)
        self.interview.finished.connect(self._interview_finished)
        self.interview.interrupted.connect(self._finish_shutdown)
        self.interview.help_escalated.connect(
            lambda text: self.panel.add_note(f"Candidate reported a problem: {text}")
        )
        for screen in (self.idcheck, self.devices):
            screen.details.connect(self.panel.add_note)
        self.interview.notes.connect(self.panel.add_note)
        self.completion.next_session.connect(self._ask_for_next_session)
        b = self.bridge
        b.anyEvent.connect(self.interview.on_event)
        b.anyEvent.connect(lambda _event: self._refresh_panel())
        b.proctoringFlag.connect(self.panel.add_flag)
        b.interviewProblem.connect(lambda e: self.panel.add_note(f"PROBLEM: {e.message}"))
        b.stateChanged.connect(self._state_changed)
        self.panel.pause_requested.connect(self._pause)
        self.panel.resume_requested.connect(self._resume)
        self.panel.extend_requested.connect(self._extend)
        self.panel.abort_requested.connect(self.abort_session)
        self.panel.close_requested.connect(self._close_from_panel)
        shortcut = QShortcut(QKeySequence("Ctrl+Shift+I"), self)
        shortcut.activated.connect(self.open_panel)

    def engage_lockdown(self) -> None:
        """Full screen, on top, shortcuts swallowed and reported (not used with --no-lockdown)."""
        self.lockdown = Lockdown(
            self, self._report, ended=self.context.core.shell_events.condition_ended
        )
        self.lockdown.engage()

    def _report(self, kind: EventKind, detail: str) -> None:
        self.panel.add_note(f"{kind.value}: {detail}")
        session = self.session
        self.context.core.shell_events.report(
            kind,
            detail,
            session_id=session.session_id if session and session.state in _OPEN else None,
            phase=self._phases.get(self.current_screen(), "unknown"),
        )

    # -- the look and the header -----------------------------------------------------------------
    def _apply_theme(self, chosen: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, chosen)

    def _preview(self, accessibility: Accessibility) -> None:
        self._apply_theme(Theme.of(accessibility))

    def _show(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)
        if self.session is None or screen is self.start:
            self.header.show_invigilator(self.context.core.settings.kiosk_id)
        self.header.show_step(self._steps.get(screen))
        self._refresh_panel()

    def _take(self, session: InterviewSession) -> None:
        """The window now shows `session`: its look, and its organisation in the header."""
        known = self.session is not None and self.session.session_id == session.session_id
        self.session = session
        self._apply_theme(Theme.of(Accessibility.of(session.settings)))
        self.header.show_session(session, self.branding if known else Branding())
        if not known:
            self.branding = Branding()
            submit(
                self.context.core.service.branding,
                session.session_id,
                done=lambda found, sid=session.session_id: self._branded(sid, found),
                failed=lambda error: _log.warning("no branding for the session: %s", error),
            )

    def _branded(self, session_id: str, branding: Branding) -> None:
        if self.session is not None and self.session.session_id == session_id:
            self.branding = branding
            self.header.show_session(self.session, branding)

    # -- routing -----------------------------------------------------------------------------------
    def _opened(self, session: InterviewSession) -> None:
        """The invigilator opened a session: a new one is handed over with its accessibility
        checked; an interrupted one resumes where it stopped."""
        if session.state is SessionState.OPENED:
            self._take(session)
            self.handover.begin(session)
            self._show(self.handover)
            return
        self.show_session(session)

    def show_session(self, session: InterviewSession) -> None:
        """Show the screen for the session's stored state."""
        self._take(session)
        state = session.state
        if state in _OPEN:  # a VM, a remote session, a second display seen before it opened
            self.context.core.shell_events.session_opened(session.session_id)
        if state is SessionState.OPENED:
            self.consent.begin(session)
            self._show(self.consent)
        elif state is SessionState.ID_VERIFIED:
            self.idcheck.stop()
            self.devices.begin(session)
            self._show(self.devices)
        elif state in _INTERVIEW:
            self.devices.stop()
            self._pause_asked = False
            self._show(self.interview)
            self.interview.begin(session)
            self._refresh_panel()  # running now: Pause is offered
        elif state in _DONE:
            self.completion.show_completed(session, self.branding.organisation)
            self._show(self.completion)
        elif state is SessionState.ABORTED:
            self._show_ended(session)
        else:
            self.back_to_start()
            self.start.show_message(f"This session is {state.value} and cannot be taken.")

    def _after_consent(self, session: InterviewSession) -> None:
        self.session = session
        if session.state is SessionState.ABORTED:
            self.completion.show_declined()
            self._show(self.completion)
            self.header.show_step(None)
            return
        self.idcheck.begin(session)
        self._show(self.idcheck)

    def _show_ended(self, session: InterviewSession) -> None:
        del session  # the recorded reason is for the report, not the candidate's screen
        self.completion.show_ended("the session was ended by the invigilator")
        self._show(self.completion)
        self.header.show_step(None)

    def _interview_finished(self, record: SessionRecord) -> None:
        self.show_session(record.session)

    def _state_changed(self, event: StateChanged) -> None:
        session = self.session
        if session is not None and session.session_id == event.session_id:
            # kept current: whether the session is still open decides where shell events go
            self.session = replace(session, state=event.state)
        if event.state is SessionState.ABORTED:
            self.panel.add_note("The session was aborted.")
        self._refresh_panel()

    def _ask_for_next_session(self) -> None:
        dialog = PinDialog(self.context.check_pin, "Start the next session: invigilator PIN", self)
        dialog.accepted.connect(self.back_to_start)
        dialog.open()

    def back_to_start(self) -> None:
        """Ready for the next candidate: the standard look, the start screen, no session."""
        for screen in (self.idcheck, self.devices):
            screen.stop()
        self.session = None
        self.branding = Branding()
        self._apply_theme(Theme())
        self.start.reset()
        self._show(self.start)

    # -- the invigilator's controls --------------------------------------------------------------
    def open_panel(self) -> None:
        self.panel.show_state(self.panel_state())
        self.panel.show()
        self.panel.raise_()

    def panel_state(self) -> PanelState:
        """What the panel controls now: the session, where the candidate is, the clock."""
        session = self.session
        if session is None:
            return PanelState()
        view = self.interview.view
        running = self._interview_running()
        question = ""
        if running and view.question is not None:
            question = (
                f"Follow-up to question {view.number} of {view.total}"
                if view.follow_up
                else f"Question {view.number} of {view.total}"
            )
        return PanelState(
            candidate=session.candidate.full_name,
            job=session.job.title,
            session_key=session.session_key,
            phase=self._phases.get(self.current_screen(), "").capitalize(),
            question=question,
            seconds_left=self.interview.seconds_left() if view.answering else None,
            interview_running=running,
            paused=running and (view.paused or self._pause_asked),
            session_open=session.state in _OPEN,
        )

    def _refresh_panel(self) -> None:
        if self.panel.isVisible():
            self.panel.show_state(self.panel_state())

    def _interview_running(self) -> bool:
        return self.interview.running and self.stack.currentWidget() is self.interview

    def _pause(self) -> None:
        if not self._interview_running():
            self.panel.status.setText("No interview is running.")
            return
        self._pause_asked = True
        self.interview.control(lambda live: live.conductor.pause())
        self.panel.status.setText("Paused: the interview holds after the current answer.")
        self._refresh_panel()

    def _resume(self) -> None:
        if not self._interview_running():
            self.panel.status.setText("No interview is running.")
            return
        self._pause_asked = False
        self.interview.control(lambda live: live.conductor.resume())
        self.panel.status.setText("Resumed.")
        self._refresh_panel()

    def _extend(self, seconds: int) -> None:
        if not self._interview_running():
            self.panel.status.setText("No interview is running.")
            return
        self.interview.control(lambda live: live.conductor.extend_time(seconds))
        self.panel.status.setText(f"Added {seconds} s to this answer and to each one after it.")

    def abort_session(self, reason: str) -> None:
        if self._interview_running():
            # the conductor stores the abort and finishes (once built, if its models still load)
            self.interview.control(lambda live: live.conductor.abort(reason))
            self.panel.status.setText("Ending the session after the current step…")
            return
        if self.session is None:
            self.panel.status.setText("No session is open.")
            return
        self.idcheck.stop()
        self.devices.stop()
        self.context.ops.run(
            self.context.core.service.abort,
            self.session.session_id,
            reason,
            done=self.show_session,
            failed=lambda error: self.panel.status.setText(f"Could not end the session: {error}"),
        )

    # -- closing -----------------------------------------------------------------------------------
    def _close_from_panel(self) -> None:
        # the panel was unlocked with the PIN just now
        self._close_allowed = True
        self.panel.hide()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._close_allowed:
            event.ignore()
            dialog = PinDialog(self.context.check_pin, "Close the kiosk: invigilator PIN", self)
            dialog.accepted.connect(self._close_from_panel)
            dialog.open()
            return
        if not self._closing:
            self._closing = True
            self.shutdown()
        event.accept()

    def shutdown(self) -> None:
        """Stop every loop; an interview in progress stops as a power cut would, to resume."""
        self.idcheck.stop()
        self.devices.stop()
        self.start.sync_status.stop()
        self.panel.sync_status.stop()
        if self.lockdown is not None:
            self.lockdown.release()
        self.bridge.close()
        if self.interview.running:
            self.interview.interrupt()
        else:
            self._finish_shutdown()

    def _finish_shutdown(self) -> None:
        self.shut_down.emit()

    def current_screen(self) -> QWidget:
        return self.stack.currentWidget()
