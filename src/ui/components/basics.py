"""Text, buttons, cards and banners: each sets its role for the style sheet and its accessible
name for screen readers the same way, so no screen styles or names a widget by hand."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from ui.components.layout import vbox
from ui.theme import repolish

#: Button looks: the one action a screen leads to, the others, and the one that ends something.
VARIANTS = ("primary", "secondary", "danger", "quiet", "choice")
TONES = ("info", "success", "warning", "danger", "quiet")


def label(text: str = "", role: str = "body", name: str = "", *, rich: bool = False) -> QLabel:
    """A wrapped line of text in a type role (title, lead, display, small, overline, ...)."""
    widget = QLabel(text)
    widget.setProperty("role", role)
    widget.setWordWrap(True)
    widget.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    widget.setAccessibleName(name or text[:60])
    return widget


def set_role(widget: QWidget, role: str, tone: str | None = None) -> None:
    """Change a widget's role (and tone) and restyle it."""
    widget.setProperty("role", role)
    widget.setProperty("tone", tone)
    repolish(widget)


def button(text: str, name: str = "", variant: str = "secondary") -> QPushButton:
    """A push button; `text` carries its mnemonic (&), `name` is read by screen readers."""
    if variant not in VARIANTS:
        raise ValueError(f"a button is one of {', '.join(VARIANTS)}, not {variant!r}")
    widget = QPushButton(text)
    widget.setAccessibleName(name or text.replace("&", ""))
    widget.setAutoDefault(True)
    widget.setProperty("variant", variant)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    return widget


def set_variant(widget: QPushButton, variant: str) -> None:
    widget.setProperty("variant", variant)
    repolish(widget)


class Card(QFrame):
    """A surface that groups what belongs together; `body` is its column of contents."""

    def __init__(
        self,
        title: str = "",
        *,
        tone: str | None = None,
        name: str = "",
        overline: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if tone is not None and tone not in TONES:
            raise ValueError(f"a card's tone is one of {', '.join(TONES)}, not {tone!r}")
        self.setProperty("role", "card")
        self.setProperty("tone", tone)
        self.setAccessibleName(name or title)
        self.body: QVBoxLayout = vbox(self, gap="s", margin="l")
        self.title = label(title, "overline" if overline else "subtitle", title)
        self.title.setVisible(bool(title))
        self.body.addWidget(self.title)

    def set_tone(self, tone: str | None) -> None:
        self.setProperty("tone", tone)
        repolish(self)


def banner(name: str, tone: str = "warning") -> QLabel:
    """A hidden-until-needed message line (a proctoring rule fired, a device is missing)."""
    widget = label("", "banner", name)
    widget.setProperty("tone", tone)
    widget.hide()
    return widget


def divider() -> QFrame:
    line = QFrame()
    line.setProperty("role", "divider")
    line.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return line


def chip(text: str, name: str = "", tone: str | None = None) -> QLabel:
    """A small status word (Paused, Set by HR, Recording)."""
    widget = label(text, "chip", name or text)
    widget.setWordWrap(False)
    widget.setProperty("tone", tone)
    widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
    return widget


__all__ = [
    "TONES",
    "VARIANTS",
    "Card",
    "banner",
    "button",
    "chip",
    "divider",
    "label",
    "set_role",
    "set_variant",
]
