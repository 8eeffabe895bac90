"""User administration: an admin enables a disabled user and changes roles (never demoting the
organisation's last administrator), audited and organisation-isolated; `kiosk-hub
enrolment-code` matches organisation names in any case and refuses an unknown one unless told
to create it."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import Arena, arena
from tests.integration.hub.portal_support import PASSWORD, Browser
from tests.integration.hub.support import hub_settings

from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.cli import main as hub_cli
from hub.container import Hub, build_hub
from hub.errors import NotFoundError
from hub.services.records import NewSession
from hub.views import PortalUser


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _user_id(two: Arena, org_id: str, email: str) -> str:
    return next(u.user_id for u in two.hub.accounts.users(org_id) if u.email == email)


def _audit(admin: Browser, action: str) -> list[tuple[str, str]]:
    page = admin.http.get("/admin").text
    return re.findall(rf"<td>{re.escape(action)}</td><td>([^<]*)</td><td>([^<]*)</td>", page)


def test_an_admin_enables_a_disabled_user(two: Arena) -> None:
    admin = two.browser(two.a.users["admin"])
    hr_email = two.a.users["hr"]
    hr_id = _user_id(two, two.a.org_id, hr_email)
    assert admin.post(f"/admin/users/{hr_id}/disable", {}, page="/admin").status_code == 303
    assert Browser(two.app()).login(hr_email, PASSWORD).status_code == 401
    assert admin.post(f"/admin/users/{hr_id}/enable", {}, page="/admin").status_code == 303
    assert Browser(two.app()).login(hr_email, PASSWORD).status_code == 303
    again = admin.post(f"/admin/users/{hr_id}/enable", {}, page="/admin")
    assert again.status_code == 409 and f"The account of {hr_email} is not disabled." in again.text
    assert _audit(admin, "user.enabled") == [(hr_email, "")]
    other = two.browser(two.b.users["admin"])
    assert other.post(f"/admin/users/{hr_id}/disable", {}, page="/admin").status_code == 404
    assert other.post(f"/admin/users/{hr_id}/enable", {}, page="/admin").status_code == 404


def test_roles_change_but_the_last_admin_stays(two: Arena) -> None:
    admin_email = two.a.users["admin"]
    admin = two.browser(admin_email)
    admin_id = _user_id(two, two.a.org_id, admin_email)
    door_email = two.a.users["invigilator"]
    door_id = _user_id(two, two.a.org_id, door_email)
    door = two.browser(door_email)
    assert door.http.get("/sessions/new").status_code == 403
    refused = admin.post(f"/admin/users/{admin_id}/role", {"role": "hr"}, page="/admin")
    assert refused.status_code == 409
    assert "You are the organisation's last administrator" in html.unescape(refused.text)
    assert (
        admin.post(f"/admin/users/{door_id}/role", {"role": "hr"}, page="/admin").status_code == 303
    )
    # the old role's pages are gone at once: the session ended; signed in again, HR's rights
    assert door.http.get("/").headers["location"] == "/login"
    assert two.browser(door_email).http.get("/sessions/new").status_code == 200
    bad = admin.post(f"/admin/users/{door_id}/role", {"role": "owner"}, page="/admin")
    assert bad.status_code == 422 and "Choose a role" in bad.text
    assert _audit(admin, "user.role_changed") == [(door_email, "invigilator to HR")]
    # with a second administrator, the first may step down
    hr_id = _user_id(two, two.a.org_id, two.a.users["hr"])
    assert (
        admin.post(f"/admin/users/{hr_id}/role", {"role": "admin"}, page="/admin").status_code
        == 303
    )
    assert (
        admin.post(f"/admin/users/{admin_id}/role", {"role": "hr"}, page="/admin").status_code
        == 303
    )
    other = two.browser(two.b.users["admin"])
    assert (
        other.post(f"/admin/users/{door_id}/role", {"role": "admin"}, page="/admin").status_code
        == 404
    )
    roles = {u.email: u.role for u in two.hub.accounts.users(two.a.org_id)}
    assert roles == {admin_email: "hr", two.a.users["hr"]: "admin", door_email: "hr"}


def test_hr_and_invigilators_cannot_administer_users(two: Arena) -> None:
    door_id = _user_id(two, two.a.org_id, two.a.users["invigilator"])
    for role in ("hr", "invigilator"):
        browser = two.browser(two.a.users[role])
        for action, data in (("enable", {}), ("role", {"role": "admin"})):
            response = browser.post(f"/admin/users/{door_id}/{action}", data)
            assert response.status_code == 403, (role, action)
    assert {u.role for u in two.hub.accounts.users(two.a.org_id)} == {"admin", "hr", "invigilator"}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HUB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("HUB_SECRET_KEY", "a-test-secret-of-at-least-32-characters!")
    return tmp_path


def test_enrolment_codes_match_organisations_in_any_case_and_never_invent_one(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hub = build_hub(hub_settings(data_dir))
    try:
        hub.accounts.ensure_organisation("Acme")
    finally:
        hub.close()
    assert hub_cli(["enrolment-code", "--organisation", "acme"]) == 0
    code = capsys.readouterr().out.strip()
    assert hub_cli(["enrolment-code", "--organisation", "Acme Corp"]) == 2
    refused = capsys.readouterr().err
    assert "no organisation called “Acme Corp”" in refused
    assert "the organisations are: Acme" in refused and "--create-organisation" in refused
    assert hub_cli(["enrolment-code", "--organisation", "Globex", "--create-organisation"]) == 0
    capsys.readouterr()
    hub = build_hub(hub_settings(data_dir))
    try:
        assert hub.enrolment.enrol(code, "desk").organisation == "Acme"  # "acme" is Acme
        assert {o for o in ("Acme", "Globex", "Acme Corp") if _exists(hub, o)} == {"Acme", "Globex"}
    finally:
        hub.close()


def _exists(hub: Hub, name: str) -> bool:
    try:
        hub.accounts.find_organisation(name)
    except NotFoundError:
        return False
    return True


def _book(two: Arena, org_id: str, email: str, n: int) -> None:
    hr = PortalUser("x", email, "hr", org_id, "org")
    for i in range(n):
        new = NewSession(
            CandidateWire(full_name=f"Candidate {i}"), JobWire(title="Engineer"), SettingsWire()
        )
        two.hub.records.create(hr, new)


def test_the_audit_log_is_filtered_paged_and_exported(two: Arena) -> None:
    _book(two, two.a.org_id, "early@a.test", 3)
    two.clock.now += timedelta(days=2)
    _book(two, two.a.org_id, "busy@a.test", 130)  # more than a page
    _book(two, two.b.org_id, "busy@b.test", 5)  # another organisation's: never shown
    two.hub.accounts.create_user(two.a.org_id, "new@a.test", PASSWORD, "hr", actor="=1+2")
    admin = two.browser(two.a.users["admin"])

    def count(query: str) -> int:
        page = admin.http.get(f"/admin/audit{query}")
        assert page.status_code == 200, page.text
        found = re.search(r'id="audit-count">(\d+) entries', page.text)
        assert found
        return int(found.group(1))

    assert count("?actor=BUSY@a") == 130
    assert count("?actor=busy&action=session.created") == 130
    assert count("?action=user.created") == 4  # the three of the arena, and one more
    assert count("?action=user.created&actor=%3D1%2B2") == 1
    day = two.clock.now.date()
    assert count(f"?action=session.created&to={day - timedelta(days=1)}") == 3
    assert count(f"?action=session.created&from={day}&to={day}") == 130
    assert count("?actor=busy@b.test") == 0
    # the pages carry the filter and hold every entry once
    rows, url = [], "/admin/audit?actor=busy"
    while url:
        page = admin.http.get(url).text
        rows += re.findall(
            r'<tr class="audit"><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)', page
        )
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        url = html.unescape(following.group(1)) if following else ""
    assert len(rows) == len(set(rows)) == 130
    bad = admin.http.get("/admin/audit?from=last+week")
    assert bad.status_code == 422 and "is not a date" in bad.text
    # the CSV holds exactly the selection, and a formula never runs in a spreadsheet
    exported = admin.http.get("/admin/audit.csv?actor=busy")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0] == ["time (UTC)", "who", "action", "on", "detail"]
    assert len(table) == 131 and {r[1] for r in table[1:]} == {"busy@a.test"}
    whole = list(csv.reader(io.StringIO(admin.http.get("/admin/audit.csv").text)))
    assert whole[1][1:4] == ["'=1+2", "user.created", "new@a.test"]
    assert not any("busy@b.test" in r for r in whole)
    hr = two.browser(two.a.users["hr"])
    assert hr.http.get("/admin/audit").status_code == 403
    assert hr.http.get("/admin/audit.csv").status_code == 403
