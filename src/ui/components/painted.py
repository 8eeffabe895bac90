"""Widgets that paint themselves from the theme in force: where the candidate is in the check-in
(the step indicator), how long is left (the countdown ring), whether a check has passed (the
status mark) and that the interview is over (the completion mark).

Each reads its colours and fonts from `ui.theme` when it paints, so a change of theme (high
contrast, a larger text size) reaches it with the rest of the screen, and each carries an
accessible name that says in words what it shows.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui import theme

#: The candidate's way through the kiosk, as the step indicator names it.
STEPS = ("Consent", "Identity", "Devices", "Interview", "Done")


_TOP_CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop


def _on_mark() -> QColor:
    """The colour of a tick or a cross drawn on a filled mark."""
    return theme.colour("on_primary" if theme.current().high_contrast else "surface")


def _tick(painter: QPainter, box: QRectF, width: float) -> None:
    path = QPainterPath()
    path.moveTo(box.left() + box.width() * 0.26, box.top() + box.height() * 0.53)
    path.lineTo(box.left() + box.width() * 0.43, box.top() + box.height() * 0.70)
    path.lineTo(box.left() + box.width() * 0.75, box.top() + box.height() * 0.33)
    pen = QPen(painter.pen().color(), width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawPath(path)


class StepIndicator(QWidget):
    """Numbered steps joined by a line; done ones ticked, the current one ringed and named.
    When the names do not all fit (a narrow window, a large text size), only the current one
    is written: the numbers still show where the candidate is."""

    def __init__(self, steps: tuple[str, ...] = STEPS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.steps = steps
        self.current = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.set_current(0)

    def set_current(self, index: int) -> None:
        self.current = index
        name = self.steps[index]
        self.setAccessibleName(f"Step {index + 1} of {len(self.steps)}: {name}")
        self.update()

    def _fonts(self) -> tuple[QFont, QFont]:
        return theme.font("small", weight=QFont.Weight.DemiBold), theme.font(
            "body", weight=QFont.Weight.DemiBold
        )

    def _diameter(self) -> int:
        return round(QFontMetrics(self._fonts()[0]).height() * 1.9)

    def sizeHint(self) -> QSize:
        labels = QFontMetrics(self._fonts()[1])
        width = sum(labels.horizontalAdvance(s) for s in self.steps) + len(self.steps) * 48
        return QSize(width, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:
        labels = QFontMetrics(self._fonts()[1])
        height = self._diameter() + labels.height() + theme.current().space("s") * 2
        return QSize(len(self.steps) * (self._diameter() + 8), height)

    def labels_fit(self, width: int | None = None) -> bool:
        """Whether every step's name fits under its number at this width."""
        slot = (width if width is not None else self.width()) / len(self.steps)
        labels = QFontMetrics(self._fonts()[1])
        return all(labels.horizontalAdvance(s) + 12 <= slot for s in self.steps)

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        number_font, label_font = self._fonts()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        d = self._diameter()
        slot = self.width() / len(self.steps)
        top = theme.current().space("s") / 2
        centres = [QPointF(slot * (i + 0.5), top + d / 2) for i in range(len(self.steps))]
        done, line = theme.colour("primary"), theme.colour("border_strong")
        for i in range(len(self.steps) - 1):  # the path between the steps
            painter.setPen(QPen(done if i < self.current else line, 3))
            painter.drawLine(
                QPointF(centres[i].x() + d / 2 + 4, centres[i].y()),
                QPointF(centres[i + 1].x() - d / 2 - 4, centres[i + 1].y()),
            )
        every_label = self.labels_fit()
        for i, (name, centre) in enumerate(zip(self.steps, centres, strict=True)):
            circle = QRectF(centre.x() - d / 2, centre.y() - d / 2, d, d)
            if i < self.current:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(done)
                painter.drawEllipse(circle)
                painter.setPen(theme.colour("on_primary"))
                _tick(painter, circle, max(2.0, d / 10))
            else:
                current = i == self.current
                painter.setBrush(theme.colour("primary") if current else theme.colour("surface"))
                painter.setPen(QPen(done if current else line, 2))
                painter.drawEllipse(circle)
                painter.setFont(number_font)
                painter.setPen(theme.colour("on_primary" if current else "text_muted"))
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(i + 1))
            if every_label or i == self.current:
                painter.setFont(label_font)
                painter.setPen(
                    theme.colour("heading") if i == self.current else theme.colour("text_muted")
                )
                below = QRectF(
                    centre.x() - slot, circle.bottom() + 4, slot * 2, self.height() - d - top
                )
                painter.drawText(below, _TOP_CENTRE, name)
        painter.end()


