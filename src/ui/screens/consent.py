"""Consent and instructions: what is recorded, why, for how long, who sees it; then a choice.

Biometric processing (the face match and the camera proctoring) needs its own explicit consent,
so Continue stays disabled until that box is ticked. Consent is stored before the screen moves
on: the notice's version, a hash of the exact words shown, the biometric choice, and the time.
Declining is a real outcome, recorded as an aborted session with the reason "consent declined",
and ends the session politely.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from kiosk.domain.consent import (
    BIOMETRIC_STATEMENT,
    NOTICE_VERSION,
    Consent,
    consent_notice,
    notice_sha256,
)
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import InterviewSession
from ui.context import KioskContext
from ui.widgets import button, heading, paragraph
from ui.workers import submit


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
        self.consent = QCheckBox(BIOMETRIC_STATEMENT.replace("agree", "&agree", 1))
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
        self.notice.setText(consent_notice(session.settings))
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
            notice_sha256=notice_sha256(self.shown_text()),
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
