"""The kiosk's use cases on a fake unit of work: each step's rules, one commit per step, and
announcements only after the commit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.sample import candidate, job, passed_device_check, passed_id_check, settings
from tests.unit.core.fakes import FakeUnitOfWork, Store

from contract.proctoring import EventKind, IntegrityLevel, IntegritySummary, Severity
from contract.sessionkey import new_session_key
from kiosk.domain.devices import DeviceCheck, SpeakerCheck
from kiosk.domain.events import StateChanged
from kiosk.domain.lifecycle import IllegalTransitionError, SessionState
from kiosk.domain.model import ProctoringEvent
from kiosk.sessions import (
    ConsentNotExpectedError,
    SessionExpiredError,
    SessionService,
    StepRefusedError,
    UnknownSessionKeyError,
)
from kiosk.storage.media import MediaStore

SHA = "a" * 64


class Kiosk:
    """A session service over the fake unit of work, with what it announced and committed."""

    def __init__(self, media: Path) -> None:
        self.now = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
        self.store = Store()
        self.announced: list[object] = []
        self.uows: list[FakeUnitOfWork] = []

        def unit_of_work() -> FakeUnitOfWork:
            self.uows.append(FakeUnitOfWork(self.store, self._published))
            return self.uows[-1]

        self.service = SessionService(
            None,  # type: ignore[arg-type]  # no database: the fake unit of work stands in
            MediaStore(media),
            clock=lambda: self.now,
            unit_of_work=unit_of_work,
        )

    def _published(self, event: object) -> None:
        if isinstance(event, StateChanged):  # announced only once the change is stored
            assert self.store.sessions[event.session_id].state is event.state
        self.announced.append(event)

    @property
    def commits(self) -> int:
        return sum(u.commits for u in self.uows)

    def opened(self) -> str:
        session = self.service.create(candidate(), job(), settings())
        self.service.open(session.session_key)
        return session.session_id

    def consented(self) -> str:
        session_id = self.opened()
        self.service.record_consent(session_id, notice_version="1", notice_sha256=SHA)
        return session_id

    def state(self, session_id: str) -> SessionState:
        return self.store.sessions[session_id].state

    def topics(self) -> list[str]:
        return [topic for topic, _, _, _ in self.store.outbox]


@pytest.fixture
def kiosk(tmp_path: Path) -> Kiosk:
    return Kiosk(tmp_path / "media")


def _unwatched() -> IntegritySummary:
    return IntegritySummary(IntegrityLevel.HIGH, (), (), 300.0, 300.0, "d" * 64)


def test_opening_a_key_announces_the_state_after_its_commit(kiosk: Kiosk) -> None:
    session = kiosk.service.create(candidate(), job(), settings())
    kiosk.service.open(session.session_key.lower())  # as typed
    assert kiosk.state(session.session_id) is SessionState.OPENED
    assert kiosk.announced == [
        StateChanged(session.session_id, SessionState.OPENED, "session key accepted")
    ]
    with pytest.raises(UnknownSessionKeyError, match="no session with key"):
        kiosk.service.open(new_session_key())


def test_an_expired_key_is_recorded_as_expired_and_refused(kiosk: Kiosk) -> None:
    session = kiosk.service.create(candidate(), job(), settings(), ttl=timedelta(hours=1))
    kiosk.now += timedelta(hours=2)
    with pytest.raises(SessionExpiredError, match="ask HR to issue a new session"):
        kiosk.service.open(session.session_key)
    assert kiosk.state(session.session_id) is SessionState.EXPIRED
    assert kiosk.announced[-1].state is SessionState.EXPIRED  # type: ignore[attr-defined]
    assert kiosk.service.startable() == []


def test_consent_is_answered_only_while_opened(kiosk: Kiosk) -> None:
    created = kiosk.service.create(candidate(), job(), settings())
    with pytest.raises(ConsentNotExpectedError, match="is created"):
        kiosk.service.record_consent(created.session_id, notice_version="1", notice_sha256=SHA)
    session_id = kiosk.consented()
    assert kiosk.topics()[-1] == "consent"
    assert kiosk.state(session_id) is SessionState.OPENED  # no lifecycle step, no announcement
    assert not any(isinstance(e, StateChanged) and e.reason == "" for e in kiosk.announced)


def test_declining_stores_the_refusal_and_the_end_in_one_commit(kiosk: Kiosk) -> None:
    session_id = kiosk.opened()
    commits = kiosk.commits
    kiosk.service.refuse_consent(session_id, notice_version="1", notice_sha256=SHA)
    assert kiosk.commits == commits + 1
    assert kiosk.topics()[-2:] == ["consent", "session.state"]
    assert kiosk.state(session_id) is SessionState.ABORTED
    assert kiosk.announced[-1] == StateChanged(
        session_id, SessionState.ABORTED, "consent declined"
    )


def test_identity_needs_consent_and_a_passed_check_and_moves_on_in_one_commit(
    kiosk: Kiosk,
) -> None:
    unconsented = kiosk.opened()
    before = list(kiosk.store.outbox)
    with pytest.raises(StepRefusedError, match="no consent"):
        kiosk.service.verify_identity(unconsented, passed_id_check())
    session_id = kiosk.consented()
    failed = passed_id_check().__class__(name_on_document="Someone Else", name_matches=False)
    with pytest.raises(StepRefusedError, match="has not passed"):
        kiosk.service.verify_identity(session_id, failed)
    assert kiosk.store.outbox[: len(before)] == before and kiosk.topics()[-1] == "consent"

    commits = kiosk.commits
    accepted = failed.__class__(
        name_on_document="Someone Else",
        name_matches=False,
        override_reason="married name on the card",
        overridden_by="Inv. Patel",
    )
    kiosk.service.verify_identity(session_id, accepted, card_jpeg=b"\xff\xd8card")
    assert kiosk.commits == commits + 1
    assert kiosk.state(session_id) is SessionState.ID_VERIFIED
    assert kiosk.topics()[-3:] == ["media", "id_check", "session.state"]
    stored = kiosk.store.id_checks[-1][1]
    assert stored.override_reason == "married name on the card" and stored.card_image is not None
    assert kiosk.announced[-1].reason.endswith("(invigilator override)")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        (DeviceCheck(False, True, SpeakerCheck.HEARD), "did not show the candidate's face"),
        (DeviceCheck(True, False, SpeakerCheck.HEARD), "did not hear the candidate"),
        (DeviceCheck(True, True, SpeakerCheck.NOT_HEARD), "did not hear the test sentence"),
        (DeviceCheck(True, True, SpeakerCheck.NOT_PLAYED), "could not be played"),
    ],
)
def test_a_device_check_that_fell_short_passes_only_with_an_override(
    kiosk: Kiosk, check: DeviceCheck, problem: str
) -> None:
    session_id = kiosk.consented()
    kiosk.service.verify_identity(session_id, passed_id_check())
    with pytest.raises(StepRefusedError, match=problem):
        kiosk.service.confirm_devices(session_id, check)
    assert kiosk.state(session_id) is SessionState.ID_VERIFIED
    overridden = DeviceCheck(
        check.face_seen, check.microphone_heard, check.speakers, "checked in person", "Inv. Ola"
    )
    kiosk.service.confirm_devices(session_id, overridden)
    reason = kiosk.store.history[-1][4]
    assert kiosk.state(session_id) is SessionState.DEVICES_CHECKED
    assert "Inv. Ola" in reason and problem in reason and "checked in person" in reason


def test_an_override_needs_a_reason_and_a_name() -> None:
    with pytest.raises(ValueError, match="both a reason and a name"):
        DeviceCheck(False, True, SpeakerCheck.HEARD, override_reason="trust me")


def test_the_interview_starts_only_after_the_device_check_and_resumes_as_it_is(
    kiosk: Kiosk,
) -> None:
    session_id = kiosk.consented()
    with pytest.raises(StepRefusedError, match="only after the device check"):
        kiosk.service.start_interview(session_id)
    kiosk.service.verify_identity(session_id, passed_id_check())
    kiosk.service.confirm_devices(session_id, passed_device_check())
    kiosk.service.start_interview(session_id)
    commits = kiosk.commits
    resumed = kiosk.service.start_interview(session_id)  # after a crash: nothing to write
    assert resumed.state is SessionState.IN_PROGRESS and kiosk.commits == commits


def test_completing_stores_the_integrity_summary_with_the_step(kiosk: Kiosk) -> None:
    session_id = kiosk.consented()
    with pytest.raises(IllegalTransitionError):
        kiosk.service.complete_interview(session_id, _unwatched())
    assert session_id not in kiosk.store.integrity  # the refused step stored nothing
    kiosk.service.verify_identity(session_id, passed_id_check())
    kiosk.service.confirm_devices(session_id, passed_device_check())
    kiosk.service.start_interview(session_id)
    kiosk.service.complete_interview(session_id, _unwatched())
    assert kiosk.store.integrity[session_id] == _unwatched()
    assert kiosk.topics()[-2:] == ["integrity", "session.state"]
    assert kiosk.service.load(session_id).integrity == _unwatched()


def test_an_event_id_of_another_session_is_refused_and_nothing_is_stored(kiosk: Kiosk) -> None:
    first, second = kiosk.opened(), kiosk.opened()
    event = ProctoringEvent("e-1", EventKind.NO_FACE, Severity.MEDIUM, 1.0, 3.0, 9.0, "yunet")
    kiosk.service.record_event(first, event)
    outbox = list(kiosk.store.outbox)
    with pytest.raises(ValueError, match="belongs to another session"):
        kiosk.service.record_event(second, event)
    assert kiosk.store.outbox == outbox
    assert [e.event_id for e in kiosk.service.load(first).events] == ["e-1"]


def test_aborting_before_the_interview_announces_it_at_once(kiosk: Kiosk) -> None:
    """The syncer wakes on this announcement: an abort before the interview reaches the hub
    without waiting for the next timer."""
    session_id = kiosk.consented()
    kiosk.service.abort(session_id, "candidate left")
    assert kiosk.announced[-1] == StateChanged(session_id, SessionState.ABORTED, "candidate left")
