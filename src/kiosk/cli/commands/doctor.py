"""`kiosk doctor [--json] [--no-devices]`: check the kiosk; exit 1 if a required check fails."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check models, devices, database, hub, keys")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--no-devices",
        action="store_true",
        help="skip camera and microphone (a machine that replays recordings)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.doctor.checks import Status, run_all
    from kiosk.settings import KioskSettings

    checks = run_all(KioskSettings(), devices=not args.no_devices)
    failed = [c for c in checks if c.status is Status.FAIL and c.required]
    if args.json:
        print(json.dumps({"ok": not failed, "checks": [asdict(c) for c in checks]}, indent=2))
    else:
        for check in checks:
            print(f"[{check.status.value:>4}] {check.name}: {check.detail}")
            if check.fix and check.status is not Status.OK:
                print(f"       fix: {check.fix}")
        print(
            "\nall required checks passed"
            if not failed
            else f"\n{len(failed)} required check(s) failed: " + ", ".join(c.name for c in failed)
        )
    return 1 if failed else 0
