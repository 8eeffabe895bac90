"""Consent and instructions: what is recorded, why, for how long, who sees it; then a choice.

Biometric processing (the face match and the camera proctoring) needs its own explicit consent,
so Continue stays disabled until that box is ticked. Consent is stored before the screen moves
on: the notice's version, a hash of the exact words shown, and the time. Declining is a real
outcome that ends the session, so it is asked twice: the candidate confirms, and the refusal is
recorded with the words they refused.
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
from kiosk.domain.model import InterviewSession
from ui.context import KioskContext
from ui.widgets import button, heading, paragraph


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
        self.decline.clicked.connect(self._ask_to_confirm_decline)
        row.addWidget(self.decline)
        row.addStretch(1)
        row.addWidget(self.accept)
        layout.addLayout(row)
        self.confirm_box = QWidget()
        self.confirm_box.setAccessibleName("Confirm that you do not agree")
        confirm = QVBoxLayout(self.confirm_box)
        confirm.addWidget(
            paragraph(
                "If you do not agree, the interview cannot take place and this session ends. "
                "Are you sure?",
                "Decline confirmation",
            )
        )
        confirm_row = QHBoxLayout()
        self.back = button("&Go back to the notice", "Go back to the notice")
        self.back.clicked.connect(self._withdraw_decline)
        self.confirm_decline = button("&Yes, end the session", "Yes, end the session")
        self.confirm_decline.clicked.connect(self._decline)
        confirm_row.addWidget(self.back)
        confirm_row.addStretch(1)
        confirm_row.addWidget(self.confirm_decline)
        confirm.addLayout(confirm_row)
        self.confirm_box.hide()
        layout.addWidget(self.confirm_box)
        self.message = paragraph("", "Consent message")
        layout.addWidget(self.message)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self.notice.setText(consent_notice(session.settings, session.data_policy))
        self.consent.setChecked(False)
        self.message.setText("")
        self._withdraw_decline()

    def shown_text(self) -> str:
        """The words the candidate agreed to, exactly as shown (the box without its mnemonic)."""
        return f"{self.notice.text()}\n\n{self.consent.text().replace('&', '')}"

    def _accept(self) -> None:
        assert self._session is not None
        self.accept.setEnabled(False)
        self.decline.setEnabled(False)
        context = self._context
        context.ops.run(
            context.core.service.record_consent,
            self._session.session_id,
            notice_version=NOTICE_VERSION,
            notice_sha256=notice_sha256(self.shown_text()),
            done=self._consented,
            failed=self._not_stored,
        )

    def _consented(self, _stored: Consent) -> None:
        assert self._session is not None  # its state is unchanged: consent is no lifecycle step
        self.decline.setEnabled(True)
        self.advanced.emit(self._session)

    def _not_stored(self, error: Exception) -> None:
        self.accept.setEnabled(self.consent.isChecked())
        self.decline.setEnabled(True)
        self.message.setText(f"Could not record your choice: {error}. Please call the invigilator.")

    def _ask_to_confirm_decline(self) -> None:
        self.decline.setEnabled(False)
        self.accept.setEnabled(False)
        self.confirm_box.show()
        self.back.setFocus()

    def _withdraw_decline(self) -> None:
        self.confirm_box.hide()
        self.decline.setEnabled(True)
        self.accept.setEnabled(self.consent.isChecked())

    def _decline(self) -> None:
        assert self._session is not None
        self.confirm_decline.setEnabled(False)
        self.back.setEnabled(False)
        context = self._context
        context.ops.run(
            context.core.service.refuse_consent,
            self._session.session_id,
            notice_version=NOTICE_VERSION,
            notice_sha256=notice_sha256(self.shown_text()),
            done=self._declined,
            failed=self._decline_not_stored,
        )

    def _declined(self, session: InterviewSession) -> None:
        self.confirm_decline.setEnabled(True)
        self.back.setEnabled(True)
        self.advanced.emit(session)

    def _decline_not_stored(self, error: Exception) -> None:
        self.confirm_decline.setEnabled(True)
        self.back.setEnabled(True)
        self.message.setText(f"Could not record your choice: {error}. Please call the invigilator.")
