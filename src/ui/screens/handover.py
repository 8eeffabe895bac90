"""The invigilator hands the kiosk to the candidate: whose session it is, and the candidate's
accessibility, which the invigilator may adjust with them before the first candidate screen.

HR set the accessibility in the session (text size, contrast, captions, extra time); this
screen shows it and lets the invigilator change it with the candidate there, seeing the effect
at once (text size and contrast apply as they are chosen). Handing over stores a change through
`SessionService.set_accessibility`, which keeps it in the session's history with who made it.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.domain.accessibility import FONT_SCALES, MAX_EXTRA_TIME_PERCENT, Accessibility
from kiosk.domain.model import InterviewSession
from ui.components.basics import Card, button, label
from ui.components.controls import ChoiceGroup, Stepper
from ui.components.page import ResponsiveRow, Screen
from ui.context import KioskContext

#: Who an adjustment is recorded as made by (the PIN was given; no name is asked here).
BY = "the invigilator"


class HandoverScreen(Screen):
    preview = Signal(object)  # Accessibility: show the candidate this look now
    handed_over = Signal(object)  # InterviewSession, with its accessibility stored
    cancelled = Signal()

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Ready for the candidate",
            "Check the candidate's accessibility with them, then hand over the kiosk.",
            parent,
        )
        self._context = context
        self._session: InterviewSession | None = None
        self._ready = False  # the controls show the session's settings
        row = ResponsiveRow(breakpoint=52)
        who = Card("Session", name="Session")
        self.candidate = label("", "title", "Candidate")
        self.job = label("", "lead", "Role")
        self.plan = label("", "body", "The interview")
        self.key = label("", "small", "Session key")
        for part in (self.candidate, self.job, self.plan, self.key):
            who.body.addWidget(part)
        who.body.addStretch(1)
        row.add(who, 2)
        access = Card("Accessibility", name="Accessibility for this candidate")
        grid = QGridLayout()
        grid.setVerticalSpacing(12)
        grid.setHorizontalSpacing(16)
        self.font_scale = ChoiceGroup(
            "Text size", [(f"{scale:.0%}", scale) for scale in FONT_SCALES]
        )
        self.contrast = ChoiceGroup("Contrast", [("Standard", False), ("High", True)])
        self.captions = ChoiceGroup("Captions", [("On", True), ("Off", False)])
        self.extra_time = Stepper(
            "Extra time per answer", 0, MAX_EXTRA_TIME_PERCENT, 5, unit=lambda v: f"+{v}%"
        )
        for line, (name, control) in enumerate(
            (
                ("Text size", self.font_scale),
                ("Contrast", self.contrast),
                ("Live captions", self.captions),
                ("Extra time", self.extra_time),
            )
        ):
            grid.addWidget(label(name, "strong", name), line * 2, 0)
            grid.addWidget(control, line * 2 + 1, 0)
        access.body.addLayout(grid)
        self.source = label("", "small", "Where these settings come from")
        access.body.addWidget(self.source)
        row.add(access, 3)
        self.body.addWidget(row)
        self.message = label("", "error", "Handover message")
        self.message.hide()
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        for control in (self.font_scale, self.contrast, self.captions):
            control.changed.connect(lambda _value: self._changed())
        self.extra_time.valueChanged.connect(lambda _value: self._changed())
        self.cancel = button("&Cancel", "Cancel and go back to the start", "secondary")
        self.cancel.clicked.connect(self.cancelled)
        self.proceed = button("&Hand over to the candidate", "", "primary")
        self.proceed.clicked.connect(self._hand_over)
        self.actions.addWidget(self.cancel)
        self.actions.addStretch(1)
        self.actions.addWidget(self.proceed)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self._ready = False
        self.candidate.setText(session.candidate.full_name)
        self.job.setText(session.job.title)
        self.key.setText(f"Session key {session.session_key}")
        self._show_plan(session)
        chosen = Accessibility.of(session.settings)
        self.font_scale.set_value(chosen.font_scale)
        self.contrast.set_value(chosen.high_contrast)
        self.captions.set_value(chosen.captions)
        self.extra_time.setValue(chosen.extra_time_percent)
        self._ready = True
        self._show_plan(session)
        self.source.setText("As HR set them for this session. Changes are recorded.")
        self.message.hide()
        self.proceed.setEnabled(True)

    def _show_plan(self, session: InterviewSession) -> None:
        settings = self.chosen().applied_to(session.settings) if self._ready else session.settings
        seconds = settings.answer_seconds()
        self.plan.setText(
            f"{settings.question_count} questions, {seconds // 60} min {seconds % 60:02d} s to "
            f"answer each"
        )

    def chosen(self) -> Accessibility:
        return Accessibility(
            font_scale=float(self.font_scale.value()),  # type: ignore[arg-type]
            high_contrast=bool(self.contrast.value()),
            captions=bool(self.captions.value()),
            extra_time_percent=self.extra_time.value(),
        )

    def _changed(self) -> None:
        if self._session is None or not self._ready:
            return
        self._show_plan(self._session)
        self.source.setText(
            "Changed here: stored with the session when you hand over."
            if self.chosen() != Accessibility.of(self._session.settings)
            else "As HR set them for this session. Changes are recorded."
        )
        self.preview.emit(self.chosen())

    def _hand_over(self) -> None:
        assert self._session is not None
        self.proceed.setEnabled(False)
        self._context.ops.run(
            self._context.core.service.set_accessibility,
            self._session.session_id,
            self.chosen(),
            by=BY,
            done=self._stored,
            failed=self._not_stored,
        )

    def _stored(self, session: InterviewSession) -> None:
        self._session = session
        self.proceed.setEnabled(True)
        self.handed_over.emit(session)

    def _not_stored(self, error: Exception) -> None:
        self.proceed.setEnabled(True)
        self.message.setText(f"The settings could not be stored: {error}")
        self.message.show()
