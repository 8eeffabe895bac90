"""A record the real hub refuses for good is quarantined, never deleted, and stops nothing else.

The kiosk's own sync client against the real hub app on loopback: the refused entry is found
inside its batch, held back with the hub's reason (with the rest of its session), the sessions
around it still sync, the operator sees it (status, doctor, CLI) and puts it back in the queue.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select, text
from tests.integration.hub.conftest import LiveHub
from tests.integration.hub.support import MemoryKeyring, SimulatedKiosk, run_interview, walk_in

from contract.sessionkey import new_session_key
from hub.db import models as m
from hub.views import PortalUser
from kiosk.cli import main as kiosk_cli
from kiosk.doctor.checks import Status, sync_queue
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import Candidate, JobDescription, SessionSettings
from kiosk.settings import KioskSettings
from kiosk.storage import database as kiosk_database
from kiosk.storage.database import open_database
from kiosk.storage.schema import Base, OutboxRow
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync import Ledger, Pusher, SyncMonitor, enrol, hub_client, sync_status


def _hr(live: LiveHub, org_id: str) -> PortalUser:
    return PortalUser("hr-1", "hr@example.org", "hr", org_id, "Acme")


def _enrolled(live: LiveHub, tmp_path: Path) -> KioskSettings:
    assert enrol(live.url, live.enrolment_code(), "front-desk").stored_in == "keyring"
    return KioskSettings(data_dir=tmp_path / "kiosk", hub_url=live.url, kiosk_id="k1")


def _outbox(kiosk: SimulatedKiosk, session_id: str | None = None) -> set[int]:
    """The ids of the kiosk's outbox rows (of one session): sent, waiting or held back."""
    query = select(OutboxRow.id)
    if session_id is not None:
        query = query.where(OutboxRow.aggregate_id == session_id)
    with kiosk.service.database.sessions() as db:
        return set(db.scalars(query))


