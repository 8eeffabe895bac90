"""The kiosk window's command line: `kiosk-app`, also reachable as `kiosk app`.

The core's `kiosk` command knows nothing of Qt: it finds this command through the
`interview_kiosk.commands` entry point that this package declares, as any plugin would.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from kiosk.cli import CommandError, run_command
from kiosk.pin import PinNotConfiguredError, hash_pin
from kiosk.resources import resource


def register(subparsers: argparse._SubParsersAction) -> None:
    add_arguments(subparsers.add_parser("app", help="start the kiosk application window"))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recorded-media",
        type=Path,
        metavar="DIR",
        help="use the video, ID card and answer recordings in DIR instead of camera and "
        "microphone; `demo` is the bundled sample candidate's",
    )
    parser.add_argument(
        "--no-lockdown",
        action="store_true",
        help="a normal window: no full screen, no blocked shortcuts (development only)",
    )
    parser.add_argument("--session", metavar="KEY", default="", help="prefill this session key")
    parser.add_argument(
        "--hash-pin",
        action="store_true",
        help="read a new invigilator PIN and print its hash for KIOSK_INVIGILATOR_PIN_HASH",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.hash_pin:
        pin = getpass.getpass("New invigilator PIN: ")
        if not pin or pin != getpass.getpass("Again: "):
            raise CommandError("the two PINs were empty or differed; nothing printed")
        print(hash_pin(pin))
        return 0
    media = args.recorded_media
    if media == Path("demo") and not media.exists():
        media = resource("demo", "media")
    if media is not None and not (media / "camera.mp4").is_file():
        raise CommandError(f"{media} has no camera.mp4: give the folder of recorded media")
    from ui.app import main

    try:
        return main(recorded_media=media, lockdown=not args.no_lockdown, session_key=args.session)
    except PinNotConfiguredError as error:
        raise CommandError(str(error)) from error


def main(argv: list[str] | None = None) -> int:
    """`kiosk-app`: the same options as `kiosk app`."""
    parser = argparse.ArgumentParser(prog="kiosk-app", description="The Interview Kiosk window")
    add_arguments(parser)
    return run_command(parser.parse_args(argv), "kiosk-app")


if __name__ == "__main__":
    sys.exit(main())
