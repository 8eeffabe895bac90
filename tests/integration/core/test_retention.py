"""Retention on the kiosk, on a clock the test moves: personal data ends the policy's period after
the hub confirmed receipt of all of it, and never while anything of it is unsent.

Receipt is confirmed the way the pusher confirms it (`Ledger.acknowledge` of the ids the hub
acknowledged); the disk and the database are then read directly (`tests.personal_data`).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.hub.support import run_interview
from tests.personal_data import files_under, personal_rows, strings_in_database
from tests.sample import job, settings

from contract.privacy import DataPolicy
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Candidate
from kiosk.retention import RETENTION, Retention, report_file_name
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.erasure import session_blobs
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync.ledger import Ledger


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[SessionService]:
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "media"), clock=clock
    )
    yield svc
    svc.close()


def _interviewed(service: SessionService, name: str, policy: DataPolicy) -> str:
    candidate = Candidate(name, f"{name.split()[0].lower()}@example.org", f"Resume of {name}")
    session = service.create(candidate, job(), settings(), data_policy=policy)
    run_interview(service, session.session_id, rng=random.Random(name))
    service.record_observations(  # a chunk of the observation track: face boxes, head pose...
        session.session_id,
        run_id=f"run-{session.session_id}",
        seq=0,
        start=0.0,
        end=10.0,
        records=100,
        chunk=random.Random(name).randbytes(900),
    )
    return session.session_id


def _confirm_all(service: SessionService, clock: Clock) -> None:
    """The hub acknowledged every waiting row (as a drain would record it)."""
    with UnitOfWork(service.database) as uow:
        ids = [row.id for row in uow.outbox.pending(10_000)]
    Ledger(service.database).acknowledge(ids, clock())


def _blob_files(service: SessionService, session_id: str) -> set[str]:
    with service.database.sessions() as db:
        return session_blobs(db, session_id)


def test_a_synced_session_is_erased_the_policys_days_after_receipt_and_not_before(
    service: SessionService, clock: Clock, tmp_path: Path
) -> None:
    session_id = _interviewed(service, "Ada Lovelace", DataPolicy(kiosk_days_after_sync=3))
    reports = tmp_path / "reports"
    reports.mkdir()
    key = service.get(session_id).session_key
    (reports / report_file_name(key)).write_bytes(b"%PDF-1.4 the interview CLI's copy")
    blobs = _blob_files(service, session_id)
    assert len(blobs) >= 6 and blobs <= files_under(tmp_path / "media")
    _confirm_all(service, clock)
    service.mark_synced(session_id)
    _confirm_all(service, clock)  # the `synced` state row too
    confirmed = clock.now
    retention = Retention(service.database, service.media, reports_dir=reports, clock=clock)

    clock.now = confirmed + timedelta(days=3) - timedelta(seconds=1)
    assert retention.apply() == []
    assert blobs <= files_under(tmp_path / "media")

    clock.now = confirmed + timedelta(days=3)
    erased = retention.apply()
    assert [(e.session_id, e.because) for e in erased] == [(session_id, RETENTION)]
    assert erased[0].files_removed == len(blobs) + 1
    assert files_under(tmp_path / "media") == set() and files_under(reports) == set()
    assert personal_rows(tmp_path / "k.db", session_id) == []
    needles = ["Ada Lovelace", "ada@example.org", "Resume of Ada", "Answer 0.", "Question 1?"]
    assert strings_in_database(tmp_path / "k.db", needles) == []
    # the tombstone: ids, dates, state, for the kiosk's bookkeeping
    tomb = service.get(session_id)
    assert tomb.session_key == key and tomb.state is SessionState.SYNCED
    assert tomb.candidate.full_name == "" and tomb.created_at is not None
    assert retention.apply() == []  # nothing more to erase


def test_unsynced_data_is_never_erased_whatever_the_clock_says(
    service: SessionService, clock: Clock, tmp_path: Path
) -> None:
    policy = DataPolicy(kiosk_days_after_sync=0)
    synced = _interviewed(service, "Grace Hopper", policy)
    _confirm_all(service, clock)
    service.mark_synced(synced)
    _confirm_all(service, clock)
    # two sessions the hub does not fully hold: one never sent, one with a refused row
    unsent = _interviewed(service, "Zoë Ağaoğlu", policy)
    service.abort(_fresh(service, "Alan Turing", policy), "candidate left")
    with UnitOfWork(service.database) as uow:
        waiting = uow.outbox.pending(10_000)
        refused = next(r.id for r in waiting if r.payload.get("session_id") != unsent)
        uow.outbox.quarantine(refused, "refused by the hub", clock())
        uow.commit()
    held = {unsent: _blob_files(service, unsent)}
    clock.now += timedelta(days=400)
    erased = Retention(service.database, service.media, clock=clock).apply()
    assert [e.session_id for e in erased] == [synced]
    assert held[unsent] <= files_under(tmp_path / "media")
    assert strings_in_database(tmp_path / "k.db", ["Zoë Ağaoğlu", "Alan Turing"]) == [
        "Zoë Ağaoğlu",
        "Alan Turing",
    ]
    assert strings_in_database(tmp_path / "k.db", ["Grace Hopper"]) == []


def test_a_blob_another_session_still_uses_stays(
    service: SessionService, clock: Clock, tmp_path: Path
) -> None:
    first = _interviewed(service, "Ada Lovelace", DataPolicy(kiosk_days_after_sync=0))
    _confirm_all(service, clock)
    service.mark_synced(first)
    _confirm_all(service, clock)
    second = _fresh(service, "Mary Somerville", DataPolicy())
    # the same still stored for both (content-addressed: one file)
    shared = next(iter(_blob_files(service, first)))
    with service.database.sessions() as db:
        from kiosk.storage.schema import ReportRow

        db.add(ReportRow(session_id=second, pdf_sha256=shared, created_at=clock()))
        db.commit()
    Retention(service.database, service.media, clock=clock).apply()
    assert files_under(tmp_path / "media") == {shared}


def test_the_backlog_says_how_much_waits_for_the_hub_and_since_when(
    service: SessionService, clock: Clock
) -> None:
    retention = Retention(service.database, service.media, clock=clock)
    assert retention.backlog().rows == 0 and retention.backlog().oldest_at is None
    started = clock.now
    _fresh(service, "Ada Lovelace", DataPolicy())
    clock.now += timedelta(hours=5)
    _fresh(service, "Grace Hopper", DataPolicy())
    backlog = retention.backlog()
    assert backlog.rows == 2 and backlog.oldest_at == started
    assert backlog.age(clock.now) == timedelta(hours=5)


def _fresh(service: SessionService, name: str, policy: DataPolicy) -> str:
    return service.create(Candidate(name), job(), settings(), data_policy=policy).session_id
