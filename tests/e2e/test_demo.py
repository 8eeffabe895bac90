"""`kiosk demo`, as `make demo` runs it: a whole live interview on the bundled recorded media."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import jiwer

from kiosk.resources import resource


def test_demo_runs_a_complete_interview_on_recorded_media(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.is_file() and report.is_relative_to(tmp_path)
    assert "[demo]" in result.stdout  # progress is shown

    text = subprocess.run(
        ["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "SAMPLE DATA",
        "José Ñúñez-Øberg",
        "JOSÉ ÑÚÑEZ-ØBERG",
        "Questions and answers",
        "PROVISIONAL",
        "No face was visible",
        "More than one person was visible",
        "Consent given at",  # the scripted candidate consents to the screen's own notice
    ):
        assert expected in text, expected

    # every question got the recording meant for it, heard and transcribed from the audio
    script = json.loads(resource("demo", "interview.json").read_text(encoding="utf-8"))
    meant = {" ".join(i["question"].split()).casefold(): i["answer"] for i in script["answers"]}
    database = next(tmp_path.glob("*/kiosk.sqlite3"))
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT q.text, a.text, a.end_reason, a.audio_sha256 FROM questions q "
            "JOIN answers a ON a.question_id = q.id ORDER BY q.idx"
        ).fetchall()
        state = connection.execute("SELECT state FROM sessions").fetchone()[0]
    assert state == "reported"
    assert len(rows) >= 5
    for question, heard, end_reason, audio in rows:
        scripted = meant[" ".join(question.split()).casefold()]
        assert jiwer.wer(scripted.lower(), heard.lower()) < 0.35, (question, heard)
        assert end_reason == "trailing_silence" and audio
