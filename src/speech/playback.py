"""Play a WAV through the default (or a named) output device, or say honestly why it was not.

A kiosk without speakers still runs the interview: the question is shown on screen, and the
`Playback` result records that it was not spoken and why, for the session log and the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import soundfile as sf


@dataclass(frozen=True)
class Playback:
    """Whether the audio was heard; when not, the question was only shown, for `reason`."""

    spoken: bool
    reason: str | None
    duration: float
    device: str | None = None


def _backend(backend: Any | None) -> Any:
    if backend is not None:
        return backend
    import sounddevice

    return sounddevice


def list_output_devices(backend: Any | None = None) -> tuple[str, ...]:
    try:
        devices = _backend(backend).query_devices()
    except Exception:  # PortAudio could not enumerate: same as having none
        return ()
    return tuple(d["name"] for d in devices if d["max_output_channels"] > 0)


def play(path: str | Path, device: int | str | None = None, backend: Any | None = None) -> Playback:
    """Play `path` to the end; never raises for a missing or failing output device."""
    data, rate = sf.read(str(path), dtype="float32")
    duration = round(len(data) / rate, 3)
    sd = _backend(backend)
    outputs = list_output_devices(sd)
    if not outputs:
        return Playback(False, "no audio output device on this machine; shown on screen only",
                        duration)
    try:
        sd.play(data, rate, device=device, blocking=True)
    except Exception as error:  # PortAudioError or ValueError for an unknown device
        return Playback(False, f"audio output failed ({error}); shown on screen only", duration)
    name = device if isinstance(device, str) else outputs[0] if device is None else str(device)
    return Playback(True, None, duration, device=name)
