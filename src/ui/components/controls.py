"""Controls the screens share: a choice among a few options, a number stepped by buttons, and an
inline confirmation for acts that cannot be undone.

The confirmation is a bar in the screen, not a modal dialog: a kiosk never traps the candidate
or the invigilator in a window they cannot see behind, and a screen reader reads it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QPushButton, QSizePolicy, QWidget

from ui.components.basics import Card, button, label
from ui.components.layout import hbox


class ChoiceGroup(QWidget):
    """Options side by side, one of them chosen (text size, contrast, captions)."""

    changed = Signal(object)

    def __init__(self, name: str, options: Sequence[tuple[str, object]]) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._values: list[object] = [value for _, value in options]
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        row = hbox(self, gap="xs")
        self.buttons: list[QPushButton] = []
        for index, (text, _) in enumerate(options):
            option = button(text, f"{name}: {text.replace('&', '')}", "choice")
            option.setCheckable(True)
            option.setAutoDefault(False)
            self._group.addButton(option, index)
            row.addWidget(option)
            self.buttons.append(option)
        row.addStretch(1)
        self._group.idClicked.connect(lambda index: self.changed.emit(self._values[index]))

    def value(self) -> object:
        return self._values[max(0, self._group.checkedId())]

    def set_value(self, value: object) -> None:
        self.buttons[self._values.index(value)].setChecked(True)


class Stepper(QWidget):
    """A whole number in a range, changed by − and + buttons (large targets, no tiny arrows)."""

    valueChanged = Signal(int)

    def __init__(
        self, name: str, minimum: int, maximum: int, step: int, *, unit: Callable[[int], str]
    ) -> None:
        super().__init__()
        self.setAccessibleName(name)
        self._range = (minimum, maximum)
        self._step = step
        self._unit = unit
        self._value = minimum
        row = hbox(self, gap="xs")
        self.less = button("−", f"{name}: less", "secondary")
        self.more = button("+", f"{name}: more", "secondary")
        for part in (self.less, self.more):
            part.setAutoDefault(False)
            part.setProperty("variant", "choice")  # tight padding: a square target
            part.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.shown = label("", "subtitle", name)
        self.shown.setWordWrap(False)
        self.shown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.shown.setMinimumWidth(self.shown.fontMetrics().horizontalAdvance(unit(maximum)) + 16)
        self.less.clicked.connect(lambda: self.setValue(self._value - self._step))
        self.more.clicked.connect(lambda: self.setValue(self._value + self._step))
        row.addWidget(self.less)
        row.addWidget(self.shown)
        row.addWidget(self.more)
        row.addStretch(1)
        self.setValue(minimum)

    def value(self) -> int:
        return self._value

    def setValue(self, value: int) -> None:
        low, high = self._range
        value = min(high, max(low, value))
        self.less.setEnabled(value > low)
        self.more.setEnabled(value < high)
        self.shown.setText(self._unit(value))
        self.shown.setAccessibleName(f"{self.accessibleName()}: {self._unit(value)}")
        if value != self._value:
            self._value = value
            self.valueChanged.emit(value)


class ConfirmBar(Card):
    """"Are you sure?" in place: the consequence in words, a way back, and the act itself."""

    def __init__(self, name: str, back: str, confirm: str, *, danger: bool = True) -> None:
        super().__init__(tone="danger" if danger else "warning", name=name)
        self.message = label("", "strong", f"{name}: what happens")
        self.body.addWidget(self.message)
        row = hbox(gap="m")
        self.back = button(back, back.replace("&", ""), "secondary")
        self.confirm = button(confirm, confirm.replace("&", ""), "danger" if danger else "primary")
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.confirm)
        self.body.addLayout(row)
        self._act: Callable[[], None] | None = None
        self.back.clicked.connect(self.withdraw)
        self.confirm.clicked.connect(self._confirmed)
        self.hide()

    def ask(self, message: str, act: Callable[[], None]) -> None:
        """Show `message`; `act` runs only if the confirm button is pressed."""
        self.message.setText(message)
        self._act = act
        self.show()
        self.back.setFocus()

    def withdraw(self) -> None:
        self._act = None
        self.hide()

    @property
    def asking(self) -> bool:
        return self._act is not None

    def _confirmed(self) -> None:
        act, self._act = self._act, None
        self.hide()
        if act is not None:
            act()


__all__ = ["ChoiceGroup", "ConfirmBar", "Stepper"]
