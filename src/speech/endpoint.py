"""Decide, window by window, where speech is and when the answer is over.

Hysteresis as in Silero's own segmenter: a window at or above `threshold` starts (or continues)
speech, one below `neg_threshold` starts a silence, anything between keeps the current state.
A pause of `region_gap_s` closes a voiced *region*, the unit the transcriber hands to Whisper;
`trailing_silence_s` of silence after speech ends the answer. The end of speech reported is the
start of that silence, i.e. when the candidate actually stopped talking, not when we noticed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np

from speech.vad import WINDOW_S, StreamingVad


@dataclass(frozen=True)
class EndpointOptions:
    """How speech is detected and when an answer counts as finished."""

    trailing_silence_s: float = 2.5
    max_answer_s: float = 180.0
    #: End with reason NO_SPEECH when nothing was said this long after the start; None: never.
    no_speech_timeout_s: float | None = None
    threshold: float = 0.5
    neg_threshold: float = 0.35
    #: Voiced bursts shorter than this (clicks, a cough, a chair) are not speech.
    min_speech_s: float = 0.25
    region_gap_s: float = 0.5


class EndReason(StrEnum):
    TRAILING_SILENCE = "trailing_silence"
    MAX_LENGTH = "max_length"
    NO_SPEECH = "no_speech"
    END_OF_AUDIO = "end_of_audio"


@dataclass(frozen=True)
class SpeechRegion:
    """A stretch of speech, in seconds from the start of the source; confidence: mean VAD prob."""

    start: float
    end: float
    confidence: float

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Endpoint:
    """Why and when the answer ended. `decided_at` is audio time, `speech_end` is None if silent."""

    reason: EndReason
    speech_start: float | None
    speech_end: float | None
    decided_at: float


class Endpointer:
    """Feed VAD probabilities in order; collect closed regions and, once, the endpoint."""

    def __init__(self, options: EndpointOptions | None = None) -> None:
        self.options = options or EndpointOptions()
        self.regions: list[SpeechRegion] = []
        self.endpoint: Endpoint | None = None
        self._windows = 0
        self._open_start: float | None = None
        self._silence_start: float | None = None
        self._open_probs: list[float] = []
        self._just_closed: list[SpeechRegion] = []

    @property
    def now(self) -> float:
        """Audio time of the end of the last window seen."""
        return self._windows * WINDOW_S

    @property
    def open_region_start(self) -> float | None:
        return self._open_start

    @property
    def heard_speech(self) -> bool:
        return bool(self.regions) or self._open_is_speech(self.now)

    def extend(self, seconds: float) -> None:
        """Allow `seconds` more before MAX_LENGTH (an invigilator gave extra time mid-answer).

        Safe from another thread: the options are swapped in one assignment, and an answer
        already decided stays decided.
        """
        if seconds <= 0:
            raise ValueError(f"extra time must be positive, not {seconds}")
        self.options = replace(self.options, max_answer_s=self.options.max_answer_s + seconds)

    def push(self, probs: np.ndarray) -> list[SpeechRegion]:
        """Advance by one window per probability; return the regions that closed meanwhile."""
        for prob in probs:
            if self.endpoint is not None:
                break
            start = self.now
            self._windows += 1
            self._step(float(prob), start)
            self._check_end()
        return self._take_closed()

    def finish(self) -> list[SpeechRegion]:
        """The source ended: close any open region and record END_OF_AUDIO if still undecided."""
        if self.endpoint is None:
            self._decide(EndReason.END_OF_AUDIO)
        return self._take_closed()

    def _take_closed(self) -> list[SpeechRegion]:
        closed, self._just_closed = self._just_closed, []
        return closed

    def split_open_region(self, at: float) -> SpeechRegion | None:
        """Cut a long open region at `at` (the caller committed what came before)."""
        if self._open_start is None or at <= self._open_start:
            return None
        kept = self._open_probs[: max(1, round((at - self._open_start) / WINDOW_S))]
        region = SpeechRegion(round(self._open_start, 3), round(at, 3), float(np.mean(kept)))
        self._open_probs = self._open_probs[len(kept) :]
        self._open_start = at
        self.regions.append(region)
        return region

    def _step(self, prob: float, start: float) -> None:
        o = self.options
        if self._open_start is None:
            if prob >= o.threshold:
                self._open_start, self._silence_start, self._open_probs = start, None, [prob]
            return
        self._open_probs.append(prob)
        if prob >= o.threshold:
            self._silence_start = None
        elif prob < o.neg_threshold and self._silence_start is None:
            self._silence_start = start
        if self._silence_start is not None and self.now - self._silence_start >= o.region_gap_s:
            self._close(self._silence_start)

    def _voice_end_of_open(self) -> float:
        return self.now if self._silence_start is None else self._silence_start

    def _close(self, end: float) -> None:
        start, probs = self._open_start, self._open_probs
        self._open_start, self._silence_start, self._open_probs = None, None, []
        assert start is not None
        if end - start < self.options.min_speech_s:
            return  # too short to be speech: forget it
        voiced = probs[: max(1, round((end - start) / WINDOW_S))]
        region = SpeechRegion(round(start, 3), round(end, 3), float(np.mean(voiced)))
        self.regions.append(region)
        self._just_closed.append(region)

    def _open_is_speech(self, now: float) -> bool:
        if self._open_start is None:
            return False
        end = now if self._silence_start is None else self._silence_start
        return end - self._open_start >= self.options.min_speech_s

    def _last_voice_end(self) -> float | None:
        if self._open_start is not None:
            return self._silence_start if self._open_is_speech(self.now) else None
        return self.regions[-1].end if self.regions else None

    def _check_end(self) -> None:
        o = self.options
        voice_end = self._last_voice_end()
        if voice_end is not None and self.now - voice_end >= o.trailing_silence_s:
            self._decide(EndReason.TRAILING_SILENCE)
        elif self.now >= o.max_answer_s:
            self._decide(EndReason.MAX_LENGTH)
        elif (
            o.no_speech_timeout_s is not None
            and not self.heard_speech
            and self._open_start is None
            and self.now >= o.no_speech_timeout_s
        ):
            self._decide(EndReason.NO_SPEECH)

    def _decide(self, reason: EndReason) -> None:
        if self._open_start is not None:
            self._close(self._voice_end_of_open())
        speech = self.regions
        self.endpoint = Endpoint(
            reason=reason,
            speech_start=speech[0].start if speech else None,
            speech_end=speech[-1].end if speech else None,
            decided_at=self.now,
        )


def speech_regions(
    audio: np.ndarray, options: EndpointOptions | None = None
) -> tuple[SpeechRegion, ...]:
    """Every speech region in a whole recording (no end-of-answer cut), e.g. for proctoring."""
    base = options or EndpointOptions()
    endless = replace(base, trailing_silence_s=float("inf"), max_answer_s=float("inf"))
    endpointer = Endpointer(replace(endless, no_speech_timeout_s=None))
    endpointer.push(StreamingVad().push(audio))
    endpointer.finish()
    return tuple(endpointer.regions)
