"""Consent and instructions: what is recorded, why, for how long, who sees it; then a choice.

Biometric processing (the face match and the camera proctoring) needs its own explicit consent,
so Continue stays disabled until that box is ticked. Consent is stored before the screen moves
on: the notice's version, a hash of the exact words shown, and the time. Declining is a real
outcome that ends the session, so it is asked twice: the candidate confirms, and the refusal is
recorded with the words they refused.

The notice is set in a readable column (about 70 characters a line) with each part's name in
bold; the words hashed are the notice's plain text, exactly as `kiosk.domain.consent` wrote it.
"""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QFrame, QScrollArea, QWidget

from kiosk.domain.consent import (
    BIOMETRIC_STATEMENT,
    NOTICE_VERSION,
    Consent,
    consent_notice,
    notice_sha256,
)
from kiosk.domain.model import InterviewSession
from ui.components.basics import Card, button, label
from ui.components.controls import ConfirmBar
from ui.components.layout import hbox
from ui.components.page import Screen
from ui.context import KioskContext

_log = logging.getLogger(__name__)

DECLINE_WARNING = (
    "If you do not agree, the interview cannot take place and this session ends. Are you sure?"
)


def notice_html(notice: str) -> str:
    """The notice as shown: each paragraph's lead-in ("What is recorded:") as a bold heading."""
    parts = []
    for paragraph in notice.split("\n\n"):
        head, sep, rest = paragraph.partition(": ")
        if sep and len(head) < 40:
            rest = rest[:1].upper() + rest[1:]
            parts.append(f"<p><b>{html.escape(head)}</b><br>{html.escape(rest)}</p>")
        else:
            parts.append(f"<p>{html.escape(paragraph)}</p>")
    return "".join(parts)


class _Statement(QFrame):
    """The biometric statement beside its box: clicking the words ticks the box too."""

    def __init__(self, box: QCheckBox) -> None:
        super().__init__()
        self._box = box
        row = hbox(self, gap="m")
        row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
        self.words = label(BIOMETRIC_STATEMENT, "strong", "Biometric consent statement")
        row.addWidget(self.words, 1)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._box.toggle()
        super().mousePressEvent(event)


class ConsentScreen(Screen):
    advanced = Signal(object)  # InterviewSession, after the step is stored

    def __init__(self, context: KioskContext, parent: QWidget | None = None) -> None:
        super().__init__(
            "Before we begin",
            "Please read how your interview works and what is recorded. Take your time.",
            parent,
            chars=84,
        )
        self._context = context
        self._session: InterviewSession | None = None
        self._notice = ""
        self.notice = label("", "body", "What is recorded and why", rich=True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        card = Card("How your interview works", name="Recording notice")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setAccessibleName("Recording notice")
        holder = QWidget()
        holder.setObjectName("scrollBody")
        inner = hbox(holder, gap="s")
        inner.addWidget(self.notice)
        scroll.setWidget(holder)
        scroll.setMinimumHeight(160)
        card.body.addWidget(scroll, 1)
        self.body.addWidget(card, 1)
        agree = Card(tone="info", name="Biometric consent")
        self.consent = QCheckBox()
        self.consent.setAccessibleName("Biometric consent")
        self.consent.setAccessibleDescription(BIOMETRIC_STATEMENT)
        self.consent.toggled.connect(lambda ticked: self.accept.setEnabled(ticked))
        self.statement = _Statement(self.consent)
        agree.body.addWidget(self.statement)
        self.body.addWidget(agree)
        self.confirm_box = ConfirmBar(
            "Confirm that you do not agree", "&Go back to the notice", "&Yes, end the session"
        )
        self.back = self.confirm_box.back
        self.confirm_decline = self.confirm_box.confirm
        self.back.clicked.connect(self._withdraw_decline)
        self.notices.addWidget(self.confirm_box)
        self.message = label("", "error", "Consent message")
        self.message.hide()
        self.notices.addWidget(self.message)
        self.decline = button("I do &not agree", "Decline consent", "secondary")
        self.decline.clicked.connect(self._ask_to_confirm_decline)
        self.accept = button("I agree, &continue", "Continue with consent", "primary")
        self.accept.setEnabled(False)
        self.accept.clicked.connect(self._accept)
        self.actions.addWidget(self.decline)
        self.actions.addStretch(1)
        self.actions.addWidget(self.accept)

    def begin(self, session: InterviewSession) -> None:
        self._session = session
        self._notice = consent_notice(session.settings, session.data_policy)
        self.notice.setText(notice_html(self._notice))
        self.consent.setChecked(False)
        self._say("")
        self._withdraw_decline()

    def notice_text(self) -> str:
        return self._notice

    def shown_text(self) -> str:
        """The words the candidate agreed to, exactly as shown: the notice and the statement."""
        return f"{self._notice}\n\n{self.statement.words.text()}"

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

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
        _log.warning("consent answer not stored: %s", error)  # the detail is for the log
        self._say("Your choice could not be saved. Please call the invigilator.")

    def _ask_to_confirm_decline(self) -> None:
        self.decline.setEnabled(False)
        self.accept.setEnabled(False)
        self.confirm_box.ask(DECLINE_WARNING, self._decline)

    def _withdraw_decline(self) -> None:
        self.confirm_box.withdraw()
        self.confirm_decline.setEnabled(True)
        self.back.setEnabled(True)
        self.decline.setEnabled(True)
        self.accept.setEnabled(self.consent.isChecked())

    def _decline(self) -> None:
        assert self._session is not None
        self.confirm_box.show()  # kept in view, its buttons off, while the refusal is stored
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
        self.confirm_box.withdraw()
        self.advanced.emit(session)

    def _decline_not_stored(self, error: Exception) -> None:
        self.confirm_decline.setEnabled(True)
        self.back.setEnabled(True)
        _log.warning("consent answer not stored: %s", error)  # the detail is for the log
        self._say("Your choice could not be saved. Please call the invigilator.")
