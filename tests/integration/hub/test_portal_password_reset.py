"""An admin resets a user's forgotten password: a temporary one, shown once, hashed like any
password, good for 24 hours; the old password and the user's sessions end at once; signing in
with it leads to choosing a new password before any other page. Admins only, in their own
organisation, never their own account nor a disabled one; CSRF-checked; audited in words; the
second factor stays."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.hub.attack_support import Arena, arena, sign_in
from tests.integration.hub.portal_support import PASSWORD, Browser, enrol_second_factor

from hub.db.models import AuditEntry, User

NEW_PASSWORD = "orange kettles hum at noon"
_TEMPORARY = re.compile(r'<code id="temporary-password">([^<]+)</code>')


@pytest.fixture
def two(tmp_path: Path) -> Iterator[Arena]:
    with arena(tmp_path / "hub", "") as built:
        yield built


def _user_id(two: Arena, org_id: str, email: str) -> str:
    return next(u.user_id for u in two.hub.accounts.users(org_id) if u.email == email)


def _reset(admin: Browser, user_id: str) -> str:
    """The admin's reset; the temporary password its page shows."""
    page = admin.post(f"/admin/users/{user_id}/reset-password", {}, page="/admin")
    assert page.status_code == 200, page.text
    assert page.headers["cache-control"] == "no-store"
    found = _TEMPORARY.search(page.text)
    assert found, page.text
    return found.group(1)


def _login(two: Arena, email: str, password: str) -> Browser:
    browser = Browser(two.app())
    response = sign_in(two, browser, email, password)
    assert response.status_code == 303, response.text
    return browser


def _refused(two: Arena, email: str, password: str) -> str:
    response = Browser(two.app()).login(email, password)
    assert response.status_code == 401, response.text
    return response.text


def _audit(two: Arena, action: str) -> list[tuple[str, str, str]]:
    with two.hub.database.sessions() as db:
        rows = db.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return [(r.actor, r.target, r.detail) for r in rows]


