"""`kiosk proctor VIDEO | --camera N | --replay SESSION`: proctor a recording or a live camera
from the terminal, or re-judge a stored interview's observation track under another policy.

Useful to check a kiosk's camera and tune the policy on a recording before a session, and to
show what another policy would have said of an interview (exit 0: the same events, 1: they
differ, 2: could not replay).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from contract.codec import to_data
from contract.sessionkey import SessionKeyError
from integrity.replay import JudgedEvent
from integrity.track import TrackError
from kiosk.audit_replay import NoTrackError, Rejudgement, rejudge
from kiosk.cli import CommandError
from kiosk.sessions import SessionService, UnknownSessionKeyError
from kiosk.settings import KioskSettings
from kiosk.storage.database import DatabaseError
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
    where.add_argument(
        "--replay",
        metavar="SESSION",
        help="re-judge a stored session (id or key) from its observation track under --policy",
    )
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
    if args.replay is not None:
        return _replay(args)
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


def _replay(args: argparse.Namespace) -> int:
    if args.policy is None:
        raise CommandError("--replay needs --policy FILE: the policy to re-judge the session under")
    if args.snapshots is not None:
        raise CommandError("a replay has no snapshots to save: it reads numbers, not images")
    try:
        policy = load_policy(args.policy)
        service = SessionService.from_settings(KioskSettings())
    except (PolicyError, DatabaseError) as error:
        raise CommandError(str(error)) from None
    try:
        result = rejudge(service, args.replay, policy)
    except (UnknownSessionKeyError, SessionKeyError):
        raise CommandError(f"no session {args.replay.strip()!r} on this kiosk") from None
    except (NoTrackError, TrackError) as error:
        raise CommandError(str(error)) from None
    finally:
        service.close()
    if args.json:
        print(json.dumps(_document(result, args.policy), indent=2))
    else:
        print("\n".join(_side_by_side(result, args.policy)))
    return 1 if result.comparison.differs else 0


def _event_words(event: JudgedEvent | None) -> str:
    return "-" if event is None else event.words()


def _side_by_side(result: Rejudgement, policy_file: Path) -> list[str]:
    c = result.comparison
    rows: list[tuple[float, str, str, str]] = [
        *((e.start, _event_words(e), "same", "") for e in c.unchanged),
        *((ch.before.start, _event_words(ch.before), _event_words(ch.after), "changed")
          for ch in c.changed),
        *((e.start, _event_words(e), "-", "removed") for e in c.removed),
        *((e.start, "-", _event_words(e), "added") for e in c.added),
    ]
    rows.sort(key=lambda row: row[0])
    width = max([len("Original"), *(len(r[1]) for r in rows)])
    lines = [
        f"Session {result.session.session_key} ({result.session.candidate.full_name}), "
        f"re-judged from {result.observations} observations",
        f"  original policy  {result.live_policy_digest}",
        f"  other policy     {result.policy_digest}  ({policy_file})",
        "",
        f"{'Original':<{width}} | Under {policy_file.name}",
        *(f"{left:<{width}} | {right}{f'   [{mark}]' if mark else ''}"
          for _, left, right, mark in rows),
        "",
        *c.lines(),
    ]
    if c.not_rejudged:
        lines.append(
            f"{c.not_rejudged} kiosk or audio events are facts as reported and were not re-judged."
        )
    return lines


def _document(result: Rejudgement, policy_file: Path) -> dict[str, object]:
    c = result.comparison
    return {
        "session_id": result.session.session_id,
        "original_policy_digest": result.live_policy_digest,
        "policy_digest": result.policy_digest,
        "policy_file": str(policy_file),
        "observations": result.observations,
        "added": [_event_data(e) for e in c.added],
        "removed": [_event_data(e) for e in c.removed],
        "changed": [
            {"before": _event_data(ch.before), "after": _event_data(ch.after)} for ch in c.changed
        ],
        "unchanged": [_event_data(e) for e in c.unchanged],
        "in_words": c.lines(),
    }


def _event_data(event: JudgedEvent) -> dict[str, object]:
    return {**to_data(event), "thresholds": dict(event.thresholds)}
