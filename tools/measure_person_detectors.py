"""Person counts and latency of YOLO detectors on the labelled evaluation photos.

Used to choose the person detector and its input size (docs/proctoring.md). Each argument is
`LABEL=MODEL[@SIZE]`: a manifest model name or an .onnx path, and for models whose input size
is not fixed, the size to run at. Photos are letterboxed into 640x480 first, as a webcam frame.

    .venv/bin/python tools/measure_person_detectors.py coco=coco-yolov3-tiny@416 \
        v8s-416=yolo-person-416 v8s-640=/path/to/export_640.onnx
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import proctor_eval as pe

from proctor import load_policy
from proctor.detections import ObjectCategory
from proctor.objects import ClassMap, ObjectDetector
from proctor.sources import fit_to

PHOTOS = [*pe.PHOTOS, "two-people"]


def measure(model: str, size: int | None) -> dict[str, object]:
    policy = load_policy()
    detector = ObjectDetector(
        ClassMap.of(policy.objects.person, policy.objects.banned),
        model=model,
        score_threshold=policy.detection.object_score,
        input_size=size,
    )
    counts, latencies = {}, []
    for name in PHOTOS:
        frame = fit_to(pe.load(name), pe.FRAME_SIZE)
        detector.detect(frame)  # warm-up
        for _ in range(3):
            started = time.perf_counter()
            found = detector.detect(frame)
            latencies.append((time.perf_counter() - started) * 1000)
        counts[name] = sum(d.category is ObjectCategory.PERSON for d in found)
    truth = {name: pe.photo(name).persons for name in PHOTOS}
    return {
        "side": detector.side,
        "persons_found": sum(min(counts[n], truth[n]) for n in PHOTOS),
        "persons_labelled": sum(truth.values()),
        "false_persons": sum(max(0, counts[n] - truth[n]) for n in PHOTOS),
        "two_or_more_right": sum((counts[n] >= 2) == (truth[n] >= 2) for n in PHOTOS),
        "photos": len(PHOTOS),
        "median_ms_one_thread": round(statistics.median(latencies), 1),
        "counts": counts,
    }


def main(argv: list[str]) -> int:
    results = {}
    for argument in argv:
        label, _, spec = argument.partition("=")
        model, _, size = spec.partition("@")
        results[label] = measure(model, int(size) if size else None)
    json.dump(results, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
