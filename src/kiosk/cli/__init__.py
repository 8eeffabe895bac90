"""The `kiosk` command line.

Each subcommand is a module in `kiosk.cli.commands` with a `register(subparsers)` function, so a
new command is one new file and no shared table to edit.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import sys

from kiosk.cli import commands

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
    return parser


def main(argv: list[str] | None = None) -> int:
    level = os.environ.get("KIOSK_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    _quiet_libraries(level)
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except CommandError as error:
        print(f"kiosk {args.command}: {error}", file=sys.stderr)
        return 2


__all__ = ["CommandError", "build_parser", "main"]
