"""The sync API under abuse: key guessing, other organisations, oversized and malformed bodies,
path-traversal names. Every refusal is a 4xx with a reason, never a 500."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.integration.hub.support import hub_settings

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.app import create_app
from hub.container import Hub, build_hub
from hub.services.records import NewSession
from hub.views import PortalUser

API = "/api/v1"
NOW = datetime(2026, 11, 24, tzinfo=UTC).isoformat()


@dataclass
class Api:
    hub: Hub
    http: TestClient
    acme: str
    globex: str

    def kiosk(self, org_id: str) -> dict[str, str]:
        code = self.hub.enrolment.issue_code(org_id, "test").code
        token = self.hub.enrolment.enrol(code, "k").token
        return {"Authorization": f"Bearer {token}"}

    def hr_session(self, org_id: str) -> str:
        user = PortalUser("u", "hr@x.test", "hr", org_id, "x")
        new = NewSession(CandidateWire(full_name="Ada"), JobWire(title="Eng"), SettingsWire())
        return self.hub.records.create(user, new).session_key


@pytest.fixture
def api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    settings = hub_settings(
        tmp_path / "hub",
        database_url=database_url,
        key_misses_per_minute=5,
        max_blob_bytes=1000,
        max_body_bytes=20_000,
    )
    hub = build_hub(settings)
    acme = hub.accounts.ensure_organisation("Acme")
    globex = hub.accounts.ensure_organisation("Globex")
    with TestClient(create_app(hub=hub), base_url="https://testserver") as http:
        yield Api(hub, http, acme, globex)
    hub.close()


def _created(session_id: str, key: str, outbox_id: int = 1) -> dict[str, object]:
    return {
        "outbox_id": outbox_id,
        "created_at": NOW,
        "topic": "session.created",
        "payload": {
            "session_id": session_id,
            "session_key": key,
            "candidate": {"full_name": "Mallory"},
            "job": {"title": "Eng"},
            "settings": {},
            "state": "created",
            "created_at": NOW,
        },
    }


def test_guessing_session_keys_is_rate_limited_per_kiosk(api: Api) -> None:
    kiosk = api.kiosk(api.acme)
    real = api.hr_session(api.acme)
    for _ in range(5):
        miss = api.http.get(f"{API}/packs/{new_session_key()}", headers=kiosk)
        assert miss.status_code == 404
    limited = api.http.get(f"{API}/packs/{real}", headers=kiosk)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "too many unknown session keys" in limited.json()["detail"]
    other_kiosk = api.kiosk(api.acme)  # same address (a test centre's NAT): not held back
    assert api.http.get(f"{API}/packs/{real}", headers=other_kiosk).status_code == 200


def test_kiosks_cannot_reach_another_organisations_sessions(api: Api) -> None:
    theirs = api.hr_session(api.globex)
    mine = api.kiosk(api.acme)
    assert api.http.get(f"{API}/packs/{theirs}", headers=mine).status_code == 404
    steal = api.http.post(
        f"{API}/batches", headers=mine, json={"entries": [_created(str(uuid.uuid4()), theirs)]}
    )
    assert steal.status_code == 200  # keys are per organisation: a walk-in of Acme's own
    globex_kiosk = api.kiosk(api.globex)
    session_id = str(uuid.uuid4())
    made = api.http.post(
        f"{API}/batches",
        headers=globex_kiosk,
        json={"entries": [_created(session_id, new_session_key())]},
    )
    assert made.status_code == 200
    inject = {
        "outbox_id": 2,
        "created_at": NOW,
        "topic": "session.state",
        "payload": {"session_id": session_id, "from": "created", "to": "aborted"},
    }
    hijack = api.http.post(f"{API}/batches", headers=mine, json={"entries": [inject]})
    assert hijack.status_code == 403


def test_every_call_needs_a_valid_token(api: Api) -> None:
    assert api.http.get(f"{API}/packs").status_code == 401
    bad = {"Authorization": "Bearer hk_forged"}
    response = api.http.get(f"{API}/whoami", headers=bad)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert api.http.get(f"{API}/whoami", headers={"Authorization": "Basic eDp5"}).status_code == 401


def test_oversized_bodies_are_refused_with_413(api: Api) -> None:
    kiosk = api.kiosk(api.acme)
    data = b"x" * 2000
    sha = hashlib.sha256(data).hexdigest()
    assert api.http.put(f"{API}/blobs/{sha}", headers=kiosk, content=data).status_code == 413

    def chunked() -> Iterator[bytes]:
        yield data[:800]
        yield data[800:]

    streamed = api.http.put(f"{API}/blobs/{sha}", headers=kiosk, content=chunked())
    assert streamed.status_code == 413
    assert not api.hub.blobs.exists(api.acme, sha)
    huge = {"entries": [_created(str(uuid.uuid4()), new_session_key())] * 1}
    huge["entries"][0]["payload"]["candidate"]["resume_text"] = "r" * 30_000  # type: ignore[index]
    assert api.http.post(f"{API}/batches", headers=kiosk, json=huge).status_code == 413


@pytest.mark.parametrize(
    "name",
    ["..%2F..%2Fhub.sqlite3", "%2E%2E", "A" * 64, "a" * 63 + "%00", "a" * 65, "..", "x" * 64],
)
def test_path_traversal_blob_names_never_touch_the_filesystem(api: Api, name: str) -> None:
    kiosk = api.kiosk(api.acme)
    put = api.http.put(f"{API}/blobs/{name}", headers=kiosk, content=b"data")
    head = api.http.head(f"{API}/blobs/{name}", headers=kiosk)
    assert 400 <= put.status_code < 500 and 400 <= head.status_code < 500
    outside = [p for p in api.hub.blobs.root.parent.rglob("*") if p.name == "data"]
    assert outside == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        b'{"entries": []}',
        b'{"entries": [{"outbox_id": 1, "topic": "nope", "payload": {}}]}',
        b'{"entries": [{"outbox_id": -1, "topic": "media", "created_at": "x", "payload": {}}]}',
        b"\xff\xfe\x00",
        b'{"entries": "' + b"a" * 100 + b'"}',
    ],
)
def test_malformed_json_is_a_4xx_never_a_500(api: Api, body: bytes) -> None:
    kiosk = {**api.kiosk(api.acme), "Content-Type": "application/json"}
    response = api.http.post(f"{API}/batches", headers=kiosk, content=body)
    assert 400 <= response.status_code < 500, response.text
    assert "detail" in response.json()
    enrol = api.http.post(
        f"{API}/enrol", headers={"Content-Type": "application/json"}, content=body
    )
    assert 400 <= enrol.status_code < 500


def test_entries_out_of_order_or_referring_to_missing_blobs_are_refused(api: Api) -> None:
    kiosk = api.kiosk(api.acme)
    session_id = str(uuid.uuid4())
    twice = {
        "entries": [
            _created(session_id, new_session_key(), 2),
            _created(session_id, new_session_key(), 1),
        ]
    }
    assert api.http.post(f"{API}/batches", headers=kiosk, json=twice).status_code == 422
    media = {
        "outbox_id": 1,
        "created_at": NOW,
        "topic": "media",
        "payload": {"sha256": "b" * 64, "kind": "audio", "content_type": "audio/wav", "size": 3},
    }
    missing = api.http.post(f"{API}/batches", headers=kiosk, json={"entries": [media]})
    assert missing.status_code == 409 and missing.json()["missing"] == ["b" * 64]


def test_wrong_enrolment_codes_are_rate_limited(api: Api) -> None:
    for _ in range(5):
        wrong = api.http.post(f"{API}/enrol", json={"code": "AAAA-BBBB-CCCC", "kiosk_name": "x"})
        assert wrong.status_code == 401
    code = api.hub.enrolment.issue_code(api.acme, "t").code
    blocked = api.http.post(f"{API}/enrol", json={"code": code, "kiosk_name": "x"})
    assert blocked.status_code == 429
