"""The invigilator panel (Ctrl+Shift+I): pause, resume, extend time, abort, live flags, and the
kiosk's sync status.

Behind the PIN each time it is opened. The panel only asks; the window carries each request to
the conductor (or, before the interview, to the session service).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.live.announcements import ProctoringFlag
from kiosk.sync.status import SyncMonitor
from ui.pin import PinPrompt
from ui.sync_status import SyncStatusWidget
from ui.widgets import button, heading, paragraph


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
        # room for the flags and the wrapped sync lines: a top-level window does not grow
        # when a label's text gets longer, so too small a panel would clip them
        self.setMinimumSize(560, 640)
        outer = QVBoxLayout(self)
        self.pages = QStackedWidget()
        outer.addWidget(self.pages)

        locked = QWidget()
        locked_layout = QVBoxLayout(locked)
        locked_layout.addWidget(heading("Invigilator panel"))
        self.prompt = PinPrompt(check_pin, action="&Unlock")
        self.prompt.verified.connect(lambda *_: self.pages.setCurrentIndex(1))
        locked_layout.addWidget(self.prompt)
        self.pages.addWidget(locked)

        controls = QWidget()
        layout = QVBoxLayout(controls)
        layout.addWidget(heading("Invigilator panel"))
        row = QHBoxLayout()
        self.pause = button("&Pause", "Pause after the current answer")
        self.pause.clicked.connect(self.pause_requested)
        self.resume = button("&Resume", "Resume the interview")
        self.resume.clicked.connect(self.resume_requested)
        row.addWidget(self.pause)
        row.addWidget(self.resume)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.extra = QSpinBox()
        self.extra.setRange(10, 900)
        self.extra.setSingleStep(30)
        self.extra.setValue(60)
        self.extra.setSuffix(" s")
        self.extra.setAccessibleName("Extra seconds per answer")
        self.extend = button("&Extend time", "Extend the time per answer")
        self.extend.clicked.connect(lambda: self.extend_requested.emit(self.extra.value()))
        row.addWidget(self.extra)
        row.addWidget(self.extend)
        layout.addLayout(row)
        row = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason to abort")
        self.reason.setPlaceholderText("Reason (recorded)")
        self.abort = button("&Abort session", "Abort the session")
        self.abort.clicked.connect(self._abort)
        row.addWidget(self.reason, 1)
        row.addWidget(self.abort)
        layout.addLayout(row)
        layout.addWidget(paragraph("Live flags and messages:", "Flags label"))
        self.flags = QListWidget()
        self.flags.setAccessibleName("Live flags")
        layout.addWidget(self.flags, 1)
        self.status = paragraph("", "Panel status")
        layout.addWidget(self.status)
        self.sync_status = SyncStatusWidget(sync)
        layout.addWidget(self.sync_status)
        row = QHBoxLayout()
        self.shutdown = button("&Close the kiosk", "Close the kiosk application")
        self.shutdown.clicked.connect(self.close_requested)
        self.lock = button("&Lock panel", "Lock and hide the panel")
        self.lock.clicked.connect(self.hide)
        row.addWidget(self.shutdown)
        row.addStretch(1)
        row.addWidget(self.lock)
        layout.addLayout(row)
        self.pages.addWidget(controls)

    def showEvent(self, event: object) -> None:
        self.pages.setCurrentIndex(0)  # the PIN every time the panel is opened
        self.prompt.pin.setFocus()
        super().showEvent(event)  # type: ignore[arg-type]

    @property
    def unlocked(self) -> bool:
        return self.pages.currentIndex() == 1

    def _abort(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.status.setText("Give a reason to abort: it is recorded with the session.")
            return
        self.reason.clear()
        self.abort_requested.emit(reason)

    def add_flag(self, event: ProctoringFlag) -> None:
        e = event.event
        state = "ongoing" if event.ongoing else f"ended at {e.end:.0f} s"
        self.flags.addItem(f"{e.start:6.0f} s  {e.kind} ({e.severity}) {state} {e.detail}")
        self.flags.scrollToBottom()

    def add_note(self, text: str) -> None:
        self.flags.addItem(text)
        self.flags.scrollToBottom()
