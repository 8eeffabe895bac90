"""Frame hand-over and the non-camera sources, with synthetic frames."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from proctor import CameraError, CameraSource, ImageSequenceSource, SourceStatus, Still
from proctor.frames import Frame, SourceState
from proctor.queues import LatestFrameQueue, ThreadedReader

IMAGE = np.zeros((48, 64, 3), np.uint8)


def _frame(index: int) -> Frame:
    return Frame(IMAGE, index / 10, index, time.monotonic())


def test_latest_frame_queue_drops_the_oldest_and_counts():
    queue = LatestFrameQueue(2)
    status = SourceStatus(SourceState.LOST, 0.0, "gone")
    for item in (_frame(0), status, _frame(1), _frame(2), _frame(3)):
        queue.put(item)
    assert queue.dropped == 2
    got = [queue.get(0) for _ in range(3)]
    assert got[0] is status  # status items are never dropped
    assert [f.index for f in got[1:]] == [2, 3]
    assert queue.get(0.01) is None


def test_file_mode_queue_blocks_instead_of_dropping():
    queue = LatestFrameQueue(1, drop_oldest=False)
    stop = threading.Event()
    queue.put(_frame(0))
    threading.Timer(0.2, stop.set).start()
    assert queue.put(_frame(1), stop) is False  # gave up only because of stop
    assert queue.dropped == 0


class _Failing:
    live = False

    def frames(self):
        yield _frame(0)
        raise OSError("disk gone")

    def close(self) -> None:
        pass


def test_reader_thread_hands_its_error_to_the_consumer():
    with ThreadedReader(_Failing()) as reader:
        items = reader.items()
        assert next(items).index == 0
        with pytest.raises(OSError, match="disk gone"):
            next(items)


def test_image_sequence_timestamps_and_noise():
    source = ImageSequenceSource([Still(IMAGE, 1.0), Still(IMAGE + 100, 0.5)], fps=4)
    frames = list(source.frames())
    assert [f.timestamp for f in frames] == [0, 0.25, 0.5, 0.75, 1.0, 1.25]
    assert not np.array_equal(frames[0].image, frames[1].image)  # sensor noise
    assert frames[4].image.mean() > 90
    frozen = list(ImageSequenceSource([Still(IMAGE, 1.0)], fps=4, sensor_noise=0).frames())
    assert all(np.array_equal(f.image, IMAGE) for f in frozen)


def test_image_sequence_fits_frames_to_a_size():
    (frame, *_) = ImageSequenceSource([Still(IMAGE, 1.0)], fps=1, size=(320, 240)).frames()
    assert frame.size == (320, 240)


def test_realtime_sequence_is_paced_and_stoppable():
    source = ImageSequenceSource([Still(IMAGE, 10.0)], fps=10, realtime=True)
    started = time.monotonic()
    frames = source.frames()
    next(frames), next(frames), next(frames)
    assert time.monotonic() - started >= 0.19
    source.close()
    assert list(frames) == []


class FakeCapture:
    def __init__(self, reads: list[bool], opened: bool = True) -> None:
        self.reads, self.opened = list(reads), opened

    def isOpened(self) -> bool:
        return self.opened

    def read(self):
        ok = self.reads.pop(0) if self.reads else False
        return ok, IMAGE if ok else None

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        pass


def test_camera_reports_lost_and_restored_and_reconnects():
    captures = iter(
        [FakeCapture([True, True, False]), FakeCapture([], opened=False), FakeCapture([True])]
    )
    source = CameraSource(0, backoff=(0.01,), capture_factory=lambda _: next(captures))
    items = source.frames()
    kinds = [
        item.state if isinstance(item, SourceStatus) else "frame"
        for item in (next(items) for _ in range(5))
    ]
    source.close()
    assert kinds == ["frame", "frame", SourceState.LOST, SourceState.RESTORED, "frame"]


def test_camera_that_never_opens_is_a_camera_error():
    source = CameraSource(3, capture_factory=lambda _: FakeCapture([], opened=False))
    with pytest.raises(CameraError, match="camera 3 could not be opened"):
        next(source.frames())
