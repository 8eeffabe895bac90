"""Proctoring pipeline throughput at 640x480, run live against a paced stand-in camera.

A real camera is not available on build machines, so still photos are replayed in real time
(`ImageSequenceSource(realtime=True)`): the pipeline sees a live source, drops frames if it
falls behind, and runs person detection on its background thread, as at a kiosk. Figures:
analysed frames per second, per-stage latency, person-detection rate, CPU share (process CPU
time / wall time; 1.0 = one core) and event latency (from the frame that crossed a rule's hold
time to the event's emission).
"""

from __future__ import annotations

import statistics
import time

import cv2
import numpy as np

from proctor import ImageSequenceSource, ProctorSession, Still

CAMERA_FPS = 30.0
SIZE = (640, 480)


def _scene() -> list[Still]:
    """A face, then nobody (raises no_face after its 3 s hold), then two people, then a face."""
    from skimage import data

    face = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    empty = cv2.cvtColor(data.coffee(), cv2.COLOR_RGB2BGR)
    pair = np.ascontiguousarray(np.hstack([face, face]))
    return [Still(face, 4.0), Still(empty, 4.5), Still(pair, 3.0), Still(face, 3.5)]


def _percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
    }


def run() -> dict:
    session = ProctorSession()
    source = ImageSequenceSource(_scene(), CAMERA_FPS, size=SIZE, realtime=True)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    events = [e for e in session.run(source) if e.end is not None]
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    stats = session.stats
    object_latencies = list(stats.object_runs.values())
    return {
        "resolution": f"{SIZE[0]}x{SIZE[1]}",
        "camera_fps": CAMERA_FPS,
        "media_seconds": round(source.duration, 1),
        "frames_analyzed": stats.frames_analyzed,
        "frames_dropped": stats.frames_dropped,
        "pipeline_fps": round(stats.frames_analyzed / wall, 1),
        "person_detection_hz": round(len(object_latencies) / wall, 2),
        "cpu_share": round(cpu / wall, 2),
        "stages": {
            "stats": _percentiles(stats.stage_ms.get("stats", [])),
            "face": _percentiles(stats.stage_ms.get("face", [])),
            "pose": _percentiles(stats.stage_ms.get("pose", [])),
            "person": _percentiles(object_latencies),
        },
        "event_latency": _percentiles(stats.event_latency_ms),
        "events": [f"{e.kind.value} {e.start:.1f}-{e.end:.1f}s" for e in events],
        "policy": {
            "face_max_side": session.policy.detection.face_max_side,
            "object_rate_hz": session.policy.detection.object_rate_hz,
        },
    }
