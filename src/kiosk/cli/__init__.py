"""The `kiosk` command line.

Each subcommand is a module in `kiosk.cli.commands` with a `register(subparsers)` function, so a
new command is one new file and no shared table to edit. Packages above the core add commands
the same way through the `interview_kiosk.commands` entry point group (the window's `kiosk app`
comes from `ui`), so the core never imports them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys
from importlib.metadata import entry_points

from kiosk.cli import commands

PLUGIN_GROUP = "interview_kiosk.commands"

#: Libraries that complain on stderr about input the kiosk then reports in its own words
#: (pypdf: "EOF marker not found"; FFmpeg inside PyAV and OpenCV: "moov atom not found").
#: Their messages stay available at KIOSK_LOG_LEVEL=DEBUG or INFO.
_CHATTY_LIBRARIES = ("pypdf", "libav", "av", "PIL", "faster_whisper", "py.warnings")
#: FFmpeg's quietest level (AV_LOG_QUIET) for OpenCV's video reader, read when it first opens.
_FFMPEG_QUIET = "-8"


def _quiet_libraries(level: str) -> None:
    """So the kiosk's own one-line message is what the user sees."""
    if logging.getLevelName(level) in (logging.DEBUG, logging.INFO):
        return
    logging.captureWarnings(True)
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", _FFMPEG_QUIET)


class CommandError(Exception):
    """An expected failure: printed as one clear line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Interview Kiosk")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        module.register(subparsers)
    for plugin in sorted(entry_points(group=PLUGIN_GROUP), key=lambda e: e.name):
        plugin.load()(subparsers)
    return parser


def run_command(args: argparse.Namespace, prog: str) -> int:
    """Run a parsed command; an expected failure is one line on stderr and exit status 2."""
    level = os.environ.get("KIOSK_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _quiet_libraries(level)
    try:
        return int(args.handler(args) or 0)
    except CommandError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(args, f"kiosk {args.command}")


__all__ = ["CommandError", "build_parser", "main", "run_command"]