def _taken_by_another_organisation(live: LiveHub, kiosk: SimulatedKiosk) -> tuple[str, str]:
    """A kiosk session whose id another organisation's kiosk pushed first (a kiosk copying
    another's ids): the hub refuses its records for good (403), whatever key it carries."""
    globex = live.hub.accounts.ensure_organisation("Globex")
    session = kiosk.service.create(
        Candidate("Mallory Wrongkey", "m@example.org", "resume"),
        JobDescription("Engineer", "Build things", ("python",)),
        SessionSettings(question_count=2),
    )
    token = live.hub.enrolment.enrol(live.enrolment_code(globex), "globex desk").token
    key = new_session_key()
    first = {
        "outbox_id": 1,
        "created_at": "2026-11-24T09:00:00+00:00",
        "topic": "session.created",
        "payload": {
            "session_id": session.session_id,
            "session_key": key,
            "candidate": {"full_name": "Eve"},
            "job": {"title": "Spy"},
            "settings": {"question_count": 2},
            "state": "created",
            "created_at": "2026-11-24T09:00:00+00:00",
        },
    }
    pushed = httpx.post(
        f"{live.url}/api/v1/batches",
        json={"entries": [first]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert pushed.status_code == 200, pushed.text
    (theirs,) = live.hub.records.list(_hr(live, globex))
    return session.session_id, theirs.session_id


def _hub_sessions(live: LiveHub) -> dict[str, str]:
    return {s.candidate_name: s.state for s in live.hub.records.list(_hr(live, live.org_id))}


def test_a_refused_session_is_quarantined_with_the_hubs_reason_and_the_rest_still_syncs(
    live_hub: LiveHub,
    kiosk: SimulatedKiosk,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    service = kiosk.service
    before = walk_in(service, "Ada Lovelace")
    run_interview(service, before, rng=random.Random(1))
    refused, hub_id = _taken_by_another_organisation(live_hub, kiosk)
    run_interview(service, refused, rng=random.Random(2))
    after = walk_in(service, "Grace Hopper")
    run_interview(service, after, rng=random.Random(3))
    rows, of_refused = _outbox(kiosk), len(_outbox(kiosk, refused))

    # one batch holds all three sessions: the refused entry is found inside it
    with hub_client(settings) as client:
        report = Pusher(service, client, batch_size=200).drain()
    assert report.quarantined == of_refused and report.pending == 0
    assert _hub_sessions(live_hub) == {"Ada Lovelace": "synced", "Grace Hopper": "synced"}
    assert service.get(before).state is SessionState.SYNCED
    assert service.get(after).state is SessionState.SYNCED
    assert service.get(refused).state is SessionState.REPORTED
    (culprit,) = Ledger(service.database).quarantine_report().refused
    assert (culprit.topic, culprit.session_id) == ("session.created", refused)
    assert "HTTP 403" in culprit.reason and "organisation" in culprit.reason
    assert culprit.held == of_refused - 1  # the rest of its session waits with it
    assert rows <= _outbox(kiosk)  # nothing deleted

    # a row written for that session later waits too, without asking the hub again
    service.attach_report(refused, b"%PDF-1.4 re-rendered")
    with hub_client(settings) as client:
        again = Pusher(service, client).drain()
    assert again.quarantined == 1 and again.pushed == 1  # the new PDF's media row went
    (still,) = Ledger(service.database).quarantine_report().refused
    assert (still.outbox_id, still.held) == (culprit.outbox_id, culprit.held + 1)

    # the operator sees it: status line, `kiosk sync status`, `kiosk doctor`
    state = SyncMonitor(service.database).snapshot()
    assert state.quarantined == of_refused + 1 and state.quarantine_reason == culprit.reason
    assert state.queue == 0
    status = sync_status(settings, service.database)
    assert status.quarantined == of_refused + 1 and culprit.reason in status.refused[0]
    doctor = sync_queue(settings)
    assert doctor.status is Status.WARN and not doctor.required
    assert culprit.reason in doctor.detail and "retry-quarantined" in doctor.fix
    monkeypatch.setenv("KIOSK_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KIOSK_HUB_URL", live_hub.url)
    assert kiosk_cli(["sync", "status"]) == 0
    printed = capsys.readouterr().out
    assert f"held back:  {of_refused + 1} record(s)" in printed and culprit.reason in printed

    # the cause is fixed on the hub (the session moves to this kiosk's organisation): retry
    with live_hub.hub.database.sessions() as db:
        db.get(m.InterviewSession, hub_id).org_id = live_hub.org_id  # type: ignore[union-attr]
        db.commit()
    assert kiosk_cli(["sync", "retry-quarantined"]) == 0
    assert f"{of_refused + 1} record(s) back in the queue" in capsys.readouterr().out
    assert service.pending_outbox() == of_refused + 1
    with hub_client(settings) as client:
        retried = Pusher(service, client).drain()
    assert retried.quarantined == 0 and retried.pending == 0
    assert retried.sessions_synced == (refused,)
    assert _hub_sessions(live_hub)["Eve"] == "synced"  # the session it went to, with its records
    assert sync_queue(settings).status is Status.OK


def test_a_blob_lost_from_the_kiosks_disk_quarantines_its_entries_not_the_queue(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    service = kiosk.service
    damaged = walk_in(service, "Edsger Dijkstra")
    run_interview(service, damaged, rng=random.Random(4))
    fine = walk_in(service, "Barbara Liskov")
    run_interview(service, fine, rng=random.Random(5))
    audio = service.load(damaged).answers[0].audio
    assert audio is not None
    path = service.media.path_of(audio.sha256)
    kept = path.read_bytes()
    path.unlink()

    with hub_client(settings) as client:
        report = Pusher(service, client, batch_size=50).drain()
    refused = Ledger(service.database).quarantine_report().refused
    # the blob's own media row, then the answer that needs it (and the rest of its session)
    assert [r.topic for r in refused] == ["media", "answer"]
    assert all("missing from" in r.reason for r in refused)
    assert report.pending == 0 and service.get(fine).state is SessionState.SYNCED
    assert service.get(damaged).state is SessionState.REPORTED

    path.write_bytes(kept)  # restored from a backup
    Ledger(service.database).release_quarantined()
    with hub_client(settings) as client:
        assert Pusher(service, client).drain().sessions_synced == (damaged,)
    assert _hub_sessions(live_hub) == {"Edsger Dijkstra": "synced", "Barbara Liskov": "synced"}


def test_a_local_row_that_does_not_fit_the_wire_contract_is_held_back_not_sent(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    service = kiosk.service
    broken = walk_in(service, "Ada Lovelace")
    with UnitOfWork(service.database) as uow:  # what a kiosk bug (or an older kiosk) might write
        uow.outbox.add("question", broken, {"session_id": broken}, datetime.now(UTC))
        uow.commit()
    run_interview(service, broken, rng=random.Random(6))
    fine = walk_in(service, "Grace Hopper")
    run_interview(service, fine, rng=random.Random(7))

    with hub_client(settings) as client:
        report = Pusher(service, client).drain()
    (culprit,) = Ledger(service.database).quarantine_report().refused
    assert (culprit.topic, culprit.session_id) == ("question", broken)
    assert "does not fit the wire contract" in culprit.reason
    assert report.quarantined == culprit.held + 1 and report.pending == 0
    assert service.get(fine).state is SessionState.SYNCED
    # what came before the bad row went: the hub has the session, not what followed it
    assert _hub_sessions(live_hub) == {"Ada Lovelace": "created", "Grace Hopper": "synced"}


def _alembic(engine: object) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(Path(kiosk_database.__file__).parent / "migrations")
    )
    config.attributes["engine"] = engine
    return config


def test_the_quarantine_migration_keeps_every_row_and_matches_the_schema(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    command.upgrade(_alembic(engine), "0001")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox (topic, aggregate_id, payload, created_at, attempts) "
                "VALUES ('session.created', 's1', '{}', '2026-01-01 00:00:00', 0)"
            )
        )
    engine.dispose()

    database = open_database(path)  # an older kiosk's database is migrated on open
    try:
        ledger = Ledger(database)
        assert ledger.count_pending() == 1 and ledger.quarantine_report().total == 0
        with database.engine.connect() as connection:
            drift = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert [d for d in drift if "outbox" in repr(d)] == []
        command.downgrade(_alembic(database.engine), "0001")
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM outbox")).scalar() == 1
    finally:
        database.close()
