"""The end: thanks and what happens next; never a score (people decide, later)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.widgets import heading, paragraph

COMPLETED = (
    "Thank you for your time. Your interview is complete and your answers have been saved.\n\n"
    "What happens next: the hiring team reviews your answers. The employer will contact you "
    "about the next steps; this kiosk does not show results.\n\n"
    "Please let the invigilator know you have finished."
)
ENDED = (
    "The interview has ended. Thank you.\n\n"
    "Reason: {reason}\n\n"
    "Please speak to the invigilator, who will explain what happens next."
)
DECLINED = (
    "You have chosen not to take part. That is entirely your choice, and it has been noted.\n\n"
    "Nothing has been recorded. Please speak to the invigilator, who will explain your options."
)


class CompletionScreen(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = heading("Thank you")
        layout.addWidget(self.title)
        self.body = paragraph("", "What happens next")
        layout.addWidget(self.body)
        layout.addStretch(1)

    def show_completed(self) -> None:
        self.title.setText("Thank you")
        self.body.setText(COMPLETED)

    def show_declined(self) -> None:
        self.title.setText("Thank you")
        self.body.setText(DECLINED)

    def show_ended(self, reason: str) -> None:
        self.title.setText("The interview has ended")
        self.body.setText(ENDED.format(reason=reason))
