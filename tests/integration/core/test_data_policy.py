"""The data policy a session arrives with is what the candidate is told and what the kiosk does.

The pack's policy is stored with the session; the consent notice and the PDF print the words
generated from it, so changing one setting changes the sentence; the consent record names the
digest of the words the candidate saw.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.sample import passed_id_check

from contract.privacy import DataPolicy, policy_digest, policy_text
from contract.sessionkey import new_session_key
from contract.wire import (
    CandidateWire,
    ConsentEntry,
    DataPolicyWire,
    JobWire,
    SessionPack,
    SettingsWire,
    outbox_entry,
)
from kiosk.domain.consent import consent_notice, notice_sha256, shown_text
from kiosk.report.render import render_report
from kiosk.sessions import SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync.packs import import_pack

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def service(tmp_path: Path) -> Iterator[SessionService]:
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"), clock=lambda: NOW
    )
    yield svc
    svc.close()


def _pack(policy: DataPolicyWire | None) -> SessionPack:
    extra = {} if policy is None else {"data_policy": policy}
    return SessionPack(
        session_key=new_session_key(),
        candidate=CandidateWire(full_name="Zoë Ağaoğlu", email="z@example.org", resume_text="CV"),
        job=JobWire(title="Engineer"),
        settings=SettingsWire(question_count=2),
        created_at=NOW,
        expires_at=NOW + timedelta(days=1),
        **extra,
    )


def test_a_setting_changed_changes_the_words_the_candidate_reads() -> None:
    base = DataPolicy(organisation="Acme")
    words = policy_text(base)
    assert "not sent" in words and "FLAC" not in words
    assert "7 days later" in words and "until it deletes them" in words
    audio = policy_text(DataPolicy(organisation="Acme", send_answer_audio=True))
    assert "FLAC" in audio and "not sent" not in audio
    assert "2 days later" in policy_text(DataPolicy(organisation="Acme", kiosk_days_after_sync=2))
    assert "for 30 days" in policy_text(DataPolicy(organisation="Acme", hub_retention_days=30))
    assert "Initech's" in policy_text(DataPolicy(organisation="Initech"))
    digests = {
        policy_digest(p)
        for p in (base, DataPolicy(organisation="Acme", send_answer_audio=True))
    }
    assert len(digests) == 2


def test_the_pack_policy_is_stored_with_the_session_and_shown_in_the_notice(
    service: SessionService,
) -> None:
    wire = DataPolicyWire(organisation="Acme", send_answer_audio=True, kiosk_days_after_sync=3)
    session = import_pack(service, _pack(wire), NOW).session
    stored = service.get(session.session_id).data_policy
    assert stored == DataPolicy("Acme", True, 3, None)
    notice = consent_notice(session.settings, stored)
    assert policy_text(stored) in notice
    assert "FLAC" in notice and "3 days later" in notice
    # another policy, other words: the notice is generated, not written once
    other = consent_notice(session.settings, DataPolicy("Acme"))
    assert "FLAC" not in other and "not sent" in other


def test_a_pack_from_an_older_hub_gets_the_default_policy_audio_not_sent(
    service: SessionService,
) -> None:
    session = import_pack(service, _pack(None), NOW).session
    policy = service.get(session.session_id).data_policy
    assert policy.send_answer_audio is False
    assert "not sent" in consent_notice(session.settings, policy)


def test_the_consent_record_names_the_digest_of_the_policy_the_candidate_saw(
    service: SessionService,
) -> None:
    wire = DataPolicyWire(organisation="Acme", hub_retention_days=90)
    session = import_pack(service, _pack(wire), NOW).session
    service.open(session.session_key)
    policy = service.get(session.session_id).data_policy
    shown = shown_text(session.settings, policy)
    consent = service.record_consent(
        session.session_id, notice_version="2", notice_sha256=notice_sha256(shown)
    )
    assert consent.policy_sha256 == policy_digest(policy)
    assert service.load(session.session_id).consent == consent
    with UnitOfWork(service.database) as uow:
        rows = [r for r in uow.outbox.pending(100) if r.topic == "consent"]
        entry = outbox_entry(rows[0].id, rows[0].topic, rows[0].payload, rows[0].created_at)
    assert isinstance(entry, ConsentEntry)
    assert entry.payload.policy_sha256 == policy_digest(policy)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("wire", "expected", "absent"),
    [
        (DataPolicyWire(organisation="Acme"), "are not sent", "FLAC"),
        (
            DataPolicyWire(organisation="Acme", send_answer_audio=True, hub_retention_days=45),
            "for 45 days",
            "are not sent",
        ),
    ],
)
def test_the_pdf_prints_the_sessions_own_policy_words(
    service: SessionService, tmp_path: Path, wire: DataPolicyWire, expected: str, absent: str
) -> None:
    session = import_pack(service, _pack(wire), NOW).session
    service.open(session.session_key)
    service.record_consent(session.session_id, notice_version="2", notice_sha256="a" * 64)
    service.verify_identity(session.session_id, passed_id_check("Zoë Ağaoğlu"))
    text = _pdf_text(render_report(service.load(session.session_id), service.media), tmp_path)
    policy = service.get(session.session_id).data_policy
    assert " ".join(policy_text(policy).split()) in text
    assert expected in text and absent not in text
    assert policy_digest(policy)[:16] in text
