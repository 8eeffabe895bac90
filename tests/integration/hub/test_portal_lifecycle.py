"""HR changes a session before its interview (extend, reissue, cancel, edit) and kiosks see the
change through the real sync API: the old key of a reissued session and a cancelled session are
refused, a kiosk that already pulled the pack erases its copy at its next sync (so it cannot
start it), an expired key shows as expired and is caught by the "expired" filter without any
background job. Every change is audited, HR/admin only, and refused in words when the session
has started."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.hub.portal_support import (
    Browser,
    Portal,
    create_session,
    portal_hub,
    synced_session,
)
from tests.integration.hub.support import SimulatedKiosk, run_interview, serve_in_thread

from hub.app import create_app
from kiosk.domain.lifecycle import SessionState
from kiosk.retention import Retention
from kiosk.storage.unit_of_work import UnitOfWork
from kiosk.sync import HubClient, Pusher, import_pack
from kiosk.sync.erasures import HubErasures
from kiosk.sync.errors import HubGoneError, HubNotFoundError

_KEY = re.compile(r'id="session-key">([^<]+)<')


@pytest.fixture
def portal(tmp_path: Path, database_url: str) -> Iterator[Portal]:
    with portal_hub(tmp_path / "hub", database_url) as built:
        yield built


@pytest.fixture
def hub_url(portal: Portal) -> Iterator[str]:
    with serve_in_thread(create_app(hub=portal.hub)) as url:
        yield url


class Kiosk:
    """A real kiosk's storage and sync parts talking HTTP to the hub."""

    def __init__(self, root: Path, portal: Portal, url: str) -> None:
        code = portal.hub.enrolment.issue_code(portal.acme, "t").code
        token = portal.hub.enrolment.enrol(code, root.name).token
        self.clock = portal.clock
        self.storage = SimulatedKiosk.create(root, kiosk_id=root.name)
        self.service = self.storage.service
        self.client = HubClient(url, token)
        self.erasures = HubErasures(
            Retention(self.service.database, self.service.media), self.client
        )

    def pull_and_tell(self, key: str) -> str:
        """Pull the pack by key and push its `session.created` (the hub then knows it holds
        it); the local session id."""
        local = import_pack(self.service, self.client.pack(key), self.clock.now).session
        Pusher(self.service, self.client).drain()
        return local.session_id

    def state_of(self, key: str) -> SessionState:
        with UnitOfWork(self.service.database) as uow:
            found = uow.sessions.get_by_key(key)
        assert found is not None
        return found.state

    def close(self) -> None:
        self.client.close()
        self.storage.close()


@pytest.fixture
def kiosk(tmp_path: Path, portal: Portal, hub_url: str) -> Iterator[Kiosk]:
    built = Kiosk(tmp_path / "kiosk-a", portal, hub_url)
    yield built
    built.close()


def _key(browser: Browser, session_id: str) -> str:
    found = _KEY.search(browser.http.get(f"/sessions/{session_id}/slip").text)
    assert found is not None
    return found.group(1)


def _audit(portal: Portal, action: str) -> list[str]:
    admin = portal.browser("admin@acme.test")
    page = admin.http.get("/admin").text
    return re.findall(rf"<td>{re.escape(action)}</td><td>([^<]*)</td><td>([^<]*)</td>", page)


def test_a_reissued_key_replaces_the_old_one_on_every_kiosk(portal: Portal, kiosk: Kiosk) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    old = _key(hr, session_id)
    kiosk.pull_and_tell(old)
    page = f"/sessions/{session_id}"
    assert hr.post(f"{page}/reissue", {}, page=page).status_code == 303
    new = _key(hr, session_id)
    assert new != old
    with pytest.raises(HubNotFoundError):
        kiosk.client.pack(old)
    assert kiosk.client.pack(new).session_key == new
    # the kiosk that held the old pack is told to erase it, and then cannot start it
    report = kiosk.erasures.apply()
    assert len(report.erased) == 1
    assert kiosk.state_of(old) is SessionState.ABORTED
    (audit,) = _audit(portal, "session.key_reissued")
    assert audit[0] == new and old in audit[1]


