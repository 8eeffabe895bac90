"""TOTP two-factor sign-in: required for admins, open to everyone, set up with a QR code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from tests.integration.hub.attack_support import Arena, arena
from tests.integration.hub.portal_support import PASSWORD, Browser


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _code(two: Arena, secret: str, later: int = 30) -> str:
    two.clock.now += timedelta(seconds=later)
    return pyotp.TOTP(secret).at(two.clock.now)


def _new_admin(two: Arena) -> str:
    email = "second.admin@a.test"
    two.hub.accounts.create_user(two.a.org_id, email, PASSWORD, "admin")
    return email


def test_an_admin_without_a_second_factor_sets_one_up_before_anything_else(two: Arena) -> None:
    email = _new_admin(two)
    browser = Browser(two.app())
    assert browser.login(email, PASSWORD).headers["location"] == "/"
    for path in ("/", "/admin", "/sessions/new", "/account"):
        assert browser.http.get(path).headers.get("location") == "/account/two-factor", path
    refused = browser.post("/admin/enrolment-codes", {}, page="/account/two-factor")
    assert refused.headers.get("location") == "/account/two-factor"
    page = browser.http.get("/account/two-factor")
    assert page.status_code == 200 and 'id="two-factor-required"' in page.text
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page.text)
    assert secret is not None
    qr = browser.http.get("/account/two-factor/qr.svg")
    assert qr.headers["content-type"] == "image/svg+xml" and qr.content.startswith(b"<svg")
    assert b"<script" not in qr.content and b" on" not in qr.content
    wrong = browser.post("/account/two-factor", {"code": "000000"}, page="/account/two-factor")
    assert wrong.status_code == 422 and 'id="error-code"' in wrong.text
    right = browser.post(
        "/account/two-factor", {"code": _code(two, secret.group(1), 0)}, page="/account/two-factor"
    )
    assert right.status_code == 303
    assert browser.http.get("/admin").status_code == 200
    # from now on, signing in asks for a code
    again = Browser(two.app())
    assert again.login(email, PASSWORD).headers["location"] == "/login/code"
    assert again.http.get("/").headers["location"] == "/login/code"
    assert again.http.get("/admin").headers["location"] == "/login/code"
    good = again.post("/login/code", {"code": _code(two, secret.group(1))}, page="/login/code")
    assert good.status_code == 303 and again.http.get("/admin").status_code == 200


def test_a_code_is_accepted_once_and_wrong_codes_are_throttled(two: Arena) -> None:
    email, secret = two.a.users["admin"], two.secrets[two.a.users["admin"]]
    first = Browser(two.app())
    first.login(email, PASSWORD)
    code = _code(two, secret)
    assert first.post("/login/code", {"code": code}, page="/login/code").status_code == 303
    replay = Browser(two.app())
    replay.login(email, PASSWORD)
    reused = replay.post("/login/code", {"code": code}, page="/login/code")
    assert reused.status_code == 401 and "used already" in reused.text
    guesser = Browser(two.app())
    guesser.login(email, PASSWORD)
    answers = [
        guesser.post("/login/code", {"code": f"{n:06d}"}, page="/login/code").status_code
        for n in range(6)
    ]
    assert 429 in answers
    assert guesser.http.get("/").headers["location"] == "/login/code"


def test_the_password_alone_opens_nothing_and_its_session_expires_soon(two: Arena) -> None:
    email = two.a.users["admin"]
    half = Browser(two.app())
    half.login(email, PASSWORD)
    for path in ("/", "/admin", "/account", f"/sessions/{'x' * 8}"):
        assert half.http.get(path).status_code == 303, path
    two.clock.now += timedelta(minutes=6)
    assert half.http.get("/login/code").headers["location"] == "/login"


def test_everyone_may_set_up_a_second_factor_and_an_admin_resets_a_lost_one(two: Arena) -> None:
    hr = two.browser(two.a.users["hr"])
    page = hr.http.get("/account/two-factor")
    secret = re.search(r'id="two-factor-secret">([A-Z2-7]+)<', page.text)
    assert secret is not None
    on = hr.post("/account/two-factor", {"code": _code(two, secret.group(1), 0)}, page="/account")
    assert on.status_code == 303
    later = Browser(two.app())
    assert later.login(two.a.users["hr"], PASSWORD).headers["location"] == "/login/code"
    admin = two.browser(two.a.users["admin"])
    hr_id = next(
        u.user_id for u in two.hub.accounts.users(two.a.org_id) if u.email == two.a.users["hr"]
    )
    reset = admin.post(f"/admin/users/{hr_id}/reset-two-factor", {}, page="/admin")
    assert reset.status_code == 303
    assert hr.http.get("/").headers["location"] == "/login"  # their sessions ended
    assert Browser(two.app()).login(two.a.users["hr"], PASSWORD).headers["location"] == "/"
    other = two.browser(two.b.users["admin"])
    assert (
        other.post(f"/admin/users/{hr_id}/reset-two-factor", {}, page="/admin").status_code == 404
    )
