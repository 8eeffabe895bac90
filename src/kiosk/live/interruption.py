"""Stopping an interview the way a power cut would, when the kiosk shuts down mid-answer.

The half-given answer is not saved and the resumed interview asks the same question again; this
is not the Done button (which keeps the answer).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from kiosk.domain.model import Question
from kiosk.live.answers import AnswerAudio, QuietAudio
from speech import AudioSource


class InterviewInterrupted(Exception):
    """The kiosk was shut down mid-answer: the answer is dropped, the question asked again."""


class InterruptibleAnswers:
    """Answer audio that the kiosk can cut off when it shuts down.

    Shutting the kiosk down mid-answer must behave like a power cut, not like the Done button:
    the half-given answer is not saved, and the resumed interview asks the same question again.
    `interrupt()` makes the source raise `InterviewInterrupted` at its next block, which ends the
    conductor's run without touching the session's state.
    """

    def __init__(self, inner: AnswerAudio) -> None:
        self._inner = inner
        self._interrupted = threading.Event()

    def open(self, question: Question) -> AudioSource:
        return _Interruptible(self._inner.open(question), self._interrupted)

    def open_quiet(self, question: Question) -> AudioSource | None:
        """The inner source's audio while the question is read, for audio proctoring.

        Passed through as it is: it is read on the proctoring listener's own thread, where
        `InterviewInterrupted` would end that thread instead of the interview.
        """
        if not isinstance(self._inner, QuietAudio):
            return None
        return self._inner.open_quiet(question)

    def interrupt(self) -> None:
        self._interrupted.set()


class _Interruptible:
    def __init__(self, source: AudioSource, interrupted: threading.Event) -> None:
        self._source = source
        self._interrupted = interrupted

    def __iter__(self) -> Iterator[np.ndarray]:
        for block in self._source:
            if self._interrupted.is_set():
                raise InterviewInterrupted("the kiosk shut down during the answer")
            yield block
        if self._interrupted.is_set():
            raise InterviewInterrupted("the kiosk shut down during the answer")

    def close(self) -> None:
        self._source.close()
