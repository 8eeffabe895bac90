"""Hints from the job fix its words in the demo's recorded answers; Whisper stopping early no
longer loses the rest of an answer; hints are bounded to fit Whisper's prompt."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from speech import (
    WHOLE_FILE,
    Answer,
    AnswerListener,
    DomainHints,
    FileSource,
    Segment,
    TranscribeOptions,
    domain_hints,
    transcribe_file,
)
from speech.hints import domain_hotwords, question_prompt
from speech.results import MAX_HOTWORDS_CHARS, MAX_PROMPT_CHARS

DEMO = Path(__file__).resolve().parents[3] / "resources" / "demo"
SCRIPT = {item["recording"]: item for item in
          json.loads((DEMO / "interview.json").read_text(encoding="utf-8"))["answers"]}
HOTWORDS = ("Python, REST APIs, FastAPI, Django, PostgreSQL, pytest, CI, Docker, Kubernetes, "
            "Tramline Logistics, Quinta Analytics")


def _heard(recording: str, hints: DomainHints | None) -> str:
    options = TranscribeOptions(model="tiny.en")
    if hints is not None:
        options = hints.apply(options)
    return transcribe_file(DEMO / "media" / recording, options).transcript.text


def test_job_words_are_spelled_right_with_hints_and_not_without() -> None:
    question = SCRIPT["answer-01.ogg"]["question"]
    without = _heard("answer-01.ogg", None)
    assert "PostgreSQL" not in without  # "poster SQL": the fault seen in the field
    with_hints = _heard("answer-01.ogg", domain_hints(HOTWORDS.split(", "), question))
    assert "FastAPI" in with_hints and "PostgreSQL" in with_hints


def test_an_answer_whisper_stopped_reading_is_read_to_its_end() -> None:
    """Prompted, Whisper sometimes ends a chunk early: once on answer-07 it stopped at "wrote"
    and stamped that word at the chunk's end, losing 24 words. That stop is Whisper's, and
    comes and goes with its temperature fallback, so it is replayed here exactly as seen (the
    first reading of the region is cut after 6 s, its last word moved to the end); the real
    model must then read the rest."""
    item = SCRIPT["answer-07.ogg"]
    listener = AnswerListener(TranscribeOptions(model="tiny.en", partial_interval_s=float("inf")),
                              WHOLE_FILE)
    real = listener._transcriber.transcribe
    calls: list[float] = []

    def stops_early(audio, offset, *, final, prompt=None):
        result = real(audio, offset, final=final, prompt=prompt)
        calls.append(offset)
        if len(calls) > 1:
            return result
        end = offset + audio.size / 16_000
        cut = [_cut(s, offset + 6.0, end) for s in result.segments]
        return replace(result, segments=tuple(s for s in cut if s is not None))

    listener._transcriber.transcribe = stops_early
    answer = next(e for e in listener.run(FileSource(DEMO / "media" / "answer-07.ogg"))
                  if isinstance(e, Answer))
    heard = answer.transcript.text
    assert len(calls) == 2  # the region, then its unread tail
    assert heard.rstrip(".").endswith("every failure now raises an alert")
    assert len(heard.split()) >= len(item["answer"].split()) - 4


def _cut(segment: Segment, at: float, chunk_end: float) -> Segment | None:
    """Whisper's early stop as seen: words up to `at`, then one stamped at the chunk's end."""
    words = [w for w in segment.words if w.end <= at]
    if not words:
        return None
    late = next((w for w in segment.words if w.end > at), None)
    if late is not None:
        words.append(replace(late, start=chunk_end, end=chunk_end))
    return replace(segment, end=chunk_end, words=tuple(words),
                   text=" ".join(w.text for w in words))


def test_hotwords_are_deduplicated_kept_whole_and_bounded() -> None:
    terms = ["PostgreSQL", "postgresql", "Kafka"] + [f"Tool{i:03d}" for i in range(200)]
    hotwords = domain_hotwords(terms)
    assert len(hotwords) <= MAX_HOTWORDS_CHARS
    parts = hotwords.split(", ")
    assert parts[:2] == ["PostgreSQL", "Kafka"]
    assert all(p == "PostgreSQL" or p == "Kafka" or (p.startswith("Tool") and len(p) == 7)
               for p in parts)


def test_long_questions_keep_their_end_and_options_refuse_oversized_hints() -> None:
    question = "word " * 200 + "so what would you do next?"
    prompt = question_prompt(question)
    assert len(prompt) <= MAX_PROMPT_CHARS and prompt.endswith("what would you do next?")
    with pytest.raises(ValueError, match="hotwords"):
        TranscribeOptions(hotwords="x" * (MAX_HOTWORDS_CHARS + 1))
