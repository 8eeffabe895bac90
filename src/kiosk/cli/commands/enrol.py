"""`kiosk enrol CODE`: exchange an admin's one-time code for this kiosk's hub token."""

from __future__ import annotations

import argparse

from kiosk.cli import CommandError
from kiosk.settings import KioskSettings
from kiosk.sync import HubError, enrol


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("enrol", help="enrol this kiosk with the hub (one-time code)")
    parser.add_argument(
        "code", help="the code from the hub's admin page or `kiosk-hub enrolment-code`"
    )
    parser.add_argument("--hub", help="the hub's URL (default: KIOSK_HUB_URL)")
    parser.add_argument("--name", help="how the hub lists this kiosk (default: KIOSK_KIOSK_ID)")
    parser.set_defaults(handler=_enrol)


def _enrol(args: argparse.Namespace) -> int:
    settings = KioskSettings()
    hub_url = args.hub or settings.hub_url
    if not hub_url:
        raise CommandError("say which hub: --hub URL, or set KIOSK_HUB_URL")
    try:
        enrolled = enrol(
            hub_url, args.code, args.name or settings.kiosk_id, timeout=settings.hub_timeout_seconds
        )
    except HubError as error:
        raise CommandError(str(error)) from None
    print(f"enrolled as kiosk {enrolled.kiosk_id} of {enrolled.organisation}")
    if enrolled.stored_in == "keyring":
        print("the hub token is stored in the system keyring")
    else:
        print("no system keyring is available: keep this token in the kiosk's environment:")
        print(f"KIOSK_HUB_TOKEN={enrolled.token.get_secret_value()}")
    if not settings.hub_url:
        print(f"also set KIOSK_HUB_URL={hub_url}")
    return 0
