"""Sync under fire: 200 sessions from 4 kiosks through a fault-injecting transport to a hub
process that is SIGKILLed mid-upload and restarted, on SQLite and on PostgreSQL. Every session
must land exactly once and every blob byte-identical."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.integration.hub.faults import FaultyTransport
from tests.integration.hub.hubprocess import HubProcess
from tests.integration.hub.support import (
    SimulatedKiosk,
    free_port,
    hub_settings,
    run_interview,
    walk_in,
)

from hub.container import build_hub
from hub.db import models as m
from kiosk.domain.lifecycle import SessionState
from kiosk.storage.schema import OutboxRow
from kiosk.sync import BackgroundSyncer, Backoff, HubClient, Pusher

KIOSKS = 4
SESSIONS_PER_KIOSK = 50
KILLS = 4
DEADLINE_SECONDS = 150


def _killer(
    hub: HubProcess, transports: list[FaultyTransport], stop: threading.Event, figures: Counter[str]
) -> None:
    """Kill the hub while a kiosk is uploading a blob, then restart it; KILLS times."""
    while hub.kills < KILLS and not stop.is_set():
        time.sleep(random.uniform(1.0, 2.0))
        waited = time.monotonic()
        while not any(t.uploads_in_flight for t in transports) and time.monotonic() - waited < 3:
            time.sleep(0.001)
        if any(t.uploads_in_flight for t in transports):
            figures["kills_mid_upload"] += 1
        hub.kill()
        time.sleep(0.3)
        hub.start()


@pytest.fixture
def hub(tmp_path: Path, database_url: str) -> Iterator[HubProcess]:
    """A hub process on SQLite (under its data dir) or on a fresh PostgreSQL database."""
    (tmp_path / "hub").mkdir()
    process = HubProcess(tmp_path / "hub", free_port(), {"HUB_DATABASE_URL": database_url})
    process.start()
    yield process
    process.stop()


def test_two_hundred_sessions_survive_drops_duplicates_reordering_500s_and_hub_kills(
    tmp_path: Path, hub: HubProcess, database_url: str
) -> None:
    started = time.monotonic()
    settings = hub_settings(tmp_path / "hub", database_url=database_url)
    admin = build_hub(settings)  # the same database, to issue codes and to check the result
    org_id = admin.accounts.ensure_organisation("Acme")

    kiosks: list[SimulatedKiosk] = []
    session_ids: list[list[str]] = []
    for k in range(KIOSKS):
        kiosk = SimulatedKiosk.create(tmp_path / f"kiosk{k}", kiosk_id=f"kiosk-{k}")
        rng = random.Random(k)
        ids = []
        for s in range(SESSIONS_PER_KIOSK):
            session_id = walk_in(kiosk.service, f"Candidate {k}-{s}")
            run_interview(kiosk.service, session_id, rng=rng, questions=1, blob_bytes=700)
            ids.append(session_id)
        kiosks.append(kiosk)
        session_ids.append(ids)
    created_seconds = time.monotonic() - started

    counts: Counter[str] = Counter()
    lock = threading.Lock()
    transports = [FaultyTransport(100 + k, counts, lock) for k in range(KIOSKS)]
    syncers = []
    for k, kiosk in enumerate(kiosks):
        token = admin.enrolment.enrol(admin.enrolment.issue_code(org_id, "t").code, f"k{k}").token
        client = HubClient(hub.url, token, timeout=5.0, transport=transports[k])
        syncer = BackgroundSyncer(
            Pusher(kiosk.service, client, batch_size=10),
            interval_seconds=0.2,
            backoff=Backoff(base_seconds=0.05, cap_seconds=1.0, rng=random.Random(k)),
        )
        syncers.append(syncer)
    queued_before = sum(k.service.pending_outbox() for k in kiosks)

    figures: Counter[str] = Counter()
    stop_killing = threading.Event()
    killer = threading.Thread(target=_killer, args=(hub, transports, stop_killing, figures))
    sync_started = time.monotonic()
    for syncer in syncers:
        syncer.start()
    killer.start()
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            done = all(
                k.service.pending_outbox() == 0
                and all(s.state is SessionState.SYNCED for s in k.service.list_sessions())
                for k in kiosks
            )
            if done and not killer.is_alive():
                break
            time.sleep(0.25)
    finally:
        stop_killing.set()
        killer.join(60)
        for syncer in syncers:
            syncer.stop()
    sync_seconds = time.monotonic() - sync_started

    # -- the verdict ---------------------------------------------------------------------------
    pending = [k.service.pending_outbox() for k in kiosks]
    assert pending == [0] * KIOSKS, f"unsent rows left: {pending}"
    outbox_rows = 0
    for kiosk in kiosks:
        with kiosk.service.database.sessions() as db:
            outbox_rows += int(db.scalar(select(func.count()).select_from(OutboxRow)) or 0)
    assert outbox_rows == queued_before + len(session_ids) * SESSIONS_PER_KIOSK  # + synced rows
    with admin.database.sessions() as db:
        hub_sessions = dict(
            db.execute(select(m.InterviewSession.kiosk_session_id, m.InterviewSession.state)).all()
        )
        receipts = db.scalar(select(func.count()).select_from(m.Receipt))
        questions = db.scalar(select(func.count()).select_from(m.Question))
        answers = db.scalar(select(func.count()).select_from(m.Answer))
        reports = db.scalar(select(func.count()).select_from(m.ReportPdf))
    expected = [sid for ids in session_ids for sid in ids]
    assert len(expected) >= 200
    assert sorted(hub_sessions) == sorted(expected), "a session is missing or doubled on the hub"
    assert set(hub_sessions.values()) == {"synced"}
    assert receipts == outbox_rows  # every outbox row applied exactly once
    assert questions == answers == reports == len(expected)
    blobs = 0
    blob_bytes = 0
    for kiosk in kiosks:
        for local in kiosk.service.media.root.rglob("*"):
            if local.is_file() and len(local.name) == 64:
                remote = admin.blobs.path_of(org_id, local.name)
                assert remote.read_bytes() == local.read_bytes(), f"blob {local.name} differs"
                blobs += 1
                blob_bytes += local.stat().st_size
    hub_files = [p for p in admin.blobs.root.rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(hub_files) == blobs
    assert hub.kills == KILLS and figures["kills_mid_upload"] >= 1
    print(
        "\nfault-test figures:",
        {
            "database": admin.database.backend,
            "sessions": len(expected),
            "kiosks": KIOSKS,
            "outbox_rows": outbox_rows,
            "receipts": receipts,
            "blobs": blobs,
            "blob_bytes": blob_bytes,
            "hub_kills": hub.kills,
            "kills_mid_upload": figures["kills_mid_upload"],
            "faults": dict(sorted(counts.items())),
            "create_seconds": round(created_seconds, 1),
            "sync_seconds": round(sync_seconds, 1),
        },
    )
    for kiosk in kiosks:
        kiosk.close()
    for transport in transports:
        transport.close()
    admin.close()


pytestmark = pytest.mark.timeout(300)
