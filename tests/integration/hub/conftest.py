"""Fixtures for hub integration tests: a hub with one organisation, served on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.integration.hub.postgres import PostgresServer, postgres_server, unavailable_reason
from tests.integration.hub.s3 import S3Server, s3_server
from tests.integration.hub.support import (
    MemoryKeyring,
    SimulatedKiosk,
    hub_settings,
    memory_keyring,
    serve_in_thread,
)

from hub.app import create_app
from hub.container import Hub, build_hub


@dataclass
class LiveHub:
    hub: Hub
    url: str
    org_id: str

    def enrolment_code(self, org_id: str | None = None) -> str:
        return self.hub.enrolment.issue_code(org_id or self.org_id, "test-admin").code


@pytest.fixture
def keyring_backend() -> Iterator[MemoryKeyring]:
    with memory_keyring() as backend:
        yield backend


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    reason = unavailable_reason()
    if reason is not None:
        pytest.skip(f"no PostgreSQL for the hub tests: {reason}")
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    """A local S3-compatible server (moto), started once for the session's tests."""
    with s3_server() as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """The hub database of a test: "" (SQLite under the data dir) or a fresh PostgreSQL one."""
    if request.param == "sqlite":
        return ""
    server: PostgresServer = request.getfixturevalue("postgres")
    return server.create_database()


@pytest.fixture
def live_hub(tmp_path: Path, database_url: str) -> Iterator[LiveHub]:
    hub = build_hub(hub_settings(tmp_path / "hub", database_url=database_url))
    org_id = hub.accounts.ensure_organisation("Acme")
    with serve_in_thread(create_app(hub=hub)) as url:
        yield LiveHub(hub, url, org_id)
    hub.close()


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[SimulatedKiosk]:
    simulated = SimulatedKiosk.create(tmp_path / "kiosk")
    yield simulated
    simulated.close()
