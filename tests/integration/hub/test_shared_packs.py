"""One pack on two kiosks (both pulled today's packs; or the candidate restarted on a second kiosk
after the first died): the real kiosk client against the real hub. Nothing is lost, no kiosk's
queue stalls, and a second interview under the key becomes an attempt session HR can see."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select
from tests.integration.hub.conftest import LiveHub
from tests.integration.hub.portal_support import Browser
from tests.integration.hub.support import SimulatedKiosk, run_interview

from contract.wire import CandidateWire, JobWire, PushBatch, SettingsWire, outbox_entry
from hub.app import create_app
from hub.db import models as m
from hub.services.records import NewSession
from hub.views import PortalUser, SessionDetail
from kiosk.domain.lifecycle import SessionState
from kiosk.storage.schema import OutboxRow
from kiosk.sync import HubClient, Pusher, import_pack

PASSWORD = "correct horse battery"


@dataclass
class Desk:
    """One kiosk: its own storage and its own token."""

    kiosk: SimulatedKiosk
    client: HubClient

    def pull_today(self) -> str:
        """Pull every waiting pack; returns the local session id of the only one."""
        (pack,) = self.client.waiting_packs().packs
        return import_pack(self.kiosk.service, pack).session.session_id

    def push(self) -> None:
        """Drain the outbox; every row must be acknowledged (none refused, none held back)."""
        Pusher(self.kiosk.service, self.client, batch_size=7).drain()
        assert all(row.sent_at is not None for row in self.outbox())

    def outbox(self) -> list[OutboxRow]:
        with self.kiosk.service.database.sessions() as db:
            return list(db.scalars(select(OutboxRow).order_by(OutboxRow.id)))


@pytest.fixture
def desks(live_hub: LiveHub, tmp_path: Path) -> Iterator[tuple[Desk, Desk]]:
    made = []
    for n in (1, 2):
        token = live_hub.hub.enrolment.enrol(live_hub.enrolment_code(), f"desk-{n}").token
        kiosk = SimulatedKiosk.create(tmp_path / f"kiosk{n}", kiosk_id=f"desk-{n}")
        made.append(Desk(kiosk, HubClient(live_hub.url, token)))
    yield made[0], made[1]
    for desk in made:
        desk.client.close()
        desk.kiosk.close()


def _hr(live: LiveHub) -> PortalUser:
    return PortalUser("hr-1", "hr@example.org", "hr", live.org_id, "Acme")


def _pack(live: LiveHub) -> str:
    new = NewSession(
        CandidateWire(full_name="Ada Lovelace", email="ada@example.org", resume_text="Analyst"),
        JobWire(title="Engineer", text="Engines", required_skills=["python"]),
        SettingsWire(question_count=2),
    )
    return live.hub.records.create(_hr(live), new).session_id


def _answers(detail: SessionDetail) -> list[str | None]:
    return [item.answer for item in detail.transcript]


def _count(live: LiveHub, model: type[m.Base]) -> int:
    with live.hub.database.sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_second_kiosk_that_starts_a_started_pack_gets_an_attempt_and_nothing_stalls(
    live_hub: LiveHub, desks: tuple[Desk, Desk]
) -> None:
    first, second = desks
    hub_id = _pack(live_hub)
    mine, theirs = first.pull_today(), second.pull_today()
    key = first.kiosk.service.get(mine).session_key
    first.kiosk.service.open(key)  # the candidate starts on the first kiosk, which then dies
    first.push()

    run_interview(second.kiosk.service, theirs, rng=random.Random(1))  # and restarts here
    second.push()  # before: 409 "already being used on another kiosk", forever
    assert second.kiosk.service.get(theirs).state is SessionState.SYNCED

    run_interview(first.kiosk.service, mine, rng=random.Random(2))  # the first kiosk comes back
    first.push()
    assert first.kiosk.service.get(mine).state is SessionState.SYNCED

    records = live_hub.hub.records
    original = records.detail(_hr(live_hub), hub_id)
    (attempt_id,) = original.attempts
    attempt = records.detail(_hr(live_hub), attempt_id)
    assert original.summary.attempt_of is None and attempt.summary.attempt_of == hub_id
    assert (attempt.summary.session_key, attempt.summary.candidate_name) == (key, "Ada Lovelace")
    assert (attempt.summary.job_title, attempt.candidate_email) == ("Engineer", "ada@example.org")
    assert attempt.summary.state == original.summary.state == "synced"
    # each interview is whole, in its own session, with its own report
    for desk, local, detail in ((first, mine, original), (second, theirs, attempt)):
        record = desk.kiosk.service.load(local)
        assert _answers(detail) == [a.text for a in record.answers]
        assert record.report is not None and detail.report_sha256 == record.report.pdf.sha256
        pdf = records.report_pdf(_hr(live_hub), detail.summary.session_id)
        assert b"".join(pdf.read(0, pdf.size)) == (
            desk.kiosk.service.media.read(record.report.pdf.sha256)
        )
    with live_hub.hub.database.sessions() as db:
        query = select(m.InterviewSession.id, m.InterviewSession.kiosk_session_id)
        owners = {row.id: row.kiosk_session_id for row in db.execute(query)}
    assert owners == {hub_id: mine, attempt_id: theirs}

    # idempotent: the second kiosk's entries pushed again, under new outbox ids (a kiosk whose
    # database was restored from a backup), land in the same attempt and add nothing
    replayed = [
        outbox_entry(10_000 + row.id, row.topic, row.payload, row.created_at)
        for row in second.outbox()
    ]
    questions = _count(live_hub, m.Question)
    result = second.client.push(PushBatch(entries=replayed))
    assert result.applied == [e.outbox_id for e in replayed]
    assert _count(live_hub, m.InterviewSession) == 2 and _count(live_hub, m.Question) == questions
    assert records.detail(_hr(live_hub), hub_id).attempts == (attempt_id,)


@pytest.mark.parametrize("unused_pushes_first", [True, False])
def test_a_pack_pulled_on_two_kiosks_but_used_on_one_makes_no_attempt(
    live_hub: LiveHub, desks: tuple[Desk, Desk], unused_pushes_first: bool
) -> None:
    unused, used = desks
    hub_id = _pack(live_hub)
    unused.pull_today()
    local = used.pull_today()
    if unused_pushes_first:
        unused.push()  # its session.created links first, but it never starts the pack
    run_interview(used.kiosk.service, local, rng=random.Random(3))
    used.push()
    unused.push()  # only a session.created: linked, never stalls, makes no second session
    sessions = live_hub.hub.records.list(_hr(live_hub))
    assert [(s.session_id, s.state, s.attempt_of) for s in sessions] == [(hub_id, "synced", None)]
    detail = live_hub.hub.records.detail(_hr(live_hub), hub_id)
    assert _answers(detail) == [a.text for a in used.kiosk.service.load(local).answers]
    assert detail.attempts == ()


def test_the_portal_marks_the_attempt_in_the_list_and_on_both_session_pages(
    live_hub: LiveHub, desks: tuple[Desk, Desk]
) -> None:
    first, second = desks
    hub_id = _pack(live_hub)
    mine, theirs = first.pull_today(), second.pull_today()
    for desk, local in ((first, mine), (second, theirs)):
        desk.kiosk.service.open(desk.kiosk.service.get(local).session_key)
        desk.push()
    (attempt_id,) = live_hub.hub.records.detail(_hr(live_hub), hub_id).attempts

    live_hub.hub.accounts.create_user(live_hub.org_id, "hr@acme.test", PASSWORD, "hr")
    browser = Browser(create_app(hub=live_hub.hub))
    assert browser.login("hr@acme.test", PASSWORD).status_code == 303
    listing = browser.http.get("/").text
    rows = dict(re.findall(r'data-session="([^"]+)">(.*?)</tr>', listing, re.S))
    assert "another attempt with the same key" in rows[attempt_id]
    assert "another attempt" not in rows[hub_id]
    attempt_page = browser.http.get(f"/sessions/{attempt_id}").text
    assert 'id="attempt-of"' in attempt_page and f'href="/sessions/{hub_id}"' in attempt_page
    original_page = browser.http.get(f"/sessions/{hub_id}").text
    assert 'id="attempts"' in original_page and f'href="/sessions/{attempt_id}"' in original_page


def test_deleting_on_request_erases_every_attempt_made_with_the_key(
    live_hub: LiveHub, desks: tuple[Desk, Desk]
) -> None:
    first, second = desks
    hub_id = _pack(live_hub)
    mine, theirs = first.pull_today(), second.pull_today()
    for desk, local, seed in ((first, mine, 1), (second, theirs, 2)):
        run_interview(desk.kiosk.service, local, rng=random.Random(seed))
        desk.push()
    records, hr = live_hub.hub.records, _hr(live_hub)
    (attempt_id,) = records.detail(hr, hub_id).attempts
    assert _answers(records.detail(hr, attempt_id))  # the attempt holds the candidate's words

    records.delete(hr, attempt_id, "candidate e-mailed HR on 24 Nov")  # asked from either page

    for session_id in (hub_id, attempt_id):
        detail = records.detail(hr, session_id)
        assert detail.summary.purged and _answers(detail) == []
        assert detail.summary.candidate_name != "Ada Lovelace"
    with live_hub.hub.database.sessions() as db:
        deletions = db.scalars(
            select(m.AuditEntry).where(m.AuditEntry.action == "session.deleted")
        ).all()
        blobs = db.scalar(select(func.count()).select_from(m.SessionBlob))
    assert len(deletions) == 2 and {d.detail for d in deletions} == {
        "candidate e-mailed HR on 24 Nov"
    }
    assert blobs == 0  # no file of either interview is still attached
