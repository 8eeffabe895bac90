"""The candidate's consent: stored durably as a state-history note, synced as an ordinary
`session.state` outbox entry the hub accepts, read back, and printed in the report."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.sample import candidate, job, settings

from kiosk.domain.lifecycle import SessionState
from kiosk.report.render import render_report
from kiosk.sessions import ConsentNotExpectedError, SessionService
from kiosk.storage.database import open_database
from kiosk.storage.media import MediaStore
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.wire import StateEntry, outbox_entry

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


def test_consent_is_stored_read_back_and_synced_as_a_state_note(
    service: SessionService, clock: Clock
) -> None:
    session_id = _opened(service)
    clock.now += timedelta(minutes=2)
    consent = service.record_consent(
        session_id, notice_version="1", notice_sha256=NOTICE_SHA, biometric=True
    )

    record = service.load(session_id)
    assert record.consent == consent
    assert record.consent.given_at == clock.now
    assert record.consent.notice_sha256 == NOTICE_SHA and record.consent.biometric
    assert record.session.state is SessionState.OPENED  # a note, not a step
    assert record.interview_started_at is None

    row_id, topic, payload, created_at = _outbox(service)[-1]
    entry = outbox_entry(row_id, topic, payload, created_at)  # what the hub validates
    assert isinstance(entry, StateEntry)
    assert entry.payload.from_state == entry.payload.to == "opened"
    assert entry.payload.reason == consent.to_note()
    assert NOTICE_SHA in entry.payload.reason
    assert "biometric processing agreed" in entry.payload.reason
    assert entry.created_at == clock.now  # the hub dates the note as the kiosk did


def test_asked_again_after_a_restart_the_latest_consent_counts(
    service: SessionService, clock: Clock
) -> None:
    session_id = _opened(service)
    service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA, biometric=True)
    clock.now += timedelta(hours=1)
    other = hashlib.sha256(b"the notice, reworded").hexdigest()
    service.record_consent(session_id, notice_version="2", notice_sha256=other, biometric=True)
    consent = service.load(session_id).consent
    assert consent is not None
    assert (consent.notice_version, consent.notice_sha256, consent.given_at) == (
        "2",
        other,
        clock.now,
    )


def test_consent_outside_the_consent_step_or_malformed_is_refused_and_writes_nothing(
    service: SessionService,
) -> None:
    session_id = _opened(service)
    service.advance(session_id, SessionState.ID_VERIFIED)
    fresh = _opened(service)
    before = _outbox(service)
    with pytest.raises(ConsentNotExpectedError, match="is id_verified"):
        service.record_consent(
            session_id, notice_version="1", notice_sha256=NOTICE_SHA, biometric=True
        )
    with pytest.raises(ValueError, match="lower-case hex sha256"):
        service.record_consent(
            fresh, notice_version="1", notice_sha256=NOTICE_SHA.upper(), biometric=True
        )
    with pytest.raises(ValueError, match="notice version"):
        service.record_consent(
            fresh, notice_version="version one", notice_sha256=NOTICE_SHA, biometric=True
        )
    assert _outbox(service) == before
    assert service.load(session_id).consent is None and service.load(fresh).consent is None


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
    service.record_consent(session_id, notice_version="1", notice_sha256=NOTICE_SHA, biometric=True)
    text = " ".join(_report_text(service, session_id, tmp_path / "b.pdf").split())
    assert "Consent given at 14 March 2026, 10:05:07 UTC" in text
    assert "biometric processing agreed" in text and "notice version 1" in text
