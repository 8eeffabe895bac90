"""`kiosk-hub serve --workers N`: N real processes under uvicorn's supervisor, each with its own
database pool of the configured size, serving the same socket."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import anyio.to_thread
import httpx
import psutil
import pytest
import sqlalchemy
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.integration.hub.hubprocess import HubProcess
from tests.integration.hub.postgres import PostgresServer
from tests.integration.hub.support import free_port, hub_settings

from hub.app import create_app
from hub.container import build_hub


def _workers(hub: HubProcess) -> set[int]:
    """The worker processes the supervisor spawned (not multiprocessing's resource tracker)."""
    assert hub.process is not None
    found = set()
    for child in psutil.Process(hub.process.pid).children():
        try:
            if "spawn_main" in " ".join(child.cmdline()):
                found.add(child.pid)
        except psutil.Error:  # a killed worker the supervisor has not reaped yet
            continue
    return found


def _wait_for(condition, timeout: float = 120.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s")


def _pool_holders(database_url: str) -> dict[str, int]:
    """application_name -> connections it holds on the hub's database, seen by PostgreSQL."""
    engine = sqlalchemy.create_engine(database_url)
    name = sqlalchemy.engine.make_url(database_url).database
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT application_name, count(*) FROM pg_stat_activity "
                     "WHERE datname = :name AND pid <> pg_backend_pid() "
                     "GROUP BY application_name"), {"name": name}).all()
    finally:
        engine.dispose()
    return {str(app): int(count) for app, count in rows}


@pytest.fixture
def two_workers(tmp_path: Path, postgres: PostgresServer) -> Iterator[tuple[HubProcess, str]]:
    url = postgres.create_database()
    hub = HubProcess(tmp_path, free_port(), {"HUB_DATABASE_URL": url}, ("--workers", "2"))
    try:
        hub.start(timeout=120)  # a worker imports the whole hub: slow on a busy machine
        yield hub, url
    finally:
        hub.stop()  # also when it did not start in time: no orphaned workers


def test_two_workers_serve_the_same_port_from_two_processes(
    two_workers: tuple[HubProcess, str],
) -> None:
    hub, url = two_workers
    workers = _wait_for(lambda: (w := _workers(hub)) and len(w) == 2 and w)
    assert hub.process is not None and hub.process.pid not in workers
    # each worker opened its own pool on the database, named by its process id
    holders = _wait_for(lambda: (h := _pool_holders(url)) and
                        {f"kiosk-hub {pid}" for pid in workers} <= set(h) and h)
    assert {f"kiosk-hub {pid}" for pid in workers} <= set(holders)

    # connections are accepted by whichever worker is free: keep them open until both hold some
    clients: list[httpx.Client] = []
    serving: set[int] = set()
    try:
        for _ in range(200):
            client = httpx.Client(base_url=hub.url, timeout=30)
            clients.append(client)
            answer = client.get("/api/v1/whoami")
            assert answer.status_code == 401  # a real answer of the sync API: no kiosk token
            serving = {pid for pid in workers
                       if any(c.laddr.port == hub.port and c.status == psutil.CONN_ESTABLISHED
                              for c in psutil.Process(pid).net_connections("tcp"))}
            if serving == workers:
                break
    finally:
        for client in clients:
            client.close()
    assert serving == workers, f"only {serving} of {workers} answered {len(clients)} clients"


def test_a_killed_worker_is_replaced_and_the_hub_keeps_answering(
    two_workers: tuple[HubProcess, str],
) -> None:
    hub, _ = two_workers
    before = _wait_for(lambda: (w := _workers(hub)) and len(w) == 2 and w)
    victim = min(before)
    os.kill(victim, signal.SIGKILL)
    after = _wait_for(lambda: (w := _workers(hub)) and len(w) == 2 and victim not in w and w)
    assert victim not in after and after - before
    assert httpx.get(f"{hub.url}/api/v1/whoami", timeout=30).status_code == 401


def test_the_pool_holds_at_most_size_plus_overflow_connections(
    tmp_path: Path, postgres: PostgresServer,
) -> None:
    url = postgres.create_database()
    hub = build_hub(hub_settings(tmp_path, database_url=url, db_pool_size=2, db_max_overflow=1,
                                 db_pool_timeout_seconds=0.5))
    engine = hub.database.engine
    name = f"kiosk-hub {os.getpid()}"
    try:
        held = [engine.connect() for _ in range(3)]
        with pytest.raises(sqlalchemy.exc.TimeoutError):
            engine.connect()  # a fourth waits 0.5 s, then the request fails
        assert _pool_holders(url)[name] == 3
        for connection in held:
            connection.close()
        # the overflow connection is closed once returned; the pool keeps its size open
        assert _pool_holders(url)[name] == 2
    finally:
        hub.close()


def test_request_handlers_run_on_the_configured_number_of_threads(tmp_path: Path) -> None:
    """HUB_REQUEST_THREADS bounds the threads that run the synchronous handlers of a process
    (anyio's default limiter, which FastAPI uses), from the moment the app starts serving."""
    hub = build_hub(hub_settings(tmp_path, request_threads=3))
    try:
        with TestClient(create_app(hub=hub)) as client:
            tokens = client.portal.call(
                lambda: anyio.to_thread.current_default_thread_limiter().total_tokens
            )
            assert client.get("/api/v1/whoami").status_code == 401  # a handler still answers
    finally:
        hub.close()
    assert tokens == 3
