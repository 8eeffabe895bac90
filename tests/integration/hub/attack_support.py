"""Two organisations on one hub, as an attacker meets them: A and B, each with an admin, an HR
user, an invigilator and an enrolled kiosk, on a real database (SQLite or PostgreSQL).

Kiosks speak the sync API through raw HTTP here (not the kiosk client), so a test can send what
a compromised kiosk would: any bytes, any declared type, any id.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from tests.integration.hub.portal_support import (
    PASSWORD,
    Browser,
    Clock,
    enrol_second_factor,
)
from tests.integration.hub.portal_support import sign_in as sign_in_with_code
from tests.integration.hub.support import hub_settings

from contract.sessionkey import new_session_key
from hub.app import create_app
from hub.container import Hub, build_hub
from hub.uow import UnitOfWork

API = "/api/v1"
NOW = "2026-11-24T09:00:00+00:00"
ROLES = ("admin", "hr", "invigilator")


@dataclass
class Org:
    """One organisation: its id, its users' e-mails by role, and its kiosk's bearer header."""

    org_id: str
    name: str
    users: dict[str, str]
    kiosk_id: str
    kiosk: dict[str, str]


@dataclass
class Arena:
    hub: Hub
    clock: Clock
    a: Org
    b: Org
    api: TestClient
    #: authenticator secrets by e-mail (the admins': admins must have a second factor)
    secrets: dict[str, str]
    _outbox: dict[str, int] = field(default_factory=dict)

    def app(self) -> Any:
        return create_app(hub=self.hub)

    def browser(self, email: str) -> Browser:
        """A logged-in browser of `email` (signing in with its second factor when it has one)."""
        browser = Browser(self.app())
        response = sign_in(self, browser, email)
        assert response.status_code == 303, response.text
        return browser

    def put_blob(self, org: Org, data: bytes) -> dict[str, object]:
        """Upload `data` as `org`'s kiosk; return the reference an entry would carry."""
        sha = hashlib.sha256(data).hexdigest()
        response = self.api.put(f"{API}/blobs/{sha}", headers=org.kiosk, content=data)
        assert response.status_code in (200, 201), response.text
        return {"sha256": sha, "kind": "snapshot", "content_type": "image/jpeg", "size": len(data)}

    def push(self, org: Org, *entries: dict[str, object]) -> Any:
        """Push `entries` (topic, payload) as `org`'s kiosk, with increasing outbox ids."""
        numbered = []
        for topic_payload in entries:
            self._outbox[org.kiosk_id] = self._outbox.get(org.kiosk_id, 0) + 1
            numbered.append(
                {"outbox_id": self._outbox[org.kiosk_id], "created_at": NOW, **topic_payload}
            )
        return self.api.post(f"{API}/batches", headers=org.kiosk, json={"entries": numbered})

    def walk_in(self, org: Org, name: str = "Mallory Example") -> tuple[str, str]:
        """A session `org`'s kiosk created itself, pushed; returns (kiosk session id, hub id)."""
        kiosk_session = str(uuid.uuid4())
        key = new_session_key()
        response = self.push(org, created(kiosk_session, key, name))
        assert response.status_code == 200, response.text
        return kiosk_session, self.session_id(org, key)

    def session_id(self, org: Org, key: str) -> str:
        with UnitOfWork(self.hub.database) as uow:
            rows = [r for r in uow.sessions.in_org(org.org_id) if r.session_key == key]
            assert rows, f"no session {key} in {org.name}"
            return rows[0].id


def created(session_id: str, key: str, name: str = "Mallory Example") -> dict[str, object]:
    return {
        "topic": "session.created",
        "payload": {
            "session_id": session_id,
            "session_key": key,
            "candidate": {"full_name": name},
            "job": {"title": "Engineer"},
            "settings": {},
            "state": "created",
            "created_at": NOW,
        },
    }


def event(session_id: str, event_id: str, snapshot: dict[str, object] | None) -> dict[str, object]:
    return {
        "topic": "event",
        "payload": {
            "session_id": session_id,
            "event_id": event_id,
            "kind": "multiple_people",
            "severity": "high",
            "confidence": 0.9,
            "start": 1.0,
            "end": 2.0,
            "detector": "test",
            "snapshot": snapshot,
        },
    }


def media(ref: dict[str, object]) -> dict[str, object]:
    return {"topic": "media", "payload": ref}


def report(session_id: str, pdf: dict[str, object]) -> dict[str, object]:
    return {"topic": "report", "payload": {"session_id": session_id, "pdf": pdf, "created_at": NOW}}


def sign_in(arena: Arena, browser: Browser, email: str, password: str = PASSWORD) -> Any:
    """The login form, then the second-factor form when the account has one."""
    return sign_in_with_code(browser, arena.clock, arena.secrets, email, password)


@contextmanager
def arena(root: Path, database_url: str, **settings: object) -> Iterator[Arena]:
    clock = Clock()
    settings.setdefault("cookie_secure", True)
    hub = build_hub(hub_settings(root, database_url=database_url, **settings), clock)
    orgs = []
    secrets: dict[str, str] = {}
    for name in ("A", "B"):
        org_id = hub.accounts.ensure_organisation(f"Organisation {name}")
        users = {}
        for role in ROLES:
            email = f"{role}@{name.lower()}.test"
            hub.accounts.create_user(org_id, email, PASSWORD, role)
            users[role] = email
        secrets[users["admin"]] = enrol_second_factor(hub, clock, org_id, users["admin"])
        enrolled = hub.enrolment.enrol(hub.enrolment.issue_code(org_id, "t").code, f"kiosk {name}")
        header = {"Authorization": f"Bearer {enrolled.token}"}
        orgs.append(Org(org_id, f"Organisation {name}", users, enrolled.kiosk_id, header))
    try:
        with TestClient(create_app(hub=hub), base_url="https://testserver") as api:
            yield Arena(hub, clock, orgs[0], orgs[1], api, secrets)
    finally:
        hub.close()
