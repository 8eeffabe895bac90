"""Test centres: a kiosk pulls its own centre's packs for the day, whatever other centres book;
invigilators see their centres; admins set centres up through the portal."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from tests.integration.hub.attack_support import API, NOW, Arena, arena, created

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.errors import HubError, InvalidInputError
from hub.services.records import NewSession
from hub.views import PortalUser

_KEY = re.compile(r'<code(?: class="key")?>([A-Z0-9-]+)</code>')


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _hr(two: Arena) -> PortalUser:
    org = two.a
    return PortalUser("hr", org.users["hr"], "hr", org.org_id, org.name)


def _admin(two: Arena) -> PortalUser:
    org = two.a
    return PortalUser("admin", org.users["admin"], "admin", org.org_id, org.name)


def _book(two: Arena, centre: str | None, day: date | None, name: str = "Ada") -> str:
    new = NewSession(
        CandidateWire(full_name=name, email="", resume_text="A resume " * 40),
        JobWire(title="Engineer", text="Engines " * 40, required_skills=["python"]),
        SettingsWire(question_count=2),
        centre_id=centre,
        interview_on=day,
    )
    return two.hub.records.create(_hr(two), new).session_key


def _kiosk_at(two: Arena, centre: str | None, name: str) -> dict[str, str]:
    code = two.hub.enrolment.issue_code(two.a.org_id, "admin", centre_id=centre).code
    token = two.hub.enrolment.enrol(code, name).token
    return {"Authorization": f"Bearer {token}"}


def _pulled(two: Arena, kiosk: dict[str, str]) -> tuple[set[str], int]:
    response = two.api.get(f"{API}/packs", headers=kiosk)
    assert response.status_code == 200, response.text
    return {p["session_key"] for p in response.json()["packs"]}, len(response.content)


def test_a_pack_pull_is_independent_of_other_centres_sessions(two: Arena) -> None:
    today = two.clock.now.date()
    north = two.hub.centres.create(_admin(two), "North", "UTC").centre_id
    south = two.hub.centres.create(_admin(two), "South", "UTC").centre_id
    kiosk = _kiosk_at(two, north, "north-1")
    mine = {_book(two, north, today), _book(two, north, today), _book(two, None, today)}
    _book(two, north, today + timedelta(days=1))  # tomorrow's: not today's pull
    keys, size_before = _pulled(two, kiosk)
    assert keys == mine

    for n in range(150):
        _book(two, south, today, f"South candidate {n}")
    keys, size_after = _pulled(two, kiosk)
    assert keys == mine and size_after == size_before
    south_kiosk = _kiosk_at(two, south, "south-1")
    assert len(_pulled(two, south_kiosk)[0]) == 151  # its 150 and the one for any centre

    # a candidate who turns up at the wrong centre is still interviewed by typing the key
    stranger = _book(two, south, today, "Walks into North")
    assert two.api.get(f"{API}/packs/{stranger}", headers=kiosk).status_code == 200


def test_the_day_is_the_centres_own_calendar_day(two: Arena) -> None:
    two.clock.now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # 25 November in Auckland
    auckland = two.hub.centres.create(_admin(two), "Auckland", "Pacific/Auckland").centre_id
    london = two.hub.centres.create(_admin(two), "London", "Europe/London").centre_id
    nz_today = _book(two, auckland, date(2026, 11, 25))
    _book(two, auckland, date(2026, 11, 26))
    with pytest.raises(InvalidInputError):  # 24 November is over in Auckland, not in London
        _book(two, auckland, date(2026, 11, 24))
    uk_today = _book(two, london, date(2026, 11, 24))
    _book(two, london, date(2026, 11, 25))
    assert _pulled(two, _kiosk_at(two, auckland, "akl"))[0] == {nz_today}
    assert _pulled(two, _kiosk_at(two, london, "lon"))[0] == {uk_today}
    # a booking for a later day keeps its key valid through that day, in the centre's time
    later = _book(two, auckland, date(2026, 12, 20))
    two.clock.now = datetime(2026, 12, 19, 12, 0, tzinfo=UTC)  # 20 December, 01:00 in Auckland
    assert _pulled(two, _kiosk_at(two, auckland, "akl-2"))[0] == {later}


def test_centres_and_time_zones_are_checked(two: Arena) -> None:
    admin = _admin(two)
    two.hub.centres.create(admin, "North", "UTC")
    for name, zone in (("North", "UTC"), ("", "UTC"), ("East", "Mars/Olympus"), ("West", "")):
        with pytest.raises(HubError):
            two.hub.centres.create(admin, name, zone)
    other = two.hub.centres.create(
        PortalUser("b", two.b.users["admin"], "admin", two.b.org_id, two.b.name), "North", "UTC"
    )
    with pytest.raises(HubError):  # another organisation's centre is unknown here
        _book(two, other.centre_id, None)
    with pytest.raises(HubError):
        two.hub.enrolment.issue_code(two.a.org_id, "admin", centre_id=other.centre_id)


def test_invigilators_see_their_centres(two: Arena) -> None:
    today = two.clock.now.date()
    admin = _admin(two)
    north = two.hub.centres.create(admin, "North", "UTC").centre_id
    south = two.hub.centres.create(admin, "South", "UTC").centre_id
    at_north, at_south, anywhere = (
        _book(two, north, today, "N"),
        _book(two, south, today, "S"),
        _book(two, None, today, "Any"),
    )
    invigilator = two.a.users["invigilator"]
    everyone = set(_KEY.findall(two.browser(invigilator).http.get("/").text))
    assert {at_north, at_south, anywhere} <= everyone  # no centre of their own: all of them

    user_id = next(
        u.user_id for u in two.hub.accounts.users(two.a.org_id) if u.email == invigilator
    )
    two.hub.centres.assign_user(admin, user_id, [north])
    seen = set(_KEY.findall(two.browser(invigilator).http.get("/").text))
    assert at_north in seen and anywhere in seen and at_south not in seen
    hr_sees = set(_KEY.findall(two.browser(two.a.users["hr"]).http.get("/").text))
    assert at_south in hr_sees  # HR and admins see the whole organisation
    south_id = two.session_id(two.a, at_south)
    slip = two.browser(invigilator).http.get(f"/sessions/{south_id}/slip")
    assert slip.status_code == 404

    # a walk-in belongs to the centre of the kiosk it walked into
    walk_in = created(str(uuid.uuid4()), new_session_key(), "Walked in at South")
    entry = {"outbox_id": 1, "created_at": NOW, **walk_in}
    south_kiosk = _kiosk_at(two, south, "south-desk")
    pushed = two.api.post(f"{API}/batches", headers=south_kiosk, json={"entries": [entry]})
    assert pushed.status_code == 200, pushed.text
    listed = two.browser(invigilator).http.get("/").text
    assert "Walked in at South" not in listed and "Walked in at South" in hr_sees_page(two)


def hr_sees_page(two: Arena) -> str:
    return str(two.browser(two.a.users["hr"]).http.get("/").text)


def test_an_admin_sets_up_a_centre_and_hr_books_into_it(two: Arena) -> None:
    admin = two.browser(two.a.users["admin"])
    made = admin.post("/admin/centres", {"name": "Harbour", "timezone": "Europe/Paris"}, "/admin")
    assert made.status_code == 303, made.text
    page = admin.http.get("/admin").text
    assert "Harbour" in page and "Europe/Paris" in page
    centre = two.hub.centres.in_org(two.a.org_id)[0]
    wrong = admin.post("/admin/centres", {"name": "Bad", "timezone": "Nowhere"}, "/admin")
    assert wrong.status_code == 422 and "time zone" in wrong.text

    issued = admin.post("/admin/enrolment-codes", {"centre_id": centre.centre_id}, "/admin")
    code = re.search(r'<code id="enrolment-code">([^<]+)</code>', issued.text)
    assert code is not None
    kiosk = {"Authorization": f"Bearer {two.hub.enrolment.enrol(code.group(1), 'h-1').token}"}
    assert "Harbour" in admin.http.get("/admin").text.split("Kiosks")[1].split("</table>")[0]

    hr = two.browser(two.a.users["hr"])
    day = two.clock.now.date().isoformat()
    form = {
        "candidate_name": "Grace Hopper",
        "job_title": "Engineer",
        "centre_id": centre.centre_id,
        "interview_on": day,
    }
    booked = hr.post("/sessions/new", form, "/sessions/new")
    assert booked.status_code == 303, booked.text
    keys, _ = _pulled(two, kiosk)
    assert len(keys) == 1
    bad = hr.post("/sessions/new", {**form, "interview_on": "someday"}, "/sessions/new")
    assert bad.status_code == 422 and "date" in bad.text
