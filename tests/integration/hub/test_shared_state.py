"""What several hub processes share through the database, on SQLite and PostgreSQL: the miss
limiter and the sign-in throttle under a concurrent burst, and the schema (migrated once however
many start together, upgraded from 0001 without losing a row)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text

from hub.db import models as m
from hub.db.database import (
    HubDatabase,
    alembic_config,
    create_hub_engine,
    current_revision,
    head_revision,
    open_database,
)
from hub.errors import NotAuthenticatedError, RateLimitedError
from hub.security.login_throttle import LoginThrottle
from hub.security.ratelimit import MissLimiter
from hub.services.accounts import Accounts

BURST = 12
LIMIT = 5


@pytest.fixture
def url(tmp_path: Path, database_url: str) -> str:
    return database_url or f"sqlite:///{tmp_path / 'hub.sqlite3'}"


@pytest.fixture
def database(url: str) -> Iterator[HubDatabase]:
    database = open_database(url)
    yield database
    database.close()


def test_a_concurrent_burst_of_guesses_is_cut_exactly_at_the_limit(database: HubDatabase) -> None:
    limiter = MissLimiter(database, "session_key", "unknown session keys", LIMIT)
    start = threading.Barrier(BURST)
    outcomes: Counter[str] = Counter()

    def guess() -> None:
        start.wait()
        try:
            with limiter.attempt(["kiosk:k", "ip:10.0.0.1"], miss=LookupError):
                time.sleep(0.05)  # the lookup: every guess of the burst is in flight at once
                raise LookupError("no such key")
        except LookupError:
            outcomes["missed"] += 1
        except RateLimitedError:
            outcomes["limited"] += 1

    threads = [threading.Thread(target=guess) for _ in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == {"missed": LIMIT, "limited": BURST - LIMIT}


def test_concurrent_wrong_passwords_stop_at_the_throttle(database: HubDatabase) -> None:
    """A burst of guesses at one account from one address, all in flight at once: LIMIT are
    checked, every other one waits (429), however the threads interleave."""
    accounts = Accounts(database, LoginThrottle(database, free_failures=LIMIT))
    org = accounts.ensure_organisation("Acme")
    accounts.create_user(org, "hr@acme.test", "a long right password", "hr")
    start = threading.Barrier(BURST)
    outcomes: Counter[str] = Counter()

    def wrong_password() -> None:
        start.wait()
        try:
            accounts.login("hr@acme.test", "a wrong guess", "192.0.2.1")
        except NotAuthenticatedError:
            outcomes["wrong"] += 1
        except RateLimitedError:
            outcomes["waiting"] += 1

    threads = [threading.Thread(target=wrong_password) for _ in range(BURST)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert outcomes == {"wrong": LIMIT, "waiting": BURST - LIMIT}


def test_hub_processes_starting_together_on_a_new_database_migrate_it_once(url: str) -> None:
    """Separate processes, as hub processes are (Alembic's context is one per process)."""
    opener = "import sys; from hub.db.database import open_database; open_database(sys.argv[1])"
    starting = [
        subprocess.Popen([sys.executable, "-c", opener, url], stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    failures = [p.communicate(timeout=120)[1] for p in starting if p.wait(120) != 0]
    assert failures == []
    engine = create_hub_engine(url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_models_are_what_the_migrations_build(database: HubDatabase) -> None:
    with database.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), m.Base.metadata) == []


def test_upgrading_from_0001_keeps_every_row_and_links_kiosk_sessions(url: str) -> None:
    engine = create_hub_engine(url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    now = datetime(2026, 11, 24, 9, 0)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO organisations VALUES ('o', 'Acme', NULL, :n)"), {"n": now}
        )
        connection.execute(
            text("INSERT INTO kiosks VALUES ('k', 'o', 'desk', 'hash', :n, NULL, NULL)"), {"n": now}
        )
        connection.execute(
            text(
                "INSERT INTO interview_sessions (id, org_id, session_key, kiosk_session_id, "
                "kiosk_id, origin, state, candidate_name, candidate_email, resume_text, "
                "job_title, job_text, required_skills, nice_to_have_skills, settings, "
                "created_at, expires_at, updated_at) VALUES ('s', 'o', 'ABCD-EFGH-JKMN-PQRS', "
                "'kiosk-s', 'k', 'hub', 'synced', 'Ada', '', '', 'Eng', '', '[]', '[]', '{}', "
                ":n, :n, :n)"
            ),
            {"n": now},
        )
        connection.execute(
            text(
                "INSERT INTO questions VALUES "
                "('q', 's', 0, 'technical', 'Why?', '', '', '[]', '', NULL, false)"
            )
        )
    engine.dispose()

    database = open_database(url)  # what a new hub does at start-up: migrate to the head
    try:
        with database.sessions() as db:
            link = db.get(m.KioskSessionLink, "kiosk-s")
            assert link is not None and (link.session_id, link.kiosk_id) == ("s", "k")
            session = db.get(m.InterviewSession, "s")
            assert session is not None and session.attempt_of is None
            assert list(db.scalars(select(m.Question.text))) == ["Why?"]
        command.downgrade(alembic_config(database.engine), "0001")
        assert current_revision(database.engine) == "0001"
        with database.engine.connect() as connection:
            assert connection.scalar(text("SELECT count(*) FROM questions")) == 1
    finally:
        database.close()
