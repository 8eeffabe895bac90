"""MicrophoneSource against a fake sounddevice: device choice, drops, and a device that vanishes."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from tests.unit.speech.fakes import FakeSoundDevice, device

from speech import AudioDeviceError, MicrophoneSource
from speech.microphone import resolve_input_device


def _backend() -> FakeSoundDevice:
    return FakeSoundDevice(
        [device("HDA Intel PCH: ALC892 Analog"), device("HDMI 0", 0, 2), device("USB Headset")],
        default_input=0,
    )


def test_unknown_name_lists_the_input_devices_that_exist() -> None:
    with pytest.raises(AudioDeviceError) as caught:
        MicrophoneSource("Blue Yeti", backend=_backend())
    message = str(caught.value)
    assert "'Blue Yeti' not found" in message
    assert "[0] HDA Intel PCH: ALC892 Analog" in message and "[2] USB Headset" in message
    assert "HDMI" not in message  # output-only devices are not offered as microphones


def test_no_devices_at_all_is_said_plainly() -> None:
    with pytest.raises(AudioDeviceError, match="no audio input devices at all"):
        MicrophoneSource("USB Headset", backend=FakeSoundDevice([]))
    with pytest.raises(AudioDeviceError, match="no audio input devices at all"):
        MicrophoneSource(backend=FakeSoundDevice([]))


def test_device_by_name_fragment_index_or_default() -> None:
    backend = _backend()
    assert resolve_input_device("usb", backend).index == 2
    assert resolve_input_device(0, backend).name.startswith("HDA")
    assert resolve_input_device(None, backend).index == 0
    with pytest.raises(AudioDeviceError, match="not found"):
        resolve_input_device(1, backend)  # HDMI has no input channels


def test_stream_opens_at_16k_mono_float32_and_yields_blocks() -> None:
    backend = _backend()
    mic = MicrophoneSource("usb", backend=backend)
    blocks = iter(mic)
    feeder = threading.Timer(0.05, lambda: backend.streams[0].feed(np.full(1600, 0.25)))
    feeder.start()
    first = next(blocks)
    stream = backend.streams[0]
    assert stream.kwargs["samplerate"] == 16_000 and stream.kwargs["channels"] == 1
    assert stream.kwargs["dtype"] == "float32" and stream.kwargs["device"] == 2
    assert first.dtype == np.float32 and first.shape == (1600,) and first[0] == 0.25
    mic.close()
    assert list(blocks) == []
    assert stream.closed


def test_slow_consumer_drops_the_oldest_blocks_and_counts_them() -> None:
    backend = _backend()
    backend.burst = [np.full(1600, float(i)) for i in range(8)]  # 8 blocks before the first read
    mic = MicrophoneSource(backend=backend, max_queued_blocks=5)
    blocks = iter(mic)
    first = next(blocks)
    assert mic.dropped_blocks == 3
    assert first[0] == 3.0  # blocks 0..2 were dropped, the newest five kept
    mic.close()
    assert [b[0] for b in blocks] == [4.0, 5.0, 6.0, 7.0]


def test_device_lost_mid_answer_keeps_audio_then_raises() -> None:
    backend = _backend()
    mic = MicrophoneSource(backend=backend)
    received = []

    def speak_then_unplug() -> None:
        for i in range(3):
            backend.streams[0].feed(np.full(1600, float(i)))
        backend.streams[0].unplug()

    blocks = iter(mic)
    threading.Timer(0.05, speak_then_unplug).start()
    with pytest.raises(AudioDeviceError, match="disappeared mid-answer") as caught:
        received.extend(blocks)
    assert [b[0] for b in received] == [0.0, 1.0, 2.0]
    assert "HDA Intel" in str(caught.value)


def test_device_that_stalls_is_reported_as_lost() -> None:
    mic = MicrophoneSource(backend=_backend(), stall_timeout_s=0.3)
    with pytest.raises(AudioDeviceError, match=r"no audio for 0\.3 s"):
        list(mic)


def test_device_that_refuses_to_open_names_itself() -> None:
    backend = _backend()
    backend.fail_open = True
    with pytest.raises(AudioDeviceError, match=r"cannot open input device \[0\].*Invalid sample"):
        next(iter(MicrophoneSource(backend=backend)))
