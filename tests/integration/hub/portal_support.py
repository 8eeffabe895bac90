"""Portal test helpers: a logged-in browser (Starlette's TestClient over HTTPS, with CSRF
handling), a hub with two organisations and four users, and sessions that a real kiosk ran."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.integration.hub.support import (
    SimulatedKiosk,
    hub_settings,
    memory_keyring,
    run_interview,
    serve_in_thread,
)

from hub.app import create_app
from hub.container import Hub, build_hub
from kiosk.sessions import SessionService
from kiosk.settings import KioskSettings
from kiosk.sync import Pusher, enrol, hub_client, import_pack

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"
SESSION_FORM = {
    "candidate_name": "Ada Lovelace",
    "candidate_email": "ada@example.org",
    "job_title": "Engineer",
    "job_text": "Build engines",
    "required_skills": "python, sql",
    "question_count": "2",
    "seconds_per_question": "60",
    "extra_time_percent": "25",
}


class Browser:
    def __init__(self, app: FastAPI, *, raise_server_exceptions: bool = True) -> None:
        self.http = TestClient(
            app,
            base_url="https://testserver",
            follow_redirects=False,
            raise_server_exceptions=raise_server_exceptions,
        )

    def csrf(self, path: str = "/login") -> str:
        page = self.http.get(path)
        found = _CSRF.search(page.text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def login(self, email: str, password: str) -> httpx.Response:
        token = self.csrf("/login")
        return self.http.post(
            "/login", data={"email": email, "password": password, "csrf_token": token}
        )

    def post(
        self, path: str, data: dict[str, Any], page: str = "/", **kwargs: Any
    ) -> httpx.Response:
        return self.http.post(path, data={**data, "csrf_token": self.csrf(page)}, **kwargs)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def enrol_second_factor(hub: Hub, clock: Clock, org_id: str, email: str) -> str:
    """Set up `email`'s authenticator as a person would (a code proves it); its secret."""
    user = next(u for u in hub.accounts.users(org_id) if u.email == email)
    secret = hub.accounts.begin_two_factor(user)
    hub.accounts.confirm_two_factor(user, pyotp.TOTP(secret).at(clock.now))
    return secret


def sign_in(
    browser: Browser, clock: Clock, secrets: dict[str, str], email: str, password: str = PASSWORD
) -> httpx.Response:
    """The login form, then, for an account with a second factor, the code its app shows 30 s
    later (a code is accepted once: the clock moves on to the next one)."""
    response = browser.login(email, password)
    if response.headers.get("location") != "/login/code":
        return response
    clock.now += timedelta(seconds=30)
    code = pyotp.TOTP(secrets[email]).at(clock.now)
    return browser.post("/login/code", {"code": code}, page="/login/code")


@dataclass
class Portal:
    hub: Hub
    clock: Clock
    acme: str
    globex: str
    secrets: dict[str, str]

    def browser(self, email: str) -> Browser:
        browser = Browser(create_app(hub=self.hub))
        assert sign_in(browser, self.clock, self.secrets, email).status_code == 303
        return browser


@contextmanager
def portal_hub(root: Path, database_url: str, **settings: object) -> Iterator[Portal]:
    """A hub with Acme (admin, hr, invigilator) and Globex (hr), all with PASSWORD."""
    clock = Clock()
    hub = build_hub(
        hub_settings(root, cookie_secure=True, database_url=database_url, **settings), clock
    )
    acme = hub.accounts.ensure_organisation("Acme")
    globex = hub.accounts.ensure_organisation("Globex")
    for email, org, role in [
        ("admin@acme.test", acme, "admin"),
        ("hr@acme.test", acme, "hr"),
        ("door@acme.test", acme, "invigilator"),
        ("hr@globex.test", globex, "hr"),
    ]:
        hub.accounts.create_user(org, email, PASSWORD, role)
    secrets = {"admin@acme.test": enrol_second_factor(hub, clock, acme, "admin@acme.test")}
    try:
        yield Portal(hub, clock, acme, globex, secrets)
    finally:
        hub.close()


def create_session(browser: Browser, name: str = "Ada Lovelace", **files: object) -> str:
    """HR fills in the new-session form; returns the new session's id."""
    response = browser.post(
        "/sessions/new",
        {**SESSION_FORM, "candidate_name": name},
        page="/sessions/new",
        files=files or None,
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/")[2]


def synced_session(
    portal: Portal,
    browser: Browser,
    tmp_path: Path,
    before_push: Callable[[SessionService, str], None] | None = None,
    run: Callable[..., None] = run_interview,
) -> str:
    """HR creates a session, a real kiosk pulls, runs and pushes it; returns the session id.
    The kiosk scored offline: both answers' scores and the evaluation are provisional.
    `before_push` sees the kiosk's service and session once the interview is stored; `run`
    (`run_interview`'s signature) plays the interview."""
    session_id = create_session(browser)
    key = re.search(
        r'id="session-key">([^<]+)<', browser.http.get(f"/sessions/{session_id}/slip").text
    )
    assert key is not None
    with serve_in_thread(create_app(hub=portal.hub)) as url, memory_keyring():
        enrol(url, portal.hub.enrolment.issue_code(portal.acme, "t").code, "desk")
        kiosk = SimulatedKiosk.create(tmp_path / "kiosk")
        settings = KioskSettings(data_dir=tmp_path / "kiosk", hub_url=url)
        with hub_client(settings) as client:
            local = import_pack(kiosk.service, client.pack(key.group(1)), portal.clock.now).session
            run(kiosk.service, local.session_id, rng=random.Random(9))
            if before_push is not None:
                before_push(kiosk.service, local.session_id)
            Pusher(kiosk.service, client).drain()
        kiosk.close()
    return session_id
