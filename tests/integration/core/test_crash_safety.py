"""Kill a process running proctored interviews with SIGKILL at random moments, at least 100 times,
and check that everything it had been told was saved is still there, unchanged, in a healthy
database: proctoring events (camera and shell), their snapshots (file and row), answers (text
and audio) and session states; and that the next run resumes the interrupted session.

Each kill costs one process start (imports, the proctor's models) plus a random stretch of work;
the driver reuses its detectors for every interview it runs.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.integration.core.crash_driver import PATH_TO_INTERVIEW, event_digest

from kiosk.domain.lifecycle import TRANSITIONS, SessionState
from kiosk.domain.model import Answer, ProctoringEvent
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore

KILLS = 100
ROOT = Path(__file__).resolve().parents[3]


class Driver:
    """The crash driver's parent process: it imports and loads the models once, then forks
    one kiosk process per run, which this test kills."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.core.crash_driver"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._expect("READY")

    def _expect(self, word: str) -> list[str]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline().split()
        assert line[:1] == [word], f"the driver said {line}, not {word}"
        return line[1:]

    def _say(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def kill_at_random(self, data_dir: Path, seed: int, rng: random.Random) -> list[list[str]]:
        """Run a kiosk process on `data_dir`, SIGKILL it at a random moment, and return what
        it acknowledged."""
        acks = data_dir / f"acks-{seed}.txt"
        self._say(f"RUN {data_dir} {seed} {acks}")
        (pid,) = self._expect("PID")
        # a random point of its progress, so the kills spread over the work however loaded the
        # machine is: after 0-15 acknowledged writes (0: while the database opens and
        # migrates), and a random fraction of a second more
        _wait_for_lines(acks, rng.randint(0, 15))
        time.sleep(rng.uniform(0.0, 0.5))
        os.kill(int(pid), signal.SIGKILL)
        self._say("REAP")
        assert self._expect("REAPED") == [str(int(signal.SIGKILL))], (
            f"the kiosk process died by itself; see {acks}"
        )
        return [line.split() for line in acks.read_text().splitlines()]

    def close(self) -> None:
        """End the parent; a child still running ends with it (it watches its parent)."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wait_for_lines(path: Path, count: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while count and not (path.exists() and path.read_bytes().count(b"\n") >= count):
        if time.monotonic() > deadline:
            raise AssertionError(f"the kiosk process stalled before {count} acknowledgements")
        time.sleep(0.02)


@pytest.fixture
def driver() -> Iterator[Driver]:
    started = Driver()
    try:
        yield started
    finally:
        started.close()


@dataclass
class Expected:
    """What the kills must not have lost, as acknowledged so far."""

    answers: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: event id -> (session id, the stored digests allowed, its source)
    events: dict[str, tuple[str, set[str], str]] = field(default_factory=dict)
    reached: dict[str, SessionState] = field(default_factory=dict)
    event_checks: int = 0
    snapshot_checks: int = 0
    answer_checks: int = 0

    def take(self, lines: list[list[str]]) -> tuple[set[str], str | None]:
        """Fold one run's output in; returns the sessions it wrote to and the first it took up
        (the one it resumed, if a kill had interrupted one)."""
        pending: dict[str, tuple[str, str]] = {}
        touched: set[str] = set()
        first_session = None
        for fields in lines:
            touched.update(fields[1:2])
            match fields:
                case ["ANSWER", session_id, answer_id, text_sha, audio_sha]:
                    self.answers[answer_id] = (session_id, text_sha, audio_sha)
                case ["PENDING", session_id, event_id, digest]:
                    pending[event_id] = (session_id, digest)
                case ["EVENT", session_id, event_id, digest, source]:
                    pending.pop(event_id, None)
                    self.events[event_id] = (session_id, {digest}, source)
                case ["STATE" | "CREATED", session_id, state]:
                    if fields[0] == "STATE" and first_session is None:
                        first_session = session_id
                    self.reached[session_id] = SessionState(state)
                case _:
                    raise AssertionError(f"the driver said something unexpected: {fields}")
        # the single writer has at most one write in flight when the kill lands: it may have
        # committed without its acknowledgement, so its announced version may be stored
        assert len(pending) <= 1, pending
        for event_id, (_session, digest) in pending.items():
            if event_id in self.events:
                self.events[event_id][1].add(digest)
        return touched, first_session

    def verify(self, service: SessionService, db: Path, sessions: set[str]) -> None:
        """Every acknowledged event of `sessions` is stored as acknowledged (from then on
        exactly as found), its snapshot on disk and in the media table."""
        by_session: dict[str, dict[str, ProctoringEvent]] = {}
        with sqlite3.connect(db) as connection:
            media_rows = {row[0] for row in connection.execute("SELECT sha256 FROM media")}
        for event_id, (session_id, allowed, _source) in self.events.items():
            if session_id not in sessions:
                continue
            if session_id not in by_session:
                by_session[session_id] = {e.event_id: e for e in service.load(session_id).events}
            stored = by_session[session_id].get(event_id)
            assert stored is not None, f"acknowledged event {event_id} is gone"
            digest = event_digest(stored)
            assert digest in allowed, f"event {event_id} changed: {stored}"
            allowed.intersection_update({digest})  # later runs must leave it exactly so
            self.event_checks += 1
            if stored.snapshot is not None:
                assert stored.snapshot.sha256 in media_rows
                data = service.media.read(stored.snapshot)  # verifies the file by its hash
                assert data[:2] == b"\xff\xd8"  # a JPEG
                self.snapshot_checks += 1

    def verify_answers(self, service: SessionService, answer_ids: set[str]) -> None:
        stored_by_session: dict[str, dict[str, Answer]] = {}
        for answer_id in answer_ids:
            session_id, text_sha, audio_sha = self.answers[answer_id]
            if session_id not in stored_by_session:
                stored_by_session[session_id] = {
                    a.answer_id: a for a in service.load(session_id).answers
                }
            stored = stored_by_session[session_id].get(answer_id)
            assert stored is not None, f"acknowledged answer {answer_id} is gone"
            assert hashlib.sha256(stored.text.encode()).hexdigest() == text_sha
            assert stored.audio is not None and stored.audio.sha256 == audio_sha
            assert hashlib.sha256(service.media.read(stored.audio)).hexdigest() == audio_sha
            self.answer_checks += 1


def _open(data_dir: Path) -> SessionService:
    return SessionService(open_database(data_dir / "kiosk.db"), MediaStore(data_dir / "media"))


def test_sigkill_during_proctored_interviews_loses_nothing_acknowledged(
    tmp_path: Path, driver: Driver
) -> None:
    rng = random.Random(20261204)
    expected = Expected()
    interrupted: str | None = None  # the session a kill left mid-way, which must be resumed
    resumed = 0
    started = time.monotonic()
    for kill in range(KILLS):
        answers_before = set(expected.answers)
        lines = driver.kill_at_random(tmp_path, kill, rng)
        touched, first_session = expected.take(lines)
        if interrupted is not None and first_session is not None:
            assert first_session == interrupted, f"kill {kill}: {interrupted} was not resumed"
            resumed += 1

        with sqlite3.connect(tmp_path / "kiosk.db") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        service = _open(tmp_path)
        try:
            for session_id, state in expected.reached.items():
                found = service.get(session_id).state
                # the kill may land after a commit and before its acknowledgement: one step on
                assert found is state or found in TRANSITIONS[state], (kill, session_id, found)
            expected.verify(service, tmp_path / "kiosk.db", touched)
            expected.verify_answers(service, set(expected.answers) - answers_before)
            unfinished = [
                s
                for s in service.list_sessions()
                if s.state in (SessionState.CREATED, *PATH_TO_INTERVIEW)
            ]
            interrupted = unfinished[-1].session_id if unfinished else None
        finally:
            service.close()

    service = _open(tmp_path)
    try:  # later runs must not have disturbed what earlier runs saved: files included
        expected.verify(service, tmp_path / "kiosk.db", set(expected.reached))
        expected.verify_answers(service, set(expected.answers))
    finally:
        service.close()
    sources = [source for _, _, source in expected.events.values()]
    print(
        f"\ncrash test: {KILLS} SIGKILLs in {time.monotonic() - started:.0f} s; "
        f"{len(expected.events)} acknowledged events ({sources.count('camera')} camera, "
        f"{sources.count('kiosk')} shell), {expected.event_checks} event checks, "
        f"{expected.snapshot_checks} snapshot checks (file and row), "
        f"{len(expected.answers)} answers ({expected.answer_checks} checks), "
        f"{len(expected.reached)} sessions, {resumed} resumed after a kill, 0 failures"
    )
    assert sources.count("camera") > KILLS // 2  # the kills interrupted real proctoring
    assert sources.count("kiosk") > KILLS // 2
    assert len(expected.answers) > KILLS // 2
    assert resumed > KILLS // 4
    assert any(state is SessionState.COMPLETED for state in expected.reached.values())
