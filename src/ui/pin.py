"""The invigilator PIN, asked inline or in a dialog, checked in a worker (argon2 takes a while).

The PIN is never shown, kept or logged: the field is cleared as soon as it has been checked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.workers import submit


class PinPrompt(QWidget):
    """PIN (and optionally a reason and a name); emits `verified(reason, name)` once checked."""

    verified = Signal(str, str)

    def __init__(
        self,
        check_pin: Callable[[str], bool],
        *,
        action: str = "&Confirm",
        ask_reason: bool = False,
        ask_name: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._check_pin = check_pin
        form = QFormLayout(self)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.name = QLineEdit()
        self.name.setAccessibleName("Invigilator name")
        if ask_reason:
            form.addRow("&Reason:", self.reason)
        if ask_name:
            form.addRow("Invigilator &name:", self.name)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("Invigilator PIN")
        form.addRow("Invigilator &PIN:", self.pin)
        self.confirm = QPushButton(action)
        self.confirm.setAccessibleName(action.replace("&", ""))
        self.confirm.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        form.addRow(self.confirm)
        self.message = QLabel()
        self.message.setObjectName("errorText")
        self.message.setAccessibleName("PIN message")
        self.message.setWordWrap(True)
        form.addRow(self.message)
        self._ask_reason, self._ask_name = ask_reason, ask_name

    def _submit(self) -> None:
        if self._ask_reason and not self.reason.text().strip():
            self.message.setText("Please give a reason: it is recorded with the session.")
            return
        if self._ask_name and not self.name.text().strip():
            self.message.setText("Please give your name: it is recorded with the decision.")
            return
        pin, _ = self.pin.text(), self.pin.clear()
        if not pin:
            self.message.setText("Enter the invigilator PIN.")
            return
        self.confirm.setEnabled(False)
        self.message.setText("Checking…")
        submit(self._check_pin, pin, done=self._checked, failed=self._failed)

    def _checked(self, ok: bool) -> None:
        self.confirm.setEnabled(True)
        if not ok:
            self.message.setText("That PIN is not right. Try again.")
            self.pin.setFocus()
            return
        self.message.setText("")
        self.verified.emit(self.reason.text().strip(), self.name.text().strip())

    def _failed(self, error: Exception) -> None:
        self.confirm.setEnabled(True)
        self.message.setText(f"The PIN could not be checked: {error}")


class PinDialog(QDialog):
    """A small window asking for the PIN before a protected action (closing the kiosk)."""

    def __init__(
        self, check_pin: Callable[[str], bool], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        self.prompt = PinPrompt(check_pin, parent=self)
        self.prompt.verified.connect(lambda *_: self.accept())
        layout.addWidget(self.prompt)
        cancel = QPushButton("C&ancel")
        cancel.setAccessibleName("Cancel")
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)
