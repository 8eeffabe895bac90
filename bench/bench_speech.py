"""Speech figures: word error rate, Whisper real-time factor, end-of-speech-to-transcript
latency, peak memory.

WER is measured on two sets, for tiny.en and base, without and with domain hints (the
figures before hints, re-reading and the improbable-word gate existed are in docs/speech.md):
- real human speech: the LibriVox utterances of Debian's `pocketsphinx-testdata` (public domain,
  with their transcription); the hints there are the demo session's, which have nothing to do
  with Jane Austen, so they show whether hints harm ordinary speech;
- the demo's recorded answers (`resources/demo/media`) against their scripts
  (`resources/demo/interview.json`), with the hints the kiosk builds for the demo's job and
  resume and each answer's question.
Both sides are normalised with Whisper's own English normaliser (numbers, spellings, fillers).

For latency, answers are synthesised with the piper voice, then replayed in real time through
`FileSource` (captions on, as in the kiosk), so the latency is what a candidate would wait for.
"""

from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path

import jiwer
import numpy as np
import soundfile as sf

from speech import (
    SAMPLE_RATE,
    Answer,
    FileSource,
    TranscribeOptions,
    listen,
    load_audio,
    preload_model,
    synthesize,
    transcribe_file,
)
from speech.hints import DomainHints

_SENTENCES = (
    "In my last role I led a team of five engineers building a payment service.",
    "We started with a small prototype and measured how customers used it.",
    "After a few weeks we moved the data to a new database and cut our costs in half.",
    "The hardest part was agreeing on priorities with the sales team.",
    "I set up a weekly review where both teams looked at the same numbers.",
    "That helped us stop arguing about opinions and start testing ideas instead.",
    "I also learned to write down decisions so that new people could follow them.",
    "Looking back, I would involve the support team much earlier next time.",
    "They knew the customer problems better than anyone else in the company.",
    "Overall the project shipped on time and the service still runs today.",
    "Since then I have mentored two junior developers on the same practices.",
    "One of them now leads the platform team and runs the reviews herself.",
)
THREADS = 2
TRAILING_S = 3.0
ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo"
LIBRIVOX = Path("/usr/share/pocketsphinx/test/data/librivox")


def _normaliser():
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


def _librivox() -> list[tuple[Path, str, str]]:
    """(audio, reference, question) for each utterance; the question is empty."""
    if not LIBRIVOX.is_dir():
        return []
    cases = []
    for line in (LIBRIVOX / "transcription").read_text().splitlines():
        text, _, name = line.rpartition("(")
        reference = text.replace("<s>", "").replace("</s>", "").strip()
        cases.append((LIBRIVOX / f"{name.strip(' )')}.wav", reference, ""))
    return cases


def _demo_answers() -> list[tuple[Path, str, str]]:
    sample = json.loads((DEMO / "interview.json").read_text(encoding="utf-8"))
    return [
        (DEMO / "media" / item["recording"], item["answer"],
         "" if item["question"] == "*" else item["question"])
        for item in sample["answers"]
    ]


def _demo_hints() -> tuple[str, object]:
    """The hotwords the kiosk builds for the demo session, and a maker of per-question hints."""
    from kiosk.brain.context import InterviewContext
    from kiosk.brain.speech_hints import transcription_hints

    context = InterviewContext.build(
        (DEMO / "resume.txt").read_text(encoding="utf-8"),
        (DEMO / "job_description.txt").read_text(encoding="utf-8"),
    )
    return transcription_hints(context).hotwords, lambda q: transcription_hints(context, q)


def _wer(cases: list[tuple[Path, str, str]], model: str, hints: object | None) -> dict[str, object]:
    normalise = _normaliser()
    references, hypotheses, examples = [], [], []
    for audio, reference, question in cases:
        options = TranscribeOptions(model=model, cpu_threads=THREADS)
        if hints is not None:
            options = hints(question).apply(options)  # type: ignore[operator]
        text = transcribe_file(audio, options).transcript.text
        references.append(normalise(reference))
        hypotheses.append(normalise(text))
        if references[-1] != hypotheses[-1] and len(examples) < 3:
            examples.append({"file": audio.name, "heard": text})
    out = jiwer.process_words(references, hypotheses)
    return {
        "wer": round(out.wer, 4),
        "words": sum(len(r.split()) for r in references),
        "substitutions": out.substitutions,
        "deletions": out.deletions,
        "insertions": out.insertions,
        "first_errors": examples,
    }


