"""`kiosk sync status|run|pull|today|retry-quarantined`: see and drive the link to the hub.

`retry-quarantined` is the operator's answer to a record the hub refused for good: once the
cause is fixed (on the hub, or by upgrading the kiosk), the held-back records go back in the
queue in their original order; nothing was deleted meanwhile.
"""

from __future__ import annotations

import argparse
import json
from contextlib import ExitStack
from dataclasses import asdict

from contract.sessionkey import SessionKeyError
from kiosk.cli import CommandError
from kiosk.retention import Retention
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import (
    HubError,
    Ledger,
    PackPuller,
    PackPullError,
    PullProblem,
    Pusher,
    hub_client,
    pull_pack,
    sync_status,
)
from kiosk.sync.erasures import HubErasures

_RETRY = "kiosk sync retry-quarantined"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "sync", help="sync with the hub: status, run, pull, today, retry-quarantined"
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = actions.add_parser(
        "status", help="connectivity, unsent records, and records the hub refused"
    )
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    run = actions.add_parser("run", help="push every unsent record to the hub once")
    run.add_argument("--batch-size", type=int, default=100)
    run.set_defaults(handler=_run)
    pull = actions.add_parser("pull", help="fetch one session pack by its key")
    pull.add_argument("key")
    pull.add_argument(
        "--restart",
        action="store_true",
        help="take over a pack another kiosk started (its candidate moves here); audited",
    )
    pull.set_defaults(handler=_pull)
    actions.add_parser("today", help="fetch every session pack waiting").set_defaults(
        handler=_today
    )
    actions.add_parser(
        "retry-quarantined",
        help="put the records the hub refused back in the queue (after fixing the cause)",
    ).set_defaults(handler=_retry_quarantined)


def _status(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        status = sync_status(settings, service.database)
    finally:
        service.close()
    if args.json:
        print(json.dumps(asdict(status)))
        return 0
    print(f"hub:        {status.hub_url or '(none: offline mode)'}")
    print(f"token:      {status.token_source}")
    link = f"connected to {status.organisation} as {status.kiosk_name}"
    print(f"connection: {link if status.reachable else 'offline: ' + status.error}")
    print(f"queue:      {status.pending} record(s) waiting to be sent")
    print(f"sessions:   {status.ready_sessions} ready on this kiosk")
    if status.quarantined:
        print(
            f"held back:  {status.quarantined} record(s) the hub refused; fix the cause, "
            f"then `{_RETRY}`"
        )
        for line in status.refused:
            print(f"  - {line}")
    return 0


def _run(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    retention = Retention(service.database, service.media, reports_dir=settings.reports_dir)
    try:
        with hub_client(settings) as client:
            report = Pusher(service, client, batch_size=args.batch_size).drain()
            deletions = HubErasures(retention, client).apply()
        expired = retention.apply()
    except HubError as error:
        raise CommandError(f"{error} ({service.pending_outbox()} record(s) still queued)") from None
    finally:
        service.close()
    held = (
        f"; {report.quarantined} record(s) refused by the hub and held back (see `kiosk sync "
        f"status`)"
        if report.quarantined
        else ""
    )
    print(
        f"sent {report.pushed} record(s) in {report.batches} batch(es); uploaded "
        f"{report.blobs_uploaded} file(s) ({report.bytes_uploaded} bytes), skipped "
        f"{report.blobs_skipped} already on the hub; {len(report.sessions_synced)} session(s) "
        f"synced; {report.pending} left{held}"
    )
    if deletions.erased or deletions.deferred or expired:
        later = f" ({len(deletions.deferred)} after their interview)" if deletions.deferred else ""
        print(
            f"erased {len(deletions.erased)} session(s) deleted on the hub{later} and "
            f"{len(expired)} whose retention period ended"
        )
    return 0


def _pull(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        with ExitStack() as clients:
            imported = pull_pack(
                service,
                lambda: clients.enter_context(hub_client(settings)),
                args.key,
                restart=args.restart,
            )
    except (PackPullError, SessionKeyError) as error:
        hint = " (add --restart to take it over)" if _started(error) else ""
        raise CommandError(f"{error}{hint}") from None
    finally:
        service.close()
    verb = "stored" if imported.created else "already had"
    print(
        f"{verb} session {imported.session.session_key} for {imported.session.candidate.full_name}"
    )
    return 0


def _started(error: Exception) -> bool:
    return isinstance(error, PackPullError) and error.problem is PullProblem.STARTED


def _today(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        with hub_client(settings) as client:
            pulled = PackPuller(service, client).pull()
    except HubError as error:
        raise CommandError(str(error)) from None
    finally:
        service.close()
    expired = f", {pulled.expired} expired before it arrived" if pulled.expired else ""
    print(
        f"{pulled.waiting} session pack(s) waiting on the hub, {len(pulled.imported)} new on "
        f"this kiosk{expired}"
    )
    return 0


def _retry_quarantined(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        released = Ledger(service.database).release_quarantined()
    finally:
        service.close()
    print(
        f"{released} record(s) back in the queue; they are sent with the next sync "
        f"(`kiosk sync run` sends them now)"
    )
    return 0
