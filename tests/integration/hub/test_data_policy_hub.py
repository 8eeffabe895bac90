"""An organisation's data policy lives on the hub, is set by an admin (here `kiosk-hub
data-policy`), audited in the words candidates will read, and travels in every session pack."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.hub.support import hub_settings

from contract.privacy import DataPolicy, policy_text
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.cli import main as hub_cli
from hub.container import build_hub
from hub.db.models import AuditEntry
from hub.services.records import NewSession
from hub.views import KioskIdentity, PortalUser


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HUB_SECRET_KEY", "a-test-secret-of-at-least-32-characters!")
    return tmp_path


def test_the_default_policy_keeps_answer_audio_on_the_kiosk_and_the_cli_changes_it(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert hub_cli(["data-policy", "--organisation", "Acme"]) == 0
    shown = capsys.readouterr().out.strip()
    assert shown == policy_text(DataPolicy(organisation="Acme"))
    assert "not sent" in shown and "7 days later" in shown

    args = ["data-policy", "--organisation", "Acme", "--send-answer-audio", "yes"]
    assert hub_cli([*args, "--kiosk-days", "2"]) == 0
    changed = capsys.readouterr().out.strip()
    assert "FLAC" in changed and "2 days later" in changed and changed != shown

    hub = build_hub(hub_settings(data_dir))
    try:
        org_id = hub.accounts.ensure_organisation("Acme")
        assert hub.data_policies.get(org_id) == DataPolicy("Acme", True, 2, None)
        hr = PortalUser("hr", "hr@example.org", "hr", org_id, "Acme")
        hub.records.set_retention(hr, 90)  # the hub's own retention is part of the same policy
        created = hub.records.create(
            hr,
            NewSession(
                candidate=CandidateWire(full_name="Ada Lovelace"),
                job=JobWire(title="Engineer"),
                settings=SettingsWire(),
            ),
        )
        kiosk = KioskIdentity("k", "desk", org_id, "Acme")
        pack = next(p for p in hub.packs.waiting(kiosk).packs)
        assert pack.session_key == created.session_key
        assert pack.data_policy.send_answer_audio is True
        assert pack.data_policy.kiosk_days_after_sync == 2
        assert pack.data_policy.hub_retention_days == 90
        with hub.database.sessions() as db:
            audit = db.scalars(
                select(AuditEntry).where(AuditEntry.action == "data_policy.set")
            ).all()
        assert [a.detail for a in audit] == [changed]  # the words, as candidates read them
    finally:
        hub.close()


def test_an_out_of_range_setting_is_refused_with_the_range_and_changes_nothing(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["data-policy", "--organisation", "Acme", "--send-answer-audio", "yes"]
    assert hub_cli([*args, "--kiosk-days", "400"]) == 2
    error = capsys.readouterr().err
    assert "0 to 365" in error and "400" in error
    assert hub_cli(["data-policy", "--organisation", "Acme"]) == 0
    assert "not sent" in capsys.readouterr().out  # the audio switch was not half-applied
