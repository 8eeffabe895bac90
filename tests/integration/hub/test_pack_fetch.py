"""A session pack fetched by key on demand (`kiosk.sync.pull_pack`), and the restart of a pack
another kiosk started (`GET /packs/{key}?restart=true`): the real kiosk client against the real
hub on loopback. Every failure says which it is, in words for the invigilator, and creates
nothing on the kiosk."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.hub.conftest import LiveHub
from tests.integration.hub.support import (
    MemoryKeyring,
    SimulatedKiosk,
    free_port,
    run_interview,
)
from tests.sample import take_to

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.db import models as m
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.cli import main as kiosk_cli
from kiosk.domain.lifecycle import SessionState
from kiosk.settings import KioskSettings
from kiosk.sync import (
    HubClient,
    PackPullError,
    PullProblem,
    Pusher,
    enrol,
    hub_client,
    pull_pack,
)
from kiosk.sync.errors import HubGoneError


@dataclass
class Desk:
    """One kiosk: its own storage and its own token."""

    name: str
    kiosk: SimulatedKiosk
    client: HubClient

    def hub(self) -> HubClient:
        return self.client

    def pull(self, key: str, restart: bool = False) -> str:
        """Fetch `key` as the start screen does; returns the local session id."""
        return pull_pack(self.kiosk.service, self.hub, key, restart=restart).session.session_id

    def sessions(self) -> int:
        return len(self.kiosk.service.list_sessions())


@pytest.fixture
def desks(live_hub: LiveHub, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    made: list[Desk] = []

    def make(name: str, org_id: str | None = None) -> Desk:
        code = live_hub.enrolment_code(org_id)
        token = live_hub.hub.enrolment.enrol(code, name).token
        kiosk = SimulatedKiosk.create(tmp_path / name, kiosk_id=name)
        made.append(Desk(name, kiosk, HubClient(live_hub.url, token)))
        return made[-1]

    yield make
    for desk in made:
        desk.client.close()
        desk.kiosk.close()


def _hr(live: LiveHub) -> PortalUser:
    return PortalUser("hr-1", "hr@example.org", "hr", live.org_id, "Acme")


def _pack(live: LiveHub) -> tuple[str, str]:
    """A session HR made just now: (hub session id, key)."""
    new = NewSession(
        CandidateWire(full_name="Ada Lovelace", email="ada@example.org", resume_text="Analyst"),
        JobWire(title="Engineer", text="Engines", required_skills=["python"]),
        SettingsWire(question_count=2),
    )
    created = live.hub.records.create(_hr(live), new)
    return created.session_id, created.session_key


def _fails(
    desk: Desk,
    key: str,
    restart: bool = False,
    *,
    hub: Callable[[], HubClient] | None = None,
    now: datetime | None = None,
) -> PackPullError:
    with pytest.raises(PackPullError) as caught:
        pull_pack(desk.kiosk.service, hub or desk.hub, key, restart=restart, now=now)
    return caught.value


def _audit(live: LiveHub, action: str) -> list[m.AuditEntry]:
    with live.hub.database.sessions() as db:
        query = select(m.AuditEntry).where(m.AuditEntry.action == action)
        return list(db.scalars(query.order_by(m.AuditEntry.id)))


def _never() -> HubClient:
    raise AssertionError("a key on the kiosk must not be asked of the hub")


def test_a_key_made_minutes_ago_is_fetched_on_demand_and_opens(
    live_hub: LiveHub, desks: Callable[..., Desk]
) -> None:
    desk = desks("front-desk")
    _, key = _pack(live_hub)
    assert desk.sessions() == 0

    imported = pull_pack(desk.kiosk.service, desk.hub, key.lower().replace("-", " "))

    assert imported.created and imported.session.session_key == key
    assert imported.session.candidate.full_name == "Ada Lovelace"
    opened = desk.kiosk.service.open(key)  # then exactly as for a pack pulled with today's
    assert opened.state is SessionState.OPENED
    # from now on the kiosk's own copy wins: the hub is not asked again
    again = pull_pack(desk.kiosk.service, _never, key)
    assert not again.created and again.session.state is SessionState.OPENED
    assert desk.sessions() == 1


def test_unknown_expired_and_unreachable_each_say_so_and_create_nothing(
    live_hub: LiveHub, desks: Callable[..., Desk], tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    desk = desks("front-desk")

    unknown = _fails(desk, new_session_key())
    assert unknown.problem is PullProblem.UNKNOWN
    assert "or on the hub" in str(unknown) and "check the key" in str(unknown)

    hub_id, key = _pack(live_hub)
    with live_hub.hub.database.sessions() as db:
        row = db.get(m.InterviewSession, hub_id)
        assert row is not None
        row.expires_at = datetime.now(UTC) - timedelta(minutes=5)
        db.commit()
    expired = _fails(desk, key)
    assert expired.problem is PullProblem.EXPIRED
    assert f"session key {key} expired on" in str(expired) and "ask HR" in str(expired)

    _, fresh = _pack(live_hub)  # valid on the hub, expired by the kiosk's clock on arrival
    late = _fails(desk, fresh, now=datetime.now(UTC) + timedelta(days=30))
    assert late.problem is PullProblem.EXPIRED and "ask HR" in str(late)

    with HubClient(f"http://127.0.0.1:{free_port()}", "hk_token") as down:
        unreachable = _fails(desk, fresh, hub=lambda: down)
    assert unreachable.problem is PullProblem.UNREACHABLE
    assert f"no session with key {fresh} on this kiosk, and the hub cannot be reached" in str(
        unreachable
    )
    assert "cannot reach the hub at http://127.0.0.1" in str(unreachable)

    offline = KioskSettings(data_dir=tmp_path / "offline", hub_url="")
    unconfigured = _fails(desk, fresh, hub=lambda: hub_client(offline))
    assert unconfigured.problem is PullProblem.UNREACHABLE
    assert "hub cannot be reached: no hub is configured (KIOSK_HUB_URL" in str(unconfigured)

    unenrolled = KioskSettings(data_dir=tmp_path / "unenrolled", hub_url=live_hub.url)
    no_token = _fails(desk, fresh, hub=lambda: hub_client(unenrolled))  # the keyring is empty
    assert no_token.problem is PullProblem.NOT_ENROLLED
    assert "cannot ask the hub for it" in str(no_token) and "kiosk enrol" in str(no_token)

    with HubClient(live_hub.url, "hk_never-issued") as revoked:
        refused = _fails(desk, fresh, hub=lambda: revoked)
    assert refused.problem is PullProblem.NOT_ENROLLED and "refused this kiosk's token" in str(
        refused
    )

    assert desk.sessions() == 0


def test_guessing_keys_is_rate_limited_with_or_without_the_restart_flag(
    live_hub: LiveHub, desks: Callable[..., Desk]
) -> None:
    desk = desks("front-desk")
    limit = live_hub.hub.settings.key_misses_per_minute
    for n in range(limit):
        assert _fails(desk, new_session_key(), restart=n % 2 == 1).problem is PullProblem.UNKNOWN
    limited = _fails(desk, new_session_key(), restart=True)
    assert limited.problem is PullProblem.RATE_LIMITED
    assert limited.retry_after > 0
    assert f"try again in {int(limited.retry_after)} s" in str(limited)
    assert desk.sessions() == 0


def test_a_started_pack_needs_the_restart_flag_which_is_audited_and_never_reopens_a_finished_one(
    live_hub: LiveHub, desks: Callable[..., Desk]
) -> None:
    first, second = desks("desk-1"), desks("desk-2")
    _, key = _pack(live_hub)
    first.kiosk.service.open(first.kiosk.service.get(first.pull(key)).session_key)
    Pusher(first.kiosk.service, first.client).drain()  # the hub now knows it was started

    started = _fails(second, key)
    assert started.problem is PullProblem.STARTED
    assert f"session {key} has already been started (opened) on kiosk desk-1" in str(started)
    assert "start another attempt on this kiosk" in str(started)
    assert second.sessions() == 0 and _audit(live_hub, "pack.restarted") == []

    restarted = pull_pack(second.kiosk.service, second.hub, key, restart=True)
    assert restarted.created and restarted.session.session_key == key
    assert second.kiosk.service.open(key).state is SessionState.OPENED
    (entry,) = _audit(live_hub, "pack.restarted")
    assert (entry.org_id, entry.actor, entry.target) == (live_hub.org_id, "kiosk:desk-2", key)
    assert "desk-2" in entry.detail and "opened on kiosk desk-1" in entry.detail

    # another organisation's kiosk learns nothing, flag or not
    other = live_hub.hub.accounts.ensure_organisation("Globex")
    stranger = desks("globex-desk", other)
    assert _fails(stranger, key, restart=True).problem is PullProblem.UNKNOWN

    # once the session is over, no kiosk gets it again, even asking for a restart
    _, done_key = _pack(live_hub)
    local = first.pull(done_key)
    run_interview(first.kiosk.service, local, rng=random.Random(5))
    Pusher(first.kiosk.service, first.client).drain()
    over = _fails(second, done_key, restart=True)
    assert over.problem is PullProblem.OVER
    assert f"session {done_key} is over (synced)" in str(over)
    with pytest.raises(HubGoneError, match="is over"):
        second.client.pack(done_key, restart=True)  # the raw answer: 410, not the pack
    assert second.sessions() == 1 and len(_audit(live_hub, "pack.restarted")) == 1


def test_kiosk_a_starts_kiosk_b_restarts_and_the_hub_keeps_b_as_an_attempt_of_a(
    live_hub: LiveHub, desks: Callable[..., Desk]
) -> None:
    first, second = desks("desk-1"), desks("desk-2")
    hub_id, key = _pack(live_hub)
    mine = first.pull(key)  # fetched on demand, the candidate starts here...
    service = first.kiosk.service
    take_to(service, mine, SessionState.ID_VERIFIED)
    Pusher(service, first.client).drain()  # ...and the kiosk dies after one sync

    assert _fails(second, key).problem is PullProblem.STARTED
    theirs = second.pull(key, restart=True)  # the invigilator confirms a restart on desk-2
    run_interview(second.kiosk.service, theirs, rng=random.Random(9))
    Pusher(second.kiosk.service, second.client).drain()
    assert second.kiosk.service.get(theirs).state is SessionState.SYNCED

    hr, records = _hr(live_hub), live_hub.hub.records
    original = records.detail(hr, hub_id)
    (attempt_id,) = original.attempts
    attempt = records.detail(hr, attempt_id)
    assert original.summary.state == "id_verified" and original.transcript == ()
    assert attempt.summary.attempt_of == hub_id and attempt.summary.session_key == key
    assert attempt.summary.state == "synced"
    answers = [a.text for a in second.kiosk.service.load(theirs).answers]
    assert [item.answer for item in attempt.transcript] == answers
    with live_hub.hub.database.sessions() as db:
        query = select(m.InterviewSession.id, m.InterviewSession.kiosk_session_id)
        owners = {row.id: row.kiosk_session_id for row in db.execute(query)}
    assert owners == {hub_id: mine, attempt_id: theirs}
    assert [e.target for e in _audit(live_hub, "pack.restarted")] == [key]


def test_kiosk_sync_pull_fetches_by_key_and_takes_over_a_started_pack_only_with_restart(
    live_hub: LiveHub,
    desks: Callable[..., Desk],
    keyring_backend: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = desks("desk-1")
    _, key = _pack(live_hub)
    first.kiosk.service.open(first.kiosk.service.get(first.pull(key)).session_key)
    Pusher(first.kiosk.service, first.client).drain()
    assert enrol(live_hub.url, live_hub.enrolment_code(), "cli-desk").stored_in == "keyring"
    monkeypatch.setenv("KIOSK_HUB_URL", live_hub.url)

    assert kiosk_cli(["sync", "pull", new_session_key()]) == 2
    assert "check the key" in capsys.readouterr().err
    assert kiosk_cli(["sync", "pull", key]) == 2
    err = capsys.readouterr().err
    assert "has already been started (opened) on kiosk desk-1" in err and "--restart" in err
    assert kiosk_cli(["sync", "pull", key, "--restart"]) == 0
    assert f"stored session {key} for Ada Lovelace" in capsys.readouterr().out
    assert kiosk_cli(["sync", "pull", key]) == 0  # on the kiosk now: the hub is not asked
    assert f"already had session {key}" in capsys.readouterr().out
    assert [e.actor for e in _audit(live_hub, "pack.restarted")] == ["kiosk:cli-desk"]
