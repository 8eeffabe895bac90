"""The end: thanks, and what happens next; never a score (people decide, later).

The invigilator, not the candidate, starts the next session from here (with the PIN), and the
kiosk returns to the standard look for whoever comes next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.domain.model import InterviewSession
from ui.components.basics import Card, button, label
from ui.components.layout import hbox, vbox
from ui.components.page import Screen
from ui.components.painted import CompletionMark

COMPLETED = "Your interview is complete and your answers have been saved."
NEXT_STEPS = (
    "Your answers are sent securely to {organisation}.",
    "The hiring team reviews them. People make every decision; this kiosk shows no results.",
    "{organisation} will contact you about the next steps.",
)
ENDED = (
    "The interview has ended: {reason}. Thank you for your time.\n\n"
    "Please speak to the invigilator, who will explain what happens next."
)
DECLINED = (
    "You have chosen not to take part. That is entirely your choice, and it has been noted.\n\n"
    "Nothing has been recorded. Please speak to the invigilator, who will explain your options."
)
FINALLY = "Please let the invigilator know that you have finished. You may now leave the desk."


class CompletionScreen(Screen):
    next_session = Signal()  # the invigilator asks to start the next session

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Thank you", "", parent, chars=76)
        self.body.removeWidget(self.title)
        top = QWidget()
        top_row = hbox(top, gap="l")
        self.mark = CompletionMark()
        top_row.addWidget(self.mark, 0, Qt.AlignmentFlag.AlignTop)
        words = QWidget()
        word_column = vbox(words, gap="s")
        self.title.setProperty("role", "hero")
        word_column.addWidget(self.title)
        self.message = label("", "lead", "What happens next")
        word_column.addWidget(self.message)
        top_row.addWidget(words, 1)
        self.body.addWidget(top)
        self.next_card = Card("What happens next", name="What happens next")
        self.steps = [label("", "body", f"Next step {i + 1}") for i in range(len(NEXT_STEPS))]
        for step in self.steps:
            self.next_card.body.addWidget(step)
        self.body.addWidget(self.next_card)
        self.closing = Card(tone="info", name="Before you go")
        self.closing.body.addWidget(label(FINALLY, "strong", "Before you go"))
        self.body.addWidget(self.closing)
        self.body.addStretch(1)
        self.next = button(
            "Invigilator: start the ne&xt session", "Invigilator: start the next session", "quiet"
        )
        self.next.clicked.connect(self.next_session)
        self.actions.addStretch(1)
        self.actions.addWidget(self.next)

    def show_completed(
        self, session: InterviewSession | None = None, organisation: str = ""
    ) -> None:
        first = session.candidate.full_name.split()[0] if session is not None else ""
        self.mark.set_complete(True)
        self.title.setText(f"Thank you, {first}" if first else "Thank you")
        self.message.setText(COMPLETED)
        who = organisation or "the employer"
        for index, (step, text) in enumerate(zip(self.steps, NEXT_STEPS, strict=True)):
            words = text.format(organisation=who)
            step.setText(f"{index + 1}.  {words[0].upper()}{words[1:]}")
        self.next_card.show()
        self.closing.show()

    def show_declined(self) -> None:
        self.mark.set_complete(False)
        self.title.setText("Thank you")
        self.message.setText(DECLINED)
        self.next_card.hide()
        self.closing.hide()

    def show_ended(self, reason: str) -> None:
        self.mark.set_complete(False)
        self.title.setText("The interview has ended")
        self.message.setText(ENDED.format(reason=reason))
        self.next_card.hide()
        self.closing.hide()
