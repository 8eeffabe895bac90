"""Text to a WAV file: the piper voice by default, espeak-ng (its own command) as the fallback.

Synthesis is cached by a hash of the text, engine, voice and options, because the same questions
come back in every session and piper costs ~0.035 s per second of speech.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
import time
import wave
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import soundfile as sf

from modelstore import ModelError, load_manifest, require_model
from speech.errors import SynthesisError

PIPER_MODEL = "piper-en_US-joe-medium"
_PIPER_FILE = "en_US-joe-medium.onnx"
ENGINES = ("piper", "espeak")
#: Seconds espeak-ng may take for one text (it speaks ~20x faster than real time).
ESPEAK_TIMEOUT_S = 120.0


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
    # "espeak-ng-cli": WAVs cached from the pyttsx3 renderer, some cut short, are not reused
    renderer = PIPER_MODEL if engine == "piper" else "espeak-ng-cli"
    key = f"{engine}|{renderer}|{sorted(tuned.items())}"
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


def _espeak_to_wav(text: str, path: Path, options: SynthesisOptions) -> None:
    """espeak-ng's own command line, one process per text, the text on its standard input.

    Not in process through pyttsx3, as before: there espeak-ng is one C singleton per process,
    and one caller could leave it broken for every later one (in full test runs a worker's
    later texts came out as empty files while the same texts alone were spoken), and a
    multi-sentence text wrote no file, or only its first sentence, on some systems. A process
    per text shares nothing and writes the whole text before it exits. The text goes through
    stdin, so a text that starts with "-" is never read as an option.
    """
    binary = shutil.which("espeak-ng")
    if binary is None:
        raise SynthesisError(
            "espeak-ng is not installed: install it (Debian/Ubuntu: apt install espeak-ng)"
        )
    command = [binary, "--stdin", "-b", "1", "-s", str(options.espeak_rate), "-w", str(path)]
    if options.espeak_voice:
        command += ["-v", options.espeak_voice]
    try:
        done = subprocess.run(
            command, input=text.encode("utf-8"), capture_output=True,
            timeout=ESPEAK_TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SynthesisError(
            f"espeak-ng took over {ESPEAK_TIMEOUT_S:.0f} s and was stopped"
        ) from error
    said = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode != 0 or not _has_audio(path):  # e.g. an unknown voice (exit code 1)
        detail = f": {said[-300:]}" if said else ""
        raise SynthesisError(f"espeak-ng wrote no audio (exit code {done.returncode}){detail}")


def _has_audio(path: Path) -> bool:
    try:
        return path.is_file() and sf.info(str(path)).frames > 0
    except sf.LibsndfileError:
        return False
