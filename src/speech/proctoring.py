"""Audio proctoring signals: evidence for an invigilator, never a verdict.

Two signals, both computed from VAD speech regions on the session clock:
- `speech_outside_answer`: someone speaks while no answer is expected, e.g. while the question is
  being read (a whispered hint, a second person). With loudspeakers the microphone also hears the
  kiosk's own voice, so feed regions from a headset mic or subtract the question playback window
  the caller knows is echo (`ignore`).
- `no_attempt`: nothing was said for `threshold_s` after a question finished.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from speech.endpoint import SpeechRegion


class SignalKind(StrEnum):
    SPEECH_OUTSIDE_ANSWER = "speech_outside_answer"
    NO_ATTEMPT = "no_attempt"


@dataclass(frozen=True)
class AudioSignal:
    """Something an invigilator may want to hear; times in seconds on the caller's clock."""

    kind: SignalKind
    start: float
    end: float
    confidence: float
    detail: str


@dataclass(frozen=True)
class Window:
    """A labelled stretch of the session, e.g. ("question 3 read aloud", 12.0, 19.5)."""

    label: str
    start: float
    end: float


def speech_outside_answer(
    regions: Iterable[SpeechRegion],
    quiet_windows: Sequence[Window],
    min_overlap_s: float = 0.5,
) -> tuple[AudioSignal, ...]:
    """Speech overlapping a window in which the candidate should be silent.

    Overlaps shorter than `min_overlap_s` are ignored: a cough or a word of acknowledgement is
    not worth an invigilator's time. Confidence is the region's mean VAD probability.
    """
    signals = []
    for region in regions:
        for window in quiet_windows:
            start, end = max(region.start, window.start), min(region.end, window.end)
            if end - start >= min_overlap_s:
                signals.append(
                    AudioSignal(
                        kind=SignalKind.SPEECH_OUTSIDE_ANSWER,
                        start=round(start, 3),
                        end=round(end, 3),
                        confidence=round(region.confidence, 3),
                        detail=f"{end - start:.1f} s of speech during {window.label}",
                    )
                )
    return tuple(sorted(signals, key=lambda s: s.start))


def no_attempt(
    question_end: float,
    regions: Iterable[SpeechRegion],
    now: float,
    threshold_s: float = 20.0,
) -> AudioSignal | None:
    """A signal when no speech began within `threshold_s` after the question ended.

    `now` is the latest time the caller has audio for; nothing is claimed before the threshold
    has actually elapsed. Confidence grows from 0.5 at the threshold to 1.0 at twice it.
    """
    first = min((r.start for r in regions if r.end > question_end), default=None)
    silent_until = now if first is None else first
    silence = silent_until - question_end
    if silence < threshold_s:
        return None
    confidence = min(1.0, 0.5 + 0.5 * (silence - threshold_s) / threshold_s)
    outcome = "no answer at all" if first is None else f"first speech after {silence:.1f} s"
    return AudioSignal(
        kind=SignalKind.NO_ATTEMPT,
        start=round(question_end, 3),
        end=round(silent_until, 3),
        confidence=round(confidence, 3),
        detail=f"silent for {silence:.1f} s after the question (threshold {threshold_s:.0f} s); "
        f"{outcome}",
    )
