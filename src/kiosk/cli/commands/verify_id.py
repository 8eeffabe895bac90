"""`kiosk verify-id CARD --live FACE --name NAME`: run the ID check on two image files.

The exit status tells a script what happened, so it need not parse the output:

* 0: every check passed; the ID is accepted.
* 1: verification failed: at least one check (fields, name, expiry, face) failed or is
  uncertain, and an invigilator must decide.
* 2: the check could not run: a file is missing, the policy is invalid or a model is missing.
* 3: an image file is damaged: truncated, corrupt or not an image. Nothing was checked.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli import CommandError
from modelstore import ModelError
from proctor import PolicyError, load_policy
from proctor.idcheck import IdVerifier, ImageDamagedError, ImageMissingError, load_image

EXIT_ACCEPTED = 0
EXIT_NEEDS_REVIEW = 1
EXIT_DAMAGED_IMAGE = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "verify-id",
        help="check an ID card against a live photo",
        description="Check an ID card against a live photo of the candidate.",
        epilog="exit status: 0 accepted, 1 verification failed (an invigilator must review), "
        "2 could not run (missing file, policy or model), 3 an image file is damaged",
    )
    parser.add_argument("card", type=Path, metavar="CARD_IMAGE", help="photo or scan of the ID")
    parser.add_argument("--live", type=Path, required=True, metavar="FACE_IMAGE")
    parser.add_argument("--name", required=True, help="the registered candidate's name")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--policy", type=Path, help="policy TOML (default: the bundled one)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    try:
        card, live = load_image(args.card), load_image(args.live)
    except ImageMissingError as error:
        raise CommandError(str(error)) from None
    except ImageDamagedError as error:
        print(f"kiosk verify-id: {error}; nothing was checked", file=sys.stderr)
        return EXIT_DAMAGED_IMAGE
    try:
        result = IdVerifier(load_policy(args.policy)).verify(card, live, args.name)
    except (PolicyError, ModelError) as error:
        raise CommandError(str(error)) from None
    status = EXIT_ACCEPTED if result.accepted else EXIT_NEEDS_REVIEW
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return status
    for check in result.checks:
        print(f"{'ok  ' if check.passed else 'FAIL'} {check.check.value:<7} {check.detail}")
    if result.accepted:
        print("ID accepted.")
    else:
        pending = ", ".join(c.value for c in result.needs_override)
        print(f"Verification failed; an invigilator must review: {pending}.")
    return status
