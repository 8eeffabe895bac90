"""Speaking-style figures for one answer, computed from Whisper's word timestamps.

Definitions (also in docs/speech.md): the *span* runs from the first word's start to the last
word's end; a *pause* is a gap between consecutive words of at least `min_pause_s`; *speaking
time* is the span minus its pauses. Words per minute divides by the span, so it is the rate a
listener hears, hesitations included.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from speech.fillers import Filler, find_fillers
from speech.results import Word

DEFAULT_MIN_PAUSE_S = 0.3


@dataclass(frozen=True)
class SpeechMetrics:
    word_count: int
    span_s: float
    speaking_time_s: float
    words_per_minute: float
    longest_pause_s: float
    pause_count: int
    pause_ratio: float
    filler_count: int
    fillers_per_100_words: float
    fillers: tuple[Filler, ...]
    filler_counts: tuple[tuple[str, int], ...]
    min_pause_s: float


def speech_metrics(
    words: Sequence[Word], min_pause_s: float = DEFAULT_MIN_PAUSE_S
) -> SpeechMetrics:
    """Metrics for an answer's words (in time order); all zero for an empty answer."""
    words = sorted(words, key=lambda w: w.start)
    fillers = find_fillers(words, pause_s=min_pause_s)
    counts = tuple(sorted(Counter(f.text for f in fillers).items(), key=lambda kv: (-kv[1], kv[0])))
    if not words:
        return SpeechMetrics(0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0, 0.0, (), (), min_pause_s)
    span = max(words[-1].end - words[0].start, 0.0)
    gaps = [b.start - a.end for a, b in pairwise(words)]
    pauses = [g for g in gaps if g >= min_pause_s]
    paused = sum(pauses)
    return SpeechMetrics(
        word_count=len(words),
        span_s=round(span, 3),
        speaking_time_s=round(span - paused, 3),
        words_per_minute=round(len(words) / span * 60, 1) if span > 0 else 0.0,
        longest_pause_s=round(max(pauses, default=0.0), 3),
        pause_count=len(pauses),
        pause_ratio=round(paused / span, 3) if span > 0 else 0.0,
        filler_count=len(fillers),
        fillers_per_100_words=round(100 * len(fillers) / len(words), 1),
        fillers=fillers,
        filler_counts=counts,
        min_pause_s=min_pause_s,
    )
