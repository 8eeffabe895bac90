"""Listen to one answer: audio in, live captions out, then the final transcript.

Streaming scheme. The VAD splits speech into regions at pauses of `region_gap_s`. Each region is
transcribed with word timestamps (and committed) as soon as it closes, i.e. while the candidate
is pausing or still talking, so by the time `trailing_silence_s` has passed nothing is left to do
and the final transcript follows the end-of-answer decision within milliseconds. Regions that run
on are committed every `max_chunk_s` at a word boundary. Between commits, the open region is
re-read greedily at a bounded rate for live captions; those captions are never the final text.

Only voiced regions (plus a short pad) reach Whisper: silence and noise never do.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path

import numpy as np

from speech.endpoint import Endpoint, Endpointer, EndpointOptions, SpeechRegion
from speech.filesource import FileSource
from speech.recorder import AnswerRecorder
from speech.results import Segment, StageTimings, TranscribeOptions, Transcript
from speech.source import SAMPLE_RATE, AudioSource
from speech.vad import StreamingVad
from speech.whisper import ChunkTranscriber

#: Words that ended this close to the cut of a forced commit are re-read with the next chunk.
_FORCED_COMMIT_MARGIN_S = 1.0
#: A region is speech with pauses under `region_gap_s`; when Whisper's text stops this long
#: before the region ends, Whisper stopped early (it sometimes does, prompted) and the rest is
#: read again rather than lost.
_UNREAD_TAIL_S = 1.0
_PROMPT_CHARS = 200


@dataclass(frozen=True)
class Partial:
    """A live caption: committed text plus a provisional reading of the words still arriving."""

    text: str
    audio_time: float


@dataclass(frozen=True)
class Answer:
    """The final result of one answer."""

    transcript: Transcript
    endpoint: Endpoint
    regions: tuple[SpeechRegion, ...]


class _Growing:
    """Append-only sample buffer with amortised O(1) appends and cheap slicing."""

    def __init__(self) -> None:
        self._data = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self.size = 0

    def append(self, block: np.ndarray) -> None:
        if self.size + block.size > self._data.size:
            grown = np.zeros(max(self._data.size * 2, self.size + block.size), dtype=np.float32)
            grown[: self.size] = self._data[: self.size]
            self._data = grown
        self._data[self.size : self.size + block.size] = block
        self.size += block.size

    def between(self, start_s: float, end_s: float) -> np.ndarray:
        start = max(0, int(start_s * SAMPLE_RATE))
        end = min(self.size, int(end_s * SAMPLE_RATE))
        return self._data[start:end].copy()


class AnswerListener:
    """Runs the pipeline for one answer; use `listen()` for the usual one-call form."""

    def __init__(
        self,
        options: TranscribeOptions | None = None,
        endpoint_options: EndpointOptions | None = None,
    ) -> None:
        self.options = options or TranscribeOptions()
        self.endpoint_options = endpoint_options or EndpointOptions()
        started = time.perf_counter()
        self._transcriber = ChunkTranscriber(self.options)
        self._t = {"model_load_s": time.perf_counter() - started}
        self._audio = _Growing()
        self._vad = StreamingVad()
        self._endpointer = Endpointer(self.endpoint_options)
        self._segments: list[Segment] = []
        self._rejected = 0
        self._committed_until = 0.0
        self._next_partial_at = self.options.partial_interval_s
        self._last_caption = ""

    @property
    def max_answer_s(self) -> float:
        """Seconds of audio after which the answer ends, extensions included: the real limit
        a countdown on screen must follow."""
        return self._endpointer.options.max_answer_s

    def extend(self, seconds: float) -> None:
        """Give this answer `seconds` more before its maximum length ends it."""
        self._endpointer.extend(seconds)

    def run(
        self, source: Iterable[np.ndarray], recorder: AnswerRecorder | None = None
    ) -> Iterator[Partial | Answer]:
        """Yield `Partial` captions as audio arrives, then exactly one `Answer`."""
        blocks = iter(source)
        try:
            while self._endpointer.endpoint is None:
                waited = time.perf_counter()
                block = next(blocks, None)
                self._add("read_s", waited)
                if block is None:
                    yield from self._commit_regions(self._endpointer.finish())
                    break
                if recorder is not None:
                    recorder.write(block)
                self._audio.append(block)
                yield from self._process(block)
            decided = time.perf_counter()
            yield Answer(self._transcript(decided), self._endpoint(), tuple(self._regions()))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    def _process(self, block: np.ndarray) -> Iterator[Partial]:
        started = time.perf_counter()
        probs = self._vad.push(block)
        closed = self._endpointer.push(probs)
        self._add("vad_s", started)
        yield from self._commit_regions(closed)
        if self._endpointer.endpoint is not None:
            return
        yield from self._force_commit_if_long()
        yield from self._caption()

    def _commit_regions(self, regions: list[SpeechRegion]) -> Iterator[Partial]:
        for region in regions:
            start = max(region.start - self.options.pad_s, self._committed_until)
            self._commit(start, region.end + self.options.pad_s, keep_until=None)
        if regions:
            yield from self._emit_caption(self.committed_text)

    def _force_commit_if_long(self) -> Iterator[Partial]:
        open_start = self._endpointer.open_region_start
        now = self._endpointer.now
        if open_start is None or now - open_start < self.options.max_chunk_s:
            return
        start = max(open_start - self.options.pad_s, self._committed_until)
        cut = self._commit(start, now, keep_until=now - _FORCED_COMMIT_MARGIN_S)
        self._endpointer.split_open_region(cut)
        yield from self._emit_caption(self.committed_text)

    def _commit(self, start: float, end: float, keep_until: float | None) -> float:
        """Transcribe [start, end] for good; with `keep_until`, keep only words ending before it.

        Returns the time up to which the audio is now accounted for.
        """
        began = time.perf_counter()
        result = self._transcriber.transcribe(
            self._audio.between(start, end), start, final=True, prompt=self._prompt()
        )
        self._add("whisper_s", began)
        self._rejected += result.rejected
        segments = list(result.segments)
        if keep_until is None:
            segments = self._read_tail(segments, start, end)
        if keep_until is not None:
            segments = [s for s in (_trim(s, keep_until) for s in segments) if s is not None]
            end = segments[-1].end if segments else keep_until
        self._segments.extend(segments)
        self._committed_until = end
        return end

    def _read_tail(self, segments: list[Segment], start: float, end: float) -> list[Segment]:
        """`segments`, with what Whisper left unread at the end of the region read again.

        Whisper sometimes stops early and stamps the last word or two at the end of the chunk;
        inside a region there is no pause that long, so a jump in the word times marks where
        the reading stopped. Words after the jump are dropped and the rest is read again once."""
        words = [w for s in segments for w in s.words]
        heard_until = words[-1].end if words else start
        for before, after in pairwise(words):
            if after.start - before.end >= _UNREAD_TAIL_S:
                heard_until = before.end
                break
        if end - heard_until < _UNREAD_TAIL_S:
            return segments
        kept = [t for t in (_trim(s, heard_until) for s in segments) if t is not None]
        began = time.perf_counter()
        context = " ".join(s.text for s in [*self._segments, *kept])
        result = self._transcriber.transcribe(
            self._audio.between(heard_until, end), heard_until, final=True,
            prompt=context[-_PROMPT_CHARS:] or None,
        )
        self._add("whisper_s", began)
        self._rejected += result.rejected
        return kept + [s for s in result.segments if s.end > heard_until]

    def _caption(self) -> Iterator[Partial]:
        open_start = self._endpointer.open_region_start
        now = self._endpointer.now
        if open_start is None or now < self._next_partial_at:
            return
        began = time.perf_counter()
        start = max(open_start - self.options.pad_s, self._committed_until)
        result = self._transcriber.transcribe(
            self._audio.between(start, now), start, final=False, prompt=self._prompt()
        )
        spent = self._add("partial_s", began)
        # Bounded rate: never spend more than a third of real time on captions.
        self._next_partial_at = now + max(self.options.partial_interval_s, 3 * spent)
        tail = " ".join(s.text for s in result.segments)
        yield from self._emit_caption(f"{self.committed_text} {tail}".strip())

    def _emit_caption(self, text: str) -> Iterator[Partial]:
        if text != self._last_caption:
            self._last_caption = text
            yield Partial(text=text, audio_time=round(self._endpointer.now, 3))

    @property
    def committed_text(self) -> str:
        return " ".join(s.text for s in self._segments)

    def _prompt(self) -> str | None:
        return self.committed_text[-_PROMPT_CHARS:] or None

    def _regions(self) -> list[SpeechRegion]:
        return list(self._endpointer.regions)

    def _endpoint(self) -> Endpoint:
        endpoint = self._endpointer.endpoint
        assert endpoint is not None
        return endpoint

    def _transcript(self, decided: float) -> Transcript:
        self._t["finalize_s"] = time.perf_counter() - decided
        segments = tuple(self._segments)
        return Transcript(
            text=self.committed_text,
            segments=segments,
            words=tuple(w for s in segments for w in s.words),
            language=self._transcriber.language or "en",
            language_probability=self._transcriber.language_probability,
            duration=round(self._audio.size / SAMPLE_RATE, 3),
            voiced_duration=round(sum(r.duration for r in self._endpointer.regions), 3),
            options=self.options,
            timings=StageTimings(**{k: round(v, 4) for k, v in self._t.items()}),
            endpoint_options=self.endpoint_options,
            rejected_segments=self._rejected,
        )

    def _add(self, stage: str, since: float) -> float:
        spent = time.perf_counter() - since
        self._t[stage] = self._t.get(stage, 0.0) + spent
        return spent


def _trim(segment: Segment, keep_until: float) -> Segment | None:
    """The part of `segment` whose words end before `keep_until` (None if no word does)."""
    words = tuple(w for w in segment.words if w.end <= keep_until)
    if not words:
        return None
    if len(words) == len(segment.words):
        return segment
    return Segment(
        start=segment.start,
        end=words[-1].end,
        text=" ".join(w.text for w in words),
        words=words,
        avg_logprob=segment.avg_logprob,
        no_speech_prob=segment.no_speech_prob,
        compression_ratio=segment.compression_ratio,
    )


def listen(
    source: AudioSource | Iterable[np.ndarray],
    options: TranscribeOptions | None = None,
    endpoint_options: EndpointOptions | None = None,
    recorder: AnswerRecorder | None = None,
) -> Iterator[Partial | Answer]:
    """Transcribe one answer from `source`: `Partial` captions, then one `Answer`."""
    return AnswerListener(options, endpoint_options).run(source, recorder)


#: Endpointing off: a file is transcribed to its end, however long its pauses.
WHOLE_FILE = EndpointOptions(trailing_silence_s=float("inf"), max_answer_s=float("inf"))


def transcribe_file(path: str | Path, options: TranscribeOptions | None = None) -> Answer:
    """Transcribe a whole audio file with the same pipeline a live answer goes through.

    Live captions are switched off: nobody watches them, and they would double the work.
    """
    options = replace(options or TranscribeOptions(), partial_interval_s=float("inf"))
    for event in listen(FileSource(path), options, WHOLE_FILE):
        if isinstance(event, Answer):
            return event
    raise AssertionError("listen() always ends with an Answer")
