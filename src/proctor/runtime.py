"""Keep inference to one thread per model so the whole pipeline fits in about one core.

The kiosk also records audio, transcribes and renders the UI on the same small machine; letting
OpenCV and ONNX Runtime each spawn a thread per core would make them fight over it.
"""

from __future__ import annotations

import cv2
import onnxruntime as ort


def limit_opencv_threads() -> None:
    """OpenCV's own parallel loops (resize, DNN) run on the calling thread only.

    OpenCV's warnings (a camera index that does not open, a backend note) are silenced too: the
    proctor turns those failures into its own clear errors and events.
    """
    cv2.setNumThreads(1)
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


def single_thread_session_options() -> ort.SessionOptions:
    """Session options for a sequential, single-threaded ONNX Runtime session."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return options
