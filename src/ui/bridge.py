"""The one place core events cross into Qt: EventBus callbacks become queued Qt signals.

The conductor, the proctoring feed and the writer emit on their own threads; a widget may only be
touched on the GUI thread. The bridge subscribes to every event on the bus, queues it to the GUI
thread and re-emits it there as a signal named after its type, so the core never holds a widget
(napari's event model) and screens connect to typed signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot

from kiosk.bus import EventBus
from kiosk.domain.events import StateChanged
from kiosk.live.announcements import (
    AnswerSaved,
    AnswerScored,
    Caption,
    InterviewFinished,
    InterviewProblem,
    ProctoringFlag,
    Progress,
    QuestionAsked,
    QuestionSpoken,
)


class EventBridge(QObject):
    """Create on the GUI thread; `close()` unsubscribes from the bus."""

    stateChanged = Signal(object)
    questionAsked = Signal(object)
    questionSpoken = Signal(object)
    caption = Signal(object)
    answerSaved = Signal(object)
    answerScored = Signal(object)
    proctoringFlag = Signal(object)
    progress = Signal(object)
    interviewFinished = Signal(object)
    interviewProblem = Signal(object)
    #: Every event, before its typed signal: the screens' views fold it first, so a listener of
    #: a typed signal sees the screen as it now is.
    anyEvent = Signal(object)
    _received = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._by_type: dict[type, Signal] = {
            StateChanged: self.stateChanged,
            QuestionAsked: self.questionAsked,
            QuestionSpoken: self.questionSpoken,
            Caption: self.caption,
            AnswerSaved: self.answerSaved,
            AnswerScored: self.answerScored,
            ProctoringFlag: self.proctoringFlag,
            Progress: self.progress,
            InterviewFinished: self.interviewFinished,
            InterviewProblem: self.interviewProblem,
        }
        # Queued even when the emitter is the GUI thread: a subscriber never runs inside emit().
        self._received.connect(self._dispatch, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe(object, self._received.emit)

    @Slot(object)
    def _dispatch(self, event: object) -> None:
        self.anyEvent.emit(event)
        signal = self._by_type.get(type(event))
        if signal is not None:
            signal.emit(event)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
