"""Transcription results: small frozen dataclasses that carry the options that made them.

They mirror faster-whisper's `Word`/`Segment`/`TranscriptionInfo` but are ours, so no CTranslate2
or faster-whisper type ever leaves this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from speech.endpoint import EndpointOptions

#: `--model` names and the modelstore models they load.
WHISPER_MODELS = {"tiny.en": "whisper-tiny.en", "base": "whisper-base"}
#: Whisper's prompt holds at most 223 tokens, shared by the hints and the text committed so far;
#: about four characters a token keeps the hints to a third of it.
MAX_HOTWORDS_CHARS = 300
MAX_PROMPT_CHARS = 300


@dataclass(frozen=True)
class Word:
    """One recognised word; times in seconds from the start of the audio source."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A stretch of text Whisper decoded in one go, with the scores the hallucination gate used."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...]
    avg_logprob: float
    no_speech_prob: float
    compression_ratio: float


@dataclass(frozen=True)
class TranscribeOptions:
    """Everything that shapes a transcript; stored on each result so it can be reproduced."""

    model: str = "tiny.en"
    cpu_threads: int = 2
    beam_size: int = 5
    #: None: "en" for the English-only models, detected once per answer for multilingual ones.
    language: str | None = None
    # The hallucination gate: a segment is dropped when no_speech_prob > no_speech_threshold and
    # avg_logprob < log_prob_threshold (Whisper's own silence rule), or when its text is
    # repetitive (compression ratio above the threshold), or when avg_logprob is below the floor.
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    compression_ratio_threshold: float = 2.4
    log_prob_floor: float = -1.5
    #: Live captions at most this often (audio seconds), and never more than a third of the time.
    partial_interval_s: float = 1.0
    #: A region still open after this long is committed early, so no Whisper call exceeds 30 s.
    max_chunk_s: float = 25.0
    #: Audio kept on each side of a voiced region so Whisper hears whole first and last phonemes.
    pad_s: float = 0.2
    #: Give Whisper the end of the text committed so far as its prompt, for continuity.
    context_prompt: bool = True
    #: Domain words the answer is likely to contain (tools, products, organisations), as
    #: faster-whisper `hotwords`: they tilt Whisper towards "PostgreSQL" over "poster SQL".
    #: Only spellings; never the expected content of an answer.
    hotwords: str = ""
    #: What was said just before the answer (the question), given as Whisper's prompt ahead
    #: of the committed text, as a conversation's previous turn.
    initial_prompt: str = ""

    def __post_init__(self) -> None:
        if self.model not in WHISPER_MODELS:
            raise ValueError(f"unknown model {self.model!r}; choose one of {list(WHISPER_MODELS)}")
        if self.cpu_threads < 1:
            raise ValueError("cpu_threads must be at least 1")
        if len(self.hotwords) > MAX_HOTWORDS_CHARS:
            raise ValueError(
                f"hotwords are {len(self.hotwords)} characters; at most {MAX_HOTWORDS_CHARS} fit "
                "Whisper's prompt (use speech.domain_hotwords to choose and bound them)"
            )
        if len(self.initial_prompt) > MAX_PROMPT_CHARS:
            raise ValueError(
                f"initial_prompt is {len(self.initial_prompt)} characters; at most "
                f"{MAX_PROMPT_CHARS} fit Whisper's prompt"
            )


@dataclass(frozen=True)
class StageTimings:
    """Wall-clock seconds per stage: what a slow answer spent its time on."""

    model_load_s: float = 0.0
    read_s: float = 0.0
    vad_s: float = 0.0
    whisper_s: float = 0.0
    partial_s: float = 0.0
    #: From the end-of-answer decision to the final transcript: the wait a candidate feels.
    finalize_s: float = 0.0


@dataclass(frozen=True)
class Transcript:
    """The final text of one answer, with segments, word timings and how it was produced."""

    text: str
    segments: tuple[Segment, ...]
    words: tuple[Word, ...]
    language: str
    language_probability: float
    duration: float
    voiced_duration: float
    options: TranscribeOptions
    timings: StageTimings
    endpoint_options: EndpointOptions = field(default_factory=EndpointOptions)
    #: Segments the hallucination gate threw away (kept for audit, never shown as text).
    rejected_segments: int = 0
