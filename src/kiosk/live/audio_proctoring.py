"""Audio proctoring in the live interview: no attempt, and speech while a question is read.

`speech.proctoring` computes the signals from VAD speech regions on whatever clock it is given.
This module puts them on the proctoring media clock (`ProctorSession.now()` when the audio began,
plus offsets within that audio) and reports them into the running proctoring stream, so they are
stored, shown and summarised beside the camera's events. They are evidence for an invigilator,
never a verdict: a failing microphone here is logged and never stops the interview.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from contract.proctoring import EventKind
from proctor import ProctorSession
from speech import (
    SAMPLE_RATE,
    AudioSignal,
    AudioSource,
    SpeechError,
    Window,
    no_attempt,
    speech_outside_answer,
    speech_regions,
)
from speech import Answer as HeardAnswer

_log = logging.getLogger(__name__)

#: The detector named on every audio event: the speech regions come from Silero VAD.
DETECTOR = "silero-vad"
#: How long ending a quiet window waits for its listener: a hung audio driver must not hold up
#: the next answer (the window is then left unreported, and the log says so).
_JOIN_TIMEOUT_S = 5.0


class AudioProctor:
    """Reports one interview's audio signals to its proctoring session."""

    def __init__(self, proctor: ProctorSession, *, no_attempt_s: float) -> None:
        self._proctor = proctor
        self._no_attempt_s = no_attempt_s

    def now(self) -> float:
        """The proctoring media clock; read it as an audio source starts, to place its offsets."""
        return self._proctor.now()

    def answer_heard(self, number: int, origin: float, heard: HeardAnswer) -> None:
        """Report `no_attempt` if the answer to question `number` began with too long a silence.

        `origin` is the media time at which the answer audio began, i.e. when the question had
        just been read, so the question ends at offset 0 of the answer audio.
        """
        signal = no_attempt(0.0, heard.regions, heard.transcript.duration, self._no_attempt_s)
        if signal is not None:
            self.report(signal, origin, f"question {number}: {signal.detail}")

    def watch_question(self, number: int, source: AudioSource) -> QuietWindow:
        """A window, to enter while question `number` is read, that listens on `source`."""
        return QuietWindow(self, number, source)

    def report(self, signal: AudioSignal, origin: float, detail: str) -> None:
        """`signal` (offsets from `origin`) as a proctoring event on the media clock.

        Only into a running stream (`report_live`): once it has stopped (the camera failed)
        nothing would store the event for this session, so the log keeps it instead.
        """
        streamed = self._proctor.report_live(
            EventKind(signal.kind.value),
            start=origin + signal.start,
            end=origin + signal.end,
            confidence=signal.confidence,
            detail=detail,
            detector=DETECTOR,
        )
        if streamed is None:
            _log.warning("proctoring has stopped; %s not reported: %s", signal.kind, detail)


class QuietWindow:
    """Listens on its own thread while a question is read aloud (a context manager).

    Reading the question blocks while it is synthesised and played, so listening runs beside it
    and never delays it. The whole window, synthesis included, is one in which the candidate is
    listening, not answering. Leaving the `with` block closes the source; `report()` then runs
    the VAD over what was heard and reports the speech in it.
    """

    def __init__(self, reporter: AudioProctor, number: int, source: AudioSource) -> None:
        self._reporter = reporter
        self._number = number
        self._source = source
        self._blocks: list[np.ndarray] = []
        self._origin = 0.0
        self._thread = threading.Thread(target=self._listen, name="quiet-window", daemon=True)

    def __enter__(self) -> QuietWindow:
        self._origin = self._reporter.now()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._source.close()
        self._thread.join(timeout=_JOIN_TIMEOUT_S)

    def _listen(self) -> None:
        try:
            for block in self._source:
                self._blocks.append(block)
        except SpeechError as error:  # what was heard before the failure still counts
            _log.warning("listening while question %d was read stopped: %s", self._number, error)

    def report(self) -> None:
        """Report the speech heard in the window (call it after the `with` block)."""
        if self._thread.is_alive():
            _log.warning(
                "the audio source did not close after question %d was read; its window is "
                "not proctored",
                self._number,
            )
            return
        audio = np.concatenate(self._blocks) if self._blocks else np.zeros(0, np.float32)
        window = Window(f"question {self._number} being read", 0.0, audio.size / SAMPLE_RATE)
        for signal in speech_outside_answer(speech_regions(audio), [window]):
            self._reporter.report(signal, self._origin, signal.detail)
