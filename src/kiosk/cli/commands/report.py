"""`kiosk report SESSION --out FILE.pdf`: render a stored session's PDF report."""

from __future__ import annotations

import argparse
import re
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


#: A session id as the kiosk prints it (a UUID), hex or not: someone meant an id.
_ID_SHAPED = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$",
                        re.IGNORECASE)


def _not_found(reference: str, error: Exception) -> str:
    """What to tell the user: an id that is not here is "no session", never a remark about
    the length of session keys."""
    if _ID_SHAPED.match(reference.strip()):
        return f"no session with id {reference.strip()} on this kiosk"
    return str(error)


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
        raise CommandError(_not_found(args.session, error)) from error
    finally:
        service.close()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(pdf)
    print(args.out.resolve())
    return 0
