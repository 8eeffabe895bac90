"""A stand-in for the `sounddevice` module: devices, a test-driven input stream, playback."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np


class FakeInputStream:
    """Mimics sounddevice.InputStream: the test pushes audio with `feed` and can `unplug` it."""

    def __init__(self, backend: FakeSoundDevice, **kwargs: Any) -> None:
        self.backend = backend
        self.kwargs = kwargs
        self.callback = kwargs["callback"]
        self.finished_callback = kwargs.get("finished_callback")
        self.started = self.closed = False
        backend.streams.append(self)

    def start(self) -> None:
        if self.backend.fail_open:
            raise RuntimeError("Invalid sample rate")
        self.started = True
        for block in self.backend.burst:  # audio that arrives before the consumer reads any
            self.feed(block)

    def stop(self) -> None:
        self.started = False

    def close(self) -> None:
        self.closed = True

    def feed(self, samples: np.ndarray) -> None:
        """Deliver one block from a 'PortAudio thread' (here: the caller's)."""
        self.callback(samples.reshape(-1, 1).astype(np.float32), samples.size, None, None)

    def unplug(self) -> None:
        """The device vanished: PortAudio ends the stream by itself."""
        self.started = False
        threading.Thread(target=self.finished_callback).start()


class FakeSoundDevice:
    """Just enough of the sounddevice module for MicrophoneSource and play()."""

    def __init__(self, devices: list[dict[str, Any]], default_input: int = -1) -> None:
        self.devices = devices
        self.default = type("Default", (), {"device": [default_input, -1]})()
        self.streams: list[FakeInputStream] = []
        self.played: list[tuple[np.ndarray, int, Any]] = []
        self.fail_open = False
        self.burst: list[np.ndarray] = []

    def query_devices(self) -> list[dict[str, Any]]:
        return self.devices

    def InputStream(self, **kwargs: Any) -> FakeInputStream:
        return FakeInputStream(self, **kwargs)

    def play(self, data: np.ndarray, rate: int, device: Any = None, blocking: bool = False) -> None:
        self.played.append((data, rate, device))


def device(name: str, inputs: int = 1, outputs: int = 0) -> dict[str, Any]:
    return {
        "name": name,
        "max_input_channels": inputs,
        "max_output_channels": outputs,
        "default_samplerate": 48_000.0,
    }
