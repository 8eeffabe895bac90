"""A live microphone as an `AudioSource`, fed from PortAudio's callback thread by a bounded queue.

The callback never blocks: when the consumer falls behind, the oldest block is dropped (and
counted) so the newest audio, which the endpointer needs, always gets through. A device that
vanishes mid-answer is reported as `AudioDeviceError` from the iterator only after every block
captured before the loss has been yielded, so no answer audio is thrown away.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from speech.errors import AudioDeviceError
from speech.source import BLOCK_SAMPLES, SAMPLE_RATE, as_block

_STOP = object()  # sentinel: the stream finished (closed by us, or lost)


@dataclass(frozen=True)
class InputDevice:
    """An input device as PortAudio lists it."""

    index: int
    name: str
    channels: int
    default_rate: float


def _backend(backend: ModuleType | Any | None) -> Any:
    if backend is not None:
        return backend
    import sounddevice  # imported late: PortAudio is loaded only when a microphone is wanted

    return sounddevice


def list_input_devices(backend: Any | None = None) -> tuple[InputDevice, ...]:
    """Every device with at least one input channel; empty on a machine without sound hardware."""
    sd = _backend(backend)
    try:
        devices = sd.query_devices()
    except Exception as error:  # PortAudio raises its own error type when it cannot enumerate
        raise AudioDeviceError(f"cannot list audio devices: {error}") from error
    return tuple(
        InputDevice(i, d["name"], int(d["max_input_channels"]), float(d["default_samplerate"]))
        for i, d in enumerate(devices)
        if d["max_input_channels"] > 0
    )


def describe_devices(devices: tuple[InputDevice, ...]) -> str:
    if not devices:
        return "this machine has no audio input devices at all"
    return "input devices present: " + "; ".join(f"[{d.index}] {d.name}" for d in devices)


def resolve_input_device(device: int | str | None, backend: Any | None = None) -> InputDevice:
    """Find the device by index or case-insensitive name fragment, or raise naming the options."""
    devices = list_input_devices(backend)
    if device is None:
        if not devices:
            raise AudioDeviceError(f"no microphone: {describe_devices(devices)}")
        default = _default_input_index(backend)
        return next((d for d in devices if d.index == default), devices[0])
    if isinstance(device, int):
        found = [d for d in devices if d.index == device]
    else:
        found = [d for d in devices if device.lower() in d.name.lower()]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = "; ".join(f"[{d.index}] {d.name}" for d in found)
        raise AudioDeviceError(f"input device {device!r} is ambiguous, it matches: {names}")
    raise AudioDeviceError(f"input device {device!r} not found; {describe_devices(devices)}")


def _default_input_index(backend: Any | None) -> int | None:
    default = _backend(backend).default.device
    index = default[0] if isinstance(default, list | tuple) else default
    return int(index) if index is not None and int(index) >= 0 else None


class MicrophoneSource:
    """Capture 16 kHz mono float32 from an input device; iterate to receive blocks."""

    def __init__(
        self,
        device: int | str | None = None,
        *,
        block_samples: int = BLOCK_SAMPLES,
        max_queued_blocks: int = 300,
        stall_timeout_s: float = 2.0,
        backend: Any | None = None,
    ) -> None:
        self._sd = _backend(backend)
        self.device = resolve_input_device(device, self._sd)
        self.block_samples = block_samples
        self.stall_timeout_s = stall_timeout_s
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_queued_blocks)
        self._drop_lock = threading.Lock()
        self._dropped = 0
        self._closing = threading.Event()
        self._lost: str | None = None
        self._stream: Any = None

    @property
    def dropped_blocks(self) -> int:
        """Blocks discarded because the consumer was slower than the microphone."""
        return self._dropped

    def __iter__(self) -> Iterator[np.ndarray]:
        self._open()
        try:
            yield from self._drain()
        finally:
            self.close()

    def close(self) -> None:
        """Stop capturing; the iterator ends after the blocks already queued."""
        self._closing.set()
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
            finally:
                stream.close()
        self._put(_STOP)

    def __enter__(self) -> MicrophoneSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> None:
        try:
            self._stream = self._sd.InputStream(
                device=self.device.index,
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="float32",
                blocksize=self.block_samples,
                callback=self._on_audio,
                finished_callback=self._on_finished,
            )
            self._stream.start()
        except Exception as error:  # PortAudioError, or a fake's error in tests
            raise AudioDeviceError(
                f"cannot open input device [{self.device.index}] {self.device.name} at "
                f"{SAMPLE_RATE} Hz mono: {error}"
            ) from error

    def _drain(self) -> Iterator[np.ndarray]:
        last_audio = time.monotonic()
        while True:
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self._closing.is_set():
                    return
                if time.monotonic() - last_audio > self.stall_timeout_s:
                    self._lost = self._lost or (
                        f"delivered no audio for {self.stall_timeout_s:.1f} s"
                    )
                    self._raise_lost()
                continue
            if item is _STOP:
                if self._lost is not None:
                    self._raise_lost()
                return
            last_audio = time.monotonic()
            yield item  # type: ignore[misc]

    def _raise_lost(self) -> None:
        raise AudioDeviceError(
            f"input device [{self.device.index}] {self.device.name} disappeared mid-answer "
            f"({self._lost}); the audio captured before that was kept"
        )

    def _on_audio(self, indata: np.ndarray, frames: int, time_info: Any, status: Any) -> None:
        """PortAudio thread: copy (the buffer is reused) and enqueue without ever blocking."""
        del frames, time_info, status  # input overflows show up as dropped blocks instead
        self._put(as_block(indata[:, 0]).copy())

    def _on_finished(self) -> None:
        """PortAudio thread: the stream ended; if we did not ask for it, the device is gone."""
        if not self._closing.is_set():
            self._lost = "the audio stream stopped by itself"
        self._put(_STOP)

    def _put(self, item: object) -> None:
        with self._drop_lock:
            while True:
                try:
                    self._queue.put_nowait(item)
                    return
                except queue.Full:
                    try:
                        self._queue.get_nowait()
                        self._dropped += 1
                    except queue.Empty:
                        pass
