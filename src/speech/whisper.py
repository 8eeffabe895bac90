"""faster-whisper behind one cached loader per model, plus the gate that refuses invented text.

Weights come only from `modelstore.require_model`, which verifies every file against the MANIFEST
and says how to fix a missing or damaged one. Whisper is given voiced audio only (the caller's VAD
decides what that is) and every segment it returns passes a hallucination gate before it counts.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from faster_whisper import WhisperModel
from faster_whisper.transcribe import Segment as FwSegment

from modelstore import load_manifest, require_model
from speech.results import WHISPER_MODELS, Segment, TranscribeOptions, Word

#: Whisper's own vocabulary of silence: what it outputs on breath or hum when nothing is said.
_HALLUCINATED_ALONE = frozenset({"", "you", "thank you", "thanks for watching", "bye"})
#: Nobody says more than ~6 words a second; Whisper's invented tails ("We'll see you next
#: time.") squeeze several words into the last fraction of a second of a chunk.
MAX_WORDS_PER_SECOND = 9.0
#: A segment whose every word Whisper itself doubts (best < 0.5, mean < 0.25) was invented:
#: prompted with domain words, Whisper sometimes tails a clean answer with "GitHub." or
#: "Word.com.com" on the last breath, at word probabilities near zero.
IMPROBABLE_BEST_WORD = 0.5
IMPROBABLE_MEAN_WORD = 0.25


@lru_cache(maxsize=4)
def _load(model_name: str, cpu_threads: int, models_dir: Path) -> WhisperModel:
    folder = require_model(model_name, models_dir)
    return WhisperModel(
        str(folder), device="cpu", compute_type="int8", cpu_threads=cpu_threads, num_workers=1
    )


def load_whisper(model: str, cpu_threads: int) -> WhisperModel:
    """The process-wide model for `model` ("tiny.en" or "base"), verified and loaded once.

    The models folder is part of the cache key, so pointing KIOSK_MODELS_DIR elsewhere verifies
    that folder's files instead of reusing a model loaded from another one.
    """
    if model not in WHISPER_MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {list(WHISPER_MODELS)}")
    return _load(WHISPER_MODELS[model], cpu_threads, load_manifest().models_dir)


def preload_model(model: str, cpu_threads: int = 2) -> float:
    """Verify and load `model` ahead of the first answer (e.g. at kiosk start-up); returns seconds.

    The model object itself stays inside the package: callers only ever see our result types.
    """
    started = time.perf_counter()
    load_whisper(model, cpu_threads)
    return time.perf_counter() - started


def rejection_reason(segment: Segment, options: TranscribeOptions) -> str | None:
    """Why `segment` looks invented rather than heard, or None when it may be kept."""
    if (
        segment.no_speech_prob > options.no_speech_threshold
        and segment.avg_logprob < options.log_prob_threshold
    ):
        return "no speech"
    if segment.compression_ratio > options.compression_ratio_threshold:
        return "repetitive"
    if segment.avg_logprob < options.log_prob_floor:
        return "low confidence"
    normalised = segment.text.strip().strip(".!?,").lower()
    if normalised in _HALLUCINATED_ALONE and segment.no_speech_prob > 0.3:
        return "stock phrase on doubtful audio"
    if segment.words:
        probabilities = [w.probability for w in segment.words]
        if (
            max(probabilities) < IMPROBABLE_BEST_WORD
            and sum(probabilities) / len(probabilities) < IMPROBABLE_MEAN_WORD
        ):
            return "improbable words"
    if _echoes(segment.text, options.initial_prompt) or _echoes(segment.text, options.hotwords):
        return "echo of the prompt"
    words = len(segment.text.split())
    if words >= 3 and words > MAX_WORDS_PER_SECOND * max(segment.end - segment.start, 0.0):
        return "too fast to have been said"
    return None


def _words(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", text.lower()))


def _echoes(text: str, prompt: str) -> bool:
    """Whisper read its prompt back (on noise it may say the question, or list the hotwords):
    a segment of three or more words that is nothing but a stretch of the prompt."""
    said = _words(text)
    return bool(prompt) and len(said.split()) >= 3 and f" {said} " in f" {_words(prompt)} "


@dataclass(frozen=True)
class ChunkResult:
    """Whisper's reading of one voiced chunk, already gated and shifted to source time."""

    segments: tuple[Segment, ...]
    rejected: int
    language: str
    language_probability: float


class ChunkTranscriber:
    """Transcribe voiced chunks of one answer; remembers the language detected on the first."""

    def __init__(self, options: TranscribeOptions) -> None:
        self.options = options
        self.model = load_whisper(options.model, options.cpu_threads)
        english_only = options.model.endswith(".en")
        self.language: str | None = options.language or ("en" if english_only else None)
        self.language_probability = 1.0 if self.language else 0.0

    def transcribe(
        self, audio: np.ndarray, offset: float, *, final: bool, prompt: str | None = None
    ) -> ChunkResult:
        """`final=True`: full beam search with word timestamps; False: a quick greedy caption."""
        o = self.options
        raw_segments, info = self.model.transcribe(
            audio,
            language=self.language,
            beam_size=o.beam_size if final else 1,
            temperature=[0.0, 0.2, 0.4] if final else 0.0,
            word_timestamps=final,
            condition_on_previous_text=False,
            initial_prompt=_prompt(o, prompt),
            hotwords=o.hotwords or None,
            no_speech_threshold=o.no_speech_threshold,
            log_prob_threshold=o.log_prob_threshold,
            compression_ratio_threshold=o.compression_ratio_threshold,
            vad_filter=False,  # the caller already cut the audio to voiced regions
        )
        converted = [_convert(s, offset) for s in raw_segments]  # decoding happens here
        if self.language is None:
            self.language, self.language_probability = info.language, info.language_probability
        kept = tuple(s for s in converted if s.text and rejection_reason(s, o) is None)
        return ChunkResult(
            segments=kept,
            rejected=len(converted) - len(kept),
            language=self.language or info.language,
            language_probability=self.language_probability,
        )


def _prompt(options: TranscribeOptions, committed: str | None) -> str | None:
    """The question heard before the answer, then the end of what the answer said so far."""
    parts = [options.initial_prompt.strip()]
    if options.context_prompt and committed:
        parts.append(committed.strip())
    return " ".join(p for p in parts if p) or None


def _convert(segment: FwSegment, offset: float) -> Segment:
    """The edge where faster-whisper's mutable Segment becomes our frozen one."""
    words = tuple(
        Word(
            start=round(float(offset + w.start), 3),
            end=round(float(offset + w.end), 3),
            text=w.word.strip(),
            probability=round(float(w.probability), 4),
        )
        for w in (segment.words or ())
    )
    return Segment(
        start=round(float(offset + segment.start), 3),
        end=round(float(offset + segment.end), 3),
        text=segment.text.strip(),
        words=words,
        avg_logprob=float(segment.avg_logprob),
        no_speech_prob=float(segment.no_speech_prob),
        compression_ratio=float(segment.compression_ratio),
    )
