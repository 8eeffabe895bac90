"""Re-export an Ultralytics YOLO checkpoint (.pt) to ONNX at a chosen input size.

The person detector's package ships its weights as a PyTorch checkpoint and a 640-input ONNX
export; a smaller input runs several times faster (docs/proctoring.md has the measurements), so
provisioning re-exports the checkpoint. This runs only inside the throwaway environment that
`modelstore.provision` builds (torch, ultralytics): the kiosk never imports either.

Ultralytics stamps the export time into the model's metadata (`date`); that is the only part
that differs between two exports of the same checkpoint with the same versions (checked by
exporting twice), so it is removed to make the file byte-deterministic and its sha256 pinnable.

    python -m modelstore.convert.ultralytics_export --weights best.pt --imgsz 416 --out x.onnx
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

#: Metadata Ultralytics writes that changes on every export; everything else is kept.
VOLATILE_METADATA = ("date",)


def export(weights: Path, imgsz: int, out: Path, opset: int = 17) -> None:
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        # offline, and settings kept out of the user's home directory
        os.environ.setdefault("YOLO_OFFLINE", "1")
        os.environ["YOLO_CONFIG_DIR"] = str(folder / "config")
        from ultralytics import YOLO

        checkpoint = folder / "model.pt"
        shutil.copyfile(weights, checkpoint)
        exported = YOLO(str(checkpoint)).export(
            format="onnx", imgsz=imgsz, opset=opset, simplify=True, dynamic=False, device="cpu"
        )
        strip_volatile_metadata(Path(exported), out)


def strip_volatile_metadata(source: Path, out: Path) -> None:
    import onnx

    model = onnx.load(str(source))
    kept = [p for p in model.metadata_props if p.key not in VOLATILE_METADATA]
    del model.metadata_props[:]
    model.metadata_props.extend(kept)
    out.write_bytes(model.SerializeToString())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, required=True)
    parser.add_argument("--imgsz", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    export(args.weights, args.imgsz, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
