"""One cached loader per model; each verifies its files through `modelstore.require_model`.

Caches are keyed by the resolved models folder, so pointing KIOSK_MODELS_DIR elsewhere (a test,
an installed kiosk) is honoured rather than served from an earlier folder's cache.

A missing or damaged file raises `modelstore.ModelError` naming the file and the fix before any
library tries to parse it, so the kiosk reports "run `make models`" rather than an OpenCV trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import onnxruntime as ort

from modelstore import ModelError, load_manifest, require_model
from modelstore.manifest import default_models_dir
from proctor.runtime import limit_opencv_threads, single_thread_session_options

YUNET_MODEL = "yunet-face"
YUNET_FILE = "face_detection_yunet_2023mar.onnx"
PERSON_MODEL = "yolo-person-416"
OBJECT_MODEL = "coco-yolov3-tiny"
DLIB_MODEL = "dlib-face-recognition"


def yunet_path(models_dir: Path | None = None) -> Path:
    """Path of the verified YuNet ONNX file (each detector builds its own cv2 object)."""
    return _yunet_path(models_dir or default_models_dir())


@lru_cache(maxsize=4)
def _yunet_path(models_dir: Path) -> Path:
    limit_opencv_threads()
    return require_model(YUNET_MODEL, models_dir) / YUNET_FILE


def _onnx_file(model: str, models_dir: Path | None) -> Path:
    """The verified .onnx file of a manifest model, or an explicit .onnx path as given.

    A path lets an operator try a detector (e.g. a COCO export) before it is in the manifest.
    """
    if model.endswith(".onnx"):
        path = Path(model).expanduser()
        if not path.is_file():
            raise FileNotFoundError(f"object detector {path} does not exist")
        return path
    require_model(model, models_dir)
    manifest = load_manifest(models_dir)
    onnx = [
        manifest.models_dir / f.path for f in manifest.files_of(model) if f.path.endswith(".onnx")
    ]
    if len(onnx) != 1:
        raise ModelError(f"model {model!r} should list exactly one .onnx file, found {onnx}")
    return onnx[0]


def yolo_session(model: str = OBJECT_MODEL, models_dir: Path | None = None) -> ort.InferenceSession:
    """A single-threaded ONNX Runtime session for a YOLO detector (manifest name or path).

    A session is called from one thread at a time; the proctor runs each model on one thread.
    """
    return _yolo_session(model, models_dir or default_models_dir())


@lru_cache(maxsize=4)
def _yolo_session(model: str, models_dir: Path) -> ort.InferenceSession:
    return ort.InferenceSession(
        str(_onnx_file(model, models_dir)),
        single_thread_session_options(),
        providers=["CPUExecutionProvider"],
    )


@dataclass(frozen=True)
class DlibFaceModels:
    """dlib's 5-point shape predictor and ResNet face descriptor, loaded together."""

    shape_predictor: Any
    descriptor: Any


def dlib_face_models(models_dir: Path | None = None) -> DlibFaceModels:
    return _dlib_face_models(models_dir or default_models_dir())


@lru_cache(maxsize=2)
def _dlib_face_models(models_dir: Path) -> DlibFaceModels:
    import dlib  # imported here: only ID verification needs it, and it costs ~0.1 s

    folder = require_model(DLIB_MODEL, models_dir)
    return DlibFaceModels(
        shape_predictor=dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat")),
        descriptor=dlib.face_recognition_model_v1(
            str(folder / "dlib_face_recognition_resnet_model_v1.dat")
        ),
    )
