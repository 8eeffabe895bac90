"""`kiosk verify-id CARD --live FACE --name NAME`: run the ID check on two image files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import cv2
import numpy as np

from kiosk.cli import CommandError
from modelstore import ModelError
from proctor import PolicyError, load_policy
from proctor.idcheck import IdVerifier


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("verify-id", help="check an ID card against a live photo")
    parser.add_argument("card", type=Path, metavar="CARD_IMAGE", help="photo or scan of the ID")
    parser.add_argument("--live", type=Path, required=True, metavar="FACE_IMAGE")
    parser.add_argument("--name", required=True, help="the registered candidate's name")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--policy", type=Path, help="policy TOML (default: the bundled one)")
    parser.set_defaults(handler=handle)


def _image(path: Path) -> np.ndarray:
    image = cv2.imread(str(path)) if path.is_file() else None
    if image is None:
        raise CommandError(f"{path} is not a readable image file")
    return image


def handle(args: argparse.Namespace) -> int:
    card, live = _image(args.card), _image(args.live)
    try:
        result = IdVerifier(load_policy(args.policy)).verify(card, live, args.name)
    except (PolicyError, ModelError) as error:
        raise CommandError(str(error)) from None
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    for check in result.checks:
        print(f"{'ok  ' if check.passed else 'FAIL'} {check.check.value:<7} {check.detail}")
    if result.accepted:
        print("ID accepted.")
    else:
        pending = ", ".join(c.value for c in result.needs_override)
        print(f"An invigilator must review: {pending}.")
    return 0
