"""Kill a process driving the core API with SIGKILL at random moments, 60 times, and check that
everything it had been told was saved is still there, byte for byte, in a healthy database."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.domain.lifecycle import TRANSITIONS, SessionState
from kiosk.domain.model import Answer
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore

KILLS = 60
ROOT = Path(__file__).resolve().parents[3]


def _kill_at_random(data_dir: Path, seed: int, rng: random.Random) -> list[list[str]]:
    driver = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.core.crash_driver", str(data_dir), str(seed)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert driver.stdout is not None
    ready = driver.stdout.readline()  # imported (its speed depends on the machine's load)
    if ready.strip() != "READY":
        raise AssertionError(f"the driver died by itself: {ready}{driver.stderr.read()}")
    # opening (and migrating) the database takes ~0.2 s: some kills land during it
    time.sleep(rng.uniform(0.05, 1.0))
    if driver.poll() is not None:
        raise AssertionError(f"the driver died by itself: {driver.stderr.read()}")
    os.kill(driver.pid, signal.SIGKILL)
    out, _ = driver.communicate()
    assert driver.returncode == -signal.SIGKILL
    return [line.split() for line in out.splitlines()]


def _verify_answers(service: SessionService, answers: dict[str, tuple[str, str, str]]) -> int:
    """Every acknowledged answer is stored with identical text and audio; returns the count."""
    stored_by_session: dict[str, dict[str, Answer]] = {}
    for answer_id, (session_id, text_sha, audio_sha) in answers.items():
        if session_id not in stored_by_session:
            stored_by_session[session_id] = {
                a.answer_id: a for a in service.load(session_id).answers
            }
        stored = stored_by_session[session_id].get(answer_id)
        assert stored is not None, f"acknowledged answer {answer_id} is gone"
        assert hashlib.sha256(stored.text.encode()).hexdigest() == text_sha
        assert stored.audio is not None and stored.audio.sha256 == audio_sha
        assert hashlib.sha256(service.media.read(stored.audio)).hexdigest() == audio_sha
    return len(answers)


def test_sigkill_at_random_points_loses_nothing_acknowledged(tmp_path: Path) -> None:
    rng = random.Random(20261124)
    all_answers: dict[str, tuple[str, str, str]] = {}
    reached: dict[str, SessionState] = {}
    checks = 0
    for kill in range(KILLS):
        run_answers: dict[str, tuple[str, str, str]] = {}
        for fields in _kill_at_random(tmp_path, kill, rng):
            if fields[0] == "ANSWER":
                _, session_id, answer_id, text_sha, audio_sha = fields
                run_answers[answer_id] = (session_id, text_sha, audio_sha)
            else:
                reached[fields[1]] = SessionState(fields[2])
        all_answers.update(run_answers)

        with sqlite3.connect(tmp_path / "kiosk.db") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        service = SessionService(
            open_database(tmp_path / "kiosk.db"), MediaStore(tmp_path / "media")
        )
        try:
            for session_id, state in reached.items():
                found = service.get(session_id).state
                # the kill may land after a commit and before its acknowledgement: one step on
                assert found is state or found in TRANSITIONS[state], (
                    kill,
                    session_id,
                    state,
                    found,
                )
            checks += _verify_answers(service, run_answers)
        finally:
            service.close()

    service = SessionService(open_database(tmp_path / "kiosk.db"), MediaStore(tmp_path / "media"))
    try:  # later runs must not have disturbed what earlier runs saved
        checks += _verify_answers(service, all_answers)
    finally:
        service.close()
    print(
        f"\ncrash test: {KILLS} SIGKILLs, {len(all_answers)} acknowledged answers, "
        f"{checks} answer checks, {len(reached)} sessions, 0 failures"
    )
    assert len(all_answers) > KILLS  # the kills must have interrupted real work
    assert any(state is SessionState.COMPLETED for state in reached.values())
