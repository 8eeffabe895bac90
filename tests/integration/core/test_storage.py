"""Real SQLite: the session service, the outbox, media, damage detection and migrations."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.sample import answer, candidate, integrity, job, question, score, settings

from contract.privacy import DataPolicy
from contract.proctoring import EventKind, Severity
from contract.rubric import DecidedBy, Verdict
from contract.sessionkey import SessionKeyError, new_session_key
from kiosk.domain.lifecycle import IllegalTransitionError, SessionState
from kiosk.domain.model import ProctoringEvent, ScoredPoint
from kiosk.sessions import SessionExpiredError, SessionService, UnknownSessionKeyError, new_id
from kiosk.storage.database import (
    DatabaseDamagedError,
    DatabaseError,
    current_revision,
    head_revision,
    open_database,
)
from kiosk.storage.media import MediaError, MediaStore


@pytest.fixture
def service(tmp_path: Path) -> SessionService:
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "media"), kiosk_id="kiosk-7"
    )
    yield svc
    svc.close()


def test_new_database_is_wal_and_at_the_head_revision(service: SessionService) -> None:
    with sqlite3.connect(service.database.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert current_revision(service.database.engine) == head_revision()


def test_session_round_trip_with_unicode_names(service: SessionService) -> None:
    created = service.create(candidate("Zoë Ağaoğlu"), job(), settings())
    opened = service.open(created.session_key.lower())
    assert opened.state is SessionState.OPENED
    record = service.load(created.session_id)
    assert record.session.candidate.full_name == "Zoë Ağaoğlu"
    assert record.session.job.required_skills == ("python", "sql")
    assert record.session.settings.question_count == 3
    assert record.session.created_at.tzinfo is not None


def test_each_step_writes_its_outbox_entry_in_the_same_transaction(service: SessionService) -> None:
    # a policy that sends answer audio, so the answer's blob has its outbox row too
    created = service.create(
        candidate(), job(), settings(), data_policy=DataPolicy(send_answer_audio=True)
    )
    service.open(created.session_key)
    q = question(0)
    service.record_question(created.session_id, q)
    service.save_answer(
        created.session_id, answer(q.question_id, "B-trees."), audio_wav=b"RIFF...."
    )
    with service.database.engine.connect() as connection:
        topics = [
            row[0] for row in connection.exec_driver_sql("SELECT topic FROM outbox ORDER BY id")
        ]
    assert topics == ["session.created", "session.state", "question", "media", "answer"]
    assert service.pending_outbox() == 5


def test_a_failed_step_leaves_neither_row_nor_outbox_entry(service: SessionService) -> None:
    created = service.create(candidate(), job(), settings())
    before = service.pending_outbox()
    with pytest.raises(IllegalTransitionError):
        service.complete_interview(created.session_id, integrity())
    assert service.get(created.session_id).state is SessionState.CREATED
    assert service.pending_outbox() == before


def test_unknown_malformed_and_expired_keys_are_refused_clearly(tmp_path: Path) -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"), clock=lambda: now[0]
    )
    created = svc.create(candidate(), job(), settings(), ttl=timedelta(hours=1))
    with pytest.raises(SessionKeyError, match="typo"):
        svc.open(created.session_key[:-1] + ("0" if created.session_key[-1] != "0" else "1"))
    with pytest.raises(UnknownSessionKeyError, match="no session with key"):
        svc.open(new_session_key())
    now[0] += timedelta(hours=2)
    with pytest.raises(SessionExpiredError, match="expired"):
        svc.open(created.session_key)
    assert svc.get(created.session_id).state is SessionState.EXPIRED
    svc.close()


def test_newest_score_wins_so_a_final_rescore_replaces_the_provisional(
    service: SessionService,
) -> None:
    created = service.create(candidate(), job(), settings())
    q = question(0)
    service.record_question(created.session_id, q)
    a = service.save_answer(created.session_id, answer(q.question_id, "text"))
    service.save_score(created.session_id, score(a.answer_id, 4.0, provisional=True))
    service.save_score(created.session_id, score(a.answer_id, 7.0, provisional=False))
    latest = service.load(created.session_id).scores[a.answer_id]
    assert latest.overall == 7.0
    assert latest.provisional is False


def test_a_score_keeps_its_points_and_path(service: SessionService) -> None:
    created = service.create(candidate(), job(), settings())
    q = question(0)
    service.record_question(created.session_id, q)
    a = service.save_answer(created.session_id, answer(q.question_id, "I add a b-tree index."))
    points = (
        ScoredPoint("b-tree", Verdict.COVERED, "I add a b-tree index.", DecidedBy.JUDGE),
        ScoredPoint("selectivity", Verdict.ABSENT, "", DecidedBy.EMBEDDINGS,
                    "the judge ran out of time for this point"),
    )
    judged = replace(score(a.answer_id, 6.0, provisional=False), points=points,
                     path="judge+embeddings")
    service.save_score(created.session_id, judged)
    assert service.load(created.session_id).scores[a.answer_id] == judged


def test_scores_stored_before_the_points_column_read_back_with_none(tmp_path: Path) -> None:
    """A kiosk upgraded mid-life keeps its older scores: they migrate with no points."""
    from alembic import command

    from kiosk.storage.database import _alembic_config

    service = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "media"))
    created = service.create(candidate(), job(), settings())
    q = question(0)
    service.record_question(created.session_id, q)
    a = service.save_answer(created.session_id, answer(q.question_id, "text"))
    service.save_score(created.session_id, score(a.answer_id, 5.0))
    command.downgrade(_alembic_config(service.database.engine), "0003")
    assert current_revision(service.database.engine) == "0003"
    service.close()
    service = SessionService(open_database(tmp_path / "k.db"), MediaStore(tmp_path / "media"))
    try:
        kept = service.load(created.session_id).scores[a.answer_id]
        assert kept.overall == 5.0 and kept.points == () and kept.path == ""
    finally:
        service.close()


def test_media_is_content_addressed_deduplicated_and_verified(service: SessionService) -> None:
    created = service.create(candidate(), job(), settings())
    jpeg = b"\xff\xd8fake jpeg bytes\xff\xd9"
    event = ProctoringEvent(
        new_id(), EventKind.NO_FACE, Severity.MEDIUM, 0.9, 1.0, 5.0, "yunet", {"min_seconds": 3.0}
    )
    first = service.record_event(created.session_id, event, snapshot_jpeg=jpeg)
    later = replace(event, event_id=new_id(), start=9.0, end=12.0)
    second = service.record_event(created.session_id, later, snapshot_jpeg=jpeg)
    assert first.snapshot is not None and second.snapshot is not None
    assert first.snapshot.sha256 == second.snapshot.sha256
    path = service.media.path_of(first.snapshot.sha256)
    assert service.media.read(first.snapshot) == jpeg
    path.write_bytes(b"tampered")
    with pytest.raises(MediaError, match="altered"):
        service.media.read(first.snapshot)
    events = service.load(created.session_id).events
    assert [e.start for e in events] == [1.0, 9.0]
    assert events[0].thresholds == {"min_seconds": 3.0}


def test_a_damaged_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    svc = SessionService(open_database(path), MediaStore(tmp_path / "m"))
    for _ in range(20):
        svc.create(candidate(), job(), settings())
    svc.close()
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 2 + 200] = b"\x00garbage" * 25  # wreck a b-tree page
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(DatabaseDamagedError, match="NOT been modified") as raised:
        open_database(path)
    assert "mv " in str(raised.value)
    assert path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    path.write_bytes(b"%PDF-1.7 definitely not a database" * 100)
    with pytest.raises(DatabaseDamagedError, match="not an SQLite database"):
        open_database(path)
    assert path.read_bytes().startswith(b"%PDF")


def test_a_database_from_a_newer_kiosk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    open_database(path).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    with pytest.raises(DatabaseError, match="upgrade the kiosk"):
        open_database(path)


def test_the_key_lifetime_comes_from_the_kiosk_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.settings import KioskSettings

    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KIOSK_SESSION_KEY_TTL_HOURS", "5")
    svc = SessionService.from_settings(KioskSettings())
    created = svc.create(candidate(), job(), settings())
    assert created.expires_at - created.created_at == timedelta(hours=5)
    svc.close()
