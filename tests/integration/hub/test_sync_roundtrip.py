"""The real kiosk sync client against the real hub on a loopback port: they cannot drift."""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from tests.integration.hub.conftest import LiveHub
from tests.integration.hub.support import (
    MemoryKeyring,
    SimulatedKiosk,
    free_port,
    run_interview,
    statements_on,
    walk_in,
)

from contract.privacy import DataPolicy, policy_digest
from contract.proctoring import EventKind, Severity
from contract.wire import CandidateWire, JobWire, PushBatch, SettingsWire, outbox_entry
from hub.db import models as m
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.cli import main as kiosk_main
from kiosk.domain.lifecycle import SessionState
from kiosk.domain.model import ProctoringEvent
from kiosk.secrets import Secret, get_secret
from kiosk.settings import KioskSettings
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync import (
    EnrolmentCodeRefusedError,
    HubAuthError,
    HubNotConfiguredError,
    HubUnavailableError,
    Pusher,
    enrol,
    hub_client,
    import_pack,
    sync_status,
)
from kiosk.sync.errors import HubNotFoundError, HubRejectedError
from kiosk.sync.ledger import Ledger


def _hr(live: LiveHub, org_id: str | None = None) -> PortalUser:
    org = org_id or live.org_id
    return PortalUser("hr-1", "hr@example.org", "hr", org, "Acme")


def _new_session(name: str = "Ada Lovelace") -> NewSession:
    return NewSession(
        candidate=CandidateWire(full_name=name, email="ada@example.org", resume_text="Analyst"),
        job=JobWire(title="Engineer", text="Engines", required_skills=["python"]),
        settings=SettingsWire(question_count=2, seconds_per_question=60),
    )


def _settings(live: LiveHub, tmp_path: Path) -> KioskSettings:
    return KioskSettings(data_dir=tmp_path / "kiosk", hub_url=live.url, kiosk_id="k1")


def _count(live: LiveHub, model: type[m.Base]) -> int:
    with live.hub.database.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _enrolled(live: LiveHub, tmp_path: Path, keyring_backend: MemoryKeyring) -> KioskSettings:
    result = enrol(live.url, live.enrolment_code(), "front-desk")
    assert result.stored_in == "keyring"
    return _settings(live, tmp_path)


