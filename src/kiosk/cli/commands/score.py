"""`kiosk score --question TEXT --answer FILE`: score one answer the way an interview would.

When the question's text matches a bank question, its expected points are used; otherwise the
question itself is the only point (as for a follow-up with no written points). The offline
engine runs the on-device judge when its model is present and says so in `path`; `--no-judge`
scores by embeddings alone (the fast first pass). HR and reviewers use it to calibrate.
Exit status 2 for bad input: a missing or unreadable file, an empty answer, an unknown engine,
or Gemini without a key.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from kiosk.brain import InterviewContext, OfflineScorer
from kiosk.brain.bank import load_bank
from kiosk.brain.engine import EngineError
from kiosk.brain.judge import JudgeUnavailable, PointJudge, get_judge_model
from kiosk.brain.scoring import Assessment
from kiosk.cli import CommandError
from kiosk.domain.model import Answer, AnswerScore, Question, QuestionKind
from kiosk.engine_setup import gemini_transport
from kiosk.settings import KioskSettings

ENGINES = ("offline", "gemini")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "score", help="score one answer to one question, as an interview would",
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--question", required=True, help="the question's text")
    parser.add_argument("--answer", required=True, type=Path,
                        help="a text file with the answer ('-' reads standard input)")
    parser.add_argument("--engine", default="offline",
                        help="offline (default; provisional) or gemini (needs a key)")
    parser.add_argument("--no-judge", action="store_true",
                        help="offline: embeddings only, without the on-device judge")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.set_defaults(handler=run)


def _normalise(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def question_for(text: str) -> tuple[Question, bool]:
    """The bank question with this text (its points, kind and skill), else a bare question;
    the flag says whether the bank had it."""
    wanted = _normalise(text)
    for entry in load_bank().questions:
        if _normalise(entry.text) == wanted:
            return Question(entry.bank_id, 0, entry.kind, entry.text,
                            entry.skills[0] if entry.skills else "", "", entry.points), True
    return Question("cli", 0, QuestionKind.TECHNICAL, text.strip()), False


def _read_answer(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"the answer file {path} does not exist") from None
    except UnicodeDecodeError:
        raise CommandError(f"the answer file {path} is not UTF-8 text") from None
    except OSError as error:
        raise CommandError(f"cannot read the answer file {path}: {error.strerror}") from None


def _offline(question: Question, text: str, use_judge: bool) -> Assessment:
    judge = None
    error = ""
    if use_judge:
        try:
            judge = PointJudge(get_judge_model())
        except JudgeUnavailable as missing:
            error = str(missing)
    assessment = OfflineScorer(judge=judge).assess(question, "cli", text)
    if error:
        print(f"kiosk score: the judge is unavailable, scored by embeddings: {error}",
              file=sys.stderr)
        return Assessment(assessment.score, assessment.points, assessment.path, error,
                          assessment.dropped, assessment.timings)
    return assessment


def _gemini(question: Question, text: str) -> AnswerScore:
    transport = gemini_transport(KioskSettings())
    if transport is None:
        raise CommandError("--engine gemini needs a Gemini key (keyring or KIOSK_GEMINI_API_KEY)")
    from kiosk.brain.gemini import GeminiEngine

    context = InterviewContext.build("", "")
    try:
        return GeminiEngine(transport).score_answer(context, question,
                                                    Answer("cli", question.question_id, text))
    except EngineError as error:
        raise CommandError(f"Gemini could not score the answer: {error}") from None


def report(question: Question, in_bank: bool, score: AnswerScore,
           assessment: Assessment | None) -> dict[str, Any]:
    """The JSON document: overall, criteria, judged points with evidence, engine, provisional."""
    return {
        "question": question.text,
        "question_id": question.question_id if in_bank else None,
        "overall": score.overall,
        "criteria": {c.criterion.value: c.score for c in score.criteria},
        "rationales": {c.criterion.value: c.rationale for c in score.criteria},
        "points": [
            {"point": v.point, "verdict": v.verdict.value, "evidence": v.evidence,
             "credit": v.credit, "decided_by": v.by, "similarity": v.similarity,
             "note": v.note}
            for v in (assessment.points if assessment else ())
        ],
        "feedback": score.feedback,
        "evidence": list(score.evidence),
        "engine": score.engine,
        "path": assessment.path if assessment else "gemini",
        "judge_error": assessment.judge_error if assessment else "",
        "provisional": score.provisional,
        "confidence": score.confidence,
        "timings": assessment.timings if assessment else {},
    }


def run(args: argparse.Namespace) -> int:
    if args.engine not in ENGINES:
        raise CommandError(f"unknown engine {args.engine!r}; use one of: {', '.join(ENGINES)}")
    if not args.question.strip():
        raise CommandError("--question is empty")
    text = _read_answer(args.answer)
    if not text.strip():
        raise CommandError(f"the answer in {args.answer} is empty")
    question, in_bank = question_for(args.question)
    if args.engine == "gemini":
        result = report(question, in_bank, _gemini(question, text), None)
    else:
        assessment = _offline(question, text, not args.no_judge)
        result = report(question, in_bank, assessment.score, assessment)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['overall']:.1f}/10 ({result['engine']}, path {result['path']}"
          f"{', provisional' if result['provisional'] else ''})")
    for name, value in result["criteria"].items():
        print(f"  {name:<14} {value:4.1f}  {result['rationales'][name]}")
    for point in result["points"]:
        quote = f' - "{point["evidence"][:100]}"' if point["evidence"] else ""
        print(f"  [{point['verdict']:<12}] {point['point']}{quote}")
    print(result["feedback"])
    return 0


__all__ = ["question_for", "register", "report", "run"]