def test_a_cancelled_session_is_refused_to_kiosks_and_erased_where_it_was_pulled(
    portal: Portal, kiosk: Kiosk
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    key = _key(hr, session_id)
    kiosk.pull_and_tell(key)
    page = f"/sessions/{session_id}"
    refused = hr.post(f"{page}/cancel", {"reason": ""}, page=page)
    assert refused.status_code == 422 and "Say why the session is cancelled" in refused.text
    assert hr.post(f"{page}/cancel", {"reason": "withdrew"}, page=page).status_code == 303
    with pytest.raises(HubGoneError, match="cancelled") as gone:
        kiosk.client.pack(key)
    assert gone.value.code == "pack_over"
    assert key not in {p.session_key for p in kiosk.client.waiting_packs().packs}
    kiosk.erasures.apply()
    assert kiosk.state_of(key) is SessionState.ABORTED  # it can no longer be opened there
    listed = hr.http.get("/?status=cancelled").text
    assert key in listed and "Cancelled" in listed
    assert key not in hr.http.get("/?status=waiting").text
    # a cancelled session can be neither edited nor cancelled again
    again = hr.post(f"{page}/edit", {"full_name": "Ada L", "email": ""}, page=page)
    assert again.status_code == 409
    assert "This session was cancelled: it cannot be edited." in again.text
    (audit,) = _audit(portal, "session.cancelled")
    assert audit[0] == key and "withdrew" in audit[1] and "1 kiosk" in audit[1]


def test_an_expired_key_shows_as_expired_and_an_extension_brings_it_back(
    portal: Portal, kiosk: Kiosk
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    key = _key(hr, session_id)
    portal.clock.now += timedelta(days=3)  # no job runs: the expiry alone makes it expired
    hr = portal.browser("hr@acme.test")  # a new day, a new sign-in
    assert key in hr.http.get("/?status=expired").text
    assert key not in hr.http.get("/?status=waiting").text
    page = hr.http.get(f"/sessions/{session_id}").text
    assert "The key has expired" in page
    with pytest.raises(HubGoneError) as gone:
        kiosk.client.pack(key)
    assert gone.value.code == "pack_expired"
    url = f"/sessions/{session_id}"
    refused = hr.post(f"{url}/extend", {"days": "many"}, page=url)
    assert refused.status_code == 422 and "is not a number of days" in refused.text
    assert hr.post(f"{url}/extend", {"days": "2"}, page=url).status_code == 303
    assert key in hr.http.get("/?status=waiting").text
    pack = kiosk.client.pack(key)
    assert pack.expires_at == portal.clock.now + timedelta(days=2)
    (audit,) = _audit(portal, "session.extended")
    assert audit[0] == key and "valid until" in audit[1]


def test_an_edit_reaches_the_pack_and_a_started_session_refuses_it(
    portal: Portal, kiosk: Kiosk, tmp_path: Path
) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    key = _key(hr, session_id)
    url = f"/sessions/{session_id}"
    day = (portal.clock.now + timedelta(days=5)).date()
    form = {
        "full_name": "Ada King",
        "email": "ada.king@example.org",
        "interview_on": day.isoformat(),
        "centre_id": "",
    }
    assert hr.post(f"{url}/edit", form, page=url).status_code == 303
    pack = kiosk.client.pack(key)
    assert pack.candidate.full_name == "Ada King"
    assert pack.candidate.email == "ada.king@example.org"
    assert pack.expires_at.date() > day  # valid until the new day has ended
    (audit,) = _audit(portal, "session.edited")
    assert "name “Ada Lovelace” changed to “Ada King”" in audit[1]
    assert f"day any day changed to {day:%d %B %Y}" in audit[1]
    bad = hr.post(f"{url}/edit", {**form, "interview_on": "2020-01-01"}, page=url)
    assert bad.status_code == 422 and "has passed" in bad.text
    assert 'value="2020-01-01"' in bad.text  # the input is kept
    # a session a kiosk has interviewed cannot be edited, extended, reissued or cancelled
    done = synced_session(portal, hr, tmp_path / "done")
    page = f"/sessions/{done}"
    for action, form_data in [
        ("edit", form),
        ("extend", {"days": "1"}),
        ("reissue", {}),
        ("cancel", {"reason": "late"}),
    ]:
        refused = hr.post(f"{page}/{action}", form_data, page=page)
        assert refused.status_code == 409, action
        assert "A kiosk has already started this interview" in refused.text
    assert "Nothing here can change" in hr.http.get(page).text


def test_a_pack_started_offline_after_a_reissue_is_kept(portal: Portal, kiosk: Kiosk) -> None:
    """The kiosk that pulled the pack ran the interview before it heard of the new key: its
    interview lands on the hub (nothing is lost); HR sees it on the session."""
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    old = _key(hr, session_id)
    local = kiosk.pull_and_tell(old)
    page = f"/sessions/{session_id}"
    assert hr.post(f"{page}/reissue", {}, page=page).status_code == 303
    run_interview(kiosk.service, local, rng=random.Random(3))
    Pusher(kiosk.service, kiosk.client).drain()
    assert "Nothing here can change" in hr.http.get(page).text
    assert kiosk.erasures.apply().erased  # the order still closes (the hub holds the records)


def test_only_hr_and_admins_of_the_organisation_change_a_session(portal: Portal) -> None:
    hr = portal.browser("hr@acme.test")
    session_id = create_session(hr)
    key = _key(hr, session_id)
    page = f"/sessions/{session_id}"
    door = portal.browser("door@acme.test")
    assert door.post(f"{page}/cancel", {"reason": "x"}).status_code == 403
    stranger = portal.browser("hr@globex.test")
    for action, data in [
        ("cancel", {"reason": "x"}),
        ("reissue", {}),
        ("extend", {"days": "1"}),
        ("edit", {"full_name": "Mallory"}),
    ]:
        assert stranger.post(f"{page}/{action}", data).status_code == 404, action
    assert _key(hr, session_id) == key
    assert "Ada Lovelace" in hr.http.get(page).text
