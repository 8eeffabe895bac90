"""The hub at scale: 50 concurrent simulated kiosks against 2 hub workers on PostgreSQL and the
S3 blob store, plus a 100 MB blob streamed through the hub.

Every process runs on loopback: PostgreSQL (Debian's binaries, a throw-away cluster), an
S3-compatible server (moto, in its own process), and the hub as `uvicorn --workers 2` over
`hub.app:create_app`. Each kiosk thread, like the kiosk's syncer, uploads a finished session's
report blob and pushes its outbox as one batch, and pulls its centre's packs every few sessions.
The organisation has five centres; one of them books 20 times as many sessions as the kiosk's own,
so the pull size shows whether other centres' bookings reach a kiosk.

Reported: sessions ingested per second, p50/p99 push latency, pack pull size and latency, and
the hub workers' resident memory before, at the peak of and after streaming a 100 MB blob in
and out (targets: >= 60 sessions/s, p99 <= 400 ms at 50 kiosks, memory flat). The machine is
shared and two cores also run PostgreSQL, the S3 server and the load: figures are indicative.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
from tests.integration.hub.postgres import postgres_server, unavailable_reason
from tests.integration.hub.support import free_port

from bench.bench_hub import _percentile, _session_entries
from contract.sessionkey import new_session_key
from contract.wire import API_PREFIX, CandidateWire, JobWire, SettingsWire
from hub.container import build_hub
from hub.services.records import NewSession
from hub.settings import HubSettings
from hub.uow import UnitOfWork
from hub.views import PortalUser
from kiosk.sync import HubClient

KIOSKS = 50
WORKERS = 2
SESSIONS_PER_KIOSK = 10
PULL_EVERY = 5  # sessions between two pack pulls of a kiosk
CENTRES = 5
BOOKED_HERE = 10  # sessions booked today at each kiosk's centre
BOOKED_ELSEWHERE = 200  # ...and at the one busy centre no bench kiosk stands in
BIG_BLOB = 100 * 2**20
SECRET = "bench-secret-key-of-at-least-32-characters!"
HR_EMAIL, HR_PASSWORD = "hr@bench.test", "violet tractor sings at dawn"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
S3_KEYS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench-secret"}


@contextmanager
def _s3_server(root: Path) -> Iterator[str]:
    """moto's S3 server in a process of its own (not a thread of the load generator)."""
    port = free_port()
    log = (root / "s3.log").open("ab")
    command = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    process = subprocess.Popen(command, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/", process)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def _hub_workers(env: dict[str, str], root: Path) -> Iterator[tuple[str, psutil.Process]]:
    """`uvicorn --workers 2` over the hub's app factory, on one loopback port."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "hub.app:create_app", "--factory"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(WORKERS)]
    command += ["--log-level", "warning", "--no-access-log"]
    log = (root / "hub.log").open("ab")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{url}{API_PREFIX}/whoami", process)
        yield url, psutil.Process(process.pid)
    finally:
        process.terminate()
        process.wait(20)


def _wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}; see its log")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def _prepare(settings: HubSettings) -> tuple[list[str], str]:
    """An organisation with five centres, kiosks spread over four of them, today's bookings,
    an HR user; returns the kiosks' tokens and the organisation's id."""
    hub = build_hub(settings)  # also migrates the database, once, before the workers start
    try:
        org = hub.accounts.ensure_organisation("Bench")
        admin = PortalUser("bench", "bench@example.org", "admin", org, "Bench")
        centres = [hub.centres.create(admin, f"Centre {n}", "UTC") for n in range(CENTRES)]
        today = hub.clock().date()
        busy, quiet = centres[0], centres[1:]
        for centre, count in [(busy, BOOKED_ELSEWHERE)] + [(c, BOOKED_HERE) for c in quiet]:
            for n in range(count):
                new = NewSession(
                    CandidateWire(full_name=f"Candidate {n}", resume_text="Resume " * 300),
                    JobWire(title="Engineer", text="Job description " * 100),
                    SettingsWire(question_count=6),
                    centre_id=centre.centre_id,
                    interview_on=today,
                )
                hub.records.create(admin, new)
        hub.accounts.create_user(org, HR_EMAIL, HR_PASSWORD, "hr")
        tokens = []
        for i in range(KIOSKS):
            centre = quiet[i % len(quiet)].centre_id
            code = hub.enrolment.issue_code(org, "bench", centre_id=centre).code
            tokens.append(hub.enrolment.enrol(code, f"kiosk-{i}").token)
        return tokens, org
    finally:
        hub.close()


def _load(url: str, tokens: list[str]) -> dict[str, Any]:
    push_ms: list[float] = []
    pull_ms: list[float] = []
    pull_bytes: list[int] = []
    lock = threading.Lock()
    errors: list[str] = []
    start_line = threading.Barrier(len(tokens))

    def kiosk(index: int) -> None:
        rng = random.Random(index)
        headers = {"Authorization": f"Bearer {tokens[index]}"}
        with (
            HubClient(url, tokens[index], timeout=60) as client,
            httpx.Client(base_url=url, headers=headers, timeout=60) as raw,
        ):
            start_line.wait()
            next_id = 1
            for n in range(SESSIONS_PER_KIOSK):
                try:
                    pdf, batch = _session_entries(next_id, rng)
                    next_id += len(batch.entries)
                    if n % PULL_EVERY == 0:
                        began = time.perf_counter()
                        pulled = raw.get(f"{API_PREFIX}/packs")
                        pulled.raise_for_status()
                        with lock:
                            pull_ms.append((time.perf_counter() - began) * 1000)
                            pull_bytes.append(len(pulled.content))
                    client.upload_blob(batch.entries[-1].payload.pdf.sha256, pdf)  # type: ignore[union-attr]
                    began = time.perf_counter()
                    client.push(batch)
                    done = time.perf_counter()
                except Exception as error:  # a benchmark reports failures, it does not hide them
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                with lock:
                    push_ms.append((done - began) * 1000)

    threads = [threading.Thread(target=kiosk, args=(i,)) for i in range(len(tokens))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        "kiosks": len(tokens),
        "workers": WORKERS,
        "sessions": len(push_ms),
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
        "seconds": round(seconds, 2),
        "sessions_per_second": round(len(push_ms) / seconds, 1),
        "push_ms_p50": round(statistics.median(push_ms), 1) if push_ms else None,
        "push_ms_p99": round(_percentile(push_ms, 0.99), 1) if push_ms else None,
        "pull_ms_p50": round(statistics.median(pull_ms), 1) if pull_ms else None,
        "pull_ms_p99": round(_percentile(pull_ms, 0.99), 1) if pull_ms else None,
        "pull_bytes_max": max(pull_bytes) if pull_bytes else None,
        "packs_booked_elsewhere": BOOKED_ELSEWHERE + BOOKED_HERE * (CENTRES - 2),
    }


class _PeakMemory:
    """Samples the hub workers' resident memory every 50 ms; `phase` closes one phase and
    returns its peak."""

    def __init__(self, parent: psutil.Process) -> None:
        self._parent = parent
        self.baseline = self._rss()
        self._peak = self.baseline
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample)
        self._thread.start()

    def _rss(self) -> float:
        return sum(p.memory_info().rss for p in self._parent.children(recursive=True)) / 2**20

    def _sample(self) -> None:
        while not self._done.is_set():
            self._peak = max(self._peak, self._rss())
            time.sleep(0.05)

    def phase(self) -> float:
        peak, self._peak = self._peak, self._rss()
        return round(peak - self.baseline, 1)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _stream_big_blob(
    url: str, token: str, parent: psutil.Process, settings: HubSettings, org: str
) -> dict[str, Any]:
    """Twice: upload 100 MB in 1 MiB chunks as a session's report, then download it as HR
    through the portal. The workers' peak resident memory above the start of each phase is
    reported; flat means the second round grows no more than the first (nothing scales with
    the bytes streamed) and both stay far below the blob's size."""
    memory = _PeakMemory(parent)
    results: dict[str, Any] = {"blob_mib": BIG_BLOB // 2**20}
    try:
        with httpx.Client(base_url=url, timeout=300) as browser:
            page = browser.get("/login").text
            token_match = _CSRF.search(page)
            assert token_match, "no CSRF token on the login page"
            form = {"email": HR_EMAIL, "password": HR_PASSWORD, "csrf_token": token_match[1]}
            signed_in = browser.post("/login", data=form)
            assert signed_in.status_code == 303, f"HR could not sign in: {signed_in.status_code}"
            for round_ in (1, 2):
                memory.phase()
                sha, upload_s = _upload_big(url, token, round_)
                results[f"round{round_}_upload_seconds"] = round(upload_s, 2)
                results[f"round{round_}_upload_rss_growth_mib"] = memory.phase()
                key = new_session_key()
                with httpx.Client(base_url=url, timeout=60) as kiosk:
                    auth = {"Authorization": f"Bearer {token}"}
                    batch = _report_batch(key, sha, round_)
                    pushed = kiosk.post(f"{API_PREFIX}/batches", json=batch, headers=auth)
                    pushed.raise_for_status()
                session_id = _session_id(settings, org, key)
                memory.phase()
                began = time.perf_counter()
                received = hashlib.sha256()
                with browser.stream("GET", f"/sessions/{session_id}/report.pdf") as response:
                    response.raise_for_status()
                    for part in response.iter_bytes():
                        received.update(part)
                results[f"round{round_}_download_seconds"] = round(time.perf_counter() - began, 2)
                results[f"round{round_}_download_rss_growth_mib"] = memory.phase()
                assert received.hexdigest() == sha, "the download is not the uploaded blob"
    finally:
        memory.stop()
    results["workers_rss_mib_at_start"] = round(memory.baseline, 1)
    return results


def _upload_big(url: str, token: str, seed: int) -> tuple[str, float]:
    block = random.Random(seed).randbytes(2**20)
    count = BIG_BLOB // len(block)
    digest = hashlib.sha256()
    for _ in range(count):
        digest.update(block)
    sha = digest.hexdigest()

    def chunks() -> Iterator[bytes]:
        for _ in range(count):
            yield block

    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=300) as client:
        began = time.perf_counter()
        client.put(f"{API_PREFIX}/blobs/{sha}", content=chunks()).raise_for_status()
        return sha, time.perf_counter() - began


def _report_batch(key: str, sha: str, round_: int) -> dict[str, Any]:
    """A walk-in session whose report is the big blob, as a kiosk would push it."""
    now = datetime.now(UTC).isoformat()
    sid = str(uuid.uuid4())
    ref = {"sha256": sha, "kind": "report", "content_type": "application/pdf", "size": BIG_BLOB}
    payloads = [
        (
            "session.created",
            {
                "session_id": sid,
                "session_key": key,
                "candidate": {"full_name": "Big Blob"},
                "job": {"title": "Engineer"},
                "settings": {},
                "state": "created",
                "created_at": now,
            },
        ),
        ("media", {"session_id": "", **ref}),
        ("report", {"session_id": sid, "pdf": ref, "created_at": now}),
    ]
    entries = [
        {
            "outbox_id": 900_000 + 10 * round_ + i,
            "created_at": now,
            "topic": topic,
            "payload": payload,
        }
        for i, (topic, payload) in enumerate(payloads)
    ]
    return {"entries": entries}


def _session_id(settings: HubSettings, org: str, key: str) -> str:
    hub = build_hub(settings)
    try:
        with UnitOfWork(hub.database) as uow:
            row = uow.sessions.by_key(org, key)
            assert row is not None, "the big blob's session did not arrive"
            return row.id
    finally:
        hub.close()


def run() -> dict[str, Any]:
    reason = unavailable_reason()
    if reason is not None:
        return {"skipped": reason}
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        database_url = stack.enter_context(postgres_server()).create_database()
        saved = {k: os.environ.get(k) for k in S3_KEYS}
        os.environ.update(S3_KEYS)
        stack.callback(_restore, saved)
        s3_url = stack.enter_context(_s3_server(root))
        import boto3

        bucket = "bench-hub"
        boto3.client("s3", endpoint_url=s3_url, region_name="us-east-1").create_bucket(
            Bucket=bucket
        )
        env = {
            **os.environ,
            **S3_KEYS,
            "HUB_DATA_DIR": str(root),
            "HUB_DATABASE_URL": database_url,
            "HUB_SECRET_KEY": SECRET,
            "HUB_BLOB_STORE": "s3",
            "HUB_S3_BUCKET": bucket,
            "HUB_S3_ENDPOINT_URL": s3_url,
            "HUB_MAX_BLOB_BYTES": str(BIG_BLOB + 2**20),
            "HUB_COOKIE_SECURE": "false",  # the bench's browser speaks plain http on loopback
        }
        settings = HubSettings(
            data_dir=root,
            database_url=database_url,
            secret_key=SECRET,
            blob_store="s3",
            s3_bucket=bucket,
            s3_endpoint_url=s3_url,
        )
        tokens, org = _prepare(settings)
        url, parent = stack.enter_context(_hub_workers(env, root))
        results: dict[str, Any] = {"load": _load(url, tokens)}
        results["big_blob"] = _stream_big_blob(url, tokens[0], parent, settings, org)
        results["note"] = (
            f"indicative: {os.cpu_count()} shared cores also running PostgreSQL, the S3 server "
            f"and the {KIOSKS} kiosk threads; at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        )
        return results


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
