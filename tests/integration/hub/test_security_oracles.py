"""Finding 7: oracles. Adding a user whose e-mail existed in another organisation answered 409
"already exists"; a kiosk pushing a session with another organisation's key got 403 "belongs to
another organisation" while the pack endpoint said 404; pushes bypassed the key-guessing limit.

Keys and e-mail addresses are now unique per organisation, so no answer depends on what another
organisation holds: every channel below answers alike for "another organisation's" and
"nobody's". Kiosk rate limits are keyed on the kiosk, not the address (test centres share one).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import API, Arena, arena, created
from tests.integration.hub.portal_support import PASSWORD, Browser

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.services.records import NewSession
from hub.views import PortalUser


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url, key_misses_per_minute=5) as built:
        yield built


def _hr_session(two: Arena, org_id: str) -> str:
    user = PortalUser("u", "hr@x.test", "hr", org_id, "x")
    new = NewSession(CandidateWire(full_name="Bea"), JobWire(title="Eng"), SettingsWire())
    return two.hub.records.create(user, new).session_key


def _page(response_text: str, *variable: str) -> str:
    text = re.sub(r'name="csrf_token" value="[0-9a-f]+"', "", response_text)
    for value in variable:
        text = text.replace(value, "X")
    return text


def test_adding_a_user_says_nothing_about_other_organisations(two: Arena) -> None:
    admin = two.browser(two.a.users["admin"])
    taken_elsewhere = two.b.users["hr"]
    fresh = "fresh.person@b.test"
    answers = []
    for email in (taken_elsewhere, fresh):
        form = {"email": email, "password": "violet tractor sings at dawn", "role": "hr"}
        response = admin.post("/admin/users", form, page="/admin")
        answers.append((response.status_code, response.headers.get("location")))
    assert answers[0] == answers[1] == (303, "/admin")
    # both people keep their own accounts, each signing into their own organisation
    assert Browser(two.app()).login(taken_elsewhere, PASSWORD).status_code == 303
    mine = Browser(two.app())
    assert mine.login(taken_elsewhere, "violet tractor sings at dawn").status_code == 303
    assert two.a.name in mine.http.get("/").text
    # a second user with the same address in the same organisation is a plain conflict
    again = admin.post(
        "/admin/users",
        {"email": taken_elsewhere, "password": "violet tractor sings at dawn", "role": "hr"},
        page="/admin",
    )
    assert again.status_code == 409 and "in your organisation" in again.text


def test_a_session_key_of_another_organisation_is_unknown_on_every_channel(two: Arena) -> None:
    theirs = _hr_session(two, two.b.org_id)
    nobodys = new_session_key()
    packs = [two.api.get(f"{API}/packs/{key}", headers=two.a.kiosk) for key in (theirs, nobodys)]
    assert [p.status_code for p in packs] == [404, 404]
    assert _page(packs[0].text, theirs) == _page(packs[1].text, nobodys)
    pushes = [two.push(two.a, created(str(uuid.uuid4()), key)) for key in (theirs, nobodys)]
    assert [p.status_code for p in pushes] == [200, 200]  # both: a walk-in of A's own
    mine = {s.session_key for s in two.hub.records.list(_reader(two.a.org_id))}
    assert {theirs, nobodys} <= mine
    untouched = two.hub.records.list(_reader(two.b.org_id))
    assert [s.state for s in untouched if s.session_key == theirs] == ["created"]
    assert [s.origin for s in untouched if s.session_key == theirs] == ["hub"]


def _reader(org_id: str) -> PortalUser:
    return PortalUser("r", "r@x.test", "hr", org_id, "x")


def test_another_organisations_records_look_like_nothing_at_all(two: Arena) -> None:
    _, theirs = two.walk_in(two.b)
    nobodys = str(uuid.uuid4())
    hr = two.browser(two.a.users["hr"])
    admin = two.browser(two.a.users["admin"])
    b_user = next(u.user_id for u in two.hub.accounts.users(two.b.org_id))
    b_kiosk = two.b.kiosk_id
    checks = [
        (
            (theirs, nobodys),
            hr.http.get(f"/sessions/{theirs}"),
            hr.http.get(f"/sessions/{nobodys}"),
        ),
        (
            (theirs, nobodys),
            hr.http.get(f"/sessions/{theirs}/slip"),
            hr.http.get(f"/sessions/{nobodys}/slip"),
        ),
        (
            (theirs, nobodys),
            hr.http.get(f"/sessions/{theirs}/report.pdf"),
            hr.http.get(f"/sessions/{nobodys}/report.pdf"),
        ),
        (
            (b_user, nobodys),
            admin.post(f"/admin/users/{b_user}/disable", {}, page="/admin"),
            admin.post(f"/admin/users/{nobodys}/disable", {}, page="/admin"),
        ),
        (
            (b_kiosk, nobodys),
            admin.post(f"/admin/kiosks/{b_kiosk}/revoke", {}, page="/admin"),
            admin.post(f"/admin/kiosks/{nobodys}/revoke", {}, page="/admin"),
        ),
    ]
    for ids, other, none in checks:
        assert other.status_code == none.status_code and other.status_code in (404, 422)
        assert _page(other.text, *ids) == _page(none.text, *ids)


def test_kiosk_limits_follow_the_kiosk_not_its_network(two: Arena) -> None:
    """Kiosks of a test centre share one address (NAT): one guessing kiosk is stopped, its
    neighbours are not."""
    real = _hr_session(two, two.a.org_id)
    neighbour_code = two.hub.enrolment.issue_code(two.a.org_id, "t").code
    neighbour = {
        "Authorization": f"Bearer {two.hub.enrolment.enrol(neighbour_code, 'desk 2').token}"
    }
    for _ in range(5):
        guess = two.api.get(f"{API}/packs/{new_session_key()}", headers=two.a.kiosk)
        assert guess.status_code == 404
    assert two.api.get(f"{API}/packs/{real}", headers=two.a.kiosk).status_code == 429
    assert two.api.get(f"{API}/packs/{real}", headers=neighbour).status_code == 200
