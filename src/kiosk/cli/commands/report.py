"""`kiosk report SESSION --out FILE.pdf`: render a stored session's PDF report."""

from __future__ import annotations

import argparse
from pathlib import Path

from contract.sessionkey import SessionKeyError
from kiosk.cli import CommandError
from kiosk.report.render import render_report
from kiosk.sessions import SessionService, UnknownSessionKeyError
from kiosk.settings import KioskSettings
from kiosk.storage.database import DatabaseError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write the PDF report of a stored session")
    parser.add_argument("session", help="session id or session key")
    parser.add_argument("--out", type=Path, required=True, help="where to write the PDF")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        service = SessionService.from_settings(KioskSettings())
    except DatabaseError as error:
        raise CommandError(str(error)) from error
    try:
        session = service.find(args.session)
        pdf = render_report(service.load(session.session_id), service.media)
        service.attach_report(session.session_id, pdf)
    except (UnknownSessionKeyError, SessionKeyError) as error:
        raise CommandError(str(error)) from error
    finally:
        service.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(args.out.resolve())
    return 0
