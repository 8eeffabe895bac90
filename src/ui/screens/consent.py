"""Consent and instructions: what is recorded, why, for how long, who sees it; then a choice.

Biometric processing (the face match and the camera proctoring) needs its own explicit consent,
so Continue stays disabled until that box is ticked. Consent is stored before the screen moves
on: the notice's version, a hash of the exact words shown, the biometric choice, and the time.
Declining is a real outcome, recorded as an aborted session with the reason "consent declined",
and ends the session politely.
"""

from __future__ import annotations

import hashlib

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.domain.consent import Consent
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import InterviewSession
from ui.context import KioskContext
from ui.widgets import button, heading, paragraph
from ui.workers import submit

#: Which wording the candidate agreed to: bump it whenever NOTICE or the consent box changes.
NOTICE_VERSION = "1"
NOTICE = (
    "What is recorded: your voice answers and their transcripts, pictures of your ID card and "
    "your face for the identity check, and camera observations during the interview (for "
    "example, when no face or a second person is visible), with a still picture as evidence.\n\n"
    "Why: to assess your answers fairly and to confirm that the interview was taken by you, "
    "alone, under the test centre's rules.\n\n"
    "Who sees it: the hiring team for this role and, if a flag is raised, a reviewer. An "
    "automatic score is only a first view: people make every decision.\n\n"
    "How long: recordings are kept for as long as the employer's privacy notice states, then "
    "deleted. Ask the invigilator for a copy of that notice.\n\n"
    "How it works: {count} questions are read aloud and shown on screen. You answer by speaking "
    "and have {minutes} per answer{extra}. Press Done when you have finished an answer. Captions "
    "of what you say are shown as you speak. You may ask the help panel to repeat or rephrase a "
    "question; it cannot give hints."
)


class ConsentScreen(QWidget):
    advanced = Signal(object)  # InterviewSession, after the step is stored

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._session: InterviewSession | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Before we start"))
        self.notice = paragraph("", "What is recorded and why")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.notice)
        scroll.setAccessibleName("Recording notice")
        layout.addWidget(scroll, 1)
        self.consent = QCheckBox(
            "I &agree to the use of my face and voice (biometric data) for identity checks and "
            "proctoring, as described above."
        )
        self.consent.setAccessibleName("Biometric consent")
        self.consent.toggled.connect(lambda ticked: self.accept.setEnabled(ticked))
        layout.addWidget(self.consent)
        row = QHBoxLayout()
        self.accept = button("&Continue", "Continue with consent")
        self.accept.setEnabled(False)
        self.accept.clicked.connect(self._accept)
        self.decline = button("I do &not agree", "Decline consent")
        self.decline.clicked.connect(self._decline)
        row.addWidget(self.decline)
        row.addStretch(1)
        row.addWidget(self.accept)
        layout.addLayout(row)
        self.message = paragraph("", "Consent message")
        layout.addWidget(self.message)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        settings = session.settings
        seconds = settings.answer_seconds()
        extra = (
            f" (this includes your agreed extra time of {settings.extra_time_percent}%)"
            if settings.extra_time_percent
            else ""
        )
        self.notice.setText(
            NOTICE.format(
                count=settings.question_count,
                minutes=f"{seconds // 60} min {seconds % 60:02d} s",
                extra=extra,
            )
        )
        self.consent.setChecked(False)
        self.message.setText("")

    def shown_text(self) -> str:
        """The words the candidate agreed to, exactly as shown (the box without its mnemonic)."""
        return f"{self.notice.text()}\n\n{self.consent.text().replace('&', '')}"

    def _accept(self) -> None:
        assert self._session is not None
        self.accept.setEnabled(False)
        self.decline.setEnabled(False)
        context = self._context
        submit(
            context.writer.call,
            context.service.record_consent,
            self._session.session_id,
            notice_version=NOTICE_VERSION,
            notice_sha256=hashlib.sha256(self.shown_text().encode()).hexdigest(),
            biometric=self.consent.isChecked(),
            done=self._consented,
            failed=self._not_stored,
        )

    def _consented(self, _stored: Consent) -> None:
        assert self._session is not None  # its state is unchanged: consent is a history note
        self.decline.setEnabled(True)
        self.advanced.emit(self._session)

    def _not_stored(self, error: Exception) -> None:
        self.accept.setEnabled(self.consent.isChecked())
        self.decline.setEnabled(True)
        self.message.setText(f"Could not record your choice: {error}. Please call the invigilator.")

    def _decline(self) -> None:
        assert self._session is not None
        self.decline.setEnabled(False)
        context = self._context
        submit(
            context.writer.call,
            context.service.advance,
            self._session.session_id,
            SessionState.ABORTED,
            "consent declined",
            done=self._declined,
            failed=lambda error: self.message.setText(f"Could not record the choice: {error}"),
        )

    def _declined(self, session: InterviewSession) -> None:
        self.decline.setEnabled(True)
        self.advanced.emit(session)
