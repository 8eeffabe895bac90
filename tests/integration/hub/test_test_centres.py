"""Test centres: a kiosk pulls its own centre's packs for the day, whatever other centres book;
invigilators see their centres; admins set centres up through the portal."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from tests.integration.hub.attack_support import API, NOW, Arena, arena, created

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.db.database import alembic_config, create_hub_engine
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


# -- the centre's address and arrival instructions -------------------------------------------------
def _place(two: Arena, centre_id: str) -> tuple[str, str]:
    (centre,) = [c for c in two.hub.centres.in_org(two.a.org_id) if c.centre_id == centre_id]
    return centre.address, centre.instructions


def test_an_admin_changes_a_centres_address_and_the_slip_shows_it(two: Arena) -> None:
    admin = two.browser(two.a.users["admin"])
    made = admin.post(
        "/admin/centres",
        {"name": "Harbour", "timezone": "UTC", "address": "Quay 1\r\nPort <b>Town</b>\r\n"},
        "/admin",
    )
    assert made.status_code == 303, made.text
    harbour = two.hub.centres.in_org(two.a.org_id)[0].centre_id
    assert _place(two, harbour) == ("Quay 1\nPort <b>Town</b>", "")
    assert "Port &lt;b&gt;Town&lt;/b&gt;" in admin.http.get("/admin").text

    changed = admin.post(
        f"/admin/centres/{harbour}",
        {"address": "Dock Road 7\r\nPort Town", "instructions": "Ring the bell <at> the gate"},
        "/admin",
    )
    assert changed.status_code == 303, changed.text
    assert _place(two, harbour) == ("Dock Road 7\nPort Town", "Ring the bell <at> the gate")
    page = admin.http.get("/admin").text
    audit = page.split("Audit log")[1]
    assert "Test centre&#39;s address or arrival instructions changed" in audit
    assert "Harbour" in audit and "address and arrival instructions changed" in audit
    assert "centre.updated" not in page

    booked = two.session_id(two.a, _book(two, harbour, None))
    slip = admin.http.get(f"/sessions/{booked}/slip").text
    assert "Dock Road 7<br>Port Town" in slip
    assert "On arrival: Ring the bell &lt;at&gt; the gate" in slip

    blank = {"address": " ", "instructions": ""}
    cleared = admin.post(f"/admin/centres/{harbour}", blank, "/admin")
    assert cleared.status_code == 303 and _place(two, harbour) == ("", "")
    slip = admin.http.get(f"/sessions/{booked}/slip").text
    assert "Harbour" in slip and "slip-address" not in slip and "On arrival" not in slip
    anywhere = two.session_id(two.a, _book(two, None, None))
    assert "slip-centre" not in admin.http.get(f"/sessions/{anywhere}/slip").text


def test_a_centres_address_is_refused_clearly_and_only_its_admin_may_change_it(
    two: Arena,
) -> None:
    harbour = two.hub.centres.create(_admin(two), "Harbour", "UTC", "Quay 1", "Ring").centre_id
    admin = two.browser(two.a.users["admin"])
    path = f"/admin/centres/{harbour}"

    too_long = admin.post(path, {"address": "x" * 501, "instructions": "Knock"}, "/admin")
    assert too_long.status_code == 422
    assert "Too long for the address: 501 characters, at most 500 fit." in too_long.text
    assert f'id="error-centre-{harbour}"' in too_long.text and "x" * 501 in too_long.text
    long_words = admin.post(path, {"address": "", "instructions": "y" * 600}, "/admin")
    assert long_words.status_code == 422
    assert "Too long for the arrival instructions: 600 characters" in long_words.text
    garbled = admin.post(path, {"address": "Quay\x1b1", "instructions": ""}, "/admin")
    assert garbled.status_code == 422
    assert "invisible control character in the address" in garbled.text
    too_long_new = admin.post(
        "/admin/centres", {"name": "Pier", "timezone": "UTC", "address": "z" * 501}, "/admin"
    )
    assert too_long_new.status_code == 422 and "501 characters" in too_long_new.text
    assert [c.name for c in two.hub.centres.in_org(two.a.org_id)] == ["Harbour"]

    no_csrf = admin.http.post(path, data={"address": "Elsewhere", "instructions": ""})
    assert no_csrf.status_code == 403 and "did not come from this site" in no_csrf.text
    for role in ("hr", "invigilator"):
        refused = two.browser(two.a.users[role]).post(path, {"address": "Elsewhere"}, "/")
        assert refused.status_code == 403
    other_admin = two.browser(two.b.users["admin"])
    assert other_admin.post(path, {"address": "Elsewhere"}, "/").status_code == 404
    assert _place(two, harbour) == ("Quay 1", "Ring")
    with pytest.raises(HubError):  # the service too: another organisation's is unknown
        two.hub.centres.set_place(
            PortalUser("b", two.b.users["admin"], "admin", two.b.org_id, two.b.name),
            harbour, "Elsewhere", "",
        )
    assert _place(two, harbour) == ("Quay 1", "Ring")


def test_the_address_migration_adds_and_removes_only_its_columns(
    tmp_path: Path, database_url: str
) -> None:
    """Down to 0022 keeps the centre and drops only the two columns; up again adds them empty."""
    url = database_url or f"sqlite:///{tmp_path / 'hub.sqlite3'}"
    engine = create_hub_engine(url)
    config = alembic_config(engine)
    command.upgrade(config, "0023_centre_address")
    now = datetime(2026, 11, 24, 9, 0)
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO organisations (id, name, created_at) VALUES ('o', 'Org', :now)"),
            {"now": now},
        )
        connection.execute(
            text(
                "INSERT INTO test_centres (id, org_id, name, timezone, created_at, address, "
                "instructions) VALUES ('c', 'o', 'North', 'UTC', :now, 'A\nB', 'Knock')"
            ),
            {"now": now},
        )
    command.downgrade(config, "0022_session_scores")
    columns = {c["name"] for c in inspect(engine).get_columns("test_centres")}
    assert columns == {"id", "org_id", "name", "timezone", "created_at"}
    command.upgrade(config, "0023_centre_address")
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT name, address, instructions FROM test_centres")
        ).one()
    assert tuple(row) == ("North", None, None)
    engine.dispose()
