"""The scaffold every screen shares: a title, a body that scrolls only when it must, and a bar
of actions that never scrolls away; plus the two ways a layout adapts to the window.

The body is a scroll area, so at 200% text on a 1024x768 screen a long screen scrolls instead
of pushing its buttons off the window; the actions stay in the footer, always in reach. A
`Measure` keeps reading lines to a comfortable length on a wide screen, and a `ResponsiveRow`
puts its parts side by side when they fit and one above the other when they do not, deciding
in units of the text size, so the same screen works at every size and scale.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.components.basics import label
from ui.components.layout import hbox, vbox


class Measure(QWidget):
    """A column at most `chars` average characters of its text wide, centred in the space it is
    given: lines stay readable on a wide screen, and at a large text size the limit grows with
    the text, so it never squeezes what it holds."""

    def __init__(
        self, chars: int, gap: str = "l", margin: str | tuple[str, str] | None = None
    ) -> None:
        super().__init__()
        self.chars = chars
        self.inner = QWidget()
        self.column: QVBoxLayout = vbox(self.inner, gap=gap, margin=margin)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addStretch(1)
        outer.addWidget(self.inner, 1000)
        outer.addStretch(1)
        self._limit()

    def _limit(self) -> None:
        self.inner.setMaximumWidth(QFontMetrics(self.font()).averageCharWidth() * self.chars)

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self.column.addWidget(widget, stretch)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._limit()
        super().changeEvent(event)


class ResponsiveRow(QWidget):
    """Children side by side when the row is at least `breakpoint` text lines wide (and they
    fit), else stacked. Its least width is the stacked one, so it never forces the window wider
    than the screen."""

    arranged = Signal(bool)  # True when the parts are now stacked

    def __init__(self, breakpoint: float, gap: str = "l", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.breakpoint = breakpoint
        self.box: QBoxLayout = hbox(self, gap=gap)
        self._stretches: list[int] = []

    def add(self, widget: QWidget, stretch: int = 1) -> None:
        self.box.addWidget(widget, stretch)
        self._stretches.append(stretch)

    @property
    def stacked(self) -> bool:
        return self.box.direction() == QBoxLayout.Direction.TopToBottom

    def _children(self) -> list[QWidget]:
        found = (self.box.itemAt(i).widget() for i in range(self.box.count()))
        return [w for w in found if w is not None and not w.isHidden()]

    def minimumSizeHint(self) -> QSize:
        children = self._children()
        if not children:
            return QSize(0, 0)
        width = max(c.minimumSizeHint().width() for c in children)
        return QSize(width, super().minimumSizeHint().height())

    def _side_by_side_fits(self, width: int) -> bool:
        em = QFontMetrics(self.font()).height()
        children = self._children()
        needed = sum(max(c.minimumSizeHint().width(), c.minimumWidth()) for c in children)
        needed += self.box.spacing() * max(0, len(children) - 1)
        return width >= self.breakpoint * em and width >= needed

    def resizeEvent(self, event: QResizeEvent) -> None:
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if self._side_by_side_fits(event.size().width())
            else QBoxLayout.Direction.TopToBottom
        )
        if self.box.direction() != wanted:
            self.box.setDirection(wanted)
            stacked = wanted is QBoxLayout.Direction.TopToBottom
            for index, stretch in enumerate(self._stretches):
                self.box.setStretch(index, 0 if stacked else stretch)
            self.updateGeometry()
            self.arranged.emit(stacked)
        super().resizeEvent(event)


class Screen(QWidget):
    """A screen: `title` and `lead` at the top of `body` (which scrolls when it must),
    `notices` that stay in view above the footer, and `actions`, the footer's row of buttons
    (secondary ones left, the primary one right). Body and footer keep to a column `chars`
    characters wide, centred, so a wide screen frames the content instead of stretching it."""

    def __init__(
        self, title: str, lead: str = "", parent: QWidget | None = None, *, chars: int = 150
    ) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.column = Measure(chars, gap="l", margin=("xl", "l"))
        self.column.setObjectName("scrollBody")
        self.body: QVBoxLayout = self.column.column
        self.title = label(title, "title", title)
        self.lead = label(lead, "lead", "Instructions")
        self.lead.setVisible(bool(lead))
        self.body.addWidget(self.title)
        self.body.addWidget(self.lead)
        self.scroll.setWidget(self.column)
        outer.addWidget(self.scroll, 1)
        #: Above the footer, never scrolled away: confirmations and what needs acting on now.
        self.notice_column = Measure(chars, gap="s", margin=("xl", "xs"))
        self.notices: QVBoxLayout = self.notice_column.column
        outer.addWidget(self.notice_column)
        self.footer = QFrame()
        self.footer.setProperty("role", "footer")
        self.footer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        bar = QHBoxLayout(self.footer)
        bar.setContentsMargins(0, 0, 0, 0)
        self.action_column = Measure(chars, gap="m", margin=("xl", "m"))
        bar.addWidget(self.action_column)
        self.actions: QHBoxLayout = hbox(gap="m")
        self.action_column.column.addLayout(self.actions)
        outer.addWidget(self.footer)

    def set_title(self, title: str, lead: str | None = None) -> None:
        self.title.setText(title)
        self.title.setAccessibleName(title)
        if lead is not None:
            self.lead.setText(lead)
            self.lead.setVisible(bool(lead))


__all__ = ["Measure", "ResponsiveRow", "Screen"]
