"""Two real hub processes on one PostgreSQL database and one blob directory, as behind a load
balancer: limits hold for both together, kiosks sync through either, portal logins work on both."""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.integration.hub.hubprocess import HubProcess
from tests.integration.hub.postgres import PostgresServer
from tests.integration.hub.support import (
    SimulatedKiosk,
    free_port,
    hub_settings,
    run_interview,
    walk_in,
)

from contract.sessionkey import new_session_key
from contract.wire import CandidateWire, JobWire, SettingsWire
from hub.app import create_app
from hub.container import Hub, build_hub
from hub.db import models as m
from hub.services.records import NewSession
from hub.views import PortalUser
from kiosk.domain.lifecycle import SessionState
from kiosk.storage.schema import OutboxRow
from kiosk.sync import HubClient, Pusher, import_pack

LIMIT = 5
SECRET = "shared-by-every-hub-process-0123456789"
PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Cluster:
    hubs: tuple[HubProcess, HubProcess]
    admin: Hub  # the same database and blob directory, to set up and to check
    org_id: str

    @property
    def urls(self) -> tuple[str, str]:
        return self.hubs[0].url, self.hubs[1].url

    def kiosk_token(self, name: str) -> str:
        code = self.admin.enrolment.issue_code(self.org_id, "test").code
        return self.admin.enrolment.enrol(code, name).token


@pytest.fixture
def cluster(tmp_path: Path, postgres: PostgresServer) -> Iterator[Cluster]:
    url = postgres.create_database()
    blobs = tmp_path / "blobs"
    env = {
        "HUB_DATABASE_URL": url,
        "HUB_BLOB_DIR": str(blobs),
        "HUB_SECRET_KEY": SECRET,
        "HUB_KEY_MISSES_PER_MINUTE": str(LIMIT),
        "HUB_COOKIE_SECURE": "false",  # plain HTTP on loopback
    }
    hubs = []
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        hubs.append(HubProcess(tmp_path / name, free_port(), env))
    # both start at once on the empty database, and both migrate it
    starters = [threading.Thread(target=hub.start) for hub in hubs]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join(60)
    admin = build_hub(hub_settings(tmp_path / "admin", database_url=url, blob_dir=blobs))
    try:
        for hub in hubs:
            assert hub.process is not None and hub.process.poll() is None, "a hub did not start"
        yield Cluster((hubs[0], hubs[1]), admin, admin.accounts.ensure_organisation("Acme"))
    finally:
        for hub in hubs:
            hub.stop()
        admin.close()


class RoundRobin(httpx.BaseTransport):
    """Sends each request to the next hub process in turn, as a load balancer would."""

    def __init__(self, urls: tuple[str, ...]) -> None:
        self._inner = httpx.HTTPTransport()
        self._next = itertools.cycle([httpx.URL(u) for u in urls])
        self._lock = threading.Lock()
        self.sent: Counter[int] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            target = next(self._next)
        assert target.port is not None
        self.sent[target.port] += 1
        request.url = request.url.copy_with(port=target.port)
        request.headers["Host"] = f"{target.host}:{target.port}"
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()


def test_key_and_code_guessing_spread_over_both_processes_is_limited_once(
    cluster: Cluster,
) -> None:
    auth = {"Authorization": f"Bearer {cluster.kiosk_token('guesser')}"}
    urls = itertools.cycle(cluster.urls)
    statuses = [
        httpx.get(f"{next(urls)}/api/v1/packs/{new_session_key()}", headers=auth).status_code
        for _ in range(LIMIT + 2)
    ]
    assert statuses == [404] * LIMIT + [429, 429]  # not 2 x LIMIT misses before the first 429
    for url in cluster.urls:
        limited = httpx.get(f"{url}/api/v1/packs/{new_session_key()}", headers=auth)
        assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    with cluster.admin.database.sessions() as db:
        counted = db.scalar(
            select(func.count()).select_from(m.Miss).where(m.Miss.scope == "session_key")
        )
    assert counted == LIMIT  # counted once, by the kiosk (its address shares no limit)

    wrong = {"code": "AAAA-BBBB-CCCC", "kiosk_name": "x"}
    codes = [
        httpx.post(f"{next(urls)}/api/v1/enrol", json=wrong).status_code for _ in range(LIMIT + 2)
    ]
    assert codes == [401] * LIMIT + [429, 429]


