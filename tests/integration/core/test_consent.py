"""The candidate's answer to the consent notice: stored durably as a record of its own, synced
as a `consent` outbox entry the hub accepts, read back, and printed in the report."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from tests.sample import candidate, job, passed_id_check, settings, take_to

from contract.wire import ConsentEntry, outbox_entry
from kiosk.domain.events import StateChanged
from kiosk.domain.lifecycle import SessionState
from kiosk.report.render import render_report
from kiosk.sessions import ConsentNotExpectedError, SessionService, StepRefusedError
from kiosk.storage.database import MIGRATIONS, open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork

NOTICE_SHA = hashlib.sha256(b"the words shown to the candidate").hexdigest()


class Clock:
    """A kiosk clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 14, 9, 26, 53, 589_000, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(tmp_path: Path, clock: Clock) -> Iterator[SessionService]:
    svc = SessionService(
        open_database(tmp_path / "k.db"), MediaStore(tmp_path / "m"), kiosk_id="k-1", clock=clock
    )
    yield svc
    svc.close()


def _opened(service: SessionService) -> str:
    session = service.create(candidate(), job(), settings())
    service.open(session.session_key)
    return session.session_id


def _outbox(service: SessionService) -> list[tuple[int, str, dict, datetime]]:
    with UnitOfWork(service.database) as uow:
        return [(r.id, r.topic, dict(r.payload), r.created_at) for r in uow.outbox.pending()]


def test_consent_is_stored_read_back_and_synced_as_a_record_of_its_own(
    service: SessionService, clock: Clock
) -> None:
    session_id = _opened(service)
    clock.now += timedelta(minutes=2)
    consent = service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA)

    record = service.load(session_id)
    assert record.consent == consent
    assert record.consent.at == clock.now and record.consent.agreed
    assert record.consent.notice_sha256 == NOTICE_SHA and record.consent.biometric
    assert record.session.state is SessionState.OPENED  # consent is no lifecycle step
    assert record.interview_started_at is None

    row_id, topic, payload, created_at = _outbox(service)[-1]
    entry = outbox_entry(row_id, topic, payload, created_at)  # what the hub validates
    assert isinstance(entry, ConsentEntry)
    assert (entry.payload.notice_version, entry.payload.notice_sha256) == ("1", NOTICE_SHA)
    assert entry.payload.agreed and entry.payload.biometric
    assert entry.payload.at == entry.created_at == clock.now  # the hub dates it as the kiosk did


def test_declining_records_the_refusal_and_ends_the_session_in_one_step(
    service: SessionService, clock: Clock
) -> None:
    announced: list[object] = []
    declining = SessionService(
        service.database, service.media, clock=clock, publish=announced.append
    )
    session_id = _opened(declining)
    before = len(_outbox(declining))
    session = declining.refuse_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA)

    assert session.state is SessionState.ABORTED
    record = declining.load(session_id)
    assert record.consent is not None and not record.consent.agreed
    assert not record.consent.biometric
    topics = [topic for _, topic, _, _ in _outbox(declining)[before:]]
    assert topics == ["consent", "session.state"]  # written together
    assert announced[-1] == StateChanged(session_id, SessionState.ABORTED, "consent declined")
    with pytest.raises(StepRefusedError, match="no consent"):
        declining.verify_identity(session_id, passed_id_check())


def test_the_identity_check_needs_the_candidates_consent_first(service: SessionService) -> None:
    session_id = _opened(service)
    before = _outbox(service)
    with pytest.raises(StepRefusedError, match="comes after the consent notice"):
        service.verify_identity(session_id, passed_id_check())
    assert _outbox(service) == before
    assert service.get(session_id).state is SessionState.OPENED


def test_asked_again_after_a_restart_the_latest_consent_counts(
    service: SessionService, clock: Clock
) -> None:
    session_id = _opened(service)
    service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA)
    clock.now += timedelta(hours=1)
    other = hashlib.sha256(b"the notice, reworded").hexdigest()
    service.record_consent(session_id, notice_version="2", notice_sha256=other)
    consent = service.load(session_id).consent
    assert consent is not None
    assert (consent.notice_version, consent.notice_sha256, consent.at) == ("2", other, clock.now)


def test_consent_outside_the_consent_step_or_malformed_is_refused_and_writes_nothing(
    service: SessionService,
) -> None:
    session_id = _opened(service)
    take_to(service, session_id, SessionState.ID_VERIFIED)
    fresh = _opened(service)
    before = _outbox(service)
    with pytest.raises(ConsentNotExpectedError, match="is id_verified"):
        service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA)
    with pytest.raises(ValueError, match="lower-case hex sha256"):
        service.record_consent(fresh, notice_version="1", notice_sha256=NOTICE_SHA.upper())
    with pytest.raises(ValueError, match="notice version"):
        service.record_consent(fresh, notice_version="version one", notice_sha256=NOTICE_SHA)
    assert _outbox(service) == before
    assert service.load(fresh).consent is None


def test_consents_written_as_history_notes_survive_the_upgrade(tmp_path: Path) -> None:
    """A kiosk upgraded mid-day keeps the consents its earlier version stored as notes."""
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    command.upgrade(config, "0002")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO sessions (id, session_key, state, candidate_name, candidate_email, "
            "resume_text, job_title, job_text, required_skills, nice_to_have_skills, settings, "
            "kiosk_id, created_at) VALUES ('s-1', 'K', 'opened', 'Ada', '', '', 'Eng', '', '[]', "
            "'[]', '{}', 'k', '2026-03-14 09:00:00')"
        )
        connection.exec_driver_sql(
            "INSERT INTO state_changes (session_id, from_state, to_state, at, reason) VALUES "
            "('s-1', 'opened', 'opened', '2026-03-14 09:26:53', "
            f"'consent given: notice 1 sha256:{NOTICE_SHA}; biometric processing agreed')"
        )
    engine.dispose()
    upgraded = SessionService(open_database(path), MediaStore(tmp_path / "m"))
    consent = upgraded.load("s-1").consent
    upgraded.close()
    assert consent is not None and consent.agreed and consent.biometric
    assert (consent.notice_version, consent.notice_sha256) == ("1", NOTICE_SHA)
    assert consent.at == datetime(2026, 3, 14, 9, 26, 53, tzinfo=UTC)


def _report_text(service: SessionService, session_id: str, pdf: Path) -> str:
    pdf.write_bytes(render_report(service.load(session_id), service.media))
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_the_report_says_when_consent_was_given(
    service: SessionService, clock: Clock, tmp_path: Path
) -> None:
    without = _opened(service)
    assert "No consent was recorded" in _report_text(service, without, tmp_path / "a.pdf")

    session_id = _opened(service)
    clock.now = datetime(2026, 3, 14, 10, 5, 7, tzinfo=UTC)
    service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA)
    text = " ".join(_report_text(service, session_id, tmp_path / "b.pdf").split())
    assert "Consent given at 14 March 2026, 10:05:07 UTC" in text
    assert "biometric processing agreed" in text and "notice version 1" in text