def test_pack_pulled_interviewed_and_pushed_arrives_whole_and_session_becomes_synced(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    token = get_secret(Secret.HUB_TOKEN)
    assert token is not None and token.get_secret_value().startswith("hk_")
    # this organisation's policy sends answer audio (off by default): the pack says so
    live_hub.hub.data_policies.set(live_hub.org_id, "test", send_answer_audio=True)
    created = live_hub.hub.records.create(_hr(live_hub), _new_session())

    with hub_client(settings) as client:
        assert client.whoami().organisation == "Acme"
        assert [p.session_key for p in client.waiting_packs().packs] == [created.session_key]
        pack = client.pack(created.session_key.lower().replace("-", " "))
        assert pack.data_policy.send_answer_audio and pack.data_policy.organisation == "Acme"
        imported = import_pack(kiosk.service, pack)
        assert imported.created and imported.session.session_key == created.session_key
        assert not import_pack(kiosk.service, pack).created
        run_interview(kiosk.service, imported.session.session_id, rng=random.Random(1))
        report = Pusher(kiosk.service, client, batch_size=7).drain()

    assert report.pending == 0 and report.batches >= 3
    assert report.sessions_synced == (imported.session.session_id,)
    assert kiosk.service.get(imported.session.session_id).state is SessionState.SYNCED
    detail = live_hub.hub.records.detail(_hr(live_hub), created.session_id)
    assert detail.summary.state == "synced"
    assert [i.answer for i in detail.transcript] == ["Answer 0.", "Answer 1."]
    assert all(i.audio_sha256 for i in detail.transcript)  # the policy sends answer audio
    assert all(i.score is not None and i.score.provisional for i in detail.transcript)
    assert detail.events[0].kind == "multiple_people" and detail.events[0].snapshot_sha256
    assert detail.id_check is not None and detail.id_check["face_matches"] is True
    assert detail.evaluation is not None and detail.evaluation["recommendation"] == "yes"
    record = kiosk.service.load(imported.session.session_id)
    assert record.report is not None and detail.report_sha256 == record.report.pdf.sha256
    # every blob on the hub is byte-identical to the kiosk's copy
    for sha in live_hub.hub.blobs.root.rglob("*"):
        if sha.is_file() and not sha.name.endswith(".part"):
            assert sha.parent.parent.parent.name == live_hub.org_id  # the kiosk's organisation
            data = sha.read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha.name
            assert kiosk.service.media.read(sha.name) == data
    assert report.blobs_uploaded == 6  # 2 id images, 2 audio, 1 snapshot, 1 pdf
    # the consent names the digest of the policy words the candidate was shown
    with live_hub.hub.database.sessions() as db:
        digests = list(db.scalars(select(m.Consent.policy_sha256)))
    assert digests == [policy_digest(DataPolicy(**pack.data_policy.model_dump()))]
    assert _count(live_hub, m.InterviewSession) == 1


def test_a_repeated_batch_is_acknowledged_without_duplicating_anything(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Grace Hopper")
    run_interview(kiosk.service, session_id, rng=random.Random(2))
    first_entries = Ledger(kiosk.service.database).pending(5).entries
    with hub_client(settings) as client:
        Pusher(kiosk.service, client).drain()
        rows_before = _count(live_hub, m.Receipt)
        # replay the first rows as a kiosk would after losing the hub's answer
        with UnitOfWork(kiosk.service.database) as uow:
            rows = uow.outbox.pending(5)  # nothing is pending any more...
            assert rows == []
        entries = [
            outbox_entry(i + 1, e.topic, e.payload.model_dump(mode="json"), e.created_at)
            for i, e in enumerate(first_entries)
        ]
        result = client.push(PushBatch(entries=entries))
    assert result.applied == [] and result.duplicates == [e.outbox_id for e in entries]
    assert _count(live_hub, m.Receipt) == rows_before
    assert _count(live_hub, m.InterviewSession) == 1
    assert _count(live_hub, m.Question) == 2


def test_a_batch_reads_each_session_it_carries_once_whatever_its_length(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    """Ingest cost: a batch carrying a session's whole outbox (here 34 entries) looks up the
    session's link and row once, not once per entry, and records its receipts in one INSERT."""
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Grace Hopper")
    run_interview(kiosk.service, session_id, rng=random.Random(3), questions=4)
    with (statements_on(live_hub.hub.database.engine) as statements,
          hub_client(settings) as client):
        report = Pusher(kiosk.service, client, batch_size=100).drain()
    assert report.pending == 0 and report.sessions_synced == (session_id,)
    assert _count(live_hub, m.Receipt) == report.pushed >= 30
    links = [s for s in statements if s.startswith("SELECT") and "FROM kiosk_session_links" in s]
    sessions = [s for s in statements
                if s.startswith("SELECT") and "FROM interview_sessions WHERE" in s]
    receipts = [s for s in statements if s.startswith("INSERT INTO receipts")]
    # per batch: the link once to apply (and once more where "session.created" asks whether
    # the session is known), the row once
    assert len(links) <= 2 * report.batches < report.pushed / 5, links
    assert len(sessions) <= 2 * report.batches, sessions
    assert len(receipts) == report.batches, receipts


def test_an_event_recorded_when_it_starts_and_again_when_it_ends_arrives_as_it_ended(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Grace Hopper")
    started = ProctoringEvent(
        "ev-1", EventKind.NO_FACE, Severity.MEDIUM, 0.7, 12.0, 12.0, "yunet"
    )
    with hub_client(settings) as client:
        kiosk.service.record_event(session_id, started)
        Pusher(kiosk.service, client).drain()  # the hub first learns of the ongoing event
        ended = replace(started, end=19.5, confidence=0.93)
        kiosk.service.record_event(session_id, ended, snapshot_jpeg=b"\xff\xd8 snapshot")
        Pusher(kiosk.service, client).drain()
    (hub_session,) = live_hub.hub.records.list(_hr(live_hub))
    events = live_hub.hub.records.detail(_hr(live_hub), hub_session.session_id).events
    assert len(events) == 1
    assert (events[0].start, events[0].end) == (12.0, 19.5)
    assert events[0].snapshot_sha256 == hashlib.sha256(b"\xff\xd8 snapshot").hexdigest()


def test_walk_in_created_offline_is_queued_then_adopted_under_the_kiosks_organisation(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    offline = KioskSettings(data_dir=tmp_path / "kiosk", hub_url="", kiosk_id="k1")
    session_id = walk_in(kiosk.service, "Alan Turing")
    run_interview(kiosk.service, session_id, rng=random.Random(3))
    with pytest.raises(HubNotConfiguredError, match="KIOSK_HUB_URL"):
        hub_client(offline)
    status = sync_status(offline, kiosk.service.database)
    assert not status.reachable and status.pending > 20 and "offline" in status.error

    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    assert sync_status(settings, kiosk.service.database).reachable
    with hub_client(settings) as client:
        Pusher(kiosk.service, client).drain()
    sessions = live_hub.hub.records.list(_hr(live_hub))
    assert [(s.candidate_name, s.origin, s.state) for s in sessions] == [
        ("Alan Turing", "kiosk", "synced")
    ]
    assert sessions[0].session_key == kiosk.service.get(session_id).session_key
    assert sync_status(settings, kiosk.service.database).pending == 0


def test_a_hub_that_is_down_loses_nothing_and_the_queue_drains_later(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Edsger Dijkstra")
    run_interview(kiosk.service, session_id, rng=random.Random(4))
    pending = kiosk.service.pending_outbox()
    down = settings.model_copy(update={"hub_url": f"http://127.0.0.1:{free_port()}"})
    with hub_client(down) as client, pytest.raises(HubUnavailableError, match="cannot reach"):
        Pusher(kiosk.service, client).drain()
    assert kiosk.service.pending_outbox() == pending
    status = sync_status(down, kiosk.service.database)
    assert not status.reachable and status.pending == pending
    with hub_client(settings) as client:
        assert Pusher(kiosk.service, client).drain().pending == 0


def test_a_blob_already_on_the_hub_is_skipped_and_a_damaged_upload_is_refused(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Barbara Liskov")
    run_interview(kiosk.service, session_id, rng=random.Random(5))
    pdf = kiosk.service.load(session_id).report
    assert pdf is not None
    data = kiosk.service.media.read(pdf.pdf.sha256)
    with hub_client(settings) as client:
        with pytest.raises(HubRejectedError, match="hash to") as refused:
            client.upload_blob(pdf.pdf.sha256, data + b"tampered")
        assert refused.value.status == 422
        assert not client.has_blob(pdf.pdf.sha256, len(data))
        client.upload_blob(pdf.pdf.sha256, data)
        assert client.has_blob(pdf.pdf.sha256, len(data))
        report = Pusher(kiosk.service, client).drain()
    # 2 ID pictures, 2 answers' audio (the walk-in's policy sends it), 1 still
    assert report.blobs_skipped == 1 and report.blobs_uploaded == 5


def test_revoked_token_and_other_organisations_are_refused(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    other_org = live_hub.hub.accounts.ensure_organisation("Globex")
    theirs = live_hub.hub.records.create(_hr(live_hub, other_org), _new_session("Eve"))
    code = live_hub.enrolment_code()
    enrolled = enrol(live_hub.url, code, "front-desk")
    with pytest.raises(EnrolmentCodeRefusedError, match="unknown, used or expired"):
        enrol(live_hub.url, code, "second-use")
    settings = _settings(live_hub, tmp_path)
    with hub_client(settings) as client:
        with pytest.raises(HubNotFoundError):
            client.pack(theirs.session_key)
        assert client.waiting_packs().packs == []
    live_hub.hub.enrolment.revoke(live_hub.org_id, enrolled.kiosk_id, "admin@example.org")
    with hub_client(settings) as client, pytest.raises(HubAuthError, match="revoked"):
        client.whoami()


def test_a_mistyped_enrolment_code_is_called_a_code_not_a_token(
    live_hub: LiveHub, keyring_backend: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    """The hub answers a wrong code with 401, as it does a refused token; at enrolment the
    kiosk has no token yet, so the message must be about the code."""
    good = live_hub.enrolment_code()
    typo = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert kiosk_main(["enrol", typo, "--hub", live_hub.url, "--name", "desk-3"]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("kiosk enrol: the hub did not accept the enrolment code")
    assert typo in error and "token" not in error
    assert len(error.splitlines()) == 1
    assert kiosk_main(["enrol", good, "--hub", live_hub.url, "--name", "desk-3"]) == 0


def test_the_token_falls_back_to_the_environment_without_a_keyring(
    live_hub: LiveHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    try:
        enrolled = enrol(live_hub.url, live_hub.enrolment_code(), "no-keyring")
        assert enrolled.stored_in == "nowhere"
        monkeypatch.setenv("KIOSK_HUB_TOKEN", enrolled.token.get_secret_value())
        with hub_client(_settings(live_hub, tmp_path)) as client:
            assert client.whoami().kiosk_name == "no-keyring"
    finally:
        keyring.set_keyring(previous)


def test_the_client_speaks_only_to_loopback_in_tests(live_hub: LiveHub) -> None:
    assert httpx.URL(live_hub.url).host == "127.0.0.1"


def test_the_rescoring_hook_turns_provisional_scores_final(
    live_hub: LiveHub, kiosk: SimulatedKiosk, tmp_path: Path, keyring_backend: MemoryKeyring
) -> None:
    from hub.rescoring import FinalScore, ProvisionalAnswer, rescore_provisional

    class Fixed:
        def rescore(self, item: ProvisionalAnswer) -> FinalScore | None:
            return FinalScore((("depth", 9.0, f"good: {item.answer}"),), "final", "gemini-fake")

    settings = _enrolled(live_hub, tmp_path, keyring_backend)
    session_id = walk_in(kiosk.service, "Katherine Johnson")
    run_interview(kiosk.service, session_id, rng=random.Random(6))
    with hub_client(settings) as client:
        Pusher(kiosk.service, client).drain()
    hub_id = live_hub.hub.records.list(_hr(live_hub))[0].session_id
    assert rescore_provisional(live_hub.hub.database, hub_id, Fixed()) == 2
    detail = live_hub.hub.records.detail(_hr(live_hub), hub_id)
    assert detail.provisional  # the kiosk's final evaluation is still a provisional one
    assert all(
        i.score and not i.score.provisional and i.score.overall == 9.0 for i in detail.transcript
    )
