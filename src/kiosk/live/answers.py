"""Where each answer's audio comes from: the microphone, or recordings for a headless run.

An answer source may also offer `open_quiet`: the same input while the question is read aloud,
for audio proctoring (speech heard while the candidate should be listening). It is a separate
protocol because only a source that can hear the room apart from the kiosk's own voice has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.domain.model import Question
from speech import AudioSource, FileSource, MicrophoneSource


class AnswerAudio(Protocol):
    def open(self, question: Question) -> AudioSource:
        """A fresh source for the answer to `question`; closing it ends the answer."""
        ...


@runtime_checkable
class QuietAudio(Protocol):
    def open_quiet(self, question: Question) -> AudioSource | None:
        """A fresh source for the time `question` is read aloud (closing it ends the window);
        None when there is nothing to listen to."""
        ...


class MicrophoneAnswers:
    def __init__(self, device: int | str | None = None) -> None:
        self._device = device

    def open(self, question: Question) -> AudioSource:
        return MicrophoneSource(self._device)

    def open_quiet(self, question: Question) -> AudioSource:
        return MicrophoneSource(self._device)


class RecordedAnswers:
    """Recorded answers chosen by the question's text, as a scripted candidate would answer.

    `quiet_by_question` gives, per question text, what the microphone heard while the question
    was read. It is always played at the speed of speech: it stands in for a microphone during
    a window that lasts as long as the voice speaks, and the window's end cuts it off.
    """

    def __init__(
        self,
        by_question: Mapping[str, Path],
        fallback: Path,
        *,
        realtime: bool = False,
        quiet_by_question: Mapping[str, Path] | None = None,
    ) -> None:
        self._by_question = {_key(text): path for text, path in by_question.items()}
        self._fallback = fallback
        self._realtime = realtime
        self._quiet = {_key(text): path for text, path in (quiet_by_question or {}).items()}

    def open(self, question: Question) -> AudioSource:
        path = self._by_question.get(_key(question.text), self._fallback)
        return FileSource(path, realtime=self._realtime)

    def open_quiet(self, question: Question) -> AudioSource | None:
        path = self._quiet.get(_key(question.text))
        return None if path is None else FileSource(path, realtime=True)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
