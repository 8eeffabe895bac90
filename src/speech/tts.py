"""Text to a WAV file: the piper voice by default, espeak-ng (through pyttsx3) as the fallback.

Synthesis is cached by a hash of the text, engine, voice and options, because the same questions
come back in every session and piper costs ~0.035 s per second of speech.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import shutil
import tempfile
import threading
import time
import wave
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf

from modelstore import ModelError, load_manifest, require_model
from speech.errors import SynthesisError

PIPER_MODEL = "piper-en_US-joe-medium"
_PIPER_FILE = "en_US-joe-medium.onnx"
ENGINES = ("piper", "espeak")
_ESPEAK_LOCK = threading.Lock()  # espeak-ng is a process-wide C singleton under pyttsx3


@dataclass(frozen=True)
class SynthesisOptions:
    """Which engine speaks and how; part of the cache key."""

    engine: str = "piper"
    #: Try the other engine when the chosen one fails (missing voice, broken espeak).
    fallback: bool = True
    #: piper: phoneme duration scale (> 1 is slower); None keeps the voice's own.
    length_scale: float | None = None
    #: espeak: words per minute, and an optional voice id such as "gmw/en-US".
    espeak_rate: int = 170
    espeak_voice: str | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"unknown TTS engine {self.engine!r}; choose one of {ENGINES}")


@dataclass(frozen=True)
class Speech:
    """A synthesised utterance on disk."""

    path: Path
    text: str
    engine: str
    sample_rate: int
    duration: float
    cached: bool
    synthesis_s: float
    options: SynthesisOptions
    #: Set when the requested engine failed and the other one spoke instead.
    fallback_reason: str | None = None


def default_cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("interview-kiosk")) / "tts"


def _cache_key(text: str, engine: str, options: SynthesisOptions) -> str:
    tuned = {k: v for k, v in asdict(options).items() if k not in ("engine", "fallback")}
    key = f"{engine}|{PIPER_MODEL if engine == 'piper' else 'espeak-ng'}|{sorted(tuned.items())}"
    return hashlib.sha256(f"{key}|{text}".encode()).hexdigest()[:32]


def synthesize(
    text: str,
    out: str | Path | None = None,
    options: SynthesisOptions | None = None,
    cache_dir: str | Path | None = None,
) -> Speech:
    """Speak `text` into a WAV; `out` gets a copy of the cached file when given."""
    options = options or SynthesisOptions()
    if not text.strip():
        raise SynthesisError("nothing to say: the text is empty")
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    engines = [options.engine]
    if options.fallback:
        engines += [e for e in ENGINES if e != options.engine]
    failures: list[str] = []
    for engine in engines:
        try:
            speech = _synthesize_cached(text, engine, options, cache)
        except (SynthesisError, ModelError) as error:
            failures.append(f"{engine}: {error}")
            continue
        if failures:
            speech = _with(speech, fallback_reason="; ".join(failures))
        if out is not None:
            out = Path(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(speech.path, out)
            speech = _with(speech, path=out)
        return speech
    raise SynthesisError("no text-to-speech engine worked: " + "; ".join(failures))


def _with(speech: Speech, **changes: Any) -> Speech:
    return Speech(**{**speech.__dict__, **changes})


def _synthesize_cached(text: str, engine: str, options: SynthesisOptions, cache: Path) -> Speech:
    target = cache / f"{_cache_key(text, engine, options)}.wav"
    started = time.perf_counter()
    cached = target.is_file()
    if not cached:
        with tempfile.TemporaryDirectory(dir=cache) as scratch:
            staging = Path(scratch) / "speech.wav"
            if engine == "piper":
                _piper_to_wav(text, staging, options)
            else:
                _espeak_to_wav(text, staging, options)
            _require_audio(staging, engine)
            staging.replace(target)  # atomic: the cache never holds half a file
    info = sf.info(str(target))
    return Speech(
        path=target,
        text=text,
        engine=engine,
        sample_rate=info.samplerate,
        duration=round(info.duration, 3),
        cached=cached,
        synthesis_s=round(time.perf_counter() - started, 4),
        options=options,
    )


def _require_audio(path: Path, engine: str) -> None:
    try:
        frames = sf.info(str(path)).frames if path.is_file() else 0
    except sf.LibsndfileError as error:
        raise SynthesisError(f"{engine} wrote an unreadable WAV: {error}") from error
    if frames == 0:
        raise SynthesisError(f"{engine} produced no audio")


@lru_cache(maxsize=2)
def _piper_voice(models_dir: Path) -> Any:
    from piper import PiperVoice

    folder = require_model(PIPER_MODEL, models_dir)
    return PiperVoice.load(folder / _PIPER_FILE)


def _piper_to_wav(text: str, path: Path, options: SynthesisOptions) -> None:
    from piper import SynthesisConfig

    voice = _piper_voice(load_manifest().models_dir)
    config = SynthesisConfig(length_scale=options.length_scale)
    with wave.open(str(path), "wb") as wav:
        voice.synthesize_wav(text, wav, syn_config=config)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _espeak_to_wav(text: str, path: Path, options: SynthesisOptions) -> None:
    """pyttsx3's espeak driver, with its traps handled.

    Trap: given a multi-sentence text, pyttsx3's `runAndWait()` on some systems writes no file,
    and on others a file holding only the first sentence (MODELS.md; seen on CI). Both pass a
    "some audio was written" check, so we always synthesise sentence by sentence and join the
    pieces, which does not depend on pyttsx3 internals. pyttsx3 also prints a line per saved
    file, which would pollute `kiosk say`'s output, so stdout is silenced around it.
    """
    sentences = [s for s in _SENTENCE_END.split(text.strip()) if s] or [text]
    with _ESPEAK_LOCK:
        engine = _pyttsx3_engine()
        engine.setProperty("rate", options.espeak_rate)
        if options.espeak_voice:
            engine.setProperty("voice", options.espeak_voice)
        pieces = []
        for index, sentence in enumerate(sentences):
            piece = path.with_name(f"sentence{index}.wav")
            _espeak_save(engine, sentence, piece)
            if not _has_audio(piece):
                raise SynthesisError(f"espeak-ng (pyttsx3) wrote no audio for sentence {index + 1}")
            pieces.append(sf.read(str(piece), dtype="int16"))
        rate = pieces[0][1]
        sf.write(str(path), np.concatenate([p[0] for p in pieces]), rate, subtype="PCM_16")


def _pyttsx3_engine() -> Any:
    try:
        import pyttsx3

        return pyttsx3.init("espeak")
    except Exception as error:  # missing libespeak-ng raises OSError, RuntimeError or KeyError
        raise SynthesisError(f"espeak-ng is not usable through pyttsx3: {error}") from error


def _espeak_save(engine: Any, text: str, path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        engine.save_to_file(text, str(path))
        engine.runAndWait()


def _has_audio(path: Path) -> bool:
    try:
        return path.is_file() and sf.info(str(path)).frames > 0
    except sf.LibsndfileError:
        return False
