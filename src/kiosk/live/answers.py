"""Where each answer's audio comes from: the microphone, or recordings for a headless run."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from kiosk.domain.model import Question
from speech import AudioSource, FileSource, MicrophoneSource


class AnswerAudio(Protocol):
    def open(self, question: Question) -> AudioSource:
        """A fresh source for the answer to `question`; closing it ends the answer."""
        ...


class MicrophoneAnswers:
    def __init__(self, device: int | str | None = None) -> None:
        self._device = device

    def open(self, question: Question) -> AudioSource:
        return MicrophoneSource(self._device)


class RecordedAnswers:
    """Recorded answers chosen by the question's text, as a scripted candidate would answer."""

    def __init__(
        self, by_question: Mapping[str, Path], fallback: Path, *, realtime: bool = False
    ) -> None:
        self._by_question = {_key(text): path for text, path in by_question.items()}
        self._fallback = fallback
        self._realtime = realtime

    def open(self, question: Question) -> AudioSource:
        path = self._by_question.get(_key(question.text), self._fallback)
        return FileSource(path, realtime=self._realtime)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()
