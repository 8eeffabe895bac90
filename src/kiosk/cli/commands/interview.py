"""`kiosk interview`: a text-mode interview in the terminal, ending with the final evaluation.

Answers: in a terminal, type an answer over one or more lines and finish it with an empty line.
Piped on stdin: if the input contains a blank line, answers are blank-line separated (so an
answer may span lines); otherwise each line is one answer. A line starting with "?" asks the
help assistant instead (e.g. "? can you repeat the question").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from kiosk.brain import InterviewContext, OfflineEngine, TextInterview, Turn
from kiosk.brain.engine import InterviewEngine
from kiosk.brain.fit import job_fit
from kiosk.brain.text_interview import InterviewResult
from kiosk.cli import CommandError
from kiosk.domain.model import SessionSettings
from kiosk.engine_setup import build_engine
from kiosk.ingest import ResumeError, read_document
from kiosk.report.render import render_report
from kiosk.retention import report_file_name
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.storage.database import DatabaseError
from proctor import load_policy, summarize


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "interview", help="run a text-mode interview in the terminal",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--resume", required=True, help="resume file: PDF, DOCX or text")
    parser.add_argument("--jd", required=True, help="job description file: PDF, DOCX or text")
    parser.add_argument("--engine", choices=("offline", "gemini"), default="offline",
                        help="gemini uses KIOSK_GEMINI_API_KEY and falls back to offline")
    parser.add_argument("--questions", type=int, default=SessionSettings().question_count,
                        help="number of main questions (follow-ups are extra)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--report", type=Path, help="where to write the PDF report "
                        "(default: the kiosk's reports folder)")
    parser.set_defaults(handler=run)


def stdin_answers(stream: Any = None) -> Iterator[str]:
    stream = stream or sys.stdin
    if stream.isatty():
        return _interactive(stream)
    text = stream.read()
    if re.search(r"\n[ \t]*\n", text.strip()):
        return iter(part.strip() for part in re.split(r"\n[ \t]*\n", text.strip()))
    return iter(line for line in text.splitlines() if line.strip())


def _interactive(stream: Any) -> Iterator[str]:
    while True:
        print("> (finish with an empty line)", file=sys.stderr)
        lines: list[str] = []
        for line in stream:
            if not line.strip():
                break
            if line.strip().startswith("?") and not lines:
                lines = [line.strip()]
                break
            lines.append(line.rstrip("\n"))
        else:
            if not lines:
                return
        yield "\n".join(lines)


def _engine(name: str, settings: KioskSettings) -> InterviewEngine:
    if name == "offline":
        return OfflineEngine()
    engine = build_engine(settings)
    if isinstance(engine, OfflineEngine):
        print("No Gemini key is set (keyring or KIOSK_GEMINI_API_KEY); using the offline engine.",
              file=sys.stderr)
    return engine


class _StoredInterview:
    """Records the text interview as a kiosk session, so it gets the same PDF report."""

    def __init__(self, service: SessionService, context: InterviewContext) -> None:
        self.service = service
        session = service.create(context.candidate, context.job, context.settings)
        service.start_text_interview(session.session_id)
        self.session_id = session.session_id
        self.context = context

    def on_turn(self, turn: Turn) -> None:
        self.service.record_question(self.session_id, turn.question)
        if turn.answer is not None:
            self.service.save_answer(self.session_id, turn.answer)
        if turn.score is not None:
            self.service.save_score(self.session_id, turn.score)

    def finish(self, result: InterviewResult, out: Path | None) -> Path:
        self.service.record_fit(self.session_id, job_fit(self.context.match, result.plan))
        record = self.service.load(self.session_id)
        unwatched = summarize(
            (),
            record.duration_seconds,
            load_policy(),
            analysed_seconds=0.0,
            note="a text-mode interview in the terminal has no camera",
        )
        self.service.complete_interview(self.session_id, unwatched)
        self.service.save_evaluation(self.session_id, result.evaluation)
        pdf = render_report(self.service.load(self.session_id), self.service.media)
        self.service.attach_report(self.session_id, pdf)
        key = self.service.get(self.session_id).session_key
        path = out or KioskSettings().reports_dir / report_file_name(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        return path.resolve()


def _to_json(result: InterviewResult, engine: InterviewEngine) -> dict[str, Any]:
    events = [asdict(e) for e in getattr(engine, "events", [])]
    return {
        "plan": asdict(result.plan),
        "turns": [asdict(t) for t in result.turns],
        "evaluation": asdict(result.evaluation),
        "timings": result.timings,
        "ended_early": result.ended_early,
        "engine_events": events,
    }


def run(args: argparse.Namespace) -> int:
    if args.questions < 1 or args.questions > 30:
        raise CommandError("--questions must be between 1 and 30")
    try:
        resume = read_document(args.resume)
        job = read_document(args.jd)
    except ResumeError as error:
        raise CommandError(str(error)) from None
    settings = replace(SessionSettings(), question_count=args.questions)
    context = InterviewContext.build(resume.text, job.text, settings)
    kiosk_settings = KioskSettings()
    engine = _engine(args.engine, kiosk_settings)
    try:
        stored = _StoredInterview(SessionService.from_settings(kiosk_settings), context)
    except DatabaseError as error:
        raise CommandError(str(error)) from None
    quiet = args.json

    def say(line: str) -> None:
        print(line, file=sys.stderr if quiet else sys.stdout)

    for warning in resume.warnings:
        say(f"Note: {warning}")
    say(f"Resume/JD match {context.match.score:.0f}/100: " + "; ".join(context.match.reasons))
    try:
        result = TextInterview(engine, context, stdin_answers(), say, on_turn=stored.on_turn).run()
        report = stored.finish(result, args.report)
    finally:
        stored.service.close()
    if args.json:
        json.dump({**_to_json(result, engine), "report": str(report)}, sys.stdout, indent=2,
                  default=str)
        sys.stdout.write("\n")
        return 0
    evaluation = result.evaluation
    print("\n=== Final evaluation ===")
    for criterion, value in evaluation.overall.items():
        print(f"  {criterion:<14} {value:4.1f}/10")
    print(f"  recommendation: {evaluation.recommendation.value}"
          f"{' (provisional)' if evaluation.provisional else ''} by {evaluation.engine}")
    for item in evaluation.strengths:
        print(f"  + {item}")
    for item in evaluation.concerns:
        print(f"  - {item}")
    print(f"  {evaluation.behavioural_note}")
    print(f"\nReport: {report}")
    return 0