def test_kiosks_syncing_through_both_processes_land_every_session_once_and_every_blob_whole(
    cluster: Cluster, tmp_path: Path
) -> None:
    hr = PortalUser("hr", "hr@acme.test", "hr", cluster.org_id, "Acme")
    new = NewSession(CandidateWire(full_name="Ada"), JobWire(title="Eng"), SettingsWire())
    # every blob travels, answer audio too, so every local file must land whole
    cluster.admin.data_policies.set(cluster.org_id, "test", send_answer_audio=True)
    pack_id = cluster.admin.records.create(hr, new).session_id
    kiosks: list[SimulatedKiosk] = []
    clients: list[HubClient] = []
    transports: list[RoundRobin] = []
    expected: list[str] = []
    for k in range(2):
        kiosk = SimulatedKiosk.create(tmp_path / f"kiosk{k}", kiosk_id=f"kiosk-{k}")
        transport = RoundRobin(cluster.urls)
        client = HubClient(cluster.urls[0], cluster.kiosk_token(f"k{k}"), transport=transport)
        rng = random.Random(k)
        for s in range(8):
            session_id = walk_in(kiosk.service, f"Candidate {k}-{s}")
            run_interview(kiosk.service, session_id, rng=rng, questions=1, blob_bytes=900)
            expected.append(session_id)
        kiosks.append(kiosk)
        clients.append(client)
        transports.append(transport)
    (pack,) = clients[0].waiting_packs().packs
    from_pack = import_pack(kiosks[0].service, pack).session.session_id
    run_interview(kiosks[0].service, from_pack, rng=random.Random(7), questions=1)

    failures: list[BaseException] = []

    def drain(k: int) -> None:
        try:
            Pusher(kiosks[k].service, clients[k], batch_size=4).drain()
        except BaseException as error:  # reported below, with the kiosk's number
            failures.append(error)

    pushers = [threading.Thread(target=drain, args=(k,)) for k in range(2)]
    for pusher in pushers:
        pusher.start()
    for pusher in pushers:
        pusher.join(120)
    assert failures == []

    for transport in transports:  # every kiosk really talked to both processes
        assert sorted(transport.sent) == sorted(h.port for h in cluster.hubs)
        assert min(transport.sent.values()) > 20
    outbox_rows = 0
    for kiosk in kiosks:
        assert all(s.state is SessionState.SYNCED for s in kiosk.service.list_sessions())
        with kiosk.service.database.sessions() as db:
            outbox_rows += int(db.scalar(select(func.count()).select_from(OutboxRow)) or 0)
    with cluster.admin.database.sessions() as db:
        landed = list(db.scalars(select(m.InterviewSession.kiosk_session_id)))
        receipts = db.scalar(select(func.count()).select_from(m.Receipt))
        pack_row = db.get(m.InterviewSession, pack_id)
    assert sorted(landed) == sorted([*expected, from_pack])  # each once, the pack linked
    assert pack_row is not None and pack_row.state == "synced"
    assert receipts == outbox_rows
    blobs = cluster.admin.blobs
    local_files = [p for k in kiosks for p in k.service.media.root.rglob("*") if len(p.name) == 64]
    org = cluster.org_id
    assert local_files and all(blobs.read(org, p.name) == p.read_bytes() for p in local_files)
    hub_files = [p for p in blobs.root.rglob("*") if p.is_file() and len(p.name) == 64]
    assert len(hub_files) == len({p.name for p in local_files})
    assert not any((blobs.root / ".incoming").iterdir())
    for client, transport in zip(clients, transports, strict=True):
        client.close()
        transport.close()
    for kiosk in kiosks:
        kiosk.close()


def test_a_portal_login_made_on_one_process_is_accepted_by_the_other(cluster: Cluster) -> None:
    cluster.admin.accounts.create_user(cluster.org_id, "hr@acme.test", PASSWORD, "hr")
    first, second = cluster.urls
    with httpx.Client(follow_redirects=False) as browser:  # one cookie jar, as in a browser
        token = _CSRF.search(browser.get(f"{first}/login").text)
        assert token is not None
        form = {"email": "hr@acme.test", "password": PASSWORD, "csrf_token": token.group(1)}
        assert browser.post(f"{first}/login", data=form).status_code == 303
        page = browser.get(f"{second}/")
        assert page.status_code == 200 and "hr@acme.test" in page.text
        cookie = browser.cookies["hub_session"]
        # the CSRF token derived from the session's id works on the other process too
        token = _CSRF.search(page.text)
        assert token is not None
        logout = browser.post(f"{first}/logout", data={"csrf_token": token.group(1)})
        assert logout.status_code == 303 and logout.headers["location"] == "/login"
        assert browser.get(f"{second}/").status_code == 303  # logged out everywhere

    # the session ended in the shared database: any hub process refuses the cookie kept from it
    with TestClient(create_app(hub=cluster.admin), follow_redirects=False) as stranger:
        stranger.cookies.set("hub_session", cookie)
        assert stranger.get("/").status_code == 303
