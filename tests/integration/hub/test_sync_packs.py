"""Today's packs reach the kiosk on their own: the background syncer pulls them from the real hub.

Cycles are driven with `run_once()` and a hand-set monotonic clock, so nothing here waits on
time: the pull interval is tested by moving the clock, not by sleeping.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.integration.hub.conftest import LiveHub
from tests.integration.hub.support import (
    MemoryKeyring,
    SimulatedKiosk,
    free_port,
    run_interview,
    walk_in,
)

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.bus import EventBus
from kiosk.cli import main as kiosk_cli
from kiosk.domain.lifecycle import SessionState
from kiosk.live.writer import SerialWriter
from kiosk.settings import KioskSettings
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync import BackgroundSyncer, PackPuller, Pusher, enrol, hub_client, ready_sessions
from kiosk.sync.background import build_sync

PULL_EVERY = 600.0


def _hr(live: LiveHub) -> PortalUser:
    return PortalUser("hr-1", "hr@example.org", "hr", live.org_id, "Acme")


def _pack_on_hub(live: LiveHub, name: str) -> str:
    """HR creates a session on the hub; returns its key."""
    created = live.hub.records.create(
        _hr(live),
        NewSession(
            candidate=CandidateWire(full_name=name, email="c@example.org", resume_text="CV"),
            job=JobWire(title="Engineer", text="Engines", required_skills=["python"]),
            settings=SettingsWire(question_count=2, seconds_per_question=60),
        ),
    )
    return created.session_key


def _enrolled(live: LiveHub, tmp_path: Path, **overrides: Any) -> KioskSettings:
    assert enrol(live.url, live.enrolment_code(), "front-desk").stored_in == "keyring"
    return KioskSettings(data_dir=tmp_path / "kiosk", hub_url=live.url, kiosk_id="k1", **overrides)


def _local(kiosk: SimulatedKiosk, key: str) -> tuple[str, SessionState, str] | None:
    with UnitOfWork(kiosk.service.database) as uow:
        found = uow.sessions.get_by_key(key)
    return None if found is None else (found.session_id, found.state, found.candidate.full_name)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_packs_arrive_after_a_cycle_once_and_again_only_when_the_interval_passed(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    first = _pack_on_hub(live_hub, "Ada Lovelace")
    clock = Clock()
    with hub_client(settings) as client:
        syncer = BackgroundSyncer(
            Pusher(kiosk.service, client),
            puller=PackPuller(kiosk.service, client),
            pull_interval_seconds=PULL_EVERY,
            monotonic=clock,
        )
        wait = syncer.run_once()  # the first cycle pulls at once
        arrived = _local(kiosk, first)
        assert arrived is not None and arrived[1:] == (SessionState.CREATED, "Ada Lovelace")
        pulled = syncer.status.last_pull
        assert pulled is not None and pulled.imported == (first,) and pulled.waiting == 1
        assert 0 < wait <= syncer.interval

        second = _pack_on_hub(live_hub, "Grace Hopper")
        syncer.run_once()  # the interval has not passed: no pull, the new pack waits
        assert _local(kiosk, second) is None and syncer.status.last_pull is pulled

        clock.now += PULL_EVERY
        syncer.run_once()
        again = syncer.status.last_pull
        assert again is not None and again.imported == (second,) and again.waiting == 2
        clock.now += PULL_EVERY
        syncer.run_once()  # both are on the kiosk: nothing new
        latest = syncer.status.last_pull
        assert latest is not None and latest is not again and latest.imported == ()
    assert syncer.status.consecutive_failures == 0
    assert ready_sessions(kiosk.service.database) == 2


def test_a_pack_already_started_on_the_kiosk_is_never_overwritten(
    live_hub: LiveHub,
    kiosk: SimulatedKiosk,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    key = _pack_on_hub(live_hub, "Ada Lovelace")
    with hub_client(settings) as client:
        puller = PackPuller(kiosk.service, client)
        assert puller.pull().imported == (key,)
        local = _local(kiosk, key)
        assert local is not None
        kiosk.service.open(key)  # the candidate started; the hub has not heard of it yet
        pulled = puller.pull()
    assert pulled.waiting == 1 and pulled.imported == ()  # the hub still lists it
    assert _local(kiosk, key) == (local[0], SessionState.OPENED, "Ada Lovelace")
    assert len(kiosk.service.list_sessions()) == 1
    assert ready_sessions(kiosk.service.database) == 0  # opened: no longer waiting
    # `kiosk sync today` by hand does the same: nothing new, nothing touched
    monkeypatch.setenv("KIOSK_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("KIOSK_HUB_URL", live_hub.url)
    assert kiosk_cli(["sync", "today"]) == 0
    assert "1 session pack(s) waiting on the hub, 0 new on this kiosk" in capsys.readouterr().out
    assert _local(kiosk, key) == (local[0], SessionState.OPENED, "Ada Lovelace")


def test_a_failed_pull_is_counted_but_never_stops_the_push(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path)
    session_id = walk_in(kiosk.service, "Alan Turing")
    run_interview(kiosk.service, session_id, rng=random.Random(1))
    nowhere = settings.model_copy(update={"hub_url": f"http://127.0.0.1:{free_port()}"})
    with hub_client(settings) as client, hub_client(nowhere) as dead:
        syncer = BackgroundSyncer(
            Pusher(kiosk.service, client), puller=PackPuller(kiosk.service, dead)
        )
        syncer.run_once()
        assert kiosk.service.pending_outbox() == 0
        assert kiosk.service.get(session_id).state is SessionState.SYNCED
        status = syncer.status
        assert status.consecutive_failures == 1 and "cannot reach" in status.last_error
        assert status.last_report is not None and status.last_report.pushed > 20
        assert status.last_pull is None
        syncer.run_once()  # the pull is still due: tried again, failed again
        assert syncer.status.consecutive_failures == 2


class RecordingWriter(SerialWriter):
    """The app's single writer thread, noting which writes it was handed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        self.writes.append(fn.__name__)
        return super().call(fn, *args, **kwargs)


def test_the_apps_syncer_imports_packs_through_the_writer_and_shows_them_ready(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, pack_pull_interval_seconds=120)
    key = _pack_on_hub(live_hub, "Katherine Johnson")
    writer = RecordingWriter()
    monitor = build_sync(settings, kiosk.service, writer, EventBus())
    try:
        assert monitor.syncer is not None and monitor.syncer.pull_interval == 120
        assert monitor.snapshot().ready_sessions == 0
        monitor.syncer.run_once()
        assert _local(kiosk, key) is not None
        assert "import_pack" in writer.writes
        state = monitor.snapshot()
        assert state.ready_sessions == 1 and state.quarantined == 0
    finally:
        monitor.close()
        writer.close()
