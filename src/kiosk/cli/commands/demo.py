"""`kiosk demo`: run the bundled sample interview end to end and print the report's path."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("demo", help="run the bundled sample interview, write its PDF")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("out/demo"),
        help="folder for the demo's data and report (default: out/demo)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kiosk.demo import main

    main(args.out)
    return 0
