"""`kiosk proctor VIDEO | --camera N`: proctor a recording or a live camera from the terminal.

Useful to check a kiosk's camera and tune the policy on a recording before a session.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from contract.codec import to_data
from kiosk.cli import CommandError
from modelstore import ModelError
from proctor import (
    CameraError,
    CameraSource,
    PolicyError,
    ProctorEvent,
    ProctorSession,
    VideoError,
    VideoFileSource,
    load_policy,
)
from proctor.snapshots import save_snapshots


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("proctor", help="proctor a video file or a camera")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("video", nargs="?", type=Path, help="video file to analyse")
    where.add_argument("--camera", type=int, metavar="N", help="camera device index")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--snapshots", type=Path, metavar="DIR", help="save event snapshots")
    parser.add_argument("--policy", type=Path, help="policy TOML (default: the bundled one)")
    parser.set_defaults(handler=handle)


def _line(event: ProctorEvent) -> str:
    end = "ongoing" if event.end is None else f"{event.end:7.1f}s"
    detail = f"  ({event.detail})" if event.detail else ""
    return (
        f"{event.start:7.1f}s - {end}  {event.kind.value:<20} {event.severity.value:<6} "
        f"confidence {event.peak_confidence:.2f}{detail}"
    )


def handle(args: argparse.Namespace) -> int:
    try:
        session = ProctorSession(load_policy(args.policy))
        source = VideoFileSource(args.video) if args.video else CameraSource(args.camera)
        finished = []
        try:
            for event in session.run(source):
                if event.end is not None:
                    finished.append(event)
                    if not args.json:
                        print(_line(event), flush=True)
        except KeyboardInterrupt:  # Ctrl+C ends a camera session and still prints the summary
            session.stop()
    except (CameraError, VideoError, PolicyError, ModelError) as error:
        raise CommandError(str(error)) from None
    summary = session.summary()
    saved = save_snapshots(finished, args.snapshots) if args.snapshots else {}
    if args.json:
        document = {
            "events": [
                {**e.to_dict(), "snapshot": str(saved[e.id]) if e.id in saved else None}
                for e in finished
            ],
            "summary": to_data(summary),
            "frames_analyzed": session.stats.frames_analyzed,
            "frames_dropped": session.stats.frames_dropped,
        }
        print(json.dumps(document, indent=2))
        return 0
    print(summary.headline)
    for reason in summary.reasons:
        print(f"  - {reason}")
    if saved:
        print(f"{len(saved)} snapshots saved in {args.snapshots}")
    return 0