def test_a_reset_leads_through_a_forced_change_to_the_users_own_password(
    tmp_path: Path, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with arena(tmp_path / "hub", database_url) as two:
        admin_email, hr_email = two.a.users["admin"], two.a.users["hr"]
        hr_id = _user_id(two, two.a.org_id, hr_email)
        earlier = two.browser(hr_email)  # signed in before the reset
        assert earlier.http.get("/").status_code == 200

        temporary = _reset(two.browser(admin_email), hr_id)

        assert len(temporary) >= 20
        assert earlier.http.get("/").headers["location"] == "/login"  # the session ended
        _refused(two, hr_email, PASSWORD)  # the old password stopped working at once
        with two.hub.database.sessions() as db:
            stored = db.get(User, hr_id)
            assert stored is not None and stored.password_hash.startswith("$argon2id$")
            assert temporary not in stored.password_hash
            assert all(temporary not in e.detail for e in db.scalars(select(AuditEntry)))

        hr = _login(two, hr_email, temporary)
        for page in ("/", "/jobs", "/sessions/new", "/account", "/account/two-factor"):
            response = hr.http.get(page)
            assert response.headers.get("location") == "/account/new-password", page
        forced = hr.http.get("/account/new-password")
        assert forced.status_code == 200 and 'id="new-password-required"' in forced.text

        # the same rules as any new password, and not the temporary one again
        for new, repeat, words in (
            ("short", "short", "at least 12 characters"),
            (NEW_PASSWORD, NEW_PASSWORD + "x", "repetition differ"),
            (temporary, temporary, "not the temporary one"),
        ):
            form = {"new": new, "repeat": repeat}
            refused = hr.post("/account/new-password", form, page="/account/new-password")
            assert refused.status_code == 422 and words in refused.text
            assert hr.http.get("/").headers.get("location") == "/account/new-password"

        form = {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
        done = hr.post("/account/new-password", form, page="/account/new-password")
        assert done.status_code == 303 and done.headers["location"].startswith("/account")
        assert hr.http.get("/").status_code == 200  # the portal opens, in the same session
        assert hr.http.get("/account/new-password").headers["location"] == "/account"

        _refused(two, hr_email, PASSWORD)
        _refused(two, hr_email, temporary)
        _login(two, hr_email, NEW_PASSWORD)

        (reset,) = _audit(two, "user.password_reset")
        assert reset[:2] == (admin_email, hr_email) and "valid until" in reset[2]
        assert _audit(two, "user.password_set_after_reset") == [(hr_email, hr_email, "")]
        assert all(temporary not in r.getMessage() for r in caplog.records)  # never logged
        log = two.browser(admin_email).http.get("/admin/audit?action=user.password").text
        assert "Password reset by an administrator" in log
        assert "New password chosen after a reset" in log


def test_a_temporary_password_expires_after_24_hours(two: Arena) -> None:
    hr_email = two.a.users["hr"]
    temporary = _reset(two.browser(two.a.users["admin"]), _user_id(two, two.a.org_id, hr_email))
    issued = two.clock.now

    two.clock.now = issued + timedelta(hours=24) - timedelta(minutes=1)
    almost = _login(two, hr_email, temporary)  # still good a minute before
    two.clock.now = issued + timedelta(hours=24)

    message = _refused(two, hr_email, temporary)
    assert "Your temporary password has expired: ask your administrator" in message
    form = {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    late = almost.post("/account/new-password", form, page="/account/new-password")
    assert late.status_code == 422 and "has expired" in late.text
    _refused(two, hr_email, NEW_PASSWORD)
    assert "Wrong e-mail address or password" in _refused(two, hr_email, "not the password")

    again = _reset(two.browser(two.a.users["admin"]), _user_id(two, two.a.org_id, hr_email))
    assert again != temporary
    assert "Wrong e-mail address or password" in _refused(two, hr_email, temporary)
    _login(two, hr_email, again)  # a new day from the new reset


def test_only_an_admin_may_reset_a_password(two: Arena) -> None:
    target = _user_id(two, two.a.org_id, two.a.users["hr"])
    for role in ("hr", "invigilator"):
        browser = two.browser(two.a.users[role])
        refused = browser.post(f"/admin/users/{target}/reset-password", {}, page="/")
        assert refused.status_code == 403 and "temporary-password" not in refused.text
    _login(two, two.a.users["hr"], PASSWORD)  # unchanged
    assert _audit(two, "user.password_reset") == []


def test_an_admin_of_another_organisation_gets_not_found(two: Arena) -> None:
    target = _user_id(two, two.a.org_id, two.a.users["hr"])
    other = two.browser(two.b.users["admin"])
    refused = other.post(f"/admin/users/{target}/reset-password", {}, page="/admin")
    assert refused.status_code == 404 and "temporary-password" not in refused.text
    assert two.a.users["hr"] not in refused.text
    _login(two, two.a.users["hr"], PASSWORD)
    assert _audit(two, "user.password_reset") == []


def test_own_disabled_and_forged_resets_are_refused(two: Arena) -> None:
    admin_email = two.a.users["admin"]
    admin = two.browser(admin_email)
    own = admin.post(
        f"/admin/users/{_user_id(two, two.a.org_id, admin_email)}/reset-password", {}, page="/admin"
    )
    assert own.status_code == 422 and "change it on your account page" in own.text

    door_id = _user_id(two, two.a.org_id, two.a.users["invigilator"])
    assert admin.post(f"/admin/users/{door_id}/disable", {}, page="/admin").status_code == 303
    disabled = admin.post(f"/admin/users/{door_id}/reset-password", {}, page="/admin")
    assert disabled.status_code == 409 and "is disabled: enable it first" in disabled.text

    hr_id = _user_id(two, two.a.org_id, two.a.users["hr"])
    forged = admin.http.post(f"/admin/users/{hr_id}/reset-password", data={"csrf_token": "forged"})
    assert forged.status_code == 403 and "temporary-password" not in forged.text
    _login(two, two.a.users["hr"], PASSWORD)
    assert _audit(two, "user.password_reset") == []
    _login(two, admin_email, PASSWORD)


def test_the_second_factor_stays_through_a_reset(two: Arena) -> None:
    """Another admin with an authenticator: the temporary password alone does not sign in."""
    email = "second-admin@a.test"
    two.hub.accounts.create_user(two.a.org_id, email, PASSWORD, "admin")
    two.secrets[email] = enrol_second_factor(two.hub, two.clock, two.a.org_id, email)
    temporary = _reset(two.browser(two.a.users["admin"]), _user_id(two, two.a.org_id, email))

    half = Browser(two.app()).login(email, temporary)
    assert half.headers["location"] == "/login/code"
    signed = _login(two, email, temporary)  # with the code from the same authenticator
    assert signed.http.get("/admin").headers["location"] == "/account/new-password"
    form = {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD}
    assert signed.post("/account/new-password", form, page="/account/new-password").is_redirect
    assert signed.http.get("/admin").status_code == 200
