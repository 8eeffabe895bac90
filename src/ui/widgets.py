"""Small building blocks every screen uses, so each sets its accessible name and object name
the same way (the high-contrast style sheet and screen readers rely on both)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QWidget


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("heading")
    label.setAccessibleName(text)
    label.setWordWrap(True)
    return label


def paragraph(text: str = "", name: str = "", parent: QWidget | None = None) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name or text[:60])
    return label


def button(text: str, name: str = "", parent: QWidget | None = None) -> QPushButton:
    """A push button; `text` carries its mnemonic (&), `name` is read by screen readers."""
    widget = QPushButton(text, parent)
    widget.setAccessibleName(name or text.replace("&", ""))
    widget.setAutoDefault(True)
    return widget


def banner(name: str, parent: QWidget | None = None) -> QLabel:
    """A hidden-until-needed warning line (a proctoring rule fired, a device is missing)."""
    label = QLabel(parent)
    label.setObjectName("banner")
    label.setAccessibleName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def level_meter(name: str, parent: QWidget | None = None) -> QProgressBar:
    meter = QProgressBar(parent)
    meter.setRange(0, 100)
    meter.setTextVisible(False)
    meter.setAccessibleName(name)
    return meter
