"""Invigilator start: the session key (checked as it is typed), the packs on this kiosk, the PIN,
and the kiosk's sync status (hub connectivity, queue length, last sync).

The key's check character catches a typo before anything is looked up; the service's own errors
(unknown key, expired key) are shown as they are worded, since they say what to do next.
A well-formed key the kiosk does not hold is asked of the hub (HR may have made it minutes ago)
on a worker, and imported through the writer (`kiosk.sync.open_or_pull`). When the hub says
another kiosk already started it, the invigilator (who gave the PIN for this key) may start
another attempt here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from contract.sessionkey import SessionKeyError, normalise_session_key
from kiosk.domain.model import InterviewSession
from kiosk.sessions import SessionExpiredError, StartableSession, UnknownSessionKeyError
from kiosk.sync import PackPullError, PullProblem, open_or_pull
from ui.context import KioskContext
from ui.sync_status import SyncStatusWidget
from ui.widgets import button, heading, paragraph
from ui.workers import submit


class StartScreen(QWidget):
    opened = Signal(object)  # InterviewSession

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Invigilator: start a session"))
        layout.addWidget(
            paragraph(
                "Type the session key from the candidate's slip, or pick a session below, "
                "then enter your PIN.",
                "Instructions",
            )
        )
        form = QFormLayout()
        self.key = QLineEdit(context.session_key)
        self.key.setAccessibleName("Session key")
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-X")
        self.key.textChanged.connect(self._check_key)
        form.addRow("Session &key:", self.key)
        self.key_message = paragraph("", "Session key check")
        form.addRow(self.key_message)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("Invigilator PIN")
        self.pin.returnPressed.connect(self._start)
        form.addRow("Invigilator &PIN:", self.pin)
        layout.addLayout(form)
        self.start = button("&Start session", "Start session")
        self.start.clicked.connect(self._start)
        layout.addWidget(self.start)
        self.message = paragraph("", "Start message")
        self.message.setObjectName("errorText")
        layout.addWidget(self.message)
        self.restart = button(
            "Start &another attempt on this kiosk", "Start another attempt on this kiosk"
        )
        self.restart.clicked.connect(self._restart)
        self.restart.hide()
        layout.addWidget(self.restart)
        #: The key the PIN was given for, and the one the hub said was started elsewhere.
        self._key = ""
        self._restart_key = ""
        layout.addWidget(heading("Session packs on this kiosk"))
        self.packs = QListWidget()
        self.packs.setAccessibleName("Session packs on this kiosk")
        self.packs.itemActivated.connect(self._pick)
        self.packs.itemClicked.connect(self._pick)
        layout.addWidget(self.packs, 1)
        self.refresh = button("&Refresh list", "Refresh session list")
        self.refresh.clicked.connect(self.reload)
        layout.addWidget(self.refresh)
        self.sync_status = SyncStatusWidget(context.core.sync)
        layout.addWidget(self.sync_status)
        self.setTabOrder(self.key, self.pin)
        self.setTabOrder(self.pin, self.start)
        self.setTabOrder(self.start, self.packs)
        self.setTabOrder(self.packs, self.refresh)
        self._check_key(self.key.text())

    # -- the key, as it is typed ---------------------------------------------------------------
    def _check_key(self, text: str) -> bool:
        self._withdraw_restart()  # offered for one key, after the PIN: not for another
        try:
            key = normalise_session_key(text)
        except SessionKeyError as error:
            self.key_message.setText("" if not text.strip() else f"{error}.")
            self.key_message.setObjectName("hintText")
            self.start.setEnabled(False)
            return False
        self.key_message.setText(f"Key {key} is well formed.")
        self.start.setEnabled(True)
        return True

    def _typed_key(self) -> str:
        try:
            return normalise_session_key(self.key.text())
        except SessionKeyError:
            return ""

    def _pick(self, item: QListWidgetItem) -> None:
        self.key.setText(item.data(Qt.ItemDataRole.UserRole))
        self.pin.setFocus()

    # -- the packs on the kiosk ------------------------------------------------------------------
    def reload(self) -> None:
        submit(self._context.core.service.startable, done=self._show_packs)

    def _show_packs(self, startable: list[StartableSession]) -> None:
        self.packs.clear()
        for each in startable:
            session = each.session
            resume = "  (interrupted: resume)" if each.resumes else ""
            item = QListWidgetItem(
                f"{session.session_key}  {session.candidate.full_name} — {session.job.title}"
                f"  [{session.state.value}]{resume}"
            )
            item.setData(Qt.ItemDataRole.UserRole, session.session_key)
            self.packs.addItem(item)
        if not self.packs.count():
            self.packs.addItem("No session packs on this kiosk yet: sync with the hub.")

    # -- starting ------------------------------------------------------------------------------
    def _start(self) -> None:
        if not self._check_key(self.key.text()):
            self.message.setText("Check the session key first.")
            return
        pin, _ = self.pin.text(), self.pin.clear()
        if not pin:
            self.message.setText("Enter the invigilator PIN.")
            return
        self._key = normalise_session_key(self.key.text())
        self.start.setEnabled(False)
        self.message.setText("Checking…")
        submit(self._context.check_pin, pin, done=self._pin_checked, failed=self._failed)

    def _pin_checked(self, ok: bool) -> None:
        if not ok:
            self.start.setEnabled(True)
            self.message.setText("That PIN is not right. Try again.")
            self.pin.setFocus()
            return
        self.message.setText(f"Opening session {self._key}…")
        self._open(self._key, restart=False)

    def _open(self, key: str, *, restart: bool) -> None:
        """The key's session on this kiosk, or else its pack from the hub (on a worker: the
        network call stays off the GUI thread; every write goes through the writer)."""
        core = self._context.core
        submit(
            open_or_pull,
            core.service,
            core.sync.client,
            key,
            restart=restart,
            write=self._context.ops.write,
            done=self._opened,
            failed=self._failed,
        )

    def _restart(self) -> None:
        key = self._restart_key
        self._withdraw_restart()
        self.start.setEnabled(False)
        self.message.setText(f"Asking the hub for session {key} again, to restart it here…")
        self._open(key, restart=True)

    def _withdraw_restart(self) -> None:
        self._restart_key = ""
        self.restart.hide()

    def _opened(self, session: InterviewSession) -> None:
        self.start.setEnabled(True)
        self.message.setText("")
        self.opened.emit(session)

    def _failed(self, error: Exception) -> None:
        self.start.setEnabled(True)
        known = (UnknownSessionKeyError, SessionExpiredError, SessionKeyError, PackPullError)
        if isinstance(error, known):
            self.message.setText(f"{str(error)[0].upper()}{str(error)[1:]}.")
        else:
            self.message.setText(f"The session could not be opened: {error}")
        started = isinstance(error, PackPullError) and error.problem is PullProblem.STARTED
        if started and self._typed_key() == self._key:  # still the key the PIN was given for
            self._restart_key = self._key
            self.restart.show()
            self.restart.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
