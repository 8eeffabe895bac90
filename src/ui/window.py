"""The kiosk's one window: a stack of screens, the one shown following the session's state.

The stored state decides where a session (re)starts, so a kiosk restarted mid-session shows the
screen it was on; within a run each screen moves on only after its step is stored. Closing the
window while locked down needs the PIN; closing stops the interview as a power cut would.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QWidget

from contract.proctoring import EventKind
from kiosk.domain.events import StateChanged
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import InterviewSession
from kiosk.sessions import SessionRecord
from ui.bridge import EventBridge
from ui.context import KioskContext
from ui.invigilator import InvigilatorPanel
from ui.lockdown import Lockdown
from ui.pin import PinDialog
from ui.screens.completion import CompletionScreen
from ui.screens.consent import ConsentScreen
from ui.screens.devices import DevicesScreen
from ui.screens.idcheck import IdCheckScreen
from ui.screens.interview import InterviewScreen
from ui.screens.start import StartScreen

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
        self.bridge = EventBridge(context.core.bus, self)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.start = StartScreen(context)
        self.consent = ConsentScreen(context)
        self.idcheck = IdCheckScreen(context)
        self.devices = DevicesScreen(context)
        self.interview = InterviewScreen(context)
        self.completion = CompletionScreen()
        for screen in (
            self.start,
            self.consent,
            self.idcheck,
            self.devices,
            self.interview,
            self.completion,
        ):
            self.stack.addWidget(screen)
        self.panel = InvigilatorPanel(context.check_pin, self, sync=context.core.sync)
        self._phases: dict[QWidget, str] = {
            self.start: "start",
            self.consent: "consent",
            self.idcheck: "identity check",
            self.devices: "device check",
            self.interview: "interview",
            self.completion: "closing",
        }
        self._close_allowed = not context.lockdown
        self._closing = False
        self.lockdown: Lockdown | None = None
        self._wire()
        self.start.reload()

    def _wire(self) -> None:
        self.start.opened.connect(self.show_session)
        self.consent.advanced.connect(self._after_consent)
        self.idcheck.advanced.connect(self.show_session)
        self.devices.advanced.connect(self.show_session)
        self.interview.finished.connect(self._interview_finished)
        self.interview.interrupted.connect(self._finish_shutdown)
        self.interview.help_escalated.connect(
            lambda text: self.panel.add_note(f"Candidate reported a problem: {text}")
        )
        b = self.bridge
        b.anyEvent.connect(self.interview.on_event)
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

    # -- routing -----------------------------------------------------------------------------------
    def show_session(self, session: InterviewSession) -> None:
        """Show the screen for the session's stored state."""
        self.session = session
        state = session.state
        if state in _OPEN:  # a VM, a remote session, a second display seen before it opened
            self.context.core.shell_events.session_opened(session.session_id)
        if state is SessionState.OPENED:
            self.consent.begin(session)
            self.stack.setCurrentWidget(self.consent)
        elif state is SessionState.ID_VERIFIED:
            self.idcheck.stop()
            self.devices.begin(session)
            self.stack.setCurrentWidget(self.devices)
        elif state in _INTERVIEW:
            self.devices.stop()
            self.stack.setCurrentWidget(self.interview)
            self.interview.begin(session)
        elif state in _DONE:
            self.completion.show_completed()
            self.stack.setCurrentWidget(self.completion)
        elif state is SessionState.ABORTED:
            self._show_ended(session)
        else:
            self.start.show_message(f"This session is {state.value} and cannot be taken.")
            self.stack.setCurrentWidget(self.start)

    def _after_consent(self, session: InterviewSession) -> None:
        self.session = session
        if session.state is SessionState.ABORTED:
            self.completion.show_declined()
            self.stack.setCurrentWidget(self.completion)
            return
        self.idcheck.begin(session)
        self.stack.setCurrentWidget(self.idcheck)

    def _show_ended(self, session: InterviewSession) -> None:
        del session  # the recorded reason is for the report, not the candidate's screen
        self.completion.show_ended("the session was ended by the invigilator")
        self.stack.setCurrentWidget(self.completion)

    def _interview_finished(self, record: SessionRecord) -> None:
        self.show_session(record.session)

    def _state_changed(self, event: StateChanged) -> None:
        session = self.session
        if session is not None and session.session_id == event.session_id:
            # kept current: whether the session is still open decides where shell events go
            self.session = replace(session, state=event.state)
        if event.state is SessionState.ABORTED:
            self.panel.add_note("The session was aborted.")

    # -- the invigilator's controls --------------------------------------------------------------
    def open_panel(self) -> None:
        self.panel.show()
        self.panel.raise_()

    def _interview_running(self) -> bool:
        return self.interview.running and self.stack.currentWidget() is self.interview

    def _pause(self) -> None:
        if not self._interview_running():
            self.panel.status.setText("No interview is running.")
            return
        self.interview.control(lambda live: live.conductor.pause())
        self.panel.status.setText("Paused: the interview holds after the current answer.")

    def _resume(self) -> None:
        if not self._interview_running():
            self.panel.status.setText("No interview is running.")
            return
        self.interview.control(lambda live: live.conductor.resume())
        self.panel.status.setText("Resumed.")

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
            self.panel.status.setText("Aborting after the current step…")
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
            failed=lambda error: self.panel.status.setText(f"Could not abort: {error}"),
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
