"""Whole interviews through TextInterview: offline, Gemini with fallback, rescoring, CLI."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.brain import (
    EvaluationInputs,
    FallbackEngine,
    InterviewContext,
    OfflineEngine,
    TextInterview,
)
from kiosk.brain.gemini import GeminiEngine
from kiosk.cli.commands.interview import stdin_answers
from kiosk.domain.model import QuestionKind, Recommendation

from .conftest import API_KEY
from .fake_gemini import FakeGemini, Reply

#: `kiosk` in a child process, so stdin, stdout and the exit status are the real ones.
KIOSK = [sys.executable, "-c", "import sys; from kiosk.cli import main; sys.exit(main())"]
GOOD = ("At Acme I owned the settlement service. I used Kafka consumers written in Python, "
        "designed idempotent processing with a dead letter topic, and cut latency from hours "
        "to minutes; for example, retries no longer duplicated payments because each message "
        "had a key. Then we added monitoring of consumer lag.")


def _ctx(ctx: InterviewContext, count: int) -> InterviewContext:
    return replace(ctx, settings=replace(ctx.settings, question_count=count))


def test_offline_interview_adapts_and_evaluates(offline: OfflineEngine,
                                                backend_context: InterviewContext) -> None:
    answers = iter(["", "I do not know.", GOOD, GOOD, GOOD, GOOD, GOOD, GOOD])
    inputs = EvaluationInputs({"words_per_minute": 150.0, "filler_ratio": 0.02,
                               "longest_pause": 2.0},
                              {"level": "medium", "reasons": ["looked away 4 times"]})
    lines: list[str] = []
    result = TextInterview(offline, _ctx(backend_context, 4), answers, lines.append,
                           inputs=inputs).run()
    kinds = [t.question.kind for t in result.turns]
    assert kinds[0] == QuestionKind.INTRO
    # The empty intro answer is not probed (intros never are); the thin technical one is.
    assert kinds[2] == QuestionKind.FOLLOW_UP
    assert result.turns[0].score.overall == 0.0
    assert all(t.score.engine == offline.name and t.score.provisional for t in result.turns)
    evaluation = result.evaluation
    assert set(evaluation.overall) == {"relevance", "depth", "structure", "communication"}
    assert evaluation.provisional and evaluation.engine == offline.name
    assert "150 words per minute" in evaluation.behavioural_note
    assert "not proof" in evaluation.behavioural_note
    assert isinstance(evaluation.recommendation, Recommendation)


def test_gemini_interview_with_a_storm_in_the_middle(
        fake: FakeGemini, gemini: GeminiEngine, offline: OfflineEngine,
        backend_context: InterviewContext) -> None:
    engine = FallbackEngine(gemini, offline)
    context = _ctx(backend_context, 3)
    # question 1 ok, score 1 ok, question 2: a 429 storm -> offline question
    from .fake_gemini import schema_aware

    calls = {"n": 0}

    def storm_on_third(request):
        calls["n"] += 1
        return Reply.error(429) if 3 <= calls["n"] <= 6 else schema_aware(request)

    fake.default = storm_on_third
    result = TextInterview(engine, context, iter([GOOD] * 6), lambda _l: None).run()
    engines = [t.question.engine for t in result.turns]
    assert engines[0] == gemini.name and offline.name in engines
    assert any(e.fell_back and "429" in e.reason for e in engine.events)
    assert len(result.turns) >= 3 and not result.ended_early


def test_stdin_answers_blank_line_and_line_modes() -> None:
    class Pipe(io.StringIO):
        def isatty(self) -> bool:
            return False

    assert list(stdin_answers(Pipe("one\ntwo\n"))) == ["one", "two"]
    assert list(stdin_answers(Pipe("a first\nanswer\n\nsecond\n"))) == ["a first\nanswer",
                                                                       "second"]


def test_cli_offline_json(data_dir: Path) -> None:
    answers = f"{GOOD}\n\nI do not know\n\n{GOOD}\n\n{GOOD}\n"
    done = subprocess.run(
        [*KIOSK, "interview", "--resume",
         str(data_dir / "resume_backend.txt"), "--jd", str(data_dir / "jd_backend.txt"),
         "--questions", "2", "--json"],
        input=answers, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["evaluation"]["engine"] == "offline-minilm"
    assert len([t for t in payload["turns"] if t["question"]["follow_up_of"] is None]) == 2
    report = Path(payload["report"])  # the session is stored and reported like a kiosk's
    text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Interview report" in text and "PROVISIONAL" in text


def test_cli_gemini_falls_back_on_wrong_key_without_printing_it(
        fake: FakeGemini, data_dir: Path) -> None:
    secret = "wrong-SECRET-key-555"
    done = subprocess.run(
        [*KIOSK, "interview", "--resume",
         str(data_dir / "resume_backend.txt"), "--jd", str(data_dir / "jd_backend.txt"),
         "--questions", "1", "--engine", "gemini"],
        input=f"{GOOD}\n", capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "KIOSK_GEMINI_API_KEY": secret,
             "KIOSK_GEMINI_BASE_URL": fake.base_url, "KIOSK_LOG_LEVEL": "DEBUG"},
    )
    assert done.returncode == 0, done.stderr
    assert "Final evaluation" in done.stdout and "offline-minilm" in done.stdout
    assert secret not in done.stdout + done.stderr
    assert API_KEY not in done.stdout + done.stderr


@pytest.mark.parametrize("name", ["missing.pdf", "junk.pdf"])
def test_cli_bad_resume_is_one_clear_line(tmp_path: Path, data_dir: Path, name: str) -> None:
    if name == "junk.pdf":
        (tmp_path / name).write_bytes(b"\x89PNG junk" * 100)
    done = subprocess.run(
        [*KIOSK, "interview", "--resume", str(tmp_path / name),
         "--jd", str(data_dir / "jd_backend.txt")],
        input="", capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("kiosk interview:") and "Traceback" not in done.stderr
