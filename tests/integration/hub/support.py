"""Helpers shared by the hub's integration and end-to-end tests: a real hub on a loopback port,
an in-memory keyring, and a kiosk that runs a small but complete interview through SessionService.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import keyring
import uvicorn
from fastapi import FastAPI
from keyring.backend import KeyringBackend
from sqlalchemy import Engine, event
from tests.sample import integrity, take_to

from contract.privacy import DataPolicy
from contract.proctoring import EventKind, Severity
from contract.rubric import Criterion
from hub.settings import HubSettings
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import (
    Answer,
    AnswerScore,
    Candidate,
    CriterionScore,
    FinalEvaluation,
    IdCheck,
    JobDescription,
    ProctoringEvent,
    Question,
    QuestionKind,
    Recommendation,
    SessionSettings,
)
from kiosk.sessions import SessionService, new_id
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def hub_settings(root: Path, **overrides: object) -> HubSettings:
    values: dict[str, object] = {
        "data_dir": root,
        "secret_key": "test-secret-key-for-csrf-tokens-0123456789",
        "cookie_secure": False,
    }
    values.update(overrides)
    return HubSettings(**values)  # type: ignore[arg-type]


@contextmanager
def statements_on(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement `engine` sends while the block runs, whitespace folded to one space."""
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve_in_thread(app: FastAPI) -> Iterator[str]:
    """Serve `app` with uvicorn on an ephemeral loopback port; yield its base URL."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the hub did not start within 10 s")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@dataclass
class SimulatedKiosk:
    """One kiosk's storage: its own SQLite database and media store."""

    service: SessionService

    @classmethod
    def create(cls, root: Path, kiosk_id: str = "test-kiosk") -> SimulatedKiosk:
        database = open_database(root / "kiosk.sqlite3")
        return cls(SessionService(database, MediaStore(root / "media"), kiosk_id=kiosk_id))

    def close(self) -> None:
        self.service.close()


def run_interview(
    service: SessionService,
    session_id: str,
    *,
    rng: random.Random,
    questions: int = 2,
    blob_bytes: int = 1500,
) -> None:
    """Take a created session through a whole (tiny) interview to `reported`, with blobs."""
    session = service.get(session_id)
    service.open(session.session_key)

    def blob() -> bytes:
        return rng.randbytes(blob_bytes)

    take_to(service, session_id, SessionState.OPENED)
    service.record_consent(session_id, notice_version="1", notice_sha256="b" * 64)
    service.verify_identity(
        session_id,
        IdCheck(
            name_on_document=session.candidate.full_name,
            name_matches=True,
            face_distance=0.3,
            face_threshold=0.6,
            face_matches=True,
        ),
        card_jpeg=blob(),
        live_jpeg=blob(),
    )
    take_to(service, session_id, SessionState.IN_PROGRESS)
    for index in range(questions):
        question = Question(new_id(), index, QuestionKind.TECHNICAL, f"Question {index}?")
        service.record_question(session_id, question)
        answer = service.save_answer(
            session_id,
            Answer(new_id(), question.question_id, f"Answer {index}.", end_reason="silence"),
            audio_wav=blob(),
        )
        service.save_score(
            session_id,
            AnswerScore(
                answer_id=answer.answer_id,
                criteria=tuple(CriterionScore(c, 6.0 + index) for c in Criterion),
                feedback="fine",
                evidence=("Answer",),
                engine="offline-heuristic",
                provisional=True,
            ),
        )
    service.record_event(
        session_id,
        ProctoringEvent(
            event_id=new_id(),
            kind=EventKind.MULTIPLE_PEOPLE,
            severity=Severity.HIGH,
            confidence=0.9,
            start=10.0,
            end=12.5,
            detector="test",
        ),
        snapshot_jpeg=blob(),
    )
    service.save_evaluation(
        session_id,
        FinalEvaluation(
            overall={c.value: 6.5 for c in Criterion},
            strengths=("clear",),
            concerns=(),
            recommendation=Recommendation.YES,
            behavioural_note="calm",
            engine="offline-heuristic",
            provisional=True,
        ),
    )
    service.complete_interview(session_id, integrity(service.load(session_id).events))
    service.attach_report(session_id, b"%PDF-1.4 test report " + blob())


def rescored(mean: float, reason: str) -> object:
    """A kiosk hook: the interview's scores and evaluation become `mean` on every criterion
    (what a re-score on the kiosk does), with `reason` as each criterion's rationale."""

    def change(service: SessionService, session_id: str) -> None:
        record = service.load(session_id)
        for answer in record.answers:
            service.save_score(
                session_id,
                AnswerScore(
                    answer_id=answer.answer_id,
                    criteria=tuple(
                        CriterionScore(c, mean + (0.5 if c is Criterion.DEPTH else 0.0), reason)
                        for c in Criterion
                    ),
                    feedback="re-scored",
                    evidence=(),
                    engine="offline-heuristic",
                    provisional=True,
                ),
            )
        overall = {c.value: mean + (0.5 if c is Criterion.DEPTH else 0.0) for c in Criterion}
        service.save_evaluation(
            session_id,
            FinalEvaluation(
                overall=overall,
                strengths=(),
                concerns=(),
                recommendation=Recommendation.YES if mean >= 6 else Recommendation.NO,
                behavioural_note="",
                engine="offline-heuristic",
                provisional=True,
            ),
        )

    return change


def walk_in(service: SessionService, name: str) -> str:
    """A session created on the kiosk itself (no hub involved): it gets a local key. Its data
    policy sends answer audio too, so the sync tests carry every kind of blob."""
    session = service.create(
        Candidate(name, f"{name.lower().replace(' ', '.')}@example.org", "resume"),
        JobDescription("Engineer", "Build things", ("python",)),
        SessionSettings(question_count=2),
        data_policy=DataPolicy(send_answer_audio=True),
    )
    return session.session_id
