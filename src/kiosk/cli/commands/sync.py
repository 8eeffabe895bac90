"""`kiosk sync status|run|pull|today`: see and drive the link to the hub by hand."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from kiosk.cli import CommandError
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import HubError, Pusher, hub_client, import_pack, sync_status
from kiosk.sync.packs import PackExpiredError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("sync", help="sync with the hub: status, run, pull, today")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    status = actions.add_parser("status", help="connectivity and the number of unsent records")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    run = actions.add_parser("run", help="push every unsent record to the hub once")
    run.add_argument("--batch-size", type=int, default=100)
    run.set_defaults(handler=_run)
    pull = actions.add_parser("pull", help="fetch one session pack by its key")
    pull.add_argument("key")
    pull.set_defaults(handler=_pull)
    actions.add_parser("today", help="fetch every session pack waiting").set_defaults(
        handler=_today
    )


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
    return 0


def _run(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        with hub_client(settings) as client:
            report = Pusher(service, client, batch_size=args.batch_size).drain()
    except HubError as error:
        raise CommandError(f"{error} ({service.pending_outbox()} record(s) still queued)") from None
    finally:
        service.close()
    print(
        f"sent {report.pushed} record(s) in {report.batches} batch(es); uploaded "
        f"{report.blobs_uploaded} file(s) ({report.bytes_uploaded} bytes), skipped "
        f"{report.blobs_skipped} already on the hub; {len(report.sessions_synced)} session(s) "
        f"synced; {report.pending} left"
    )
    return 0


def _pull(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        with hub_client(settings) as client:
            imported = import_pack(service, client.pack(args.key))
    except (HubError, PackExpiredError) as error:
        raise CommandError(str(error)) from None
    finally:
        service.close()
    verb = "stored" if imported.created else "already had"
    print(
        f"{verb} session {imported.session.session_key} for {imported.session.candidate.full_name}"
    )
    return 0


def _today(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    service = SessionService.from_settings(settings)
    try:
        with hub_client(settings) as client:
            packs = client.waiting_packs().packs
        new = sum(import_pack(service, pack).created for pack in packs)
    except (HubError, PackExpiredError) as error:
        raise CommandError(str(error)) from None
    finally:
        service.close()
    print(f"{len(packs)} session pack(s) waiting on the hub, {new} new on this kiosk")
    return 0
