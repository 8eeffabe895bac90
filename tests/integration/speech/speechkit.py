"""Helpers for the speech integration tests: ground-truth clips, noise, WER, one-call transcription.

Speech itself is made at test time (see conftest.py); these functions only shape and score it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jiwer
import numpy as np
import soundfile as sf

from speech import (
    SAMPLE_RATE,
    Answer,
    EndpointOptions,
    SynthesisOptions,
    TranscribeOptions,
    listen,
)

#: Ordinary interview sentences; WER is computed over all of them together (corpus WER).
SENTENCES = (
    "I worked with a small team to build a new payment service for our customers.",
    "We moved the data to a new database and cut the monthly costs in half.",
    "My strongest skill is explaining technical problems in plain language.",
    "Last year I learned to test every change before it reached production.",
    "In my last job I was responsible for the support team and the weekly reports.",
    "I would like to work here because the company builds useful products.",
)
ANSWER = f"{SENTENCES[0]} {SENTENCES[1]}"

VOICES = {
    "piper": SynthesisOptions(engine="piper", fallback=False),
    "espeak-us-150": SynthesisOptions(
        engine="espeak", fallback=False, espeak_rate=150, espeak_voice="gmw/en-us"
    ),
    "espeak-gb-175": SynthesisOptions(
        engine="espeak", fallback=False, espeak_rate=175, espeak_voice="gmw/en"
    ),
}


@dataclass(frozen=True)
class Clip:
    """16 kHz speech with the ground truth a test needs."""

    audio: np.ndarray
    text: str
    speech_start: float
    speech_end: float

    @property
    def duration(self) -> float:
        return self.audio.size / SAMPLE_RATE


def voiced_span(audio: np.ndarray, floor_db: float = -35.0) -> tuple[float, float]:
    """First and last 10 ms frame whose level is within `floor_db` of the loudest frame."""
    frames = audio[: audio.size // 160 * 160].reshape(-1, 160)
    level = 10 * np.log10(np.mean(frames**2, axis=1) + 1e-12)
    loud = np.flatnonzero(level > level.max() + floor_db)
    return loud[0] * 0.01, (loud[-1] + 1) * 0.01


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def compose(speech: np.ndarray, text: str, lead_s: float, trail_s: float) -> Clip:
    start, end = voiced_span(speech)
    audio = np.concatenate([silence(lead_s), speech, silence(trail_s)]).astype(np.float32)
    return Clip(audio, text, lead_s + start, lead_s + end)


def white_noise(seconds: float, rms: float, seed: int = 0) -> np.ndarray:
    noise = np.random.default_rng(seed).standard_normal(int(seconds * SAMPLE_RATE))
    return (noise * rms).astype(np.float32)


def pink_noise(seconds: float, rms: float, seed: int = 1) -> np.ndarray:
    """1/f noise: white noise shaped in the frequency domain, scaled to `rms`."""
    n = int(seconds * SAMPLE_RATE)
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / SAMPLE_RATE)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    pink = np.fft.irfft(spectrum, n)
    return (pink / np.sqrt(np.mean(pink**2)) * rms).astype(np.float32)


def add_white_noise(clip: Clip, snr_db: float, seed: int = 2) -> Clip:
    """White noise over the whole clip at `snr_db` relative to the speech's own power."""
    start, end = (int(t * SAMPLE_RATE) for t in (clip.speech_start, clip.speech_end))
    speech_rms = float(np.sqrt(np.mean(clip.audio[start:end] ** 2)))
    noise = np.random.default_rng(seed).standard_normal(clip.audio.size)
    noise *= speech_rms / 10 ** (snr_db / 20)
    noisy = np.clip(clip.audio + noise, -1, 1).astype(np.float32)
    return Clip(noisy, clip.text, clip.speech_start, clip.speech_end)


def add_pink_noise(clip: Clip, snr_db: float, seed: int = 3) -> Clip:
    start, end = (int(t * SAMPLE_RATE) for t in (clip.speech_start, clip.speech_end))
    speech_rms = float(np.sqrt(np.mean(clip.audio[start:end] ** 2)))
    noise = pink_noise(clip.duration + 1, speech_rms / 10 ** (snr_db / 20), seed)
    noisy = np.clip(clip.audio + noise[: clip.audio.size], -1, 1).astype(np.float32)
    return Clip(noisy, clip.text, clip.speech_start, clip.speech_end)


def blocks_of(audio: np.ndarray, size: int = 1600) -> list[np.ndarray]:
    return [audio[i : i + size] for i in range(0, audio.size, size)]


def run_answer(
    audio: np.ndarray,
    options: TranscribeOptions | None = None,
    endpoint: EndpointOptions | None = None,
) -> Answer:
    """The live pipeline over in-memory blocks, captions off unless `options` asks for them."""
    options = options or TranscribeOptions(partial_interval_s=float("inf"))
    events = list(listen(blocks_of(audio), options, endpoint))
    assert isinstance(events[-1], Answer)
    return events[-1]


_NORMALISE = jiwer.Compose(
    [
        jiwer.ToLowerCase(),
        jiwer.RemovePunctuation(),
        jiwer.RemoveMultipleSpaces(),
        jiwer.Strip(),
        jiwer.ReduceToListOfListOfWords(),
    ]
)


def corpus_wer(references: list[str], hypotheses: list[str]) -> float:
    return jiwer.wer(
        references, hypotheses, reference_transform=_NORMALISE, hypothesis_transform=_NORMALISE
    )


def write_wav(path: Path, audio: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    sf.write(str(path), audio, rate, subtype="PCM_16")
    return path
