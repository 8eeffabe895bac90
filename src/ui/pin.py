"""The invigilator PIN, asked inline or in a dialog, checked in a worker (argon2 takes a while).

The PIN is never shown, kept or logged: the field is cleared as soon as it has been checked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QLineEdit, QWidget

from ui.components.basics import button, label
from ui.components.layout import hbox, vbox
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
        variant: str = "primary",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._check_pin = check_pin
        column = vbox(self, gap="s")
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why (recorded with the session)")
        self.name = QLineEdit()
        self.name.setAccessibleName("Invigilator name")
        self.name.setPlaceholderText("Your name")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName("Invigilator PIN")
        self.pin.setPlaceholderText("PIN")
        fields = [("&Reason", self.reason)] if ask_reason else []
        fields += [("Invigilator &name", self.name)] if ask_name else []
        fields.append(("Invigilator &PIN", self.pin))
        for line, (text, field) in enumerate(fields):
            caption = label(text.replace("&", ""), "strong", text.replace("&", ""))
            caption.setBuddy(field)
            grid.addWidget(caption, line * 2, 0)
            grid.addWidget(field, line * 2 + 1, 0)
        column.addLayout(grid)
        row = hbox(gap="m")
        self.confirm = button(action, action.replace("&", ""), variant)
        self.confirm.clicked.connect(self._submit)
        self.pin.returnPressed.connect(self._submit)
        row.addWidget(self.confirm)
        row.addStretch(1)
        column.addLayout(row)
        self.message = label("", "error", "PIN message")
        self.message.hide()
        column.addWidget(self.message)
        self._ask_reason, self._ask_name = ask_reason, ask_name

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _submit(self) -> None:
        if self._ask_reason and not self.reason.text().strip():
            self._say("Please give a reason: it is recorded with the session.")
            return
        if self._ask_name and not self.name.text().strip():
            self._say("Please give your name: it is recorded with the decision.")
            return
        pin, _ = self.pin.text(), self.pin.clear()
        if not pin:
            self._say("Enter the invigilator PIN.")
            return
        self.confirm.setEnabled(False)
        self._say("Checking…")
        submit(self._check_pin, pin, done=self._checked, failed=self._failed)

    def _checked(self, ok: bool) -> None:
        self.confirm.setEnabled(True)
        if not ok:
            self._say("That PIN is not right. Try again.")
            self.pin.setFocus()
            return
        self._say("")
        self.verified.emit(self.reason.text().strip(), self.name.text().strip())

    def _failed(self, error: Exception) -> None:
        self.confirm.setEnabled(True)
        self._say(f"The PIN could not be checked: {error}")


class PinDialog(QDialog):
    """A small window asking for the PIN before a protected action (closing the kiosk)."""

    def __init__(
        self, check_pin: Callable[[str], bool], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        layout = vbox(self, gap="m", margin="l")
        layout.addWidget(label(title, "subtitle", title))
        self.prompt = PinPrompt(check_pin, parent=self)
        self.prompt.verified.connect(lambda *_: self.accept())
        layout.addWidget(self.prompt)
        cancel = button("C&ancel", "Cancel", "quiet")
        cancel.clicked.connect(self.reject)
        layout.addWidget(cancel)
