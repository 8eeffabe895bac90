"""A deletion on the hub reaches every kiosk that held the session, at its next sync, and leaves
no file and no personal row there; each kiosk's audit entry comes back to the hub.

The hub is the real `kiosk-hub serve` process (SQLite, or PostgreSQL when installed); the kiosks
are real kiosk storage talking HTTP to it through the real client, pusher, puller and syncer.
Kiosk A pulled the pack, interviewed the candidate and synced before the deletion; kiosk B had
only pulled the pack and pushes for the first time after it (it learns of the deletion in the
same sync). Another candidate's session on kiosk A must come through untouched.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.hub.hubprocess import HubProcess
from tests.integration.hub.support import (
    SimulatedKiosk,
    free_port,
    hub_settings,
    run_interview,
    walk_in,
)
from tests.personal_data import files_under, personal_rows, strings_in_database

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.container import Hub, build_hub
from hub.db.models import AuditEntry, KioskErasure
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.domain.lifecycle import SessionState
from kiosk.retention import Retention
from kiosk.storage.erasure import session_blobs
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync import BackgroundSyncer, HubClient, PackPuller, Pusher
from kiosk.sync.erasures import HubErasures

NAME, EMAIL, RESUME = "Zoë Ağaoğlu", "zoe@example.org", "Zoë's resume: ten years of Rust"


@pytest.fixture
def hub_process(tmp_path: Path, database_url: str) -> Iterator[tuple[HubProcess, Hub]]:
    (tmp_path / "hub").mkdir()
    process = HubProcess(tmp_path / "hub", free_port(), {"HUB_DATABASE_URL": database_url})
    process.start()
    admin = build_hub(hub_settings(tmp_path / "hub", database_url=database_url))
    yield process, admin
    admin.close()
    process.stop()


class Kiosk:
    """One kiosk's storage and its sync cycle, wired as `kiosk.sync.background.build_sync` does."""

    def __init__(self, root: Path, url: str, token: str) -> None:
        self.root = root
        self.storage = SimulatedKiosk.create(root, kiosk_id=root.name)
        self.service = self.storage.service
        self.client = HubClient(url, token)
        retention = Retention(self.service.database, self.service.media)
        self.syncer = BackgroundSyncer(
            Pusher(self.service, self.client),
            puller=PackPuller(self.service, self.client),
            chores=(HubErasures(retention, self.client).apply, retention.apply),
        )

    def sync(self) -> None:
        self.syncer.run_once()
        status = self.syncer.status
        assert status.consecutive_failures == 0, status.last_error

    def local_id(self, key: str) -> str:
        with UnitOfWork(self.service.database) as uow:
            found = uow.sessions.get_by_key(key)
        assert found is not None
        return found.session_id

    def close(self) -> None:
        self.client.close()
        self.storage.close()


def test_a_deletion_on_the_hub_erases_the_session_on_every_kiosk_that_held_it(
    tmp_path: Path, hub_process: tuple[HubProcess, Hub]
) -> None:
    process, admin = hub_process
    org_id = admin.accounts.ensure_organisation("Acme")
    # kiosks keep data long after the hub has it: only the deletion can erase it here
    admin.data_policies.set(org_id, "test", kiosk_days_after_sync=365)
    hr = PortalUser("hr-1", "hr@example.org", "hr", org_id, "Acme")
    summary = admin.records.create(
        hr,
        NewSession(
            candidate=CandidateWire(full_name=NAME, email=EMAIL, resume_text=RESUME),
            job=JobWire(title="Engineer", text="Rust services"),
            settings=SettingsWire(question_count=2),
        ),
    )
    key = summary.session_key

    def enrolled(name: str) -> Kiosk:
        token = admin.enrolment.enrol(admin.enrolment.issue_code(org_id, "t").code, name).token
        return Kiosk(tmp_path / name, process.url, token)

    a, b = enrolled("kiosk-a"), enrolled("kiosk-b")
    try:
        a.sync()  # pulls the pack
        PackPuller(b.service, b.client).pull()  # kiosk B pulls only: it pushes nothing yet
        held_a, held_b = a.local_id(key), b.local_id(key)
        run_interview(a.service, held_a, rng=random.Random(1))
        other = walk_in(a.service, "Grace Hopper")
        run_interview(a.service, other, rng=random.Random(2))
        a.sync()
        a.sync()  # the `synced` state rows
        assert a.service.get(held_a).state is SessionState.SYNCED
        media_a_before = files_under(a.root / "media")
        with a.service.database.sessions() as db:
            own_files, other_files = session_blobs(db, held_a), session_blobs(db, other)
        assert own_files and own_files <= media_a_before and other_files <= media_a_before
        assert strings_in_database(a.root / "kiosk.sqlite3", [NAME, EMAIL, RESUME]) != []
        assert strings_in_database(b.root / "kiosk.sqlite3", [NAME, RESUME]) != []

        admin.records.delete(hr, summary.session_id, "the candidate asked (ticket 42)")
        with admin.database.sessions() as db:
            orders = list(db.scalars(select(KioskErasure)))
        assert [(o.kiosk_session_id, o.done_at) for o in orders] == [(held_a, None)]

        a.sync()
        b.sync()  # its first push links it to the deleted session: erased in the same sync

        for kiosk, held in ((a, held_a), (b, held_b)):
            db_path = kiosk.root / "kiosk.sqlite3"
            assert personal_rows(db_path, held) == [], kiosk.root.name
            assert strings_in_database(db_path, [NAME, EMAIL, RESUME, "Rust services"]) == []
            tomb = kiosk.service.get(held)
            assert tomb.session_key == key and tomb.candidate.full_name == ""
        assert files_under(a.root / "media") == other_files  # only the other candidate's
        assert files_under(b.root / "media") == set()
        assert b.service.get(held_b).state is SessionState.ABORTED  # never opened again
        assert a.service.load(other).session.candidate.full_name == "Grace Hopper"
        assert personal_rows(a.root / "kiosk.sqlite3", other) != []

        with admin.database.sessions() as db:
            orders = list(db.scalars(select(KioskErasure).order_by(KioskErasure.id)))
            audit = list(
                db.scalars(
                    select(AuditEntry).where(AuditEntry.action == "session.erased_on_kiosk")
                )
            )
        assert {o.kiosk_session_id for o in orders} == {held_a, held_b}
        assert all(o.done_at is not None for o in orders)
        assert sorted(e.actor for e in audit) == ["kiosk:kiosk-a", "kiosk:kiosk-b"]
        assert all(e.target == key for e in audit)
        assert f"{len(own_files)} file(s) removed" in next(
            e.detail for e in audit if e.actor == "kiosk:kiosk-a"
        )
        # nothing more is asked, and nothing more is recorded, at the next contacts
        a.sync()
        b.sync()
        assert a.client.erasures().erasures == [] and b.client.erasures().erasures == []
    finally:
        a.close()
        b.close()
