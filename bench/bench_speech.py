"""Speech figures: Whisper real-time factor, end-of-speech-to-transcript latency, peak memory.

Answers are synthesised with the piper voice, then replayed in real time through `FileSource`
(captions on, as in the kiosk), so the latency is what a candidate would wait for.
"""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

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
        for model in ("tiny.en", "base"):
            figures[f"rtf_{model}"] = _rtf(long, short, model)
        figures["latency_tiny.en_15s"] = _latency(short, short_end, "tiny.en")
        figures["latency_tiny.en_60s"] = _latency(long, long_end, "tiny.en")
        figures["latency_base_15s"] = _latency(short, short_end, "base")
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures
