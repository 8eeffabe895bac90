"""Questions read aloud: synthesised on the kiosk, played when there are speakers, else shown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from speech import SpeechError, SynthesisOptions, play, synthesize


@dataclass(frozen=True)
class Spoken:
    spoken: bool
    reason: str  # empty when spoken; otherwise why the question was only shown
    seconds: float


class QuestionVoice:
    """Piper by default (espeak-ng as fallback, inside `speech.synthesize`)."""

    def __init__(
        self,
        cache_dir: Path | None = None,
        options: SynthesisOptions | None = None,
        output_device: int | str | None = None,
    ) -> None:
        self._cache_dir = cache_dir
        self._options = options or SynthesisOptions()
        self._device = output_device

    def speak(self, text: str) -> Spoken:
        try:
            speech = synthesize(text, options=self._options, cache_dir=self._cache_dir)
        except SpeechError as error:
            return Spoken(False, f"text-to-speech failed ({error}); shown on screen only", 0.0)
        playback = play(speech.path, device=self._device)
        return Spoken(playback.spoken, playback.reason or "", playback.duration)
