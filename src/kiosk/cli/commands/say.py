"""`kiosk say "TEXT" --out FILE.wav`: synthesise a question the way the kiosk will speak it."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import CommandError
from modelstore import ModelError
from speech import SpeechError, SynthesisOptions, synthesize
from speech.tts import ENGINES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "say",
        help="synthesise speech to a WAV file",
        description="Synthesise TEXT to a WAV file with the piper voice (default, falling back "
        "to espeak-ng) or with the engine named by --engine (no fallback).",
    )
    parser.add_argument("text", help="what to say")
    parser.add_argument("--out", type=Path, required=True, help="WAV file to write")
    parser.add_argument("--engine", choices=ENGINES, help="force one engine")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    options = SynthesisOptions(engine=args.engine or "piper", fallback=args.engine is None)
    try:
        speech = synthesize(args.text, out=args.out, options=options)
    except (SpeechError, ModelError) as error:
        raise CommandError(str(error)) from error
    note = f" (fallback: {speech.fallback_reason})" if speech.fallback_reason else ""
    print(f"wrote {speech.path}: {speech.duration:.2f} s of speech by {speech.engine}{note}")
    return 0
