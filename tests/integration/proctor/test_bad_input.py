"""Bad input ends in a clear error or an event, never a crash or a hang."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from contract.proctoring import EventKind
from modelstore import ModelDamagedError, ModelMissingError
from proctor import CameraError, CameraSource, ProctorSession, VideoError, VideoFileSource
from proctor.idcheck import IdVerifier

from .conftest import REPO, with_object_rate


class UnpluggableCapture:
    """A fake cv2.VideoCapture that serves `frames` frames, then fails like an unplugged one."""

    def __init__(self, image: np.ndarray | None, frames: int) -> None:
        self.image, self.left = image, frames

    def isOpened(self) -> bool:
        return self.image is not None

    def read(self):
        threading.Event().wait(0.02)  # ~50 fps, like a real camera paces reads
        if self.left <= 0:
            return False, None
        self.left -= 1
        return True, self.image

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.left = 0


def test_camera_index_that_does_not_exist():
    with pytest.raises(CameraError, match="camera 97 could not be opened"):
        CameraSource(97).open_or_raise()


def test_session_on_missing_camera_raises_camera_error(policy):
    session = ProctorSession(with_object_rate(policy, 1.0))
    with pytest.raises(CameraError, match="no such device"):
        list(session.run(CameraSource(97)))


def test_camera_unplugged_mid_session_is_an_event(photos, policy):
    image = np.ascontiguousarray(photos["astronaut"])
    captures = iter(
        [UnpluggableCapture(image, 10), UnpluggableCapture(image, 0), UnpluggableCapture(image, 10)]
    )
    unplugged = UnpluggableCapture(None, 0)
    source = CameraSource(
        0, backoff=(0.05,), capture_factory=lambda _index: next(captures, unplugged)
    )
    session = ProctorSession(with_object_rate(policy, 1.0))
    lost = []
    for event in session.run(source):
        if event.kind is EventKind.CAMERA_LOST:
            lost.append(event)
            if event.end is not None:
                session.stop()  # the UI's quit(): the run ends and closes what is open
    assert [e.end is None for e in lost] == [True, False]  # announced, then closed on return
    final = lost[-1]
    assert 0.1 <= final.duration < 2.0
    assert "stopped delivering frames" in final.detail


def test_corrupt_video(tmp_path):
    corrupt = tmp_path / "broken.mp4"
    corrupt.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 20)
    with pytest.raises(VideoError, match="corrupt"):
        VideoFileSource(corrupt)
    with pytest.raises(VideoError, match="does not exist"):
        VideoFileSource(tmp_path / "absent.mp4")


BREAKABLE_MODELS = frozenset({"yunet", "yolov3-tiny", "yolo", "dlib"})


@pytest.fixture()
def models_copy(tmp_path, monkeypatch) -> Path:
    """A models folder the test may break, selected through KIOSK_MODELS_DIR.

    Only the proctor's own models are copied, since those are what these tests break;
    the speech and judge models (over a gigabyte) are linked read-only, so a run of the
    suite does not fill the disk with copies.
    """
    folder = tmp_path / "models"
    folder.mkdir()
    for model in (REPO / "models").iterdir():
        if model.name in BREAKABLE_MODELS:
            shutil.copytree(model, folder / model.name)
        else:
            (folder / model.name).symlink_to(model, target_is_directory=model.is_dir())
    monkeypatch.setenv("KIOSK_MODELS_DIR", str(folder))
    return folder


def test_missing_model_file_names_it_and_the_fix(models_copy, policy):
    (models_copy / "yunet" / "face_detection_yunet_2023mar.onnx").unlink()
    with pytest.raises(ModelMissingError, match=r"face_detection_yunet_2023mar\.onnx.*make models"):
        ProctorSession(policy)


def test_damaged_model_file_is_refused(models_copy, policy):
    path = models_copy / "yolov3-tiny" / "yolov3-tiny-coco.onnx"
    data = bytearray(path.read_bytes())
    data[1000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelDamagedError, match=r"yolov3-tiny-coco\.onnx is damaged"):
        ProctorSession(policy)


def test_missing_face_recognition_model(models_copy, policy):
    (models_copy / "dlib" / "dlib_face_recognition_resnet_model_v1.dat").unlink()
    with pytest.raises(ModelMissingError, match="dlib-face-recognition"):
        IdVerifier(policy)
