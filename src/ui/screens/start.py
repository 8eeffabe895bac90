"""Invigilator start: the session key (checked as it is typed), the sessions on this kiosk, the
PIN, and whether the kiosk is in touch with the hub.

The key's check character catches a typo before anything is looked up; the service's own errors
(unknown key, expired key) are shown as they are worded, since they say what to do next.
A well-formed key the kiosk does not hold is asked of the hub (HR may have made it minutes ago)
on a worker, and imported through the writer (`kiosk.sync.open_or_pull`). When the hub says
another kiosk already started it, the invigilator (who gave the PIN for this key) may start
another attempt here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget

from contract.sessionkey import SessionKeyError, normalise_session_key
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import InterviewSession
from kiosk.sessions import SessionExpiredError, StartableSession, UnknownSessionKeyError
from kiosk.sync import PackPullError, PullProblem, open_or_pull
from ui.components.basics import Card, button, label, set_role
from ui.components.page import ResponsiveRow, Screen
from ui.context import KioskContext
from ui.sync_status import SyncStatusWidget
from ui.workers import submit

#: How a session on the kiosk is described to the invigilator.
_STATUS = {
    SessionState.CREATED: "Ready to start",
    SessionState.OPENED: "Opened: starts again from the consent notice",
    SessionState.ID_VERIFIED: "Interrupted after the identity check: resumes there",
    SessionState.DEVICES_CHECKED: "Interrupted before the first question: resumes there",
    SessionState.IN_PROGRESS: "Interrupted mid-interview: resumes at the same question",
}


def _field_label(text: str, buddy: QWidget) -> QLabel:
    widget = label(text, "strong", text.replace("&", ""))
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setText(text)
    widget.setBuddy(buddy)
    return widget


class StartScreen(Screen):
    opened = Signal(object)  # InterviewSession

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Start a session",
            "Type the session key from the candidate's slip, or choose a session on this kiosk. "
            "Then enter your invigilator PIN.",
            parent,
        )
        self._context = context
        row = ResponsiveRow(breakpoint=46)
        sign_in = Card("Session key and PIN", name="Session key and PIN")
        self.key = QLineEdit(context.session_key)
        self.key.setProperty("role", "key")
        self.key.setAccessibleName("Session key")
        self.key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-X")
        self.key.textChanged.connect(self._check_key)
        sign_in.body.addWidget(_field_label("Session &key", self.key))
        sign_in.body.addWidget(self.key)
        self.key_message = label("", "small", "Session key check")
        sign_in.body.addWidget(self.key_message)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("Invigilator PIN")
        self.pin.setPlaceholderText("Your PIN")
        self.pin.returnPressed.connect(self._start)
        sign_in.body.addWidget(_field_label("Invigilator &PIN", self.pin))
        sign_in.body.addWidget(self.pin)
        self.message = label("", "error", "Start message")
        self.message.hide()
        sign_in.body.addWidget(self.message)
        self.restart = button(
            "Start &another attempt on this kiosk", "Start another attempt on this kiosk"
        )
        self.restart.clicked.connect(self._restart)
        self.restart.hide()
        sign_in.body.addWidget(self.restart)
        sign_in.body.addStretch(1)
        row.add(sign_in, 2)
        #: The key the PIN was given for, and the one the hub said was started elsewhere.
        self._key = ""
        self._restart_key = ""
        packs = Card("Sessions on this kiosk", name="Sessions on this kiosk")
        self.packs = QListWidget()
        self.packs.setAccessibleName("Session packs on this kiosk")
        self.packs.setWordWrap(True)
        self.packs.setMinimumHeight(120)
        self.packs.itemActivated.connect(self._pick)
        self.packs.itemClicked.connect(self._pick)
        packs.body.addWidget(self.packs, 1)
        self.refresh = button("&Refresh list", "Refresh session list", "quiet")
        self.refresh.clicked.connect(self.reload)
        packs.body.addWidget(self.refresh, 0, Qt.AlignmentFlag.AlignLeft)
        row.add(packs, 3)
        self.body.addWidget(row, 1)
        self.sync_status = SyncStatusWidget(context.core.sync, compact=True)
        self.body.addWidget(self.sync_status)
        self.start = button("&Start session", "Start session", "primary")
        self.start.clicked.connect(self._start)
        self.actions.addStretch(1)
        self.actions.addWidget(self.start)
        self.setTabOrder(self.key, self.pin)
        self.setTabOrder(self.pin, self.start)
        self.setTabOrder(self.start, self.packs)
        self.setTabOrder(self.packs, self.refresh)
        self._check_key(self.key.text())

    # -- the key, as it is typed ---------------------------------------------------------------
    def _check_key(self, text: str) -> bool:
        self._withdraw_restart()  # offered for one key, after the PIN: not for another
        try:
            normalise_session_key(text)
        except SessionKeyError as error:
            problem = str(error)
            typed = bool(text.strip())
            self.key_message.setText(f"{problem[0].upper()}{problem[1:]}." if typed else "")
            set_role(self.key_message, "error" if typed else "small")
            self.start.setEnabled(False)
            return False
        self.key_message.setText("✓ The key is typed correctly.")
        set_role(self.key_message, "success")
        self.start.setEnabled(True)
        return True

    def _typed_key(self) -> str:
        try:
            return normalise_session_key(self.key.text())
        except SessionKeyError:
            return ""

    def _pick(self, item: QListWidgetItem) -> None:
        key = item.data(Qt.ItemDataRole.UserRole)
        if key:
            self.key.setText(key)
            self.pin.setFocus()

    # -- the sessions on the kiosk ---------------------------------------------------------------
    def reload(self) -> None:
        submit(self._context.core.service.startable, done=self._show_packs)

    def _show_packs(self, startable: list[StartableSession]) -> None:
        self.packs.clear()
        for each in startable:
            session = each.session
            item = QListWidgetItem(
                f"{session.candidate.full_name} — {session.job.title}\n"
                f"{_STATUS.get(session.state, session.state.value)} · {session.session_key}"
            )
            item.setData(Qt.ItemDataRole.UserRole, session.session_key)
            self.packs.addItem(item)
        if not self.packs.count():
            empty = QListWidgetItem(
                "No sessions on this kiosk yet. Sessions HR creates arrive from the hub, or type "
                "a key to fetch one."
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.packs.addItem(empty)

    # -- starting ------------------------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _start(self) -> None:
        if not self._check_key(self.key.text()):
            self._say("Check the session key first.")
            return
        pin, _ = self.pin.text(), self.pin.clear()
        if not pin:
            self._say("Enter the invigilator PIN.")
            return
        self._key = normalise_session_key(self.key.text())
        self.start.setEnabled(False)
        self._say("Checking…")
        submit(self._context.check_pin, pin, done=self._pin_checked, failed=self._failed)

    def _pin_checked(self, ok: bool) -> None:
        if not ok:
            self.start.setEnabled(True)
            self._say("That PIN is not right. Try again.")
            self.pin.setFocus()
            return
        self._say(f"Opening session {self._key}…")
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
        self._say(f"Asking the hub for session {key} again, to restart it here…")
        self._open(key, restart=True)

    def _withdraw_restart(self) -> None:
        self._restart_key = ""
        self.restart.hide()

    def _opened(self, session: InterviewSession) -> None:
        self.start.setEnabled(True)
        self._say("")
        self.opened.emit(session)

    def _failed(self, error: Exception) -> None:
        self.start.setEnabled(True)
        known = (UnknownSessionKeyError, SessionExpiredError, SessionKeyError, PackPullError)
        if isinstance(error, known):
            self._say(f"{str(error)[0].upper()}{str(error)[1:]}.")
        else:
            self._say(f"The session could not be opened: {error}")
        started = isinstance(error, PackPullError) and error.problem is PullProblem.STARTED
        if started and self._typed_key() == self._key:  # still the key the PIN was given for
            self._restart_key = self._key
            self.restart.show()
            self.restart.setFocus()

    def show_message(self, text: str) -> None:
        self._say(text)

    def reset(self) -> None:
        """Ready for the next session: no key, no message, a fresh list."""
        self.key.clear()
        self.pin.clear()
        self._say("")
        self.reload()