class Mark(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class StatusMark(QWidget):
    """A round mark beside a check: an empty ring while waiting, a tick once passed, a cross
    when it failed."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self.mark = Mark.PENDING
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_mark(Mark.PENDING)

    def set_mark(self, mark: Mark) -> None:
        self.mark = mark
        words = {Mark.PENDING: "waiting", Mark.PASSED: "passed", Mark.FAILED: "needs attention"}
        self.setAccessibleName(f"{self._name}: {words[mark]}")
        self.update()

    def sizeHint(self) -> QSize:
        side = round(QFontMetrics(theme.font("body")).height() * 1.5)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 4
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        if self.mark is Mark.PENDING:
            painter.setPen(QPen(theme.colour("border_strong"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box)
        else:
            passed = self.mark is Mark.PASSED
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.colour("success" if passed else "danger"))
            painter.drawEllipse(box)
            painter.setPen(_on_mark())
            if passed:
                _tick(painter, box, max(2.0, side / 9))
            else:
                pen = QPen(painter.pen().color(), max(2.0, side / 9))
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                inset = side * 0.32
                inner = box.adjusted(inset, inset, -inset, -inset)
                painter.drawLine(inner.topLeft(), inner.bottomRight())
                painter.drawLine(inner.topRight(), inner.bottomLeft())
        painter.end()


class CountdownRing(QWidget):
    """The time left to answer, large, inside a ring that empties as it runs out. It only shows
    what it is told: the clock is the conductor's (`kiosk.live.view.InterviewView`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seconds_left: int | None = None
        self.limit = 0
        self.running = False
        self.caption = "time left"
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Time left")

    @property
    def text(self) -> str:
        left = self.seconds_left
        return "–:––" if left is None else f"{left // 60}:{left % 60:02d}"

    def show_time(
        self, seconds_left: int | None, limit: float, running: bool, caption: str
    ) -> None:
        self.seconds_left, self.limit = seconds_left, round(limit)
        self.running, self.caption = running, caption
        spoken = self.text.replace("–:––", "not started")
        self.setAccessibleName(f"Time left: {spoken}, {caption}")
        self.update()

    def sizeHint(self) -> QSize:
        digits = QFontMetrics(theme.font("timer", weight=QFont.Weight.Bold))
        side = round(max(digits.horizontalAdvance("00:00") * 1.45, digits.height() * 2.6))
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    @property
    def low(self) -> bool:
        return self.running and self.seconds_left is not None and self.seconds_left <= 30

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height())
        stroke = max(6.0, side / 16)
        ring = QRectF(
            (self.width() - side) / 2 + stroke / 2,
            (self.height() - side) / 2 + stroke / 2,
            side - stroke,
            side - stroke,
        )
        painter.setPen(QPen(theme.colour("subtle"), stroke))
        painter.drawEllipse(ring)
        if self.seconds_left is not None and self.limit > 0:
            share = max(0.0, min(1.0, self.seconds_left / self.limit))
            colour = theme.colour("warning" if self.low else "primary")
            if not self.running:
                colour = theme.colour("border_strong")
            pen = QPen(colour, stroke)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawArc(ring, 90 * 16, round(-share * 360 * 16))
        painter.setPen(theme.colour("warning" if self.low else "heading"))
        painter.setFont(theme.font("timer", weight=QFont.Weight.Bold))
        digits = QFontMetrics(painter.font())
        middle = ring.center().y()
        painter.drawText(
            QRectF(ring.left(), middle - digits.height() * 0.7, ring.width(), digits.height()),
            Qt.AlignmentFlag.AlignCenter,
            self.text,
        )
        painter.setFont(theme.font("small", weight=QFont.Weight.DemiBold))
        painter.setPen(theme.colour("text_muted"))
        painter.drawText(
            QRectF(ring.left(), middle + digits.height() * 0.3, ring.width(), digits.height()),
            _TOP_CENTRE,
            self.caption,
        )
        painter.end()


class CompletionMark(QWidget):
    """A large mark in a circle: a tick when the interview is complete, an "i" when it ended
    otherwise (nothing went wrong that the candidate must fix; someone will explain)."""

    def __init__(self, name: str = "Finished", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(name)
        self.tone = "success"
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_complete(self, complete: bool) -> None:
        self.tone = "success" if complete else "primary"
        self.setAccessibleName("Interview complete" if complete else "Information")
        self.update()

    def sizeHint(self) -> QSize:
        side = round(QFontMetrics(theme.font("hero")).height() * 2.2)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 4
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.colour(self.tone))
        painter.drawEllipse(box)
        painter.setPen(_on_mark())
        if self.tone == "success":
            _tick(painter, box, side / 11)
        else:
            painter.setFont(theme.font("hero", weight=QFont.Weight.Bold))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "i")
        painter.end()


__all__ = ["STEPS", "CompletionMark", "CountdownRing", "Mark", "StatusMark", "StepIndicator"]
