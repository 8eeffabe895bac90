"""Finding 5: logout did not end a session; a cookie captured before logout worked for 8 hours.

Portal sessions now live on the hub (a table of sessions: id digest, user, created, last seen,
ended); the cookie carries only the random id. Logout, a password change and disabling the user
end them; they end by themselves after an idle and an absolute timeout; the id rotates at login.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.hub.attack_support import Arena, arena
from tests.integration.hub.portal_support import PASSWORD, Browser

from hub.db import models as m

COOKIE = "hub_session"
NEW_PASSWORD = "a much longer passphrase"


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _stolen(two: Arena, browser: Browser) -> Browser:
    """Another browser holding a copy of `browser`'s session cookie (an attacker's)."""
    thief = Browser(two.app())
    for cookie in browser.http.cookies.jar:
        thief.http.cookies.jar.set_cookie(cookie)
    return thief


def test_a_cookie_captured_before_logout_is_dead_after_it(two: Arena) -> None:
    hr = two.browser(two.a.users["hr"])
    thief = _stolen(two, hr)
    assert thief.http.get("/").status_code == 200
    assert hr.post("/logout", {}).status_code == 303
    assert thief.http.get("/").headers.get("location") == "/login"
    assert hr.http.get("/").headers.get("location") == "/login"


def test_the_cookie_is_only_a_random_id_and_the_hub_stores_its_digest(two: Arena) -> None:
    hr = two.browser(two.a.users["hr"])
    raw = hr.http.cookies[COOKIE]
    assert len(raw) >= 40 and "." not in raw and two.a.users["hr"] not in raw
    with two.hub.database.sessions() as db:
        rows = list(db.scalars(select(m.PortalSession)))
    digests = {row.id_digest for row in rows}
    assert hashlib.sha256(raw.encode()).hexdigest() in digests
    assert raw not in digests


def test_the_session_id_rotates_at_every_login(two: Arena) -> None:
    browser = Browser(two.app())
    browser.login(two.a.users["hr"], PASSWORD)
    first = browser.http.cookies[COOKIE]
    planted = _stolen(two, browser)  # an id known to someone else before the next login
    browser.login(two.a.users["hr"], PASSWORD)
    second = browser.http.cookies[COOKIE]
    assert first != second
    assert planted.http.get("/").headers.get("location") == "/login"
    assert browser.http.get("/").status_code == 200


def test_idle_and_absolute_timeouts_end_a_session(two: Arena) -> None:
    idle = two.hub.settings.portal_idle_minutes
    hr = two.browser(two.a.users["hr"])
    two.clock.now += timedelta(minutes=idle - 1)
    assert hr.http.get("/").status_code == 200  # activity keeps it alive
    two.clock.now += timedelta(minutes=idle + 1)
    assert hr.http.get("/").headers.get("location") == "/login"

    busy = two.browser(two.a.users["hr"])
    for _ in range(two.hub.settings.portal_session_hours * 60 // (idle - 1) + 1):
        two.clock.now += timedelta(minutes=idle - 1)
        if busy.http.get("/").status_code != 200:
            break
    else:
        pytest.fail("a session in constant use never ended")
    assert busy.http.get("/").headers.get("location") == "/login"


def test_a_password_change_ends_every_other_session_of_the_user(two: Arena) -> None:
    laptop = two.browser(two.a.users["hr"])
    phone = two.browser(two.a.users["hr"])
    colleague = two.browser(two.a.users["admin"])
    changed = laptop.post(
        "/account/password",
        {"current": PASSWORD, "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        page="/account",
    )
    assert changed.status_code == 303, changed.text
    assert phone.http.get("/").headers.get("location") == "/login"
    assert laptop.http.get("/").status_code == 200  # the one that changed it goes on
    assert colleague.http.get("/").status_code == 200


def test_disabling_a_user_ends_their_sessions_and_their_logins(two: Arena) -> None:
    hr = two.browser(two.a.users["hr"])
    admin = two.browser(two.a.users["admin"])
    user_id = next(
        u.user_id for u in two.hub.accounts.users(two.a.org_id) if u.email == two.a.users["hr"]
    )
    assert admin.post(f"/admin/users/{user_id}/disable", {}, page="/admin").status_code == 303
    assert hr.http.get("/").headers.get("location") == "/login"
    assert Browser(two.app()).login(two.a.users["hr"], PASSWORD).status_code == 401
