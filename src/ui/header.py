"""The band at the top of every screen: who the interview is for (the organisation's logo and
name from the session pack), for which role, for whom, and where the candidate is in the
check-in (Consent, Identity, Devices, Interview, Done).

A candidate who sees the organisation they applied to, the role and their own name knows they
are in the right place; an invigilator's screen says so instead, with no steps.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QWidget

from kiosk.domain.model import Branding, InterviewSession
from ui.components.basics import label
from ui.components.layout import hbox, vbox
from ui.components.page import Measure
from ui.components.painted import StepIndicator

PRODUCT = "Interview Kiosk"


class Header(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "header")
        self.setAccessibleName("Header")
        # its natural height when there is room; less (the role wraps tighter) when a large
        # text size on a small screen needs the room for the screen itself
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        frame = hbox(self, gap="s")
        centred = Measure(150, gap="s", margin=("xl", "m"))
        frame.addWidget(centred)
        outer = centred.column
        row = hbox(gap="m")
        self.logo = QLabel()
        self.logo.setAccessibleName("Organisation logo")
        self.logo.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.logo.hide()
        self._logo: QPixmap | None = None
        row.addWidget(self.logo)
        names = vbox(gap="xs")
        self.organisation = label(PRODUCT, "subtitle", "Organisation")
        self.exam = label("", "small", "Interview")
        names.addWidget(self.organisation)
        names.addWidget(self.exam)
        row.addLayout(names, 1)
        self.person = label("", "strong", "Candidate")
        self.person.setWordWrap(False)  # a name is short: the organisation and role get the room
        self.person.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.person)
        outer.addLayout(row)
        self.steps = StepIndicator()
        outer.addWidget(self.steps)

    def show_invigilator(self, kiosk_id: str) -> None:
        """The invigilator's screens: the product, this kiosk, no steps."""
        self._set_logo(None)
        self.organisation.setText(PRODUCT)
        self.exam.setText(f"Invigilator · kiosk {kiosk_id}" if kiosk_id else "Invigilator")
        self.person.setText("")
        self.steps.hide()

    def show_session(self, session: InterviewSession, branding: Branding) -> None:
        """A candidate's screens: the organisation, the role, the candidate, the steps."""
        self._set_logo(branding.logo)
        self.organisation.setText(branding.organisation or PRODUCT)
        self.organisation.setAccessibleName(f"Organisation: {branding.organisation or PRODUCT}")
        self.exam.setText(f"Interview · {session.job.title}")
        self.person.setText(session.candidate.full_name)
        self.person.setAccessibleName(f"Candidate: {session.candidate.full_name}")

    def show_step(self, index: int | None) -> None:
        """Step `index` of the check-in is current; None hides the steps."""
        self.steps.setVisible(index is not None)
        if index is not None:
            self.steps.set_current(index)

    def _set_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data is None or not pixmap.loadFromData(data):
            self._logo = None
            self.logo.hide()
            return
        self._logo = pixmap
        self._scale_logo()
        self.logo.show()

    def _scale_logo(self) -> None:
        if self._logo is None:
            return
        # two lines of the names beside it, however they wrap: a wrapped role must not blow
        # the logo (and the header) up at a large text size
        lines = QFontMetrics(self.organisation.font()).height()
        lines += QFontMetrics(self.exam.font()).height()
        height = max(32, lines)
        smooth = Qt.TransformationMode.SmoothTransformation
        scaled = self._logo.scaledToHeight(height, smooth)
        if scaled.width() > height * 4:  # a very wide logo keeps to a sensible width
            scaled = self._logo.scaledToWidth(height * 4, smooth)
        self.logo.setPixmap(scaled)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._scale_logo()  # the text size changed: the logo follows the names beside it


__all__ = ["PRODUCT", "Header"]
