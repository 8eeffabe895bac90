"""`kiosk transcribe AUDIO`: run an audio file through the same pipeline a live answer uses."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from kiosk.cli import CommandError
from modelstore import ModelError
from speech import (
    WHISPER_MODELS,
    Answer,
    SpeechError,
    TranscribeOptions,
    speech_metrics,
    transcribe_file,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "transcribe",
        help="transcribe an audio file (wav, flac, ogg, mp3) on this machine",
        description="Transcribe an audio file with on-device Whisper; print segments, text, "
        "speech metrics and stage timings.",
    )
    parser.add_argument("audio", type=Path, help="audio file to transcribe")
    parser.add_argument("--model", choices=sorted(WHISPER_MODELS), default="tiny.en")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for Whisper")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.threads < 1:
        raise CommandError("--threads must be at least 1")
    try:
        answer = transcribe_file(
            args.audio, TranscribeOptions(model=args.model, cpu_threads=args.threads)
        )
    except (SpeechError, ModelError) as error:
        raise CommandError(str(error)) from error
    report = _report(answer)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(_as_text(report))
    return 0


def _finite(value: Any) -> Any:
    """JSON has no Infinity: an unbounded option is written as null."""
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _report(answer: Answer) -> dict[str, Any]:
    transcript = answer.transcript
    metrics = speech_metrics(transcript.words)
    return _finite(
        {
            "text": transcript.text,
            "language": transcript.language,
            "duration": transcript.duration,
            "voiced_duration": transcript.voiced_duration,
            "segments": [
                {"start": s.start, "end": s.end, "text": s.text} for s in transcript.segments
            ],
            "metrics": dataclasses.asdict(metrics),
            "timings": dataclasses.asdict(transcript.timings),
            "options": dataclasses.asdict(transcript.options),
            "rejected_segments": transcript.rejected_segments,
        }
    )


def _as_text(report: dict[str, Any]) -> str:
    lines = [f"[{s['start']:7.2f} -> {s['end']:7.2f}] {s['text']}" for s in report["segments"]]
    m, t = report["metrics"], report["timings"]
    lines += [
        "",
        f"text: {report['text'] or '(no speech)'}",
        f"language: {report['language']}  duration: {report['duration']:.2f} s  "
        f"voiced: {report['voiced_duration']:.2f} s",
        f"metrics: {m['word_count']} words, {m['words_per_minute']} wpm, speaking "
        f"{m['speaking_time_s']} s, longest pause {m['longest_pause_s']} s, pause ratio "
        f"{m['pause_ratio']}, fillers {m['filler_count']}",
        "timings: " + ", ".join(f"{k} {v:.3f}" for k, v in t.items()),
    ]
    return "\n".join(lines)
