"""Finding 6: lock-out as a weapon; accounts enumerable. Five wrong passwords locked any account
and no admin could unlock it; unknown e-mails never locked, so existence leaked; spraying across
accounts was not throttled; "1234567890" was accepted as a password.

Failed sign-ins now earn growing delays (per account and address, per address, per account),
never a lock; the same for accounts that exist and those that do not; an admin (or `kiosk-hub
unlock`) lifts them; passwords follow a policy with a shipped list of common passwords.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.integration.hub.attack_support import Arena, arena
from tests.integration.hub.portal_support import PASSWORD, Browser

from hub.cli import main as hub_cli
from hub.security.password_policy import WeakPasswordError, check_password


@pytest.fixture
def two(tmp_path: Path, database_url: str) -> Iterator[Arena]:
    with arena(tmp_path / "hub", database_url) as built:
        yield built


def _from(two: Arena, address: str) -> Browser:
    """A browser at another address (a test centre, an attacker, a colleague's desk)."""
    browser = Browser(two.app())
    browser.http = TestClient(
        two.app(), base_url="https://testserver", follow_redirects=False, client=(address, 4000)
    )
    return browser


def _without_email(page: str, email: str) -> str:
    """The page with what differs by design taken out: the e-mail typed, the form's token."""
    return re.sub(r'name="csrf_token" value="[0-9a-f]+"', "", page.replace(email, "EMAIL"))


def test_wrong_passwords_slow_an_account_down_and_never_lock_it(two: Arena) -> None:
    victim = two.a.users["hr"]
    attacker = _from(two, "203.0.113.9")
    for _ in range(5):
        assert attacker.login(victim, "wrong password, again").status_code == 401
    waiting = attacker.login(victim, "wrong password, again")
    assert waiting.status_code == 429 and "wait 1 s" in waiting.text
    delays = []
    for _ in range(6):
        two.clock.now += timedelta(minutes=20)  # past any delay
        assert attacker.login(victim, "wrong password, again").status_code == 401
        refused = attacker.login(victim, "wrong password, again")
        assert refused.status_code == 429
        delays.append(int(refused.text.split("wait ", 1)[1].split(" s", 1)[0]))
    assert delays == sorted(delays) and delays[-1] > delays[0], delays  # they grow
    assert max(delays) <= 15 * 60
    # the owner, at their own desk, signs in at once: the stranger locked nothing
    assert _from(two, "198.51.100.7").login(victim, PASSWORD).status_code == 303


def test_a_distributed_guess_at_one_account_never_keeps_its_owner_out_long(two: Arena) -> None:
    victim = two.a.users["hr"]
    for n in range(40):
        two.clock.now += timedelta(minutes=2)
        _from(two, f"192.0.2.{n}").login(victim, "wrong password, again")
    refused = _from(two, "198.51.100.7").login(victim, PASSWORD)
    if refused.status_code == 429:
        assert int(refused.text.split("wait ", 1)[1].split(" s", 1)[0]) <= 60
        two.clock.now += timedelta(seconds=61)
    assert _from(two, "198.51.100.7").login(victim, PASSWORD).status_code == 303


def test_unknown_and_known_accounts_answer_and_throttle_alike(two: Arena) -> None:
    known, unknown = two.a.users["hr"], "nobody-here@a.test"
    answers = {}
    for email in (known, unknown):
        browser = _from(two, f"192.0.2.{len(answers) + 1}")
        firsts = [browser.login(email, "wrong password, again") for _ in range(5)]
        sixth = browser.login(email, "wrong password, again")
        answers[email] = (
            [r.status_code for r in firsts],
            _without_email(firsts[0].text, email),
            sixth.status_code,
            _without_email(sixth.text, email),
        )
    assert answers[known] == answers[unknown]
    assert answers[known][2] == 429


def test_unknown_and_known_accounts_take_the_same_time(two: Arena) -> None:
    def timed(email: str, address: str) -> float:
        browser = _from(two, address)
        token = browser.csrf("/login")
        form = {"email": email, "password": "wrong password, again", "csrf_token": token}
        started = time.perf_counter()
        browser.http.post("/login", data=form)
        return time.perf_counter() - started

    known = [timed(two.a.users["hr"], f"192.0.2.{n}") for n in range(8)]
    unknown = [timed(f"ghost{n}@a.test", f"198.51.100.{n}") for n in range(8)]
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 0.6 < ratio < 1.6, (known, unknown)


def test_spraying_one_password_across_accounts_is_throttled_per_address(two: Arena) -> None:
    sprayer = _from(two, "203.0.113.50")
    for n in range(20):
        assert sprayer.login(f"user{n}@a.test", "Summer2026!Summer").status_code == 401
    assert sprayer.login("user20@a.test", "Summer2026!Summer").status_code == 429
    assert sprayer.login(two.a.users["admin"], PASSWORD).status_code == 429
    assert _from(two, "198.51.100.8").login(two.a.users["admin"], PASSWORD).status_code == 303


def test_an_admin_lifts_the_delays_at_once(two: Arena) -> None:
    victim = two.a.users["hr"]
    desk = _from(two, "198.51.100.7")
    for _ in range(6):
        desk.login(victim, "wrong password, again")
    assert desk.login(victim, PASSWORD).status_code == 429
    admin = two.browser(two.a.users["admin"])
    hr_id = next(u.user_id for u in two.hub.accounts.users(two.a.org_id) if u.email == victim)
    assert admin.post(f"/admin/users/{hr_id}/unlock", {}, page="/admin").status_code == 303
    assert desk.login(victim, PASSWORD).status_code == 303
    assert "user.unlocked" in admin.http.get("/admin").text
    # another organisation's admin cannot touch this user
    other = two.browser(two.b.users["admin"])
    assert other.post(f"/admin/users/{hr_id}/unlock", {}, page="/admin").status_code == 404


def test_the_command_line_lifts_the_delays_too(
    two: Arena, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = two.a.users["invigilator"]
    desk = _from(two, "198.51.100.7")
    for _ in range(6):
        desk.login(victim, "wrong password, again")
    assert desk.login(victim, PASSWORD).status_code == 429
    settings = two.hub.settings
    monkeypatch.setenv("HUB_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("HUB_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("HUB_SECRET_KEY", settings.secret_key.get_secret_value())
    assert hub_cli(["unlock", victim.upper()]) == 0
    assert desk.login(victim, PASSWORD).status_code == 303


WEAK = [
    "1234567890",
    "short pass",
    "1qaz2wsx3edc",  # on the shipped list
    "QWERTYUIOP123",  # on it once case is ignored
    "qwerty-uiop-123",  # ... and separators
    "aaaaaaaaaaaaaaaa",
    "ababababababab",
    "{email}-2026!",  # the account's own address
]


def test_weak_passwords_are_refused_with_a_reason(two: Arena) -> None:
    admin = two.browser(two.a.users["admin"])
    hr = two.browser(two.a.users["hr"])
    for template in WEAK:
        with pytest.raises(WeakPasswordError):
            check_password(template.format(email="hr@a.test"), "hr@a.test")
        weak = template.format(email="new@a.test")
        added = admin.post(
            "/admin/users", {"email": "new@a.test", "password": weak, "role": "hr"}, page="/admin"
        )
        assert added.status_code == 422 and 'id="error-users"' in added.text, weak
        weak = template.format(email=two.a.users["hr"])
        changed = hr.post(
            "/account/password", {"current": PASSWORD, "new": weak, "repeat": weak}, page="/account"
        )
        assert changed.status_code == 422 and 'id="error-password"' in changed.text, weak


def test_a_good_passphrase_passes() -> None:
    check_password("violet tractor sings at dawn", "hr@a.test")