def word_error_rates(models: tuple[str, ...] = ("tiny.en", "base")) -> dict[str, object]:
    """WER per set, model and hints setting (see the module docstring)."""
    hotwords, per_question = _demo_hints()
    librivox_hints = lambda _q: DomainHints(hotwords=hotwords)  # noqa: E731
    figures: dict[str, object] = {"hotwords": hotwords}
    sets = {"librivox": (_librivox(), librivox_hints), "demo_answers": (_demo_answers(),
                                                                         per_question)}
    for name, (cases, hints) in sets.items():
        if not cases:
            figures[name] = "missing: install Debian's pocketsphinx-testdata (make bench does)"
            continue
        for model in models:
            figures[f"{name}_{model}"] = {
                "no_hints": _wer(cases, model, None),
                "hints": _wer(cases, model, hints),
            }
    return figures


def _answer(folder: Path, seconds: float) -> tuple[Path, float]:
    """A WAV of about `seconds` of speech plus trailing silence; returns it and its speech end."""
    pieces: list[np.ndarray] = []
    while sum(p.size for p in pieces) < seconds * SAMPLE_RATE:
        text = _SENTENCES[len(pieces) % len(_SENTENCES)]
        pieces.append(load_audio(synthesize(text, cache_dir=folder / "tts").path))
    speech = np.concatenate(pieces)
    loud = np.flatnonzero(np.abs(speech) > 0.02)
    speech_end = (loud[-1] + 1) / SAMPLE_RATE
    audio = np.concatenate([speech, np.zeros(int(TRAILING_S * SAMPLE_RATE), np.float32)])
    path = folder / f"answer_{int(seconds)}s.wav"
    sf.write(str(path), audio, SAMPLE_RATE)
    return path, speech_end


def _rtf(path: Path, warm_up: Path, model: str) -> dict[str, float]:
    options = TranscribeOptions(model=model, cpu_threads=THREADS)
    load_s = preload_model(model, THREADS)
    transcribe_file(warm_up, options)  # CTranslate2's first call allocates; a kiosk pays it once
    started = time.perf_counter()
    answer = transcribe_file(path, options)
    elapsed = time.perf_counter() - started
    return {
        "model_load_s": round(load_s, 3),
        "audio_s": answer.transcript.duration,
        "transcribe_s": round(elapsed, 3),
        "real_time_factor": round(elapsed / answer.transcript.duration, 4),
    }


def _latency(path: Path, speech_end: float, model: str) -> dict[str, float]:
    options = TranscribeOptions(model=model, cpu_threads=THREADS)
    preload_model(model, THREADS)
    started = time.monotonic()
    events = listen(FileSource(path, realtime=True), options)
    answer = next(e for e in events if isinstance(e, Answer))
    finished = time.monotonic()
    endpoint = answer.endpoint
    return {
        "speech_s": round(speech_end, 2),
        "detected_speech_end_s": endpoint.speech_end,
        "trailing_silence_s": answer.transcript.endpoint_options.trailing_silence_s,
        # The wait a candidate feels, including the trailing silence that defines the end.
        "end_of_speech_to_final_s": round(finished - started - speech_end, 3),
        # The part of it that is processing: from the end-of-answer decision to the transcript.
        "decision_to_final_s": round(finished - started - endpoint.decided_at, 3),
        "finalize_s": answer.transcript.timings.finalize_s,
        "whisper_s": answer.transcript.timings.whisper_s,
        "caption_s": answer.transcript.timings.partial_s,
        "words": len(answer.transcript.words),
    }


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        short, short_end = _answer(folder, 15)
        long, long_end = _answer(folder, 60)
        figures: dict[str, object] = {"cpu_threads": THREADS}
        figures["word_error_rate"] = word_error_rates()
        for model in ("tiny.en", "base"):
            figures[f"rtf_{model}"] = _rtf(long, short, model)
        figures["latency_tiny.en_15s"] = _latency(short, short_end, "tiny.en")
        figures["latency_tiny.en_60s"] = _latency(long, long_end, "tiny.en")
        figures["latency_base_15s"] = _latency(short, short_end, "base")
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures
